"""Tasks (the CHW's worklist), home visits with what was measured and taught, referrals."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jigiya.core.appendonly import AppendOnlyModel
from jigiya.core.models import BaseModel, made_at_field


class TaskKind(models.TextChoices):
    CHILD_VISIT = "child_visit", _("Child follow-up visit")
    PREGNANCY_CONTACT = "pregnancy_contact", _("Pregnancy contact")
    POSTNATAL_48H = "postnatal_48h", _("Postnatal visit (48 hours)")
    POSTNATAL_7D = "postnatal_7d", _("Postnatal visit (7 days)")
    REFERRAL_FOLLOWUP = "referral_followup", _("Referral follow-up")


class TaskState(models.TextChoices):
    """What is stored. `open` is shown as upcoming, due or overdue depending on the day."""

    OPEN = "open", _("open")
    DONE = "done", _("done")
    MISSED = "missed", _("missed")
    CANCELLED = "cancelled", _("cancelled")


# How a state reads on a page: the stored states and the three an open task is shown as.
STATE_LABELS = {
    "upcoming": _("upcoming"),
    "due": _("due"),
    "overdue": _("overdue"),
    **dict(TaskState.choices),
}


class Task(BaseModel):
    """Something a CHW must do for one person between `window_start` and `window_end`,
    ideally on `due_date`. Made by `followup.engine` from the schedules in `schedules.py`."""

    kind = models.CharField(_("kind"), max_length=20, choices=TaskKind.choices)
    person = models.ForeignKey(
        "registry.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="tasks"
    )
    # The person's household when the task was made: the worklist reads tasks by household.
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    enrollment = models.ForeignKey(
        "registry.Enrollment", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    pregnancy = models.ForeignKey(
        "registry.Pregnancy", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    referral = models.ForeignKey(
        "followup.Referral", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The contact's number in its schedule (e.g. 3 for the third pregnancy contact).
    sequence = models.PositiveSmallIntegerField(default=1)
    due_date = models.DateField(_("due"))
    window_start = models.DateField(_("from"))
    window_end = models.DateField(_("until"))
    state = models.CharField(
        _("state"), max_length=12, choices=TaskState.choices, default=TaskState.OPEN
    )
    resolved_by = models.ForeignKey(
        "followup.Visit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)

    class Meta:
        ordering = ["due_date", "kind"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        constraints = [
            models.CheckConstraint(
                condition=Q(window_start__lte=models.F("due_date"))
                & Q(due_date__lte=models.F("window_end")),
                name="task_due_within_window",
            ),
            # One open child visit per child: the next is made when this one is resolved.
            models.UniqueConstraint(
                fields=["person", "kind"],
                condition=Q(state="open", kind="child_visit"),
                name="task_one_open_child_visit",
            ),
            models.UniqueConstraint(
                fields=["pregnancy", "kind", "sequence"],
                condition=Q(pregnancy__isnull=False),
                name="task_once_per_pregnancy_contact",
            ),
            models.UniqueConstraint(
                fields=["referral", "kind"],
                condition=Q(referral__isnull=False),
                name="task_once_per_referral",
            ),
        ]
        indexes = [
            models.Index(fields=["household", "state", "due_date"]),
            models.Index(fields=["person", "state"]),
            models.Index(fields=["state", "window_end"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.person_id} {self.due_date:%Y-%m-%d}"

    @property
    def kind_label(self) -> str:
        """`get_kind_display()` without rebuilding the choices on each call (a worklist shows
        200)."""
        return str(TaskKind(self.kind).label)

    def shown_state(self, today: datetime.date) -> str:
        """upcoming / due / overdue for an open task (by the day), else the stored state."""
        if self.state != TaskState.OPEN:
            return str(self.state)
        if today < self.window_start:
            return "upcoming"
        if today <= self.due_date:
            return "due"
        if today <= self.window_end:
            return "overdue"
        return str(TaskState.MISSED)


class TaskStateChange(AppendOnlyModel):
    """The history of a task's state, written by `followup.engine`: append-only, in the ORM
    and in the database (`core.appendonly`); the data generator's reset suspends the guard."""

    id = models.BigAutoField(primary_key=True)
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="history")
    at = models.DateTimeField(_("when"), auto_now_add=True)
    day = models.DateField(_("day"))
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12)
    visit = models.ForeignKey(
        "followup.Visit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["task", "id"]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.from_state or '∅'} → {self.to_state}"

    @property
    def to_label(self) -> str:
        return str(STATE_LABELS.get(self.to_state, self.to_state))


class Visit(BaseModel):
    """A CHW's home visit to a household: who was seen, what was measured, taught, decided.

    `fingerprint` is a hash of what the device sent: the same id again with the same content is
    a replay (nothing changes), with other content a conflict."""

    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    chw = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("CHW"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("date"))
    people = models.ManyToManyField(
        "registry.Person", verbose_name=_("people seen"), related_name="visits"
    )
    notes = models.TextField(_("notes"), blank=True)
    fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    made_at = made_at_field()

    class Meta:
        ordering = ["-date", "-created_at"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        indexes = [models.Index(fields=["household", "date"]), models.Index(fields=["date"])]

    def __str__(self) -> str:
        return f"{self.household} {self.date:%Y-%m-%d}"


class MuacBand(models.TextChoices):
    RED = "red", _("red (< 115 mm)")
    YELLOW = "yellow", _("yellow (115-124 mm)")
    GREEN = "green", _("green (≥ 125 mm)")


# The band's colour alone, for a badge beside the measurement (which already gives the mm).
MUAC_BAND_COLOURS: dict[str, object] = {
    MuacBand.RED: pgettext_lazy("MUAC band", "red"),
    MuacBand.YELLOW: pgettext_lazy("MUAC band", "yellow"),
    MuacBand.GREEN: pgettext_lazy("MUAC band", "green"),
}


class ChildAssessment(BaseModel):
    """What a CHW measured and checked for one child at a visit, with the z-scores computed
    against the WHO Child Growth Standards (empty when they cannot be computed)."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="children")
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="child_assessments"
    )
    age_days = models.PositiveIntegerField(_("age in days"), null=True, blank=True)
    weight_kg = models.DecimalField(
        _("weight (kg)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    height_cm = models.DecimalField(
        _("length or height (cm)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    measured_lying = models.BooleanField(_("measured lying down"), default=True)
    muac_mm = models.PositiveSmallIntegerField(_("MUAC (mm)"), null=True, blank=True)
    muac_band = models.CharField(_("MUAC band"), max_length=8, choices=MuacBand.choices, blank=True)
    oedema = models.BooleanField(_("bilateral oedema"), default=False)
    waz = models.DecimalField(
        _("weight-for-age z"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    haz = models.DecimalField(
        _("length/height-for-age z"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    whz = models.DecimalField(
        _("weight-for-length/height z"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    danger_signs = models.JSONField(_("danger signs"), default=list, blank=True)
    vaccines = models.JSONField(_("vaccines on the card"), default=list, blank=True)
    vaccines_missing = models.JSONField(_("vaccines missing for the age"), default=list, blank=True)
    # An implausible change against the last measurement (followup.plausibility), measured
    # again and confirmed by the CHW: the message, shown to the supervisor. Empty: none.
    flag = models.CharField(
        _("implausible change, confirmed"), max_length=400, blank=True, default="", db_default=""
    )

    class Meta:
        ordering = ["visit__date"]
        verbose_name = _("child check")
        verbose_name_plural = _("child checks")
        constraints = [
            models.UniqueConstraint(fields=["visit", "person"], name="child_check_once_a_visit"),
            models.CheckConstraint(
                condition=Q(muac_mm__isnull=True) | Q(muac_mm__gte=50, muac_mm__lte=300),
                name="child_check_muac_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.visit_id}"

    def muac_colour(self) -> str:
        """The band's colour in the reader's language ("jaune"), for a badge."""
        return str(MUAC_BAND_COLOURS.get(self.muac_band, self.get_muac_band_display()))

    def danger_sign_labels(self) -> list[str]:
        """The danger signs as a person reads them (the stored codes are English words)."""
        from jigiya.followup.signs import CHILD_DANGER_SIGNS

        return [str(CHILD_DANGER_SIGNS.get(code, code)) for code in self.danger_signs]

    def vaccines_missing_labels(self) -> list[str]:
        """The missing vaccines by their names on the vaccination card, not their codes."""
        from jigiya.followup.schedules import VACCINES

        names = {code: label for code, label, _age in VACCINES}
        return [str(names.get(code, code)) for code in self.vaccines_missing]


class BirthPlan(models.TextChoices):
    THIS_CSCOM = "this_cscom", _("This CSCom")
    OTHER_FACILITY = "other_facility", _("Another health facility")
    HOME = "home", _("Home")
    UNDECIDED = "undecided", _("Not decided")


class PregnancyCheck(BaseModel):
    """What a CHW asked and checked for a pregnant woman at a visit."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="pregnancy_checks")
    pregnancy = models.ForeignKey(
        "registry.Pregnancy", on_delete=models.PROTECT, related_name="checks"
    )
    gestational_weeks = models.PositiveSmallIntegerField(_("gestational age (weeks)"))
    anc_since_last_visit = models.BooleanField(_("ANC since the last visit"), default=False)
    danger_signs = models.JSONField(_("danger signs"), default=list, blank=True)
    birth_plan = models.CharField(
        _("birth plan"), max_length=16, choices=BirthPlan.choices, default=BirthPlan.UNDECIDED
    )

    class Meta:
        ordering = ["visit__date"]
        verbose_name = _("pregnancy check")
        verbose_name_plural = _("pregnancy checks")
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "pregnancy"], name="pregnancy_check_once_a_visit"
            )
        ]

    def __str__(self) -> str:
        return f"{self.pregnancy_id} {self.visit_id}"

    def danger_sign_labels(self) -> list[str]:
        """The danger signs as a person reads them (the stored codes are English words)."""
        from jigiya.followup.signs import PREGNANCY_DANGER_SIGNS

        return [str(PREGNANCY_DANGER_SIGNS.get(code, code)) for code in self.danger_signs]


class EducationTopic(models.TextChoices):
    NUTRITION = "nutrition", _("Nutrition")
    HYGIENE = "hygiene", _("Hygiene and handwashing with soap")
    BUDGETING = "budgeting", _("Household budgeting")
    OTHER = "other", _("Other")


class EducationSession(BaseModel):
    """A topic taught at a visit, and who of the household attended."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="education")
    topic = models.CharField(_("topic"), max_length=16, choices=EducationTopic.choices)
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    attendees = models.ManyToManyField(
        "registry.Person", verbose_name=_("attended"), related_name="+"
    )

    class Meta:
        ordering = ["topic"]
        verbose_name = _("education session")
        verbose_name_plural = _("education sessions")
        constraints = [
            models.UniqueConstraint(fields=["visit", "topic"], name="education_topic_once_a_visit")
        ]

    def __str__(self) -> str:
        return f"{self.get_topic_display()} {self.visit_id}"


class Urgency(models.TextChoices):
    URGENT = "urgent", _("Urgent (go today)")
    ROUTINE = "routine", _("Routine (within a few days)")


class ReferralStatus(models.TextChoices):
    OPEN = "open", _("waiting for the outcome")
    SEEN = "seen", _("seen at the health center")
    NOT_SEEN = "not_seen", _("did not go")


class ClosedVia(models.TextChoices):
    HEALTH_CENTER = "health_center", _("the health center")
    FOLLOWUP_VISIT = "followup_visit", _("the follow-up visit")


class Referral(BaseModel):
    """A person sent to a health center, and the outcome loop: seen or not, by whom, what was
    done — closed by the health center's staff or by the CHW's follow-up visit."""

    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    visit = models.ForeignKey(
        Visit, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    health_center = models.ForeignKey(
        "places.HealthCenter",
        verbose_name=_("health center"),
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    referred_on = models.DateField(_("referred on"))
    reasons = models.JSONField(_("reasons"), default=list)
    reason_text = models.CharField(_("reason"), max_length=300, blank=True)
    urgency = models.CharField(_("urgency"), max_length=8, choices=Urgency.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.OPEN
    )
    seen_on = models.DateField(_("seen on"), null=True, blank=True)
    seen_by = models.CharField(_("seen by"), max_length=120, blank=True)
    action_taken = models.CharField(_("what was done"), max_length=300, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_via = models.CharField(
        _("closed by"), max_length=16, choices=ClosedVia.choices, blank=True
    )
    made_at = made_at_field()

    class Meta:
        ordering = ["-referred_on"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="open") & Q(closed_on__isnull=True))
                | (~Q(status="open") & Q(closed_on__isnull=False)),
                name="referral_closed_has_date",
            )
        ]
        indexes = [
            models.Index(fields=["status", "referred_on"]),
            models.Index(fields=["referred_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.health_center_id} {self.referred_on:%Y-%m-%d}"
