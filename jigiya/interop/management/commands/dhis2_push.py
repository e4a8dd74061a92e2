"""`jigiya dhis2-push --server NAME --period 202611 [--dry-run]`: send a month from a terminal.

Shell access is full access: the command acts with no user (recorded as "command line"), on
every mapped place of the server. Exit status 0 when DHIS2 accepted everything, 1 otherwise."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from jigiya.core.errors import Conflict, validation_fields
from jigiya.core.periods import Month
from jigiya.interop import services
from jigiya.interop.models import Dhis2Server, PushStatus


class Command(BaseCommand):
    help = "Send one month of indicator values to a DHIS2 server (or a dry run)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--server", required=True, help="the server's name or id")
        parser.add_argument("--period", required=True, help="the month, 202611 or 2026-11")
        parser.add_argument("--dry-run", action="store_true", help="DHIS2 checks, stores nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["server"]
        server = Dhis2Server.objects.select_related("place").filter(name=name).first()
        if server is None:
            try:
                server = Dhis2Server.objects.select_related("place").get(pk=name)
            except (Dhis2Server.DoesNotExist, ValidationError, ValueError) as exc:
                raise CommandError(f"No DHIS2 server named {name!r}.") from exc
        try:
            month = Month.parse(options["period"])
            push = services.dhis2_push(
                actor=None, server=server, month=month, dry_run=options["dry_run"]
            )
        except ValidationError as exc:
            fields = validation_fields(exc)
            raise CommandError(
                "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in fields.items())
            ) from exc
        except Conflict as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"{server} {push.period}: {push.status} — imported {push.imported}, updated "
            f"{push.updated}, ignored {push.ignored}, deleted {push.deleted}"
        )
        for conflict in push.conflicts.all():
            self.stdout.write(f"  conflict {conflict.object}: {conflict.message}")
        if push.message:
            self.stdout.write(push.message)
        if push.status not in (PushStatus.SENT, PushStatus.CHECKED):
            raise CommandError(f"DHIS2 did not accept everything (attempt {push.pk}).")
