import datetime
import unicodedata
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from jigiya.core.models import BaseModel, made_at_field


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")


class Relationship(models.TextChoices):
    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    GRANDCHILD = "grandchild", _("Grandchild")
    PARENT = "parent", _("Parent")
    OTHER = "other", _("Other relative")


class Household(BaseModel):
    """A family followed in a community. Belongs to one community (access by place)."""

    community = models.ForeignKey(
        "places.Place",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="households",
        limit_choices_to={"kind": "community"},
    )
    name = models.CharField(_("household name"), max_length=120)
    landmark = models.CharField(_("how to find it"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    head = models.ForeignKey(
        "registry.Person",
        verbose_name=_("head of household"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    chw = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("CHW"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="households",
    )
    is_active = models.BooleanField(_("active"), default=True)
    made_at = made_at_field()

    class Meta:
        ordering = ["name"]
        verbose_name = _("household")
        verbose_name_plural = _("households")
        indexes = [models.Index(fields=["chw", "is_active"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("registry:household", args=[self.pk])


class Person(BaseModel):
    """A member of a household. Deactivated (moved, died, left), never deleted."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="members"
    )
    given_name = models.CharField(_("given name"), max_length=80)
    family_name = models.CharField(_("family name"), max_length=80)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    # True when the date was worked out from an age ("about 3 years old").
    birth_date_estimated = models.BooleanField(_("date of birth estimated"), default=False)
    relationship = models.CharField(
        _("relationship to the head"), max_length=16, choices=Relationship.choices
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # The pregnancy this person was born of, when registered at the delivery.
    born_of = models.ForeignKey(
        "registry.Pregnancy",
        verbose_name=_("born of the pregnancy"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="newborns",
    )
    # `name_key(given_name, family_name)`, kept by the services: what duplicates are found by.
    name_key = models.CharField(max_length=170, blank=True, editable=False)
    made_at = made_at_field()

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_date__isnull=False) | Q(birth_date_estimated=False),
                name="person_estimated_birth_date_needs_a_date",
            )
        ]
        indexes = [
            models.Index(fields=["family_name", "given_name"]),
            models.Index(fields=["name_key"]),
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def get_absolute_url(self) -> str:
        return reverse("registry:person", args=[self.pk])

    def age_days(self, day: datetime.date) -> int | None:
        return (day - self.birth_date).days if self.birth_date else None

    def age_months(self, day: datetime.date) -> float | None:
        days = self.age_days(day)
        return None if days is None else days / 30.4375

    @property
    def age_label(self) -> str:
        """Her age today as lists show it to tell people apart ("3 months", "~24 years")."""
        return age_label(self.birth_date, timezone.localdate(), self.birth_date_estimated)


def age_label(birth: datetime.date | None, day: datetime.date, estimated: bool = False) -> str:
    """An age in the unit a CHW uses: days in the first month, months until two years, then
    years; "~" before an age worked out from an estimated date of birth; "" when unknown."""
    if birth is None or birth > day:
        return ""
    months = (day.year - birth.year) * 12 + day.month - birth.month - (day.day < birth.day)
    if months < 1:
        days = (day - birth).days
        text = ngettext("%(count)s day", "%(count)s days", days) % {"count": days}
    elif months < 24:
        text = ngettext("%(count)s month", "%(count)s months", months) % {"count": months}
    else:
        years = months // 12
        text = ngettext("%(count)s year", "%(count)s years", years) % {"count": years}
    return f"~{text}" if estimated else text


def name_key(given_name: str, family_name: str) -> str:
    """Names as the duplicate check compares them: no accents, lower case, single spaces."""
    text = unicodedata.normalize("NFKD", f"{given_name} {family_name}")
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(text.lower().replace("-", " ").replace("'", " ").split())


class DeliveryPlace(models.TextChoices):
    THIS_CSCOM = "this_cscom", _("This CSCom")
    OTHER_FACILITY = "other_facility", _("Another health facility")
    HOME = "home", _("Home")


class BirthOutcome(models.TextChoices):
    LIVE_BIRTH = "live_birth", _("Live birth")
    STILLBIRTH = "stillbirth", _("Stillbirth")
    PREGNANCY_LOSS = "pregnancy_loss", _("Miscarriage or abortion")


# Days from the last menstrual period to the expected delivery date (Naegele's rule).
PREGNANCY_DAYS = 280
# An EDD further than this after the LMP is impossible (44 weeks).
LONGEST_PREGNANCY_DAYS = 44 * 7


class Pregnancy(BaseModel):
    """One pregnancy of a woman of the registry, from the LMP (or EDD) to its outcome.

    `edd` is always set (LMP + 280 days when only the LMP is known); `lmp` may be empty when
    only the EDD is known. Open while `outcome_date` is empty and `is_active`."""

    woman = models.ForeignKey(
        Person, verbose_name=_("woman"), on_delete=models.PROTECT, related_name="pregnancies"
    )
    lmp = models.DateField(_("last menstrual period"), null=True, blank=True)
    # True when the LMP was worked out from the months of pregnancy she told (LMP unknown).
    lmp_estimated = models.BooleanField(
        _("last menstrual period estimated"), default=False, db_default=False
    )
    edd = models.DateField(_("expected delivery date"))
    outcome_date = models.DateField(_("date of delivery or end"), null=True, blank=True)
    outcome_place = models.CharField(
        _("place of delivery"), max_length=16, choices=DeliveryPlace.choices, blank=True
    )
    # The health center where she delivered (this CSCom, or the other facility when known).
    outcome_health_center = models.ForeignKey(
        "places.HealthCenter",
        verbose_name=_("health center of delivery"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    birth_outcome = models.CharField(
        _("outcome"), max_length=16, choices=BirthOutcome.choices, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    made_at = made_at_field()

    class Meta:
        ordering = ["-edd"]
        verbose_name = _("pregnancy")
        verbose_name_plural = _("pregnancies")
        constraints = [
            models.CheckConstraint(
                condition=Q(lmp__isnull=True) | Q(edd__gt=models.F("lmp")),
                name="pregnancy_edd_after_lmp",
            ),
            models.CheckConstraint(
                condition=Q(lmp__isnull=False) | Q(lmp_estimated=False),
                name="pregnancy_estimated_lmp_needs_a_date",
            ),
            models.CheckConstraint(
                condition=(Q(outcome_date__isnull=True) & Q(birth_outcome=""))
                | (Q(outcome_date__isnull=False) & ~Q(birth_outcome="")),
                name="pregnancy_outcome_has_date_and_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["woman", "outcome_date"]),
            models.Index(fields=["edd"]),
            models.Index(fields=["outcome_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.woman} — {self.edd:%Y-%m-%d}"

    @property
    def start(self) -> datetime.date:
        """The LMP, or the one the EDD implies."""
        return self.lmp or self.edd - datetime.timedelta(days=PREGNANCY_DAYS)

    @property
    def is_open(self) -> bool:
        return self.is_active and self.outcome_date is None

    def gestational_weeks(self, day: datetime.date) -> int:
        return (day - self.start).days // 7


class AncContact(BaseModel):
    """An antenatal care contact at a health facility (as told by the woman or her card)."""

    pregnancy = models.ForeignKey(
        Pregnancy,
        verbose_name=_("pregnancy"),
        on_delete=models.PROTECT,
        related_name="anc_contacts",
    )
    date = models.DateField(_("date"))
    place = models.CharField(
        _("place"),
        max_length=16,
        choices=[c for c in DeliveryPlace.choices if c[0] != DeliveryPlace.HOME],
    )
    health_center = models.ForeignKey(
        "places.HealthCenter",
        verbose_name=_("health center"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("ANC contact")
        verbose_name_plural = _("ANC contacts")
        constraints = [
            models.UniqueConstraint(fields=["pregnancy", "date"], name="anc_one_contact_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.pregnancy.woman} ANC {self.date:%Y-%m-%d}"


class FollowupProgram(models.TextChoices):
    CHILD = "child", _("Child under five")
    PREGNANCY = "pregnancy", _("Pregnancy")


class ExitReason(models.TextChoices):
    REACHED_FIVE = "reached_five", _("Child reached five")
    MOVED = "moved", _("Moved away")
    DIED = "died", _("Died")
    LEFT = "left", _("Left the program")
    COMPLETED = "completed", _("Pregnancy follow-up completed")


class Enrollment(BaseModel):
    """A person followed by the CHW in one program, from `start` to `end` (open while empty).

    At most one open enrollment per person and program (a database constraint)."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="enrollments"
    )
    program = models.CharField(_("program"), max_length=16, choices=FollowupProgram.choices)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)
    exit_reason = models.CharField(
        _("exit reason"), max_length=16, choices=ExitReason.choices, blank=True
    )

    class Meta:
        ordering = ["-start"]
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "program"],
                condition=Q(end__isnull=True),
                name="enrollment_one_open_per_program",
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="enrollment_end_after_start",
            ),
            models.CheckConstraint(
                condition=(Q(end__isnull=True) & Q(exit_reason=""))
                | (Q(end__isnull=False) & ~Q(exit_reason="")),
                name="enrollment_exit_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["program", "start", "end"])]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_program_display()}"


class LeastAccessDecision(models.TextChoices):
    FREE = "free", _("Free care")
    SUBSIDIZED = "subsidized", _("Subsidized care")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")


# The least-access criteria, their weights, and the score thresholds: read top to bottom.
LEAST_ACCESS_CRITERIA: dict[str, tuple[Any, int]] = {
    "no_regular_income": (_("No regular income in the household"), 2),
    "could_not_pay_care": (_("Could not pay for care in the last three months"), 2),
    "food_insecure": (_("Skips meals for lack of food"), 2),
    "female_headed": (_("Headed by a woman alone"), 1),
    "three_under_five": (_("Three or more children under five"), 1),
    "disability_or_chronic_illness": (_("A member with a disability or a chronic illness"), 1),
    "far_from_health_center": (_("More than 5 km from the health center"), 1),
}
FREE_CARE_SCORE = 5
SUBSIDIZED_CARE_SCORE = 3


class LeastAccessAssessment(BaseModel):
    """A household's least-access assessment: which criteria it meets, the score, the decision
    (free, subsidized or no support for care). The latest one is in force."""

    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    assessed_on = models.DateField(_("assessed on"))
    criteria = models.JSONField(_("criteria met"), default=list)
    score = models.PositiveSmallIntegerField(_("score"))
    decision = models.CharField(_("decision"), max_length=16, choices=LeastAccessDecision.choices)

    class Meta:
        ordering = ["-assessed_on", "-created_at"]
        verbose_name = _("least-access assessment")
        verbose_name_plural = _("least-access assessments")

    def __str__(self) -> str:
        return f"{self.household} {self.assessed_on:%Y-%m-%d} {self.get_decision_display()}"
