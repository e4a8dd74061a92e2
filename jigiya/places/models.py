from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jigiya.core.models import BaseModel


class PlaceKind(models.TextChoices):
    COUNTRY = "country", _("Country")
    REGION = "region", _("Region")
    CERCLE = "cercle", _("Cercle / District")
    COMMUNE = "commune", _("Commune")
    COMMUNITY = "community", _("Community")


# Each kind and the kind its parent must be (the country has none).
PARENT_KIND = {
    PlaceKind.COUNTRY: None,
    PlaceKind.REGION: PlaceKind.COUNTRY,
    PlaceKind.CERCLE: PlaceKind.REGION,
    PlaceKind.COMMUNE: PlaceKind.CERCLE,
    PlaceKind.COMMUNITY: PlaceKind.COMMUNE,
}


class Place(BaseModel):
    """A node of the administrative tree: Country → Region → Cercle → Commune → Community.

    `path` is the chain of ids from the root ("<root>/<region>/…/<self>/"), so everything in
    a place and below is one indexed `path__startswith` away. Only `places.services` writes it.
    """

    kind = models.CharField(_("kind"), max_length=16, choices=PlaceKind.choices)
    name = models.CharField(_("name"), max_length=120)
    code = models.CharField(_("code"), max_length=32, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    # The health center whose health area (aire de santé) this community belongs to.
    health_center = models.ForeignKey(
        "places.HealthCenter",
        verbose_name=_("health center"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="communities",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("place")
        verbose_name_plural = _("places")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="country", parent__isnull=True)
                | (~Q(kind="country") & Q(parent__isnull=False)),
                name="place_only_country_is_root",
            ),
            models.UniqueConstraint(fields=["parent", "name"], name="place_unique_name_in_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("places:detail", args=[self.pk])

    def ancestor_ids(self) -> list[str]:
        """Ids from the root down to this place, itself included."""
        return [part for part in self.path.split("/") if part]


class HealthCenterStatus(models.TextChoices):
    PROSPECT = "prospect", _("Prospect")
    PARTNER = "partner", _("Partner")
    HANDED_OVER = "handed_over", _("Handed over")
    FORMER = "former", _("Former partner")


class HealthCenter(BaseModel):
    """A community health center (CSCom) serving a health area of one or more communities."""

    name = models.CharField(_("name"), max_length=120)
    code = models.CharField(_("code"), max_length=32, unique=True)
    # The community where the building stands (see places.services).
    place = models.ForeignKey(
        Place,
        verbose_name=_("located in"),
        on_delete=models.PROTECT,
        related_name="health_centers_here",
    )
    health_area = models.CharField(_("health area"), max_length=120)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    partner_since = models.DateField(_("partner since"), null=True, blank=True)
    partner_until = models.DateField(_("partner until"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=HealthCenterStatus.choices,
        default=HealthCenterStatus.PARTNER,
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("health center")
        verbose_name_plural = _("health centers")
        constraints = [
            models.CheckConstraint(
                condition=Q(partner_until__isnull=True)
                | Q(partner_since__isnull=True)
                | Q(partner_until__gte=models.F("partner_since")),
                name="health_center_partnership_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="health_center_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="health_center_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("places:health_center", args=[self.pk])


class Asaco(BaseModel):
    """The community health association (ASACO) that runs a CSCom."""

    health_center = models.OneToOneField(
        HealthCenter, verbose_name=_("health center"), on_delete=models.PROTECT
    )
    name = models.CharField(_("name"), max_length=160)
    registration_number = models.CharField(_("registration number"), max_length=64, blank=True)
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    members_count = models.PositiveIntegerField(_("members"), default=0)

    class Meta:
        ordering = ["name"]
        verbose_name = _("ASACO")
        verbose_name_plural = _("ASACOs")

    def __str__(self) -> str:
        return self.name


class BoardRole(models.TextChoices):
    PRESIDENT = "president", _("President")
    VICE_PRESIDENT = "vice_president", _("Vice-president")
    SECRETARY = "secretary", _("Secretary general")
    TREASURER = "treasurer", _("Treasurer")
    AUDITOR = "auditor", _("Auditor")
    MEMBER = "member", _("Board member")


class BoardMember(BaseModel):
    """A seat on the ASACO board, for one term. Past terms stay: they are the governance record."""

    asaco = models.ForeignKey(
        Asaco, verbose_name=_("ASACO"), on_delete=models.PROTECT, related_name="board"
    )
    full_name = models.CharField(_("full name"), max_length=120)
    role = models.CharField(_("role"), max_length=16, choices=BoardRole.choices)
    sex = models.CharField(
        _("sex"), max_length=1, choices=[("F", _("Female")), ("M", _("Male"))], blank=True
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    term_start = models.DateField(_("term start"))
    term_end = models.DateField(_("term end"), null=True, blank=True)

    class Meta:
        ordering = ["-term_start", "role", "full_name"]
        verbose_name = _("board member")
        verbose_name_plural = _("board members")
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gt=models.F("term_start")),
                name="board_member_term_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_role_display()})"


class AssemblyKind(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary")
    EXTRAORDINARY = "extraordinary", _("Extraordinary")


class GeneralAssembly(BaseModel):
    """A general assembly of the ASACO: when, who came, what was decided."""

    asaco = models.ForeignKey(
        Asaco, verbose_name=_("ASACO"), on_delete=models.PROTECT, related_name="assemblies"
    )
    held_on = models.DateField(_("date"))
    kind = models.CharField(
        _("kind"), max_length=16, choices=AssemblyKind.choices, default=AssemblyKind.ORDINARY
    )
    attendance = models.PositiveIntegerField(_("attendance"))
    women_attending = models.PositiveIntegerField(_("women attending"), default=0)
    decisions = models.TextField(_("decisions"))

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("general assembly")
        verbose_name_plural = _("general assemblies")
        constraints = [
            models.CheckConstraint(
                condition=Q(women_attending__lte=models.F("attendance")),
                name="assembly_women_within_attendance",
            ),
            models.UniqueConstraint(fields=["asaco", "held_on"], name="assembly_one_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.asaco} {self.held_on:%Y-%m-%d}"
