import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jigiya.savings import heads, ledger


class Command(BaseCommand):
    help = (
        "Check every savings group's ledger: each entry balances, cash never goes negative, "
        "the hash chain is intact, and every chain head recorded in the audit trail is still "
        "in its chain (a chain rewritten whole, hashes and all, is found there). With --head, "
        "also compare a head printed on a receipt or share-out sheet. Exits with an error when "
        "a rule is broken."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--group", action="append", help="Only this group id (repeatable).")
        parser.add_argument(
            "--head",
            metavar="SEQ:HASH",
            help="A head read off paper, e.g. 42:3f9a1c0b2d4e5f60 (needs one --group).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        report = ledger.verify(options["group"])
        problems = report.problems + heads.chain_heads_compare(options["group"])
        if options["head"]:
            problems += self._paper(options["group"], options["head"])
        elapsed = time.monotonic() - started
        for problem in problems:
            self.stderr.write(problem)
        summary = (
            f"{report.groups} groups, {report.entries} entries, {report.lines} lines checked "
            f"in {elapsed:.1f} s"
        )
        if problems:
            raise CommandError(f"{len(problems)} problems found ({summary}).")
        self.stdout.write(self.style.SUCCESS(f"Ledgers intact: {summary}."))

    def _paper(self, groups: list[str] | None, head: str) -> list[str]:
        if not groups or len(groups) != 1:
            raise CommandError("--head compares one group's head: give exactly one --group.")
        seq, _, printed = head.partition(":")
        if not seq.isdigit():
            raise CommandError(f"--head {head!r}: write the entry number, a colon, the hash.")
        problem = heads.paper_head_check(group_id=groups[0], seq=int(seq), printed=printed)
        return [problem] if problem else []
