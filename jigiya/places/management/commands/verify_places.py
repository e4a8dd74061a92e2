from typing import Any

from django.core.management.base import BaseCommand, CommandError

from jigiya.places import selectors
from jigiya.places.tasks import place_tree_verify


class Command(BaseCommand):
    help = "Check that every place's path, depth and kind agree with its parent."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue the check for `jigiya worker` instead."
        )

    def handle(self, *args: Any, enqueue: bool = False, **options: Any) -> None:
        if enqueue:
            result = place_tree_verify.enqueue()
            self.stdout.write(f"Queued as task {result.id}.")
            return
        problems = selectors.place_tree_problems()
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} problem(s) in the place tree.")
        self.stdout.write(self.style.SUCCESS("The place tree is sound."))
