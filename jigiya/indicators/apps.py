from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "jigiya.indicators"
    label = "indicators"

    def ready(self) -> None:
        # Each app declares its indicators in its own `indicators.py`; load them all.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("indicators")
