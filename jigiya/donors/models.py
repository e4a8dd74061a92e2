from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jigiya.core.models import BaseModel
from jigiya.core.programs import Program


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
