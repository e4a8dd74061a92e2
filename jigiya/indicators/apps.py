from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "jigiya.indicators"
    label = "indicators"

    def ready(self) -> None:
        # Each app declares its indicators in its own `indicators.py`; load them all.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("indicators")

        # Services tell `core.changes` which cells changed; the engine marks them stale.
        from jigiya.core import changes
        from jigiya.indicators import engine

        changes.listen(engine.mark_stale)
