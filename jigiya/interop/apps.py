from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "jigiya.interop"
    label = "interop"
