from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "jigiya.registry"
    label = "registry"
