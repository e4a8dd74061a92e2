from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "jigiya.followup"
    label = "followup"
