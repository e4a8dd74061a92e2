from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jigiya.core"
    label = "core"
    verbose_name = "Core"
