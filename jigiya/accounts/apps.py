from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "jigiya.accounts"
    label = "accounts"
