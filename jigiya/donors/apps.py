from django.apps import AppConfig


class DonorsConfig(AppConfig):
    name = "jigiya.donors"
    label = "donors"
