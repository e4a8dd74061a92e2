import sys
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import ProtectedError
from tqdm import tqdm

from jigiya.core.generate import (
    PUBLIC_SCALES,
    SCALES,
    Counts,
    GenerateError,
    Scale,
    Step,
    discover_steps,
    step_rng,
)
from jigiya.core.statistics import refresh_statistics
from jigiya.indicators import engine
from jigiya.places.generate import community_ids


class Command(BaseCommand):
    help = (
        "Load the demo world, then add synthetic places, health centers and users (codes "
        "starting GEN-) for benchmarks. Deterministic for a given seed; idempotent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            required=True,
            metavar="{" + ",".join(PUBLIC_SCALES) + "}",
            help="demo: the demo world only; district: 60 communities; national: 1000.",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")
        parser.add_argument(
            "--reset", action="store_true", help="Delete generated data first (demo data stays)."
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["scale"]
        # "tiny" is accepted but not advertised: it exists for the tests.
        if name != "demo" and name not in SCALES:
            raise CommandError(f"Unknown scale “{name}”: choose one of {', '.join(PUBLIC_SCALES)}.")
        started = time.monotonic()
        steps = discover_steps()
        try:
            if options["reset"]:
                self._reset(steps)
            call_command("demo", stdout=self.stdout, stderr=self.stderr)
            if name != "demo":
                show = not options["no_progress"] and sys.stderr.isatty()
                self._generate(steps, SCALES[name], options["seed"], show_progress=show)
        except (GenerateError, ProtectedError) as exc:
            raise CommandError(str(exc)) from exc

        self.stdout.write(f"Generated data in the database (scale {name}, seed {options['seed']}):")
        for step in steps:
            for label, number in step.count().items():
                self.stdout.write(f"  {label:<20} {number:>7}")
        self.stdout.write(self.style.SUCCESS(f"Done in {time.monotonic() - started:.1f} s."))

    def _reset(self, steps: list[Step]) -> None:
        for step in reversed(steps):  # later steps hang on earlier ones
            with transaction.atomic():
                self._report(f"{step.name}: deleted", step.reset())

    def _generate(self, steps: list[Step], scale: Scale, seed: int, *, show_progress: bool) -> None:
        results: list[tuple[Step, Counts]] = []
        total = sum(step.size(scale) for step in steps)
        with tqdm(
            total=total, unit=" rows", file=sys.stderr, disable=not show_progress, leave=False
        ) as progress:
            for step in steps:
                # One transaction per step: a step either is all there or not at all.
                with transaction.atomic():
                    results.append((step, step.generate(scale, step_rng(seed, step), progress)))
        indicator_values = 0
        if any(created for _, created in results):
            refresh_statistics()  # plans made for empty tables would be slow on the new rows
            # The rows were written in bulk, not through the services that mark indicator
            # cells stale: compute the generated communities' indicators once, here.
            indicator_values = engine.rebuild(communities=community_ids(generated=True))
        # Reported once the bar is gone, so the two do not overwrite each other.
        for step, created in results:
            if created:
                self._report(f"{step.name}: created", created)
            else:
                self.stdout.write(
                    f"{step.name}: already generated at the {scale.name} scale, nothing to do."
                )
        if indicator_values:
            self.stdout.write(f"indicators: {indicator_values} values of the generated places")

    def _report(self, title: str, counts: Counts) -> None:
        self.stdout.write(f"{title} " + ", ".join(f"{n} {label}" for label, n in counts.items()))
