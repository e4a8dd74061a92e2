from typing import Any

from django.core.management.base import BaseCommand

from jigiya.accounts import demo as accounts_demo
from jigiya.places import demo as places_demo


class Command(BaseCommand):
    help = "Load the demo world (places, health centers, ASACOs, one login per role). Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        admin = accounts_demo.load_admin()
        places_demo.load(admin=admin)
        users = accounts_demo.load(admin=admin)
        # Each program adds its demo data here, in the order they depend on each other.
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo world ready: {len(users)} logins, password “{accounts_demo.DEMO_PASSWORD}”."
            )
        )
