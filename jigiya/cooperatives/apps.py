from django.apps import AppConfig


class CooperativesConfig(AppConfig):
    name = "jigiya.cooperatives"
    label = "cooperatives"

    def ready(self) -> None:
        """Plug cooperatives into the registry (which never imports it): members' cooperatives
        as badges on the household page, and what cooperatives gave the family."""
        from jigiya.cooperatives import panels
        from jigiya.registry import plugins

        plugins.household_panel(panels.household_panel)
