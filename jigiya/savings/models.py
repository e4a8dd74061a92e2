"""Health savings groups: groups, cycles with their constitution, members, meetings, loans, the
ledger and the share-out.

Money lives only in the ledger (`Entry` and its `EntryLine`s): balances, savings, what a loan
still owes are sums over lines, never stored totals. Only `savings.ledger` writes entries.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jigiya.core.appendonly import AppendOnlyModel
from jigiya.core.models import BaseModel, made_at_field


class GroupStatus(models.TextChoices):
    FORMING = "forming", _("Forming")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")


class Group(BaseModel):
    """A health savings group (VSLA) of one community. Its status history is in
    `GroupStatusChange`; `status`, `status_since` and `status_reason` repeat the latest change."""

    name = models.CharField(_("name"), max_length=120)
    community = models.ForeignKey(
        "places.Place",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="savings_groups",
        limit_choices_to={"kind": "community"},
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("facilitator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="savings_groups",
    )
    formed_on = models.DateField(_("formed on"))
    status = models.CharField(
        _("status"), max_length=16, choices=GroupStatus.choices, default=GroupStatus.FORMING
    )
    status_since = models.DateField(_("status since"))
    status_reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("savings group")
        verbose_name_plural = _("savings groups")
        constraints = [
            models.UniqueConstraint(
                fields=["community", "name"], name="savings_group_unique_name_in_community"
            ),
            models.CheckConstraint(
                condition=Q(status_since__gte=models.F("formed_on")),
                name="savings_group_status_after_formation",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("savings:group", args=[self.pk])


class GroupStatusChange(BaseModel):
    """One step of a group's life: formed, activated, suspended (why), resumed, closed."""

    group = models.ForeignKey(
        Group, verbose_name=_("group"), on_delete=models.PROTECT, related_name="status_changes"
    )
    status = models.CharField(_("status"), max_length=16, choices=GroupStatus.choices)
    on = models.DateField(_("from"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    # 1, 2, 3… per group: the order of changes made on one day.
    number = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["group", "number"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.group} {self.get_status_display()} {self.on:%Y-%m-%d}"


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    FORTNIGHTLY = "fortnightly", _("Fortnightly")
    MONTHLY = "monthly", _("Monthly")


class RemainderRule(models.TextChoices):
    HEALTH_FUND = "health_fund", _("Kept in the health fund")
    NEXT_CYCLE = "next_cycle", _("Kept in the loan fund for the next cycle")


class CycleStatus(models.TextChoices):
    OPEN = "open", _("Open")
    SHARED_OUT = "shared_out", _("Shared out")


class LoanLimitBasis(models.TextChoices):
    """What "at most N x her savings" bounds (VSLA rules: all she owes)."""

    ALL_OWED = "all_owed", _("All she owes (principal still owed + the new loan)")
    EACH_LOAN = "each_loan", _("Each loan on its own")


# The technical ceiling of one movement of money and of any account's balance in a group
# (1 000 000 000 000 FCFA): no setting or constitution goes above it, so sums over every group
# of the country stay far inside a 64-bit integer. The ceilings people set are in `limits`.
TECHNICAL_CEILING = 10**12


def validate_fines(value: Any) -> None:
    """The fines list: `[{"reason": "late", "amount": 100}, …]`, whole positive FCFA."""
    if not isinstance(value, list):
        raise ValidationError(_("The fines list must be a list."))
    for fine in value:
        if (
            not isinstance(fine, dict)
            or not str(fine.get("reason", "")).strip()
            or type(fine.get("amount")) is not int
            or fine["amount"] <= 0
        ):
            raise ValidationError(_("Each fine needs a reason and a whole positive amount."))


class Cycle(BaseModel):
    """One savings cycle (8-12 months) and its constitution, ended by a share-out."""

    group = models.ForeignKey(
        Group, verbose_name=_("group"), on_delete=models.PROTECT, related_name="cycles"
    )
    number = models.PositiveSmallIntegerField(_("cycle"))
    starts_on = models.DateField(_("starts on"))
    planned_end = models.DateField(_("planned end"))
    status = models.CharField(
        _("status"), max_length=16, choices=CycleStatus.choices, default=CycleStatus.OPEN
    )
    # The constitution of the cycle.
    frequency = models.CharField(
        _("meeting frequency"), max_length=16, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    share_price = models.PositiveIntegerField(
        _("share price (FCFA)"), validators=[MinValueValidator(1)]
    )
    max_shares = models.PositiveSmallIntegerField(
        _("maximum shares per meeting"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )
    health_contribution = models.PositiveIntegerField(
        _("health fund contribution per meeting (FCFA)"), default=0
    )
    interest_rate = models.DecimalField(
        _("loan interest per month (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("10"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    max_loan_multiple = models.PositiveSmallIntegerField(
        _("maximum loan (times the member's savings)"),
        default=3,
        validators=[MinValueValidator(1)],
    )
    max_term_months = models.PositiveSmallIntegerField(
        _("maximum loan term (months)"), default=3, validators=[MinValueValidator(1)]
    )
    fines = models.JSONField(_("fines"), default=list, blank=True, validators=[validate_fines])
    # Not a third box: an earmark of each payout for health care, shown on the share-out sheet
    # (the group's health box is the health fund, kept as its own cash). See the README.
    savings_split = models.BooleanField(
        _("part of each payout earmarked for health care (advice, not a separate box)"),
        default=False,
    )
    health_box_percent = models.PositiveSmallIntegerField(
        _("share of each payout earmarked for health care (%)"),
        default=0,
        validators=[MaxValueValidator(100)],
    )
    leaving_mid_cycle = models.BooleanField(
        _("a member may leave during the cycle (savings back, minus what she owes)"),
        default=True,
    )
    share_out_health_fund = models.BooleanField(
        _("the health fund is shared out too"), default=False
    )
    remainder_rule = models.CharField(
        _("rounding remainder of the share-out"),
        max_length=16,
        choices=RemainderRule.choices,
        default=RemainderRule.HEALTH_FUND,
    )
    loan_limit_basis = models.CharField(
        _("the maximum loan applies to"),
        max_length=16,
        choices=LoanLimitBasis.choices,
        default=LoanLimitBasis.ALL_OWED,
    )
    # Empty: the program's setting (`SAVINGS_MAX_MOVEMENT_FCFA`, `SAVINGS_APPROVAL_THRESHOLD_FCFA`).
    max_movement = models.PositiveBigIntegerField(
        _("ceiling of one movement of money (FCFA)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(TECHNICAL_CEILING)],
    )
    approval_threshold = models.PositiveBigIntegerField(
        _("a movement above this waits for a second officer (FCFA)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(TECHNICAL_CEILING)],
    )

    class Meta:
        ordering = ["group", "number"]
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")
        constraints = [
            models.UniqueConstraint(fields=["group", "number"], name="savings_cycle_number"),
            models.UniqueConstraint(
                fields=["group"],
                condition=Q(status="open"),
                name="savings_cycle_one_open_per_group",
            ),
            models.CheckConstraint(
                condition=Q(planned_end__gt=models.F("starts_on")),
                name="savings_cycle_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(savings_split=True) | Q(health_box_percent=0),
                name="savings_cycle_health_box_only_when_split",
            ),
            models.CheckConstraint(
                condition=(Q(max_movement__isnull=True) | Q(max_movement__lte=TECHNICAL_CEILING))
                & (
                    Q(approval_threshold__isnull=True)
                    | Q(approval_threshold__lte=TECHNICAL_CEILING)
                ),
                name="savings_cycle_ceilings_technical",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} · {_('cycle')} {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("savings:cycle", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == CycleStatus.OPEN

    def fine_amounts(self) -> dict[str, int]:
        return {str(fine["reason"]): int(fine["amount"]) for fine in self.fines}


class MemberRole(models.TextChoices):
    MEMBER = "member", _("Member")
    PRESIDENT = "president", _("President")
    TREASURER = "treasurer", _("Treasurer")
    SECRETARY = "secretary", _("Secretary")
    KEY_HOLDER = "key_holder", _("Key holder")
    MONEY_COUNTER = "money_counter", _("Money counter")


OFFICER_ROLES = {
    MemberRole.PRESIDENT,
    MemberRole.TREASURER,
    MemberRole.SECRETARY,
    MemberRole.KEY_HOLDER,
    MemberRole.MONEY_COUNTER,
}


class Membership(BaseModel):
    """A person of the registry in a group, from joining to leaving (kept after leaving)."""

    group = models.ForeignKey(
        Group, verbose_name=_("group"), on_delete=models.PROTECT, related_name="memberships"
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="savings_memberships",
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    role = models.CharField(
        _("role"), max_length=16, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    number = models.PositiveSmallIntegerField(_("member number"), default=0)

    class Meta:
        ordering = ["group", "number", "joined_on"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "person"],
                condition=Q(left_on__isnull=True),
                name="savings_membership_once_at_a_time",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="savings_membership_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return str(self.person)

    def get_absolute_url(self) -> str:
        return reverse("savings:passbook", args=[self.pk])

    def is_member_on(self, day: datetime.date) -> bool:
        return self.joined_on <= day and (self.left_on is None or self.left_on > day)

    @property
    def is_officer(self) -> bool:
        return self.role in OFFICER_ROLES


class Meeting(BaseModel):
    """One meeting of a group, recorded whole and sealed: what happened is in its ledger entries.

    `id` is the device's UUID; `fingerprint` is the hash of what was sent, so the same meeting
    sent twice is recognised and a different one under the same id is a conflict."""

    group = models.ForeignKey(
        Group, verbose_name=_("group"), on_delete=models.PROTECT, related_name="meetings"
    )
    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="meetings"
    )
    number = models.PositiveSmallIntegerField(_("meeting"))
    held_on = models.DateField(_("date"))
    fingerprint = models.CharField(max_length=64, editable=False)
    expected_loan_fund = models.BigIntegerField(_("expected loan fund cash"))
    expected_health_fund = models.BigIntegerField(_("expected health fund cash"))
    counted_loan_fund = models.BigIntegerField(_("loan fund cash counted"))
    counted_health_fund = models.BigIntegerField(_("health fund cash counted"))
    difference_note = models.TextField(_("note on the difference"), blank=True)
    confirmed_by = models.ForeignKey(
        Membership,
        verbose_name=_("difference confirmed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sealed_at = models.DateTimeField(_("sealed at"))
    made_at = made_at_field()

    class Meta:
        ordering = ["group", "-held_on"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(fields=["group", "held_on"], name="savings_meeting_one_a_day"),
            models.UniqueConstraint(fields=["cycle", "number"], name="savings_meeting_number"),
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.held_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("savings:meeting", args=[self.pk])

    @property
    def loan_fund_difference(self) -> int:
        return self.counted_loan_fund - self.expected_loan_fund

    @property
    def health_fund_difference(self) -> int:
        return self.counted_health_fund - self.expected_health_fund


class Presence(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    REPRESENTED = "represented", _("Represented")


class Attendance(models.Model):
    """A member's line of a meeting: whether she came and how many shares she bought (the
    money itself is in the ledger; `shares` is net of corrections and reads what the next
    meeting's page proposes)."""

    id = models.BigAutoField(primary_key=True)
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="attendance"
    )
    membership = models.ForeignKey(
        Membership, verbose_name=_("member"), on_delete=models.PROTECT, related_name="attendance"
    )
    presence = models.CharField(_("attendance"), max_length=12, choices=Presence.choices)
    shares = models.PositiveSmallIntegerField(_("shares bought"), default=0)

    class Meta:
        ordering = ["meeting", "membership__number"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "membership"], name="savings_attendance_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.membership_id} {self.presence}"


class LoanStatus(models.TextChoices):
    OPEN = "open", _("Open")
    WRITTEN_OFF = "written_off", _("Written off")


class Loan(BaseModel):
    """A loan from the loan fund. Interest is flat: `interest_rate` % of the principal per month
    of the term, fixed when disbursed (`interest_total`). What was repaid and what is still owed
    come from the ledger lines that name the loan."""

    group = models.ForeignKey(
        Group, verbose_name=_("group"), on_delete=models.PROTECT, related_name="loans"
    )
    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="loans"
    )
    membership = models.ForeignKey(
        Membership, verbose_name=_("borrower"), on_delete=models.PROTECT, related_name="loans"
    )
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="loans"
    )
    disbursed_on = models.DateField(_("disbursed on"))
    principal = models.PositiveBigIntegerField(_("principal"))
    interest_rate = models.DecimalField(_("interest per month (%)"), max_digits=5, decimal_places=2)
    term_months = models.PositiveSmallIntegerField(_("term (months)"))
    interest_total = models.PositiveBigIntegerField(_("interest"))
    purpose = models.CharField(_("purpose"), max_length=120, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=LoanStatus.choices, default=LoanStatus.OPEN
    )
    written_off_on = models.DateField(_("written off on"), null=True, blank=True)
    write_off_reason = models.CharField(_("reason"), max_length=200, blank=True)
    write_off_approved_by = models.ForeignKey(
        Membership,
        verbose_name=_("write-off approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["group", "disbursed_on"]
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        constraints = [
            models.CheckConstraint(condition=Q(principal__gt=0), name="savings_loan_positive"),
            models.CheckConstraint(
                condition=Q(principal__lte=TECHNICAL_CEILING), name="savings_loan_ceiling"
            ),
            models.CheckConstraint(condition=Q(term_months__gt=0), name="savings_loan_term"),
            models.CheckConstraint(
                condition=Q(status="open") | Q(written_off_on__isnull=False),
                name="savings_loan_write_off_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership} {self.principal} FCFA {self.disbursed_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("savings:loan", args=[self.pk])

    @property
    def due_on(self) -> datetime.date:
        return add_months(self.disbursed_on, self.term_months)

    def schedule(self) -> list[tuple[datetime.date, int, int]]:
        """(due date, principal due, interest due) for each month of the term: equal monthly
        principal (the first months take the remainder francs) and equal flat interest."""
        base, extra = divmod(self.principal, self.term_months)
        interest, interest_extra = divmod(self.interest_total, self.term_months)
        return [
            (
                add_months(self.disbursed_on, month),
                base + (1 if month <= extra else 0),
                interest + (1 if month <= interest_extra else 0),
            )
            for month in range(1, self.term_months + 1)
        ]


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it has no such day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for candidate in range(day.day, 27, -1) if day.day > 28 else [day.day]:
        try:
            return datetime.date(year, month, candidate)
        except ValueError:
            continue
    return datetime.date(year, month, 28)


class Account(models.TextChoices):
    """The group's chart of accounts (see the README)."""

    LOAN_FUND_CASH = "loan_fund_cash", _("Loan fund cash")
    HEALTH_FUND_CASH = "health_fund_cash", _("Health fund cash")
    LOANS_RECEIVABLE = "loans_receivable", _("Loans receivable")
    MEMBER_SAVINGS = "member_savings", _("Members' savings")
    HEALTH_FUND = "health_fund", _("Health fund")
    CARRIED_OVER = "carried_over", _("Carried over from the last cycle")
    INTEREST_INCOME = "interest_income", _("Interest income")
    FINE_INCOME = "fine_income", _("Fine income")
    OTHER_INCOME = "other_income", _("Other income")
    EXPENSES = "expenses", _("Expenses")
    LOAN_LOSSES = "loan_losses", _("Loans written off")
    CASH_DIFFERENCE = "cash_difference", _("Cash over or short")


# Accounts whose balance is debits - credits (assets, expenses); the others are credits - debits.
DEBIT_NORMAL = {
    Account.LOAN_FUND_CASH,
    Account.HEALTH_FUND_CASH,
    Account.LOANS_RECEIVABLE,
    Account.EXPENSES,
    Account.LOAN_LOSSES,
    Account.CASH_DIFFERENCE,
}
CASH_ACCOUNTS = (Account.LOAN_FUND_CASH, Account.HEALTH_FUND_CASH)


class EntryKind(models.TextChoices):
    SHARES = "shares", _("Shares bought")
    HEALTH_CONTRIBUTION = "health_contribution", _("Health fund contribution")
    FINE = "fine", _("Fine")
    REPAYMENT = "repayment", _("Loan repayment")
    LOAN = "loan", _("Loan disbursed")
    GRANT = "grant", _("Health fund grant")
    INCOME = "income", _("Other income")
    EXPENSE = "expense", _("Expense")
    CASH_DIFFERENCE = "cash_difference", _("Cash difference")
    WRITE_OFF = "write_off", _("Loan written off")
    SHARE_OUT = "share_out", _("Share-out")
    SETTLEMENT = "settlement", _("Settlement of a member leaving")
    OPENING = "opening", _("Opening balance")
    REVERSAL = "reversal", _("Reversal")


class GrantPurpose(models.TextChoices):
    DELIVERY = "delivery", _("Delivery")
    ANTENATAL = "antenatal", _("Antenatal care")
    CHILD_ILLNESS = "child_illness", _("Sick child")
    ADULT_ILLNESS = "adult_illness", _("Sick adult")
    MEDICINES = "medicines", _("Medicines")
    TRANSPORT = "transport", _("Transport to care")
    OTHER = "other", _("Other care")


class Entry(AppendOnlyModel):
    """One balanced posting in a group's ledger, chained to the previous one by its hash.

    `hash` = sha256(previous entry's hash + canonical JSON of this entry and its lines), see
    `savings.ledger`. `id` is a client UUID: posting the same entry again changes nothing."""

    id = models.UUIDField(primary_key=True, editable=False)
    group = models.ForeignKey(
        Group, verbose_name=_("group"), on_delete=models.PROTECT, related_name="entries"
    )
    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="entries"
    )
    seq = models.PositiveIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=24, choices=EntryKind.choices)
    on = models.DateField(_("date"))
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
    )
    membership = models.ForeignKey(
        Membership,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
    )
    loan = models.ForeignKey(
        Loan,
        verbose_name=_("loan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
    )
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
    )
    purpose = models.CharField(_("purpose"), max_length=24, blank=True)
    memo = models.CharField(_("note"), max_length=200, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["group", "seq"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        constraints = [
            models.UniqueConstraint(fields=["group", "seq"], name="savings_entry_seq"),
        ]
        indexes = [models.Index(fields=["meeting"]), models.Index(fields=["group", "on"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.get_kind_display()} {self.on:%Y-%m-%d}"


class EntryLine(AppendOnlyModel):
    """One debit or credit of an entry. `group`, `seq` and `on` repeat the entry's, so balances
    and the chain check read lines alone, in index order."""

    id = models.BigAutoField(primary_key=True)
    entry = models.ForeignKey(
        Entry, verbose_name=_("entry"), on_delete=models.PROTECT, related_name="lines"
    )
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="+")
    seq = models.PositiveIntegerField()
    position = models.PositiveSmallIntegerField()
    on = models.DateField()
    account = models.CharField(_("account"), max_length=24, choices=Account.choices)
    debit = models.PositiveBigIntegerField(_("debit"), default=0)
    credit = models.PositiveBigIntegerField(_("credit"), default=0)
    membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="lines"
    )
    loan = models.ForeignKey(
        Loan, on_delete=models.PROTECT, null=True, blank=True, related_name="lines"
    )

    class Meta:
        ordering = ["group", "seq", "position"]
        verbose_name = _("ledger line")
        verbose_name_plural = _("ledger lines")
        constraints = [
            models.CheckConstraint(
                condition=(Q(debit__gt=0) & Q(credit=0)) | (Q(debit=0) & Q(credit__gt=0)),
                name="savings_line_one_side",
            ),
            models.CheckConstraint(
                condition=Q(debit__lte=TECHNICAL_CEILING) & Q(credit__lte=TECHNICAL_CEILING),
                name="savings_line_ceiling",
            ),
            models.UniqueConstraint(
                fields=["group", "seq", "position"], name="savings_line_position"
            ),
        ]
        indexes = [models.Index(fields=["group", "account", "on"])]

    def __str__(self) -> str:
        return f"{self.account} D{self.debit} C{self.credit}"

    @property
    def signed(self) -> int:
        """The line's effect on its account's balance."""
        if self.account in DEBIT_NORMAL:
            return self.debit - self.credit
        return self.credit - self.debit


class ShareOut(BaseModel):
    """The end of a cycle: what the fund was worth, per share, and each member's payout."""

    cycle = models.OneToOneField(
        Cycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="share_out"
    )
    held_on = models.DateField(_("date"))
    loan_fund_cash = models.BigIntegerField(_("loan fund cash"))
    loans_owed = models.BigIntegerField(_("loans still owed"))
    health_fund_shared = models.BigIntegerField(_("health fund shared out"), default=0)
    fund_value = models.BigIntegerField(_("value of the fund"))
    total_shares = models.PositiveIntegerField(_("total shares"))
    remainder = models.BigIntegerField(_("rounding remainder"))
    remainder_rule = models.CharField(
        _("rounding remainder"), max_length=16, choices=RemainderRule.choices
    )
    entry = models.OneToOneField(
        Entry, on_delete=models.PROTECT, related_name="+", verbose_name=_("ledger entry")
    )

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("share-out")
        verbose_name_plural = _("share-outs")

    def __str__(self) -> str:
        return f"{self.cycle} {self.held_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("savings:share_out", args=[self.cycle_id])

    @property
    def value_per_share(self) -> Decimal:
        if not self.total_shares:
            return Decimal(0)
        return (Decimal(self.fund_value) / self.total_shares).quantize(Decimal("0.01"))


class ShareOutLine(models.Model):
    """One member's line of the share-out sheet."""

    id = models.BigAutoField(primary_key=True)
    share_out = models.ForeignKey(ShareOut, on_delete=models.PROTECT, related_name="lines")
    membership = models.ForeignKey(
        Membership, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    shares = models.PositiveIntegerField(_("shares"))
    savings = models.BigIntegerField(_("savings"))
    value = models.BigIntegerField(_("value of the shares"))
    loan_owed = models.BigIntegerField(_("loan still owed"))
    payout = models.BigIntegerField(_("payout"))
    health_box = models.BigIntegerField(_("of which earmarked for health"), default=0)

    class Meta:
        ordering = ["share_out", "membership__number"]
        verbose_name = _("share-out line")
        verbose_name_plural = _("share-out lines")

    def __str__(self) -> str:
        return f"{self.membership_id} {self.payout}"


class ApprovalKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a second officer")
    APPROVED = "approved", _("Approved and posted")
    REJECTED = "rejected", _("Rejected")


class Approval(BaseModel):
    """A posting with a movement above the approval threshold, held until a second officer
    approves it (it is then posted through the same service, with every check again) or rejects
    it (nothing is posted). `created_by` is the maker; `decided_by` the checker, never the maker.

    `id` is the posting's own id (a meeting's device UUID), so the same posting sent again finds
    it; `payload` is what was sent, `fingerprint` its hash. At most one waits per group."""

    group = models.ForeignKey(
        Group, verbose_name=_("group"), on_delete=models.PROTECT, related_name="approvals"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ApprovalKind.choices)
    on = models.DateField(_("date"))
    fingerprint = models.CharField(max_length=64, editable=False)
    payload = models.JSONField(encoder=DjangoJSONEncoder, editable=False)
    amount = models.PositiveBigIntegerField(
        _("largest movement"), validators=[MaxValueValidator(TECHNICAL_CEILING)]
    )
    summary = models.CharField(_("why it waits"), max_length=200)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ApprovalStatus.choices,
        default=ApprovalStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.CharField(_("reason"), max_length=200, blank=True)
    meeting = models.OneToOneField(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approval",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("posting waiting for approval")
        verbose_name_plural = _("postings waiting for approval")
        constraints = [
            models.UniqueConstraint(
                fields=["group"],
                condition=Q(status="pending"),
                name="savings_approval_one_pending_per_group",
            ),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("created_by")),
                name="savings_approval_checker_is_not_maker",
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_by__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="savings_approval_decided",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.on:%Y-%m-%d} {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return reverse("savings:approval", args=[self.pk])

    @property
    def is_pending(self) -> bool:
        return self.status == ApprovalStatus.PENDING
