from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "jigiya.places"
    label = "places"
