from typing import Any

from django.core.management.base import BaseCommand, CommandError

from jigiya.indicators import catalog, engine


class Command(BaseCommand):
    help = (
        "Indicator values: `rebuild` recomputes them from the records, `check` proves that what "
        "is stored equals what the records give, `refresh` drains the stale cells now, `list` "
        "prints the catalog."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["rebuild", "check", "refresh", "list"])
        parser.add_argument("codes", nargs="*", help="only these indicators (default: all)")

    def handle(self, *args: Any, action: str, codes: list[str], **options: Any) -> None:
        indicators = catalog.all_indicators()
        if codes:
            unknown = [code for code in codes if catalog.get(code) is None]
            if unknown:
                raise CommandError(f"Unknown indicator(s): {', '.join(unknown)}")
            indicators = [i for i in indicators if i.code in codes]
        if action == "list":
            for indicator in indicators:
                self.stdout.write(f"{indicator.code:45} {indicator.unit:13} {indicator.name}")
        elif action == "rebuild":
            written = engine.rebuild(indicators)
            self.stdout.write(
                self.style.SUCCESS(f"Rebuilt {len(indicators)} indicators: {written} values.")
            )
        elif action == "refresh":
            report = engine.refresh()
            self.stdout.write(f"Refreshed {report.cells} stale cells: {report.values} values.")
        else:
            problems = engine.check(indicators)
            for problem in problems[:200]:
                self.stderr.write(problem)
            if problems:
                raise CommandError(f"{len(problems)} stored value(s) differ from the records.")
            self.stdout.write(
                self.style.SUCCESS(f"All values of {len(indicators)} indicators match the records.")
            )
