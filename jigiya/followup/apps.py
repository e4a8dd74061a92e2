from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "jigiya.followup"
    label = "followup"

    def ready(self) -> None:
        """Plug the follow-up into the registry (which never imports it): its panels on the
        household and person pages, its part in a person's correction and deactivation, its
        pages under the registry's URLs, and the next tasks in the household API."""
        from jigiya.core import changes
        from jigiya.followup import panels, people, urls, views
        from jigiya.registry import plugins

        changes.listen(views.records_changed)  # cached worklists follow the records

        plugins.household_panel(panels.household_panel)
        plugins.person_panel(panels.person_panel)
        hooks = plugins.PersonHooks(
            check_correction=people.correction_check, deactivate=people.deactivate
        )
        plugins.person_hooks(hooks)
        plugins.routes(urls.registry_urlpatterns)
        plugins.household_api_fields(panels.household_api_fields)
