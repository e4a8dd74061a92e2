"""DHIS2: where to send, what maps to what, and every attempt to send with DHIS2's answer."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jigiya.core.models import BaseModel


class IdScheme(models.TextChoices):
    UID = "uid", _("UID (11 characters)")
    CODE = "code", _("Code")


class Dhis2Server(BaseModel):
    """A DHIS2 instance that receives the monthly values of the places below `place`.

    The password is stored encrypted (see `interop.secret`) in a column named `password`, which
    the audit trail never copies; it is never shown back on a page or in the API."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    place = models.ForeignKey(
        "places.Place",
        verbose_name=_("reports for"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    base_url = models.URLField(_("base URL"), max_length=200)
    username = models.CharField(_("username"), max_length=120)
    # Encrypted; named `password` so that `core.audit` leaves it out of every audit entry.
    password = models.TextField(editable=False)
    id_scheme = models.CharField(
        _("identifier scheme"), max_length=8, choices=IdScheme.choices, default=IdScheme.UID
    )
    data_set = models.CharField(_("data set"), max_length=50, blank=True)
    attribute_option_combo = models.CharField(
        _("attribute option combo"), max_length=50, blank=True
    )
    timeout = models.FloatField(_("timeout (seconds)"), default=30)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("DHIS2 server")
        verbose_name_plural = _("DHIS2 servers")
        constraints = [
            models.CheckConstraint(
                condition=Q(timeout__gt=0, timeout__lte=300), name="dhis2_server_timeout_range"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("interop:server", args=[self.pk])


class Figure(models.TextChoices):
    VALUE = "value", _("value (count, sum or rate)")
    NUMERATOR = "numerator", _("numerator only")
    DENOMINATOR = "denominator", _("denominator only")


class DataElementMapping(BaseModel):
    """One figure of one indicator breakdown → one DHIS2 data element and category option combo."""

    server = models.ForeignKey(Dhis2Server, on_delete=models.CASCADE, related_name="data_elements")
    indicator = models.CharField(_("indicator"), max_length=80)
    breakdown = models.CharField(_("breakdown"), max_length=80, blank=True)
    figure = models.CharField(_("figure"), max_length=12, choices=Figure.choices)
    data_element = models.CharField(_("data element"), max_length=50)
    category_option_combo = models.CharField(_("category option combo"), max_length=50, blank=True)

    class Meta:
        ordering = ["indicator", "breakdown", "figure"]
        verbose_name = _("data element mapping")
        verbose_name_plural = _("data element mappings")
        constraints = [
            models.UniqueConstraint(
                fields=["server", "indicator", "breakdown", "figure"],
                name="dhis2_element_one_per_figure",
            ),
            # Two figures in one DHIS2 cell would overwrite each other.
            models.UniqueConstraint(
                fields=["server", "data_element", "category_option_combo"],
                name="dhis2_element_one_figure_per_cell",
            ),
        ]

    def __str__(self) -> str:
        suffix = f" [{self.breakdown}]" if self.breakdown else ""
        return f"{self.indicator}{suffix} {self.figure} → {self.data_element}"


class OrgUnitMapping(BaseModel):
    """A community or a health center → one DHIS2 organisation unit."""

    server = models.ForeignKey(Dhis2Server, on_delete=models.CASCADE, related_name="org_units")
    place = models.ForeignKey(
        "places.Place",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    health_center = models.ForeignKey(
        "places.HealthCenter",
        verbose_name=_("health center"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    org_unit = models.CharField(_("organisation unit"), max_length=50)

    class Meta:
        ordering = ["org_unit"]
        verbose_name = _("organisation unit mapping")
        verbose_name_plural = _("organisation unit mappings")
        constraints = [
            models.CheckConstraint(
                condition=Q(place__isnull=True, health_center__isnull=False)
                | Q(place__isnull=False, health_center__isnull=True),
                name="dhis2_org_unit_place_or_center",
            ),
            models.UniqueConstraint(fields=["server", "place"], name="dhis2_org_unit_one_place"),
            models.UniqueConstraint(
                fields=["server", "health_center"], name="dhis2_org_unit_one_center"
            ),
            models.UniqueConstraint(fields=["server", "org_unit"], name="dhis2_org_unit_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.place or self.health_center} → {self.org_unit}"

    @property
    def label(self) -> str:
        return str(self.place or self.health_center)


class PushStatus(models.TextChoices):
    PENDING = "pending", _("sending")
    SENT = "sent", _("sent")
    PARTIAL = "partial", _("partly accepted")
    FAILED = "failed", _("failed")
    CHECKED = "checked", _("dry run accepted")


class Dhis2Push(BaseModel):
    """One attempt to send a month to DHIS2 (or a dry run), and what DHIS2 answered.

    Created `pending` before the request leaves; only DHIS2's answer makes it `sent`, `partial` or
    `checked`; anything else (down, timeout, refused, unreadable answer) makes it `failed`. A
    retry of the same period and payload is a new row pointing at the first attempt."""

    server = models.ForeignKey(Dhis2Server, on_delete=models.PROTECT, related_name="pushes")
    period = models.CharField(_("period"), max_length=6)  # DHIS2's yyyyMM
    dry_run = models.BooleanField(_("dry run"), default=False)
    status = models.CharField(
        _("status"), max_length=8, choices=PushStatus.choices, default=PushStatus.PENDING
    )
    payload = models.JSONField(_("payload"))
    # One entry per data value sent, in the same order: where it came from in Jigiya.
    sources = models.JSONField(default=list)
    payload_hash = models.CharField(_("payload hash"), max_length=64)
    value_count = models.PositiveIntegerField(_("values"))
    retry_of = models.ForeignKey(
        "self",
        verbose_name=_("retry of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="retries",
    )
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)
    http_status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    error_code = models.CharField(_("error"), max_length=24, blank=True)
    message = models.TextField(_("message"), blank=True)
    summary_status = models.CharField(_("DHIS2 status"), max_length=16, blank=True)
    imported = models.PositiveIntegerField(_("imported"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    ignored = models.PositiveIntegerField(_("ignored"), default=0)
    deleted = models.PositiveIntegerField(_("deleted"), default=0)
    response = models.JSONField(_("response"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("DHIS2 push")
        verbose_name_plural = _("DHIS2 pushes")
        constraints = [
            # Two sends of one period at once are refused (also in the database).
            models.UniqueConstraint(
                fields=["server", "period"],
                condition=Q(status="pending"),
                name="dhis2_push_one_pending_per_period",
            )
        ]
        indexes = [models.Index(fields=["server", "period", "payload_hash"])]

    def __str__(self) -> str:
        return f"{self.server} {self.period} {self.status}"

    def get_absolute_url(self) -> str:
        return reverse("interop:push_detail", args=[self.pk])


class Dhis2Conflict(models.Model):
    """One conflict DHIS2 reported, with the data values it concerns (as sent, and their source)."""

    id = models.BigAutoField(primary_key=True)
    push = models.ForeignKey(Dhis2Push, on_delete=models.CASCADE, related_name="conflicts")
    object = models.CharField(_("object"), max_length=255, blank=True)
    message = models.TextField(_("message"))
    error_code = models.CharField(_("error code"), max_length=16, blank=True)
    property = models.CharField(_("property"), max_length=64, blank=True)
    # [{"index": 3, "dataElement": …, "orgUnit": …, "value": …, "source": {…}}, …]
    values = models.JSONField(_("values"), default=list)

    class Meta:
        ordering = ["push", "id"]
        verbose_name = _("DHIS2 conflict")
        verbose_name_plural = _("DHIS2 conflicts")

    def __str__(self) -> str:
        return f"{self.object}: {self.message}"[:200]


def allow_http() -> bool:
    return bool(getattr(settings, "JIGIYA_DHIS2_ALLOW_HTTP", settings.DEBUG))
