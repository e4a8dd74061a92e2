from django.apps import AppConfig


class SavingsConfig(AppConfig):
    name = "jigiya.savings"
    label = "savings"

    def ready(self) -> None:
        """Plug savings into the registry (which never imports it): members' groups as badges
        on the household page."""
        from jigiya.registry import plugins
        from jigiya.savings import panels

        plugins.household_panel(panels.household_panel)
