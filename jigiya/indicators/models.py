from django.db import models
from django.utils.translation import gettext_lazy as _


class IndicatorValue(models.Model):
    """Numerator and denominator of one indicator, for one place, month and breakdown.

    Community rows come from the records (the indicator's `compute`); rows of every place above
    are the sums of their children's rows. Written only by `indicators.engine`."""

    id = models.BigAutoField(primary_key=True)
    indicator = models.CharField(_("indicator"), max_length=80)
    place = models.ForeignKey(
        "places.Place", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    month = models.DateField(_("month"))
    breakdown = models.CharField(max_length=80, default="", blank=True)
    numerator = models.BigIntegerField(_("numerator"))
    denominator = models.BigIntegerField(_("denominator"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["indicator", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "place", "month", "breakdown"],
                name="indicator_value_one_per_cell",
            )
        ]
        indexes = [models.Index(fields=["indicator", "month", "breakdown"])]

    def __str__(self) -> str:
        return f"{self.indicator} {self.place_id} {self.month:%Y-%m} {self.breakdown}"


class StaleCell(models.Model):
    """A community-month whose records changed since its values were computed, or (source
    `places.tree`) a place-month whose figures a change to the place tree may have made wrong.

    Inserted in the same transaction as the change (so a change is never forgotten), drained by
    the `indicators_refresh` task within seconds (the worker's sweep queues one if it waits)."""

    id = models.BigAutoField(primary_key=True)
    source = models.CharField(max_length=80)
    place = models.ForeignKey("places.Place", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    marked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # Not unique on purpose: a mark made while a refresh runs must survive that refresh,
        # which deletes exactly the rows it read.
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.source} {self.place_id} {self.month:%Y-%m}"
