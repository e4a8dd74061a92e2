import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jigiya.core.forms import DATE, MadeAtField
from jigiya.places.models import Place
from jigiya.registry.models import Person
from jigiya.savings.models import (
    Frequency,
    GrantPurpose,
    GroupStatus,
    LoanLimitBasis,
    MemberRole,
    Membership,
    Presence,
    RemainderRule,
)
from jigiya.savings.services import CashLine, GrantLine, MeetingData, MemberLine


def _number(**attrs: Any) -> forms.NumberInput:
    return forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, **attrs})


class GroupCreateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    community: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Community"), queryset=Place.objects.none()
    )
    formed_on = forms.DateField(label=_("Formed on"), widget=DATE)

    def __init__(self, *args: Any, communities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities  # type: ignore[attr-defined]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=GroupStatus.choices)
    on = forms.DateField(label=_("From"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class CycleForm(forms.Form):
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    planned_end = forms.DateField(label=_("Planned end"), widget=DATE)
    frequency = forms.ChoiceField(label=_("Meeting frequency"), choices=Frequency.choices)
    share_price = forms.IntegerField(label=_("Share price (FCFA)"), min_value=1)
    max_shares = forms.IntegerField(label=_("Maximum shares per meeting"), min_value=1, initial=5)
    health_contribution = forms.IntegerField(
        label=_("Health fund contribution per meeting (FCFA)"), min_value=0, initial=0
    )
    interest_rate = forms.DecimalField(
        label=_("Loan interest per month (%)"), min_value=0, max_value=100, initial=10
    )
    max_loan_multiple = forms.IntegerField(
        label=_("Maximum loan (times the member's savings)"), min_value=1, initial=3
    )
    loan_limit_basis = forms.ChoiceField(
        label=_("The maximum loan applies to"),
        choices=LoanLimitBasis.choices,
        initial=LoanLimitBasis.ALL_OWED,
        required=False,
    )
    max_term_months = forms.IntegerField(
        label=_("Maximum loan term (months)"), min_value=1, initial=3
    )
    fines = forms.CharField(
        label=_("Fines (one a line: reason = amount)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    savings_split = forms.BooleanField(
        label=_("Earmark part of each payout for health care"),
        help_text=_(
            "Shown on the share-out sheet as advice to each member. It is not a separate box: "
            "savings stay in the loan fund; the group's health box is the health fund."
        ),
        required=False,
    )
    health_box_percent = forms.IntegerField(
        label=_("Share of each payout earmarked for health care (%)"),
        min_value=0,
        max_value=100,
        initial=0,
    )
    leaving_mid_cycle = forms.BooleanField(
        label=_("A member may leave during the cycle"),
        help_text=_("She gets her savings back (no share of the profit), minus what she owes."),
        required=False,
        initial=True,
    )
    share_out_health_fund = forms.BooleanField(
        label=_("The health fund is shared out too"), required=False
    )
    remainder_rule = forms.ChoiceField(
        label=_("Rounding remainder of the share-out"), choices=RemainderRule.choices
    )
    max_movement = forms.IntegerField(
        label=_("Ceiling of one movement of money (FCFA)"),
        help_text=_("Empty: the program's ceiling."),
        min_value=1,
        required=False,
    )
    approval_threshold = forms.IntegerField(
        label=_("A movement above this waits for a second officer (FCFA)"),
        help_text=_("Empty: the program's threshold."),
        min_value=1,
        required=False,
    )

    def clean_loan_limit_basis(self) -> str:
        return self.cleaned_data["loan_limit_basis"] or LoanLimitBasis.ALL_OWED

    def clean_fines(self) -> list[dict[str, Any]]:
        fines = []
        for line in self.cleaned_data["fines"].splitlines():
            if not line.strip():
                continue
            reason, _sep, amount = line.rpartition("=")
            if not reason.strip() or not amount.strip().isdigit():
                raise ValidationError(_("Write each fine as “reason = amount”."))
            fines.append({"reason": reason.strip(), "amount": int(amount.strip())})
        return fines


class MemberAddForm(forms.Form):
    person: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Person"), queryset=Person.objects.none()
    )
    joined_on = forms.DateField(label=_("Joined on"), widget=DATE)
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices)

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices)


class LeaveForm(forms.Form):
    left_on = forms.DateField(label=_("Leaves on"), widget=DATE)


class LeaveCancelForm(forms.Form):
    reason = forms.CharField(label=_("Why is her leaving cancelled?"), max_length=200)


class WriteOffForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), max_length=200)
    approved_by: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Approved by"), queryset=Membership.objects.none()
    )

    def __init__(self, *args: Any, officers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["approved_by"].queryset = officers  # type: ignore[attr-defined]


class CorrectionForm(forms.Form):
    id = forms.UUIDField(widget=forms.HiddenInput)
    amount = forms.IntegerField(
        label=_("Correct amount (FCFA; empty: only cancel)"), min_value=1, required=False
    )
    reason = forms.CharField(label=_("Why"), max_length=200)


class ApproveForm(forms.Form):
    """Approving asks for nothing more: the button says it all."""


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Why is it rejected?"), max_length=200)


class ShareOutForm(forms.Form):
    held_on = forms.DateField(label=_("Date of the share-out"), widget=DATE)


GRANT_ROWS = 2
CASH_ROWS = 2
MEMBER_FIELDS = ("presence", "shares", "health", "fine", "repayment", "loan_amount", "loan_term")


class MeetingForm(forms.Form):
    """One row per member (fields `m<i>_<name>`), then grants, other income and expenses, and
    the cash counted. Defaults: everyone present, buying what she bought last time (one share
    the first time), paying the health contribution; the facilitator changes only exceptions."""

    id = forms.UUIDField(widget=forms.HiddenInput)
    made_at = MadeAtField()
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    counted_loan_fund = forms.IntegerField(label=_("Loan fund cash counted"), min_value=0)
    counted_health_fund = forms.IntegerField(label=_("Health fund cash counted"), min_value=0)
    difference_note = forms.CharField(
        label=_("If the count differs: why"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirmed_by = forms.ModelChoiceField(
        label=_("Count confirmed by (a second officer)"),
        queryset=Membership.objects.none(),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        members: list[Membership],
        cycle: Any,
        last_shares: dict[uuid.UUID, int],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.members = members
        self.cycle = cycle
        self.initial.setdefault("id", uuid.uuid4())
        self.initial.setdefault("held_on", timezone.localdate())
        officers = [m.pk for m in members if m.is_officer]
        self.fields["confirmed_by"].queryset = Membership.objects.filter(  # type: ignore[attr-defined]
            pk__in=officers
        ).select_related("person")
        for name in ("counted_loan_fund", "counted_health_fund"):
            self.fields[name].widget = _number(**{"data-counted": name})
        for index, member in enumerate(members):
            self._member_fields(f"m{index}_", cycle, last_shares.get(member.pk, 1))
        member_choices = [("", "—")] + [(str(m.pk), str(m)) for m in members]
        for index in range(GRANT_ROWS):
            self.fields[f"g{index}_membership_id"] = forms.ChoiceField(
                choices=member_choices, required=False, label=_("Member")
            )
            self.fields[f"g{index}_amount"] = forms.IntegerField(
                min_value=1,
                required=False,
                widget=_number(**{"data-total": "grants"}),
                label=_("Amount"),
            )
            self.fields[f"g{index}_purpose"] = forms.ChoiceField(
                choices=[("", "—"), *GrantPurpose.choices], required=False, label=_("For")
            )
        for kind in ("incomes", "expenses"):
            for index in range(CASH_ROWS):
                self.fields[f"{kind}{index}_amount"] = forms.IntegerField(
                    min_value=1,
                    required=False,
                    widget=_number(**{"data-total": kind}),
                    label=_("Amount"),
                )
                self.fields[f"{kind}{index}_description"] = forms.CharField(
                    max_length=200, required=False, label=_("What")
                )

    def _member_fields(self, prefix: str, cycle: Any, last_shares: int) -> None:
        """A member's fields, each labelled (her name is the legend of her card) and marked
        with the total it adds to (`data-total`, read by savings/meeting.js)."""
        self.fields[prefix + "presence"] = forms.ChoiceField(
            choices=Presence.choices, initial=Presence.PRESENT, label=_("Here")
        )
        self.fields[prefix + "shares"] = forms.IntegerField(
            min_value=0,
            max_value=cycle.max_shares,
            initial=last_shares,
            widget=_number(max=cycle.max_shares, **{"data-total": "shares"}),
            label=_("Shares"),
        )
        self.fields[prefix + "health"] = forms.IntegerField(
            min_value=0,
            initial=cycle.health_contribution,
            widget=_number(**{"data-total": "health"}),
            label=_("Health fund"),
        )
        for name, label in (
            ("fine", _("Fine")),
            ("repayment", _("Repaid")),
            ("loan_amount", _("New loan")),
            ("loan_term", _("Term (months)")),
        ):
            total = {"fine": "fines", "repayment": "repaid", "loan_amount": "loans"}.get(name)
            attrs = {"data-total": total} if total else {}
            self.fields[prefix + name] = forms.IntegerField(
                min_value=0, initial=0, required=False, widget=_number(**attrs), label=label
            )

    def _amount(self, name: str) -> int:
        """What a field holds now (sent, or its default), 0 when it is not a whole number: the
        totals shown beside the form, never what is posted."""
        value = self[name].value()
        try:
            return max(int(str(value).strip() or 0), 0)
        except ValueError:
            return 0

    def totals(self, opening: dict[str, int]) -> dict[str, Any]:
        """The meeting's totals per fund and the cash each box should hold, from what the form
        holds (the page shows them without JavaScript; savings/meeting.js keeps them up to date
        as she types; the service computes its own)."""
        sums: dict[str, Any] = dict.fromkeys(("shares", "health", "fines", "repaid", "loans"), 0)
        names = {"shares": "shares", "health": "health", "fines": "fine", "repaid": "repayment"}
        names["loans"] = "loan_amount"
        for index in range(len(self.members)):
            for key, name in names.items():
                sums[key] += self._amount(f"m{index}_{name}")
        sums["share_count"] = sums["shares"]
        sums["shares"] *= self.cycle.share_price
        sums["grants"] = sum(self._amount(f"g{i}_amount") for i in range(GRANT_ROWS))
        for kind in ("incomes", "expenses"):
            sums[kind] = sum(self._amount(f"{kind}{i}_amount") for i in range(CASH_ROWS))
        loan_in = sums["shares"] + sums["fines"] + sums["repaid"] + sums["incomes"]
        sums["opening_loan"] = opening.get("loan_fund_cash", 0)
        sums["opening_health"] = opening.get("health_fund_cash", 0)
        sums["expected_loan"] = sums["opening_loan"] + loan_in - sums["loans"] - sums["expenses"]
        sums["expected_health"] = sums["opening_health"] + sums["health"] - sums["grants"]
        for box, counted in (("loan", "counted_loan_fund"), ("health", "counted_health_fund")):
            raw = self[counted].value()
            sums[f"counted_{box}"] = self._amount(counted) if str(raw or "").strip() else None
        return sums

    def rows(self) -> list[tuple[Membership, list[Any]]]:
        return [
            (member, [self[f"m{index}_{name}"] for name in MEMBER_FIELDS])
            for index, member in enumerate(self.members)
        ]

    def grant_rows(self) -> list[list[Any]]:
        return [
            [self[f"g{i}_{name}"] for name in ("membership_id", "amount", "purpose")]
            for i in range(GRANT_ROWS)
        ]

    def cash_rows(self, kind: str) -> list[list[Any]]:
        return [
            [self[f"{kind}{i}_{name}"] for name in ("amount", "description")]
            for i in range(CASH_ROWS)
        ]

    @property
    def incomes_rows(self) -> list[list[Any]]:
        return self.cash_rows("incomes")

    @property
    def expenses_rows(self) -> list[list[Any]]:
        return self.cash_rows("expenses")

    def counted_boxes(self, totals: dict[str, Any]) -> list[tuple[str, Any, int, int | None]]:
        """Each box: its key, the field of the cash counted, the cash expected, the count."""
        return [
            (box, self[f"counted_{name}_fund"], totals[f"expected_{box}"], totals[f"counted_{box}"])
            for box, name in (("loan", "loan"), ("health", "health"))
        ]

    def field_for(self, key: str) -> str | None:
        """The form field of a service error key (`members.3.shares` → `m3_shares`)."""
        parts = key.split(".")
        if parts[0] == "members" and len(parts) == 3:
            return f"m{parts[1]}_{parts[2]}"
        if parts[0] == "grants" and len(parts) == 3:
            return f"g{parts[1]}_{parts[2]}"
        if parts[0] in ("incomes", "expenses") and len(parts) == 3:
            return f"{parts[0]}{parts[1]}_{parts[2]}"
        if key == "confirmed_by_id":
            return "confirmed_by"
        return key if key in self.fields else None

    def to_data(self) -> MeetingData:
        data = self.cleaned_data
        members = []
        for index, member in enumerate(self.members):
            row = {name: data.get(f"m{index}_{name}") for name in MEMBER_FIELDS}
            members.append(
                MemberLine(
                    membership_id=member.pk,
                    presence=row["presence"] or "present",
                    shares=row["shares"] or 0,
                    health=row["health"] or 0,
                    fine=row["fine"] or 0,
                    fine_reason=str(_("fine")) if row["fine"] else "",
                    repayment=row["repayment"] or 0,
                    loan_amount=row["loan_amount"] or 0,
                    loan_term=row["loan_term"] or 0,
                )
            )
        grants = [
            GrantLine(
                membership_id=uuid.UUID(data[f"g{i}_membership_id"]),
                amount=data[f"g{i}_amount"],
                purpose=data[f"g{i}_purpose"],
            )
            for i in range(GRANT_ROWS)
            if data.get(f"g{i}_membership_id") and data.get(f"g{i}_amount")
        ]

        def cash(kind: str) -> list[CashLine]:
            return [
                CashLine(
                    amount=data[f"{kind}{i}_amount"], description=data[f"{kind}{i}_description"]
                )
                for i in range(CASH_ROWS)
                if data.get(f"{kind}{i}_amount")
            ]

        return MeetingData(
            id=data["id"],
            held_on=data["held_on"],
            members=members,
            grants=grants,
            incomes=cash("incomes"),
            expenses=cash("expenses"),
            counted_loan_fund=data["counted_loan_fund"],
            counted_health_fund=data["counted_health_fund"],
            difference_note=data.get("difference_note") or "",
            confirmed_by_id=data["confirmed_by"].pk if data.get("confirmed_by") else None,
            made_at=data.get("made_at"),
        )
