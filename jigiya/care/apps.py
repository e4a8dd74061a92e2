from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "jigiya.care"
    label = "care"
