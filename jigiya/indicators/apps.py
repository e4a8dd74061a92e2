from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "jigiya.indicators"
    label = "indicators"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from jigiya.core import changes
        from jigiya.indicators import engine

        # Each app declares its indicators in its own `indicators.py`; load them all (ASACO
        # governance, which reads places' records, is the quality app's).
        autodiscover_modules("indicators")
        # Services tell `core.changes` which cells changed; the engine marks them stale.
        changes.listen(engine.mark_stale)
        # Places that move (or change health center) mark the figures above them stale.
        changes.listen_places(engine.mark_places_stale)
