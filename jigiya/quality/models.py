"""Tables of the quality program: scorecard instruments and assessments, exit interviews,
return to deliver reported by health centers, and the QI program (team, coach, sessions,
projects, PDSA cycles, progress scores, handover). Rules live in the services (README.md)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jigiya.core.models import BaseModel
from jigiya.places.models import HealthCenter


class Scale(models.TextChoices):
    YES_NO = "yes_no", _("yes / no")
    ZERO_THREE = "zero_three", _("0 to 3")
    PERCENT = "percent", _("percentage")


# The highest value of each scale (the lowest is 0).
SCALE_MAX = {Scale.YES_NO: 1, Scale.ZERO_THREE: 3, Scale.PERCENT: 100}
# Points are counted in 1/300ths of a criterion's weight, so every scale gives whole numbers:
# a value v on a scale of maximum m earns weight * v * (300 / m) points.
POINTS_PER_WEIGHT = 300


class Prefill(models.TextChoices):
    """Records the platform already keeps that answer a criterion."""

    NONE = "", _("none")
    ASSEMBLY_12M = "assembly_12m", _("general assembly in the last 12 months")
    BOARD_TERM = "board_term", _("board within its term")
    BOARD_WOMEN = "board_women", _("women's share of the board")


class Instrument(BaseModel):
    """A scorecard (e.g. transparency and accountability), in versions."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=160)

    class Meta:
        ordering = ["name"]
        verbose_name = _("scorecard instrument")
        verbose_name_plural = _("scorecard instruments")

    def __str__(self) -> str:
        return self.name


class InstrumentVersion(BaseModel):
    """One version of an instrument: its domains and criteria. A version used by an assessment
    is frozen; changing it makes the next version (services)."""

    instrument = models.ForeignKey(
        Instrument, verbose_name=_("instrument"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    valid_from = models.DateField(_("valid from"))

    class Meta:
        ordering = ["instrument", "-number"]
        verbose_name = _("instrument version")
        verbose_name_plural = _("instrument versions")
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "number"], name="quality_version_unique_number"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="quality_version_from_one"),
        ]

    def __str__(self) -> str:
        return f"{self.instrument} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("quality:version") + f"?version={self.number}"


class Domain(BaseModel):
    version = models.ForeignKey(
        InstrumentVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="domains",
    )
    name = models.CharField(_("name"), max_length=160)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["version", "position"]
        verbose_name = _("domain")
        verbose_name_plural = _("domains")

    def __str__(self) -> str:
        return self.name


class Criterion(BaseModel):
    """What an assessor scores: a statement on a scale, with a weight in the total.

    `key` stays the same across versions (to compare a criterion over time)."""

    version = models.ForeignKey(
        InstrumentVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="criteria",
    )
    domain = models.ForeignKey(
        Domain, verbose_name=_("domain"), on_delete=models.CASCADE, related_name="criteria"
    )
    key = models.SlugField(_("key"), max_length=40)
    text = models.CharField(_("criterion"), max_length=240)
    scale = models.CharField(_("scale"), max_length=12, choices=Scale.choices)
    weight = models.PositiveSmallIntegerField(_("weight"))
    prefill = models.CharField(
        _("pre-filled from"), max_length=16, choices=Prefill.choices, blank=True, default=""
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["version", "position"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="quality_criterion_unique_key"),
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=100), name="quality_criterion_weight_range"
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def maximum(self) -> int:
        return SCALE_MAX[Scale(self.scale)]


class Party(models.TextChoices):
    """Who scores: the NGO's assessors (ranked), or, in a community score card round, the
    community and the health center's providers, each on their own."""

    ASSESSORS = "assessors", _("Assessors (ranked)")
    COMMUNITY = "community", _("Community")
    PROVIDERS = "providers", _("Providers")


class Assessment(BaseModel):
    """A scorecard filled in for a health center and its ASACO on a date by named assessors.

    `points` and `max_points` are the weighted total (see README): the score is
    100 * points / max_points, kept only when every criterion of the version is answered."""

    health_center = models.ForeignKey(
        HealthCenter,
        verbose_name=_("health center"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    version = models.ForeignKey(
        InstrumentVersion,
        verbose_name=_("instrument version"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    assessed_on = models.DateField(_("date"))
    assessors = models.CharField(_("assessors"), max_length=240)
    party = models.CharField(
        _("scored by"), max_length=10, choices=Party.choices, default=Party.ASSESSORS
    )
    complete = models.BooleanField(_("complete"), default=False)
    points = models.PositiveIntegerField(_("points"), default=0)
    max_points = models.PositiveIntegerField(_("maximum points"), default=0)
    fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-assessed_on"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["health_center", "version", "assessed_on", "party"],
                name="quality_assessment_one_per_day_and_party",
            ),
            models.CheckConstraint(
                condition=Q(points__lte=models.F("max_points")),
                name="quality_assessment_points_within_max",
            ),
        ]
        indexes = [models.Index(fields=["complete", "assessed_on"])]

    def __str__(self) -> str:
        return f"{self.health_center} {self.assessed_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("quality:assessment", args=[self.pk])

    @property
    def score(self) -> float | None:
        """The total on 0 to 100, rounded to one decimal; None while incomplete."""
        if not self.complete or not self.max_points:
            return None
        return round(100 * self.points / self.max_points, 1)


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class ActionItem(BaseModel):
    """An item of the action plan the community and the providers agree at a score card round,
    followed (its status) until the next round."""

    health_center = models.ForeignKey(
        HealthCenter,
        verbose_name=_("health center"),
        on_delete=models.PROTECT,
        related_name="action_items",
    )
    agreed_on = models.DateField(_("agreed on"))
    text = models.CharField(_("action"), max_length=240)
    owner = models.CharField(_("owner"), max_length=120)
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )

    class Meta:
        ordering = ["-agreed_on", "due_on"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("agreed_on")), name="quality_action_due_after"
            )
        ]

    def __str__(self) -> str:
        return self.text


class Answer(BaseModel):
    """The score and evidence of one criterion in one assessment."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="answers"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="+"
    )
    value = models.PositiveSmallIntegerField(_("score"))
    evidence = models.CharField(_("evidence"), max_length=500, blank=True)
    # Where a pre-filled answer came from (a page of the platform).
    source_url = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["criterion__position"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="quality_answer_once_per_criterion"
            ),
            models.CheckConstraint(condition=Q(value__lte=100), name="quality_answer_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


class Choice(models.TextChoices):
    """The fixed answers of every exit-interview item."""

    SATISFIED = "satisfied", _("Satisfied")
    PARTLY = "partly", _("Partly satisfied")
    DISSATISFIED = "dissatisfied", _("Not satisfied")
    NOT_APPLICABLE = "na", _("Does not apply")


# The items of the exit interview, in the order they are asked.
ITEMS = [
    ("waiting_time", _("Waiting time")),
    ("explanation", _("Explanation of the illness and treatment")),
    ("respect", _("Respect from the staff")),
    ("privacy", _("Privacy")),
    ("cleanliness", _("Cleanliness")),
    ("medicines", _("Medicines available")),
    ("cost", _("Cost")),
    ("overall", _("Overall")),
]
ITEM_KEYS = [key for key, _label in ITEMS]


def _choice_field(label: object) -> models.CharField:
    return models.CharField(label, max_length=12, choices=Choice.choices)  # type: ignore[arg-type]


class ExitInterview(BaseModel):
    """One patient's answers, asked on leaving the CSCom."""

    health_center = models.ForeignKey(
        HealthCenter,
        verbose_name=_("health center"),
        on_delete=models.PROTECT,
        related_name="exit_interviews",
    )
    interviewed_on = models.DateField(_("date"))
    waiting_time = _choice_field(_("Waiting time"))
    explanation = _choice_field(_("Explanation of the illness and treatment"))
    respect = _choice_field(_("Respect from the staff"))
    privacy = _choice_field(_("Privacy"))
    cleanliness = _choice_field(_("Cleanliness"))
    medicines = _choice_field(_("Medicines available"))
    cost = _choice_field(_("Cost"))
    overall = models.CharField(
        _("Overall"),
        max_length=12,
        choices=[c for c in Choice.choices if c[0] != Choice.NOT_APPLICABLE],
    )

    class Meta:
        ordering = ["-interviewed_on"]
        verbose_name = _("exit interview")
        verbose_name_plural = _("exit interviews")
        indexes = [models.Index(fields=["health_center", "interviewed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(overall__in=["satisfied", "partly", "dissatisfied"]),
                name="quality_interview_overall_choice",
            )
        ]

    def __str__(self) -> str:
        return f"{self.health_center} {self.interviewed_on:%Y-%m-%d}"


class ReportedReturn(BaseModel):
    """Return to deliver as a health center reports it for a month (no follow-up records)."""

    health_center = models.ForeignKey(
        HealthCenter,
        verbose_name=_("health center"),
        on_delete=models.PROTECT,
        related_name="reported_returns",
    )
    month = models.DateField(_("month"))
    returned = models.PositiveIntegerField(_("women who came back to deliver"))
    followed = models.PositiveIntegerField(_("women followed in pregnancy, due in the month"))

    class Meta:
        ordering = ["-month"]
        verbose_name = _("reported return to deliver")
        verbose_name_plural = _("reported returns to deliver")
        constraints = [
            models.UniqueConstraint(
                fields=["health_center", "month"], name="quality_reported_return_one_per_month"
            ),
            models.CheckConstraint(
                condition=Q(returned__lte=models.F("followed")),
                name="quality_reported_return_within_followed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.health_center} {self.month:%Y-%m}"


class TeamRole(models.TextChoices):
    LEAD = "lead", _("Team lead")
    DATA = "data", _("Data manager")
    MEMBER = "member", _("Member")
    ASACO = "asaco", _("ASACO representative")


class TeamMember(BaseModel):
    health_center = models.ForeignKey(
        HealthCenter,
        verbose_name=_("health center"),
        on_delete=models.PROTECT,
        related_name="qi_team",
    )
    full_name = models.CharField(_("full name"), max_length=120)
    role = models.CharField(_("role"), max_length=12, choices=TeamRole.choices)
    since = models.DateField(_("since"))

    class Meta:
        ordering = ["role", "full_name"]
        verbose_name = _("QI team member")
        verbose_name_plural = _("QI team members")

    def __str__(self) -> str:
        return self.full_name


class CoachAssignment(BaseModel):
    health_center = models.ForeignKey(
        HealthCenter,
        verbose_name=_("health center"),
        on_delete=models.PROTECT,
        related_name="coaches",
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coach"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    since = models.DateField(_("since"))

    class Meta:
        ordering = ["-since"]
        verbose_name = _("coach assignment")
        verbose_name_plural = _("coach assignments")

    def __str__(self) -> str:
        return f"{self.coach} → {self.health_center}"


class CoachingSession(BaseModel):
    health_center = models.ForeignKey(
        HealthCenter,
        verbose_name=_("health center"),
        on_delete=models.PROTECT,
        related_name="coaching_sessions",
    )
    held_on = models.DateField(_("date"))
    topics = models.CharField(_("topics"), max_length=240)
    attendance = models.PositiveSmallIntegerField(_("attendance"))
    notes = models.TextField(_("notes"), blank=True)
    next_steps = models.TextField(_("agreed next steps"), blank=True)

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("coaching session")
        verbose_name_plural = _("coaching sessions")

    def __str__(self) -> str:
        return f"{self.health_center} {self.held_on:%Y-%m-%d}"


class Project(BaseModel):
    """An improvement project of a CSCom's QI team."""

    health_center = models.ForeignKey(
        HealthCenter,
        verbose_name=_("health center"),
        on_delete=models.PROTECT,
        related_name="qi_projects",
    )
    title = models.CharField(_("title"), max_length=160)
    aim = models.CharField(_("aim"), max_length=400)
    change_ideas = models.TextField(_("change ideas"), blank=True)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        ordering = ["-started_on"]
        verbose_name = _("improvement project")
        verbose_name_plural = _("improvement projects")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="quality_project_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("quality:project", args=[self.pk])


class MeasureKind(models.TextChoices):
    OUTCOME = "outcome", _("Outcome")
    PROCESS = "process", _("Process")
    BALANCING = "balancing", _("Balancing")


class Measure(BaseModel):
    """A measure of a project, read from an indicator of the catalog at the health center."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="measures"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=MeasureKind.choices)
    indicator_code = models.CharField(_("indicator"), max_length=64)

    class Meta:
        ordering = ["kind", "indicator_code"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")

    def __str__(self) -> str:
        return self.indicator_code


class Act(models.TextChoices):
    ADOPT = "adopt", _("Adopt")
    ADAPT = "adapt", _("Adapt")
    ABANDON = "abandon", _("Abandon")


class PdsaCycle(BaseModel):
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="cycles"
    )
    started_on = models.DateField(_("started on"))
    plan = models.TextField(_("plan"))
    prediction = models.TextField(_("prediction"))
    happened = models.TextField(_("what happened"), blank=True)
    study = models.TextField(_("study"), blank=True)
    act = models.CharField(_("act"), max_length=8, choices=Act.choices, blank=True)

    class Meta:
        ordering = ["started_on"]
        verbose_name = _("PDSA cycle")
        verbose_name_plural = _("PDSA cycles")

    def __str__(self) -> str:
        return f"{self.project} {self.started_on:%Y-%m-%d}"


class ProgressScore(BaseModel):
    """A project's progress on the 0.5 to 5.0 scale of QI collaboratives, on a date; the rows of a
    project are its history."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="scores"
    )
    scored_on = models.DateField(_("date"))
    # Tenths of a point: 5 (0.5) to 50 (5.0), by halves.
    tenths = models.PositiveSmallIntegerField(_("score"))
    note = models.CharField(_("note"), max_length=240, blank=True)

    class Meta:
        ordering = ["scored_on"]
        verbose_name = _("progress score")
        verbose_name_plural = _("progress scores")
        constraints = [
            models.CheckConstraint(
                condition=Q(tenths__gte=5, tenths__lte=50), name="quality_progress_score_range"
            ),
            models.UniqueConstraint(
                fields=["project", "scored_on"], name="quality_progress_score_one_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.score}"

    @property
    def score(self) -> float:
        return self.tenths / 10


class Stage(models.TextChoices):
    COACH_LED = "coach_led", _("Coach-led")
    CO_LED = "co_led", _("Co-led")
    TEAM_LED = "team_led", _("Team-led")
    HANDED_OVER = "handed_over", _("Handed over")


STAGES = list(Stage)


class HandoverStep(BaseModel):
    """A CSCom reaching a stage of the handover, with the criteria met and the date."""

    health_center = models.ForeignKey(
        HealthCenter,
        verbose_name=_("health center"),
        on_delete=models.PROTECT,
        related_name="handover",
    )
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices)
    reached_on = models.DateField(_("date"))
    criteria_met = models.JSONField(_("criteria met"), default=list, blank=True)

    class Meta:
        ordering = ["reached_on"]
        verbose_name = _("handover step")
        verbose_name_plural = _("handover steps")
        constraints = [
            models.UniqueConstraint(
                fields=["health_center", "stage"], name="quality_handover_stage_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.health_center}: {self.get_stage_display()}"
