from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jigiya.core.models import BaseModel
from jigiya.indicators.catalog import Program


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
    """A community-month whose records changed since its values were computed.

    Inserted in the same transaction as the change (so a change is never forgotten), drained by
    the `indicators_refresh` task within seconds."""

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


class Donor(BaseModel):
    """A funder of the programs. Its report covers what its fundings cover, nothing more."""

    name = models.CharField(_("name"), max_length=160)
    code = models.CharField(_("code"), max_length=32, unique=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("donor")
        verbose_name_plural = _("donors")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("indicators:donor_report", args=[self.pk])


class Funding(BaseModel):
    """A donor funds one program in one place (and everything below it) from `start` to `end`."""

    donor = models.ForeignKey(
        Donor, verbose_name=_("donor"), on_delete=models.PROTECT, related_name="fundings"
    )
    program = models.CharField(_("program"), max_length=16, choices=Program.choices)
    place = models.ForeignKey(
        "places.Place", verbose_name=_("place"), on_delete=models.PROTECT, related_name="+"
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)

    class Meta:
        ordering = ["donor", "program", "start"]
        verbose_name = _("funding")
        verbose_name_plural = _("fundings")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="funding_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.donor} · {self.get_program_display()} · {self.place_id}"


class DonorUser(BaseModel):
    """A partner's login linked to the donor it speaks for: it sees that donor's report."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="donor_link",
    )
    donor = models.ForeignKey(
        Donor, verbose_name=_("donor"), on_delete=models.PROTECT, related_name="users"
    )

    class Meta:
        ordering = ["donor", "user"]
        verbose_name = _("donor user")
        verbose_name_plural = _("donor users")

    def __str__(self) -> str:
        return f"{self.user} → {self.donor}"
