from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "jigiya.web"
    label = "web"
