from django.apps import AppConfig


class CooperativesConfig(AppConfig):
    name = "jigiya.cooperatives"
    label = "cooperatives"
