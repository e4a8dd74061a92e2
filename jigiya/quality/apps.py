from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "jigiya.quality"
    label = "quality"
