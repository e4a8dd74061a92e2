import uuid
from importlib import import_module
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils.module_loading import module_has_submodule

from jigiya.accounts import demo as accounts_demo
from jigiya.indicators import engine
from jigiya.places.generate import community_ids


def _demo_communities() -> frozenset[uuid.UUID] | None:
    """The communities whose indicators the demo recomputes: all of them (None) on a demo
    database; beside generated data (`jigiya generate`), the demo world's alone — recomputing
    10 M generated visits took five minutes each time `generate` or `make bench` checked that
    the demo was there."""
    if not community_ids(generated=True):
        return None
    return community_ids(generated=False)


class Command(BaseCommand):
    help = "Load the demo world: places, one login per role, and each program's story. Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        admin = accounts_demo.load_admin()
        # Each app with a `demo.py` adds its part, in INSTALLED_APPS order (an app comes after
        # the apps it builds on); each `load` creates only what is missing.
        for config in apps.get_app_configs():
            if config.name.startswith("jigiya.") and module_has_submodule(config.module, "demo"):
                module = import_module(f"{config.name}.demo")
                if hasattr(module, "load"):
                    module.load(admin=admin)
                    self.stdout.write(f"  {config.label}: ready")
        written = engine.rebuild(communities=_demo_communities())
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo world ready ({written} indicator values). Every demo login's password is "
                f"“{accounts_demo.DEMO_PASSWORD}”."
            )
        )
