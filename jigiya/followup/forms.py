import uuid
from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from jigiya.core.bounds import NOTES_LENGTH
from jigiya.core.forms import DATE, MadeAtField
from jigiya.followup.models import BirthPlan, EducationTopic, Urgency
from jigiya.followup.schedules import VACCINES
from jigiya.followup.signs import CHILD_DANGER_SIGNS, PREGNANCY_DANGER_SIGNS, REFERRAL_REASONS
from jigiya.places.models import HealthCenter
from jigiya.registry.models import BirthOutcome, DeliveryPlace, ExitReason, FollowupProgram, Sex

CONFIRM_LABEL = _("I measured again, the value is right")


def asks_confirmation(form: forms.Form, prefix: str = "") -> bool:
    """Whether the confirmation box is shown: once a change was found implausible (the
    service's message asks to tick it), or when it was ticked."""
    if form.data.get(f"{prefix}confirmed"):
        return True
    label = str(CONFIRM_LABEL)
    return any(
        label in message
        for name in (f"{prefix}weight_kg", f"{prefix}height_cm")
        for message in form.errors.get(name, [])
    )


class VisitForm(forms.Form):
    """A visit seen from one person: the child's measurements or the woman's pregnancy check,
    and what was taught. Fields that do not apply are removed. The visit's id is made when the
    form is shown: sending the page twice records one visit."""

    id = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    made_at = MadeAtField()
    date = forms.DateField(label=_("Date of the visit"), widget=DATE)
    weight_kg = forms.DecimalField(
        label=_("Weight (kg)"), required=False, max_digits=5, decimal_places=2
    )
    height_cm = forms.DecimalField(
        label=_("Length or height (cm)"), required=False, max_digits=5, decimal_places=1
    )
    measured_lying = forms.BooleanField(
        label=_("Measured lying down"), required=False, initial=True
    )
    confirmed = forms.BooleanField(label=CONFIRM_LABEL, required=False)
    muac_mm = forms.IntegerField(label=_("MUAC (mm)"), required=False)
    oedema = forms.BooleanField(label=_("Oedema of both feet"), required=False)
    child_danger_signs = forms.MultipleChoiceField(
        label=_("Danger signs"),
        choices=list(CHILD_DANGER_SIGNS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    vaccines = forms.MultipleChoiceField(
        label=_("Vaccines on the card"),
        choices=[(code, label) for code, label, _age in VACCINES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    anc_since_last_visit = forms.BooleanField(
        label=_("ANC contact since the last visit"), required=False
    )
    pregnancy_danger_signs = forms.MultipleChoiceField(
        label=_("Danger signs"),
        choices=list(PREGNANCY_DANGER_SIGNS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    birth_plan = forms.ChoiceField(label=_("Where she plans to deliver"), choices=BirthPlan.choices)
    topics = forms.MultipleChoiceField(
        label=_("Education given"),
        choices=EducationTopic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=NOTES_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    # Where to go once saved (the worklist, the household…): a path of this site only.
    next = forms.CharField(widget=forms.HiddenInput, required=False)

    CHILD = (
        "weight_kg",
        "height_cm",
        "measured_lying",
        "muac_mm",
        "oedema",
        "confirmed",
        "child_danger_signs",
        "vaccines",
    )
    PREGNANCY = ("anc_since_last_visit", "pregnancy_danger_signs", "birth_plan")

    def __init__(
        self,
        *args: Any,
        child: bool,
        pregnant: bool,
        given: frozenset[str] = frozenset(),
        **kwargs: Any,
    ) -> None:
        """`given`: the vaccines recorded at earlier visits (shown ticked, not offered)."""
        super().__init__(*args, **kwargs)
        for name in () if child else self.CHILD:
            del self.fields[name]
        for name in () if pregnant else self.PREGNANCY:
            del self.fields[name]
        if child:
            self.fields["vaccines"].choices = [  # type: ignore[attr-defined]
                (code, label) for code, label, _age in VACCINES if code not in given
            ]
        self.given = [label for code, label, _age in VACCINES if code in given]

    def shown_fields(self) -> list[Any]:
        """The visible fields, the confirmation box only once a change needs it."""
        asked = asks_confirmation(self)
        return [f for f in self.visible_fields() if f.name != "confirmed" or asked]


class ReferralCloseForm(forms.Form):
    seen = forms.TypedChoiceField(
        label=_("Seen at the health center?"),
        choices=[("1", _("Yes")), ("0", _("No, did not go"))],
        coerce=lambda value: value == "1",
    )
    seen_on = forms.DateField(label=_("Seen on"), required=False, widget=DATE)
    seen_by = forms.CharField(label=_("Seen by"), max_length=120, required=False)
    action_taken = forms.CharField(label=_("What was done"), max_length=300, required=False)


class ReferralForm(forms.Form):
    """A referral made by hand, from the person's page."""

    id = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    made_at = MadeAtField()
    health_center = forms.ModelChoiceField(
        label=_("Health center"), queryset=HealthCenter.objects.none()
    )
    referred_on = forms.DateField(label=_("Referred on"), widget=DATE)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    reasons = forms.MultipleChoiceField(
        label=_("Reasons"),
        choices=list(REFERRAL_REASONS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    reason_text = forms.CharField(label=_("Reason (in your words)"), max_length=300, required=False)
    again = forms.BooleanField(
        label=_("Refer again: a new reason while the open referral is not back"), required=False
    )

    def __init__(
        self,
        *args: Any,
        health_centers: Any,
        child: bool = False,
        pregnant: bool = False,
        open_referral: Any = None,
        **kwargs: Any,
    ) -> None:
        """The reasons offered fit the person: a child's danger signs, MUAC and oedema for a
        child under five, the pregnancy danger signs for a pregnant woman, "other" always.
        With a referral still open (`open_referral`), a second one needs `again` ticked."""
        super().__init__(*args, **kwargs)
        self.fields["health_center"].queryset = health_centers  # type: ignore[attr-defined]
        fits = {"other"}
        if child:
            fits |= {f"child:{code}" for code in CHILD_DANGER_SIGNS} | {"muac_red", "oedema"}
        if pregnant:
            fits |= {f"pregnancy:{code}" for code in PREGNANCY_DANGER_SIGNS}
        self.fields["reasons"].choices = [  # type: ignore[attr-defined]
            (code, label) for code, label in REFERRAL_REASONS.items() if code in fits
        ]
        self.open_referral = open_referral
        if open_referral is None:
            del self.fields["again"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.open_referral is not None and not data.get("again"):
            self.add_error(
                "again",
                _(
                    "%(person)s was referred on %(day)s and is not back yet: tick the box to "
                    "refer again for a new reason."
                )
                % {
                    "person": self.open_referral.person,
                    "day": date_format(self.open_referral.referred_on, "SHORT_DATE_FORMAT"),
                },
            )
        data.pop("again", None)
        return data


def _child_fields() -> dict[str, forms.Field]:
    """One child's part of the household visit (field names without the child's prefix)."""
    return {
        "seen": forms.BooleanField(label=_("Seen at this visit"), required=False),
        "weight_kg": forms.DecimalField(
            label=_("Weight (kg)"), required=False, max_digits=5, decimal_places=2
        ),
        "height_cm": forms.DecimalField(
            label=_("Length or height (cm)"), required=False, max_digits=5, decimal_places=1
        ),
        "measured_lying": forms.BooleanField(
            label=_("Measured lying down"), required=False, initial=True
        ),
        "muac_mm": forms.IntegerField(label=_("MUAC (mm)"), required=False),
        "oedema": forms.BooleanField(label=_("Oedema of both feet"), required=False),
        "confirmed": forms.BooleanField(label=CONFIRM_LABEL, required=False),
        "danger_signs": forms.MultipleChoiceField(
            label=_("Danger signs"),
            choices=list(CHILD_DANGER_SIGNS.items()),
            widget=forms.CheckboxSelectMultiple,
            required=False,
        ),
        "vaccines": forms.MultipleChoiceField(
            label=_("Vaccines on the card"),
            choices=[(code, label) for code, label, _age in VACCINES],
            widget=forms.CheckboxSelectMultiple,
            required=False,
        ),
    }


def _pregnancy_fields() -> dict[str, forms.Field]:
    return {
        "seen": forms.BooleanField(label=_("Seen at this visit"), required=False),
        "anc_since_last_visit": forms.BooleanField(
            label=_("ANC contact since the last visit"), required=False
        ),
        "danger_signs": forms.MultipleChoiceField(
            label=_("Danger signs"),
            choices=list(PREGNANCY_DANGER_SIGNS.items()),
            widget=forms.CheckboxSelectMultiple,
            required=False,
        ),
        "birth_plan": forms.ChoiceField(
            label=_("Where she plans to deliver"),
            choices=BirthPlan.choices,
            initial=BirthPlan.UNDECIDED,
            required=False,
        ),
    }


class HouseholdVisitForm(forms.Form):
    """A visit to a household seeing several people in one submission, without JavaScript:
    one section per child under five (measurements) and per pregnant woman (pregnancy check),
    then the other members seen and the education given to everyone seen.

    A child or woman counts as seen when ticked or when anything is filled in their section.
    Their fields are named `c<n>_<field>` and `p<n>_<field>` (n: the section's position)."""

    id = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    made_at = MadeAtField()
    date = forms.DateField(label=_("Date of the visit"), widget=DATE)
    people = forms.MultipleChoiceField(
        label=_("Other members seen"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    topics = forms.MultipleChoiceField(
        label=_("Education given (to everyone seen)"),
        choices=EducationTopic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=NOTES_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self, *args: Any, children: list[Any], pregnancies: list[Any], others: list[Any], **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        self.children = children
        self.pregnancies = pregnancies
        self.fields["people"].choices = [  # type: ignore[attr-defined]
            (str(person.pk), str(person)) for person in others
        ]
        for index, _child in enumerate(children):
            for name, field in _child_fields().items():
                self.fields[f"c{index}_{name}"] = field
        for index, _pregnancy in enumerate(pregnancies):
            for name, field in _pregnancy_fields().items():
                self.fields[f"p{index}_{name}"] = field

    def child_sections(self) -> list[tuple[Any, list[Any]]]:
        """Each child and its fields (the confirmation box once a change needs it)."""
        sections = []
        for index, child in enumerate(self.children):
            asked = asks_confirmation(self, f"c{index}_")
            names = [n for n in _child_fields() if n != "confirmed" or asked]
            sections.append((child, [self[f"c{index}_{name}"] for name in names]))
        return sections

    def pregnancy_sections(self) -> list[tuple[Any, list[Any]]]:
        return [
            (pregnancy, [self[f"p{index}_{name}"] for name in _pregnancy_fields()])
            for index, pregnancy in enumerate(self.pregnancies)
        ]

    def child_checks(self) -> list[tuple[int, dict[str, Any]]]:
        """(section index, values) of each child seen."""
        data = self.cleaned_data
        found = []
        for index in range(len(self.children)):
            values = {name: data.get(f"c{index}_{name}") for name in _child_fields()}
            measured = any(
                values[name] not in (None, [], False)
                for name in ("weight_kg", "height_cm", "muac_mm", "oedema", "danger_signs")
            ) or bool(values["vaccines"])
            if values["seen"] or measured:
                found.append((index, values))
        return found

    def pregnancy_checks(self) -> list[tuple[int, dict[str, Any]]]:
        data = self.cleaned_data
        found = []
        for index in range(len(self.pregnancies)):
            values = {name: data.get(f"p{index}_{name}") for name in _pregnancy_fields()}
            filled = (
                values["anc_since_last_visit"]
                or values["danger_signs"]
                or values["birth_plan"] not in (None, "", BirthPlan.UNDECIDED)
            )
            if values["seen"] or filled:
                found.append((index, values))
        return found

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not (
            self.child_checks() or self.pregnancy_checks() or data.get("people")
        ):
            raise forms.ValidationError(_("Tick at least one person seen."))
        return data


# --- the pages of enrollments and pregnancies (under the registry's URLs) -----------------


class EnrollmentForm(forms.Form):
    """Offers only `programs` (those that fit the person: `selectors.enrollable_programs`);
    the only one is selected."""

    program = forms.ChoiceField(label=_("Program"), choices=FollowupProgram.choices)
    start = forms.DateField(label=_("Start"), widget=DATE)

    def __init__(self, *args: Any, programs: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, Any]] = [
            (p, label) for p, label in FollowupProgram.choices if p in programs
        ]
        field = self.fields["program"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices if len(choices) == 1 else [("", "—"), *choices]
        if len(choices) == 1:
            field.initial = choices[0][0]


class PregnancyForm(forms.Form):
    id = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    made_at = MadeAtField()
    lmp = forms.DateField(label=_("Last menstrual period"), required=False, widget=DATE)
    edd = forms.DateField(label=_("Expected delivery date"), required=False, widget=DATE)
    months_pregnant = forms.IntegerField(
        label=_("Or months pregnant (when neither date is known)"),
        required=False,
        min_value=1,
        max_value=10,
    )


class AncContactForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    place = forms.ChoiceField(
        label=_("Place"),
        choices=[c for c in DeliveryPlace.choices if c[0] != DeliveryPlace.HOME],
    )


class OutcomeForm(forms.Form):
    outcome_date = forms.DateField(label=_("Date of delivery or end"), widget=DATE)
    birth_outcome = forms.ChoiceField(label=_("Outcome"), choices=BirthOutcome.choices)
    outcome_place = forms.ChoiceField(label=_("Place of delivery"), choices=DeliveryPlace.choices)
    register_newborn = forms.BooleanField(
        label=_("Live birth: register the newborn in the household (child follow-up)"),
        required=False,
        initial=True,
    )
    newborn_sex = forms.ChoiceField(
        label=_("Sex of the newborn"), choices=[("", "—"), *Sex.choices], required=False
    )
    newborn_given_name = forms.CharField(
        label=_("Given name of the newborn (if already named)"), max_length=80, required=False
    )
    # Made when the form is shown: sending the page twice registers the baby once.
    newborn_id = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("birth_outcome") != BirthOutcome.LIVE_BIRTH:
            data["register_newborn"] = False
        return data


class NewbornForm(forms.Form):
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Sex.choices])
    given_name = forms.CharField(
        label=_("Given name (if already named)"), max_length=80, required=False
    )
    id = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)


class EnrollmentEndForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why"),
        choices=[
            (c, label)
            for c, label in ExitReason.choices
            if c in (ExitReason.MOVED, ExitReason.DIED, ExitReason.LEFT, ExitReason.REACHED_FIVE)
        ],
    )
    end = forms.DateField(label=_("End"), widget=DATE)
