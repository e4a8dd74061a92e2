from django.apps import AppConfig


class SavingsConfig(AppConfig):
    name = "jigiya.savings"
    label = "savings"
