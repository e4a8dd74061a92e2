from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "jigiya.care"
    label = "care"

    def ready(self) -> None:
        """Plug care into the registry (which never imports it): coverage badges on the
        household page, coverage and care history on the person page."""
        from jigiya.care import panels
        from jigiya.registry import plugins

        plugins.household_panel(panels.household_panel)
        plugins.person_panel(panels.person_panel)
