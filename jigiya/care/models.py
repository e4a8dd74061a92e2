"""Free and subsidized care: schemes, coverage decisions, care lines and claims, budgets and the
payments ledger. No workflow here: the services (`coverage.py`, `claims.py`, `payments.py`,
`uploads.py`) are the only writers."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jigiya.core.appendonly import AppendOnlyModel
from jigiya.core.models import BaseModel

# Days after a delivery during which a woman stays eligible (postpartum).
POSTPARTUM_DAYS = 42
# A child is eligible until the day before her fifth birthday.
CHILD_YEARS = 5
# A care line follows a referral to the same health center made at most this many days before.
REFERRAL_WINDOW_DAYS = 30
# Alerts on a budget: at these percentages of its amount (consumed + committed).
ALERT_PERCENTS = (80, 100)


class Service(models.TextChoices):
    CONSULTATION = "consultation", _("Consultation")
    MEDICINES = "medicines", _("Medicines")
    TESTS = "tests", _("Laboratory tests")
    DELIVERY = "delivery", _("Delivery")
    ANTENATAL = "antenatal", _("Antenatal care")
    TRANSPORT = "transport", _("Referral transport")
    HOSPITALIZATION = "hospitalization", _("Hospitalization")


class Level(models.TextChoices):
    """The least-access decision a household needs for a scheme (`registry.LeastAccessDecision`):
    a free scheme takes households assessed *free*, a subsidized one *free* or *subsidized*."""

    FREE = "free", _("Free care")
    SUBSIDIZED = "subsidized", _("Subsidized care")


class Scheme(BaseModel):
    """Who is covered, for what, how much, where and when, paid by which donor funding."""

    name = models.CharField(_("name"), max_length=160)
    place = models.ForeignKey(
        "places.Place", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(_("households"), max_length=16, choices=Level.choices)
    covers_children = models.BooleanField(_("children under five"), default=True)
    covers_pregnancies = models.BooleanField(
        _("pregnant women and up to 42 days after delivery"), default=True
    )
    services = models.JSONField(_("services covered"), default=list)
    percent = models.PositiveSmallIntegerField(_("part covered (%)"), default=100)
    ceiling = models.PositiveBigIntegerField(_("ceiling per episode (FCFA)"), null=True, blank=True)
    health_centers = models.ManyToManyField(
        "places.HealthCenter", verbose_name=_("health centers"), related_name="+"
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    funding = models.ForeignKey(
        "donors.Funding", verbose_name=_("funding"), on_delete=models.PROTECT, related_name="+"
    )
    # Set when the scheme is closed (`scheme_close`): why it ends on `valid_until`.
    closed_reason = models.CharField(_("why it was closed"), max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("coverage scheme")
        verbose_name_plural = _("coverage schemes")
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__gte=1, percent__lte=100), name="care_scheme_percent_1_100"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="care_scheme_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(covers_children=True) | Q(covers_pregnancies=True),
                name="care_scheme_covers_someone",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("care:scheme", args=[self.pk])


class ExitReason(models.TextChoices):
    REACHED_FIVE = "reached_five", _("Child reached five")
    POSTPARTUM_ENDED = "postpartum_ended", _("42 days after delivery passed")
    REASSESSED = "reassessed", _("Household no longer qualifies")
    MOVED = "moved", _("Moved away")
    DIED = "died", _("Died")
    SCHEME_ENDED = "scheme_ended", _("Scheme ended")
    OTHER = "other", _("Other")


class Coverage(BaseModel):
    """A coverage decision: a person covered by a scheme from `start` to `end` (open while
    empty), why, and how it ended. A renewal is a new decision pointing at the one it renews."""

    person = models.ForeignKey(
        "registry.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    scheme = models.ForeignKey(
        Scheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="coverages"
    )
    assessment = models.ForeignKey(
        "registry.LeastAccessAssessment",
        verbose_name=_("assessment"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=300)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)
    exit_reason = models.CharField(
        _("exit reason"), max_length=20, choices=ExitReason.choices, blank=True
    )
    renews = models.OneToOneField(
        "self",
        verbose_name=_("renews"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewed_by",
    )

    class Meta:
        ordering = ["-start"]
        verbose_name = _("coverage decision")
        verbose_name_plural = _("coverage decisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="care_coverage_end_after_start",
            ),
            models.UniqueConstraint(
                fields=["person", "scheme"],
                condition=Q(end__isnull=True),
                name="care_coverage_one_open_per_scheme",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.scheme}"

    def covers(self, day: Any) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


class ClaimStatus(models.TextChoices):
    OPEN = "open", _("open")
    HELD = "held", _("over budget: waiting for a second approval")
    APPROVED = "approved", _("approved")
    PAID = "paid", _("paid")
    CLOSED = "closed", _("closed")


class Claim(BaseModel):
    """What one health center claims for one month: its care lines, approved, paid, closed."""

    health_center = models.ForeignKey(
        "places.HealthCenter",
        verbose_name=_("health center"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    month = models.DateField(_("month"))  # its first day
    status = models.CharField(
        _("status"), max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.OPEN
    )
    approved_amount = models.PositiveBigIntegerField(_("approved (FCFA)"), default=0)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    second_approval_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("second approval by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        ordering = ["-month", "health_center"]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        constraints = [
            models.UniqueConstraint(
                fields=["health_center", "month"], name="care_claim_one_per_center_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.health_center} {self.month:%Y-%m}"

    def get_absolute_url(self) -> str:
        return reverse("care:claim", args=[self.pk])


class LineStatus(models.TextChoices):
    PENDING = "pending", _("waiting for verification")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")


class EligibleAs(models.TextChoices):
    CHILD = "child", _("Child under five")
    PREGNANCY = "pregnancy", _("Pregnant or recently delivered woman")


class CareLine(BaseModel):
    """One episode of care a health center gave a person, and what the scheme covers of it."""

    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.PROTECT, related_name="lines"
    )
    person = models.ForeignKey(
        "registry.Person", verbose_name=_("beneficiary"), on_delete=models.PROTECT, related_name="+"
    )
    coverage = models.ForeignKey(
        Coverage, verbose_name=_("coverage"), on_delete=models.PROTECT, related_name="lines"
    )
    referral = models.ForeignKey(
        "followup.Referral",
        verbose_name=_("referral"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    day = models.DateField(_("date of care"))
    # Why she was eligible that day (the indicators count children's and women's care apart).
    eligible_as = models.CharField(_("eligible as"), max_length=10, choices=EligibleAs.choices)
    service = models.CharField(_("service"), max_length=20, choices=Service.choices)
    amount = models.PositiveBigIntegerField(_("amount (FCFA)"))
    covered = models.PositiveBigIntegerField(_("covered (FCFA)"))
    status = models.CharField(
        _("status"), max_length=10, choices=LineStatus.choices, default=LineStatus.PENDING
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    row = models.PositiveIntegerField(_("row of the upload"), null=True, blank=True)

    class Meta:
        ordering = ["day", "created_at"]
        verbose_name = _("care line")
        verbose_name_plural = _("care lines")
        constraints = [
            # Not paid twice: one line a person, day and service (a rejected one aside).
            models.UniqueConstraint(
                fields=["person", "day", "service"],
                condition=~Q(status="rejected"),
                name="care_line_no_duplicate",
            ),
            models.CheckConstraint(
                condition=Q(covered__lte=models.F("amount")), name="care_line_covered_in_amount"
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(reason=""), name="care_line_rejected_reason"
            ),
        ]
        indexes = [models.Index(fields=["claim", "status"]), models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"{self.person} {self.day:%Y-%m-%d} {self.get_service_display()}"


class OverBudget(models.TextChoices):
    REFUSE = "refuse", _("refuse the claim")
    SECOND_APPROVAL = "second_approval", _("require a second approval")


class Budget(BaseModel):
    """What a scheme may pay one health center over a period."""

    health_center = models.ForeignKey(
        "places.HealthCenter",
        verbose_name=_("health center"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    scheme = models.ForeignKey(
        Scheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="budgets"
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    amount = models.PositiveBigIntegerField(_("amount (FCFA)"))
    over_budget = models.CharField(
        _("above 100 %"), max_length=16, choices=OverBudget.choices, default=OverBudget.REFUSE
    )

    class Meta:
        ordering = ["-start"]
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="care_budget_dates_in_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scheme} · {self.health_center} {self.start:%Y-%m-%d}"


class BudgetAlert(BaseModel):
    """A budget crossed 80 % or 100 % (consumed + committed) when a claim was approved, or when
    the budget was lowered under what is used. Once per threshold while armed: a budget change
    that brings the use back under the threshold re-arms it (`cleared_by`), and crossing it
    again raises a new alert."""

    budget = models.ForeignKey(
        Budget, verbose_name=_("budget"), on_delete=models.PROTECT, related_name="alerts"
    )
    percent = models.PositiveSmallIntegerField(_("threshold (%)"))
    # What crossed it: a claim approved, or a change that lowered the budget.
    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.PROTECT, related_name="+", null=True,
        blank=True,
    )  # fmt: skip
    lowered_by = models.ForeignKey(
        "BudgetRevision", verbose_name=_("lowered by"), on_delete=models.PROTECT,
        related_name="raised", null=True, blank=True,
    )  # fmt: skip
    used = models.PositiveBigIntegerField(_("used (FCFA)"))
    # The budget's amount when the threshold was crossed (the budget may be changed since).
    budget_amount = models.PositiveBigIntegerField(_("budget (FCFA)"))
    cleared_by = models.ForeignKey(
        "BudgetRevision",
        verbose_name=_("re-armed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cleared",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("budget alert")
        verbose_name_plural = _("budget alerts")
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "percent"],
                condition=Q(cleared_by__isnull=True),
                name="care_alert_once_while_armed",
            ),
            models.CheckConstraint(
                condition=Q(claim__isnull=False, lowered_by__isnull=True)
                | Q(claim__isnull=True, lowered_by__isnull=False),
                name="care_alert_claim_or_change",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.budget} {self.percent} %"


class BudgetRevision(BaseModel):
    """One change to a budget (`budget_edit`): what it was, what it became, why. The budget
    row holds the figures in force; its revisions are its history."""

    budget = models.ForeignKey(
        Budget, verbose_name=_("budget"), on_delete=models.PROTECT, related_name="revisions"
    )
    amount_before = models.PositiveBigIntegerField(_("amount before (FCFA)"))
    amount = models.PositiveBigIntegerField(_("amount (FCFA)"))
    end_before = models.DateField(_("end before"))
    end = models.DateField(_("end"))
    over_budget_before = models.CharField(
        _("above 100 % before"), max_length=16, choices=OverBudget.choices
    )
    over_budget = models.CharField(_("above 100 %"), max_length=16, choices=OverBudget.choices)
    reason = models.CharField(_("reason"), max_length=300)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("budget revision")
        verbose_name_plural = _("budget revisions")

    def __str__(self) -> str:
        return f"{self.budget}: {self.amount_before} → {self.amount}"


class BudgetNotice(BaseModel):
    """A budget alert delivered to one person who pays the health center's claims (in-app: the
    header's "Alerts" and `/care/alerts/`), read or not. One per alert and person."""

    alert = models.ForeignKey(
        BudgetAlert, verbose_name=_("alert"), on_delete=models.PROTECT, related_name="notices"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("budget alert notice")
        verbose_name_plural = _("budget alert notices")
        constraints = [
            models.UniqueConstraint(fields=["alert", "user"], name="care_notice_once_per_user")
        ]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return f"{self.alert} → {self.user}"


class Method(models.TextChoices):
    CASH = "cash", _("Cash")
    BANK = "bank", _("Bank transfer")
    ORANGE_MONEY = "orange_money", _("Orange Money")
    MOOV_MONEY = "moov_money", _("Moov Money")


class EntryKind(models.TextChoices):
    PAYMENT = "payment", _("payment")
    REVERSAL = "reversal", _("reversal")


class PaymentEntry(AppendOnlyModel):
    """One entry of a health center's payments ledger: a claim paid (a positive amount) or a
    payment reversed (negative, pointing at it). Append-only and hash-chained (`ledger.py`)."""

    id = models.UUIDField(primary_key=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    health_center = models.ForeignKey(
        "places.HealthCenter",
        verbose_name=_("health center"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    seq = models.PositiveIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=10, choices=EntryKind.choices)
    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.PROTECT, related_name="payments"
    )
    on = models.DateField(_("paid on"))
    amount = models.BigIntegerField(_("amount (FCFA)"))
    method = models.CharField(_("method"), max_length=16, choices=Method.choices)
    reference = models.CharField(_("reference"), max_length=64, blank=True)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
    )
    memo = models.CharField(_("note"), max_length=200, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["health_center", "seq"]
        verbose_name = _("payment entry")
        verbose_name_plural = _("payment entries")
        constraints = [
            models.UniqueConstraint(fields=["health_center", "seq"], name="care_entry_seq"),
            models.CheckConstraint(
                condition=(Q(kind="payment") & Q(amount__gt=0) & Q(reverses__isnull=True))
                | (Q(kind="reversal") & Q(amount__lt=0) & Q(reverses__isnull=False)),
                name="care_entry_kind_sign",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.get_kind_display()} {self.amount}"
