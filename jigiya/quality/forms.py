import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jigiya.accounts.models import User
from jigiya.indicators import catalog
from jigiya.quality.models import (
    ITEMS,
    Act,
    ActionStatus,
    Choice,
    Criterion,
    Party,
    Scale,
    Stage,
    TeamRole,
)
from jigiya.quality.selectors import Prefilled
from jigiya.quality.services import HANDOVER_CRITERIA, AnswerLine

# ISO values: a date input shows nothing for "03/12/2026" (the French format).
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONTH = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")


def _value_field(criterion: Criterion) -> forms.Field:
    """A select for yes/no and 0 to 3, a number for a percentage; empty means not answered."""
    if criterion.scale == Scale.PERCENT:
        return forms.IntegerField(
            label=_("Score (%)"),
            required=False,
            widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
        )
    choices: list[tuple[str, Any]] = [("", _("not scored"))]
    if criterion.scale == Scale.YES_NO:
        choices += [("1", _("Yes")), ("0", _("No"))]
    else:
        choices += [(str(n), str(n)) for n in range(4)]
    return forms.TypedChoiceField(
        label=_("Score"), choices=choices, coerce=int, required=False, empty_value=None
    )


class AssessmentForm(forms.Form):
    """The whole scorecard: one score and one evidence note per criterion, pre-filled from the
    platform's records where it knows the answer."""

    id = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    assessed_on = forms.DateField(label=_("Date"), widget=DATE)
    assessors = forms.CharField(label=_("Assessors (names)"), max_length=240)
    party = forms.ChoiceField(
        label=_("Scored by"), choices=Party.choices, initial=Party.ASSESSORS, required=False
    )

    def __init__(
        self,
        *args: Any,
        criteria: list[Criterion],
        prefilled: dict[uuid.UUID, Prefilled],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        self.prefilled = prefilled
        for criterion in criteria:
            found = prefilled.get(criterion.pk)
            value = _value_field(criterion)
            evidence = forms.CharField(label=_("Evidence"), max_length=500, required=False)
            if found is not None:
                value.initial = found.value
                evidence.initial = found.evidence
            self.fields[f"v_{criterion.pk}"] = value
            self.fields[f"e_{criterion.pk}"] = evidence

    def rows(self) -> list[tuple[Criterion, Any, Any, Prefilled | None]]:
        return [
            (c, self[f"v_{c.pk}"], self[f"e_{c.pk}"], self.prefilled.get(c.pk))
            for c in self.criteria
        ]

    def answers(self) -> list[AnswerLine]:
        data = self.cleaned_data
        lines = []
        for criterion in self.criteria:
            value = data.get(f"v_{criterion.pk}")
            if value is None:
                continue
            found = self.prefilled.get(criterion.pk)
            lines.append(
                AnswerLine(
                    criterion.pk,
                    value,
                    data.get(f"e_{criterion.pk}", ""),
                    found.url if found is not None else "",
                )
            )
        return lines


class ExitInterviewForm(forms.Form):
    id = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    interviewed_on = forms.DateField(label=_("Date"), widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label in ITEMS:
            # Any text is let through: the service names an answer that is not a choice.
            choices = [("", "—")] + [
                c for c in Choice.choices if key != "overall" or c[0] != Choice.NOT_APPLICABLE
            ]
            self.fields[key] = forms.CharField(
                label=label, required=False, widget=forms.Select(choices=choices)
            )

    def answers(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(key, "") for key, _label in ITEMS}


class ReportedReturnForm(forms.Form):
    month = forms.DateField(label=_("Month"), widget=DATE, help_text=_("Any day of the month."))
    returned = forms.IntegerField(label=_("Women who came back to deliver"), min_value=0)
    followed = forms.IntegerField(
        label=_("Women followed in pregnancy, due in the month"), min_value=0
    )


class HandoverForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage reached"), choices=Stage.choices)
    reached_on = forms.DateField(label=_("Date"), widget=DATE)
    criteria_met = forms.MultipleChoiceField(
        label=_("Criteria met"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            (key, text) for stage in HANDOVER_CRITERIA.values() for key, text in stage.items()
        ],
    )


class TeamMemberForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=120)
    role = forms.ChoiceField(label=_("Role"), choices=TeamRole.choices)
    since = forms.DateField(label=_("Since"), widget=DATE)


class CoachingSessionForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    topics = forms.CharField(label=_("Topics"), max_length=240)
    attendance = forms.IntegerField(label=_("Attendance"), min_value=0, max_value=500)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea, required=False)
    next_steps = forms.CharField(
        label=_("Agreed next steps"), widget=forms.Textarea, required=False
    )


def _indicator_choices() -> list[tuple[str, Any]]:
    return [("", "—")] + [(i.code, i.name) for i in catalog.all_indicators()]


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160)
    aim = forms.CharField(label=_("Aim"), max_length=400)
    started_on = forms.DateField(label=_("Started on"), widget=DATE)
    change_ideas = forms.CharField(label=_("Change ideas"), widget=forms.Textarea, required=False)
    outcome = forms.ChoiceField(label=_("Outcome measure"), required=False)
    process = forms.ChoiceField(label=_("Process measure"), required=False)
    balancing = forms.ChoiceField(label=_("Balancing measure"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("outcome", "process", "balancing"):
            self.fields[name].choices = _indicator_choices()  # type: ignore[attr-defined]

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        measures = [(kind, data.pop(kind)) for kind in ("outcome", "process", "balancing")]
        return {**data, "measures": [(kind, code) for kind, code in measures if code]}


class PdsaForm(forms.Form):
    started_on = forms.DateField(label=_("Started on"), widget=DATE)
    plan = forms.CharField(label=_("Plan"), widget=forms.Textarea)
    prediction = forms.CharField(label=_("Prediction"), widget=forms.Textarea)
    happened = forms.CharField(label=_("What happened"), widget=forms.Textarea, required=False)
    study = forms.CharField(label=_("Study"), widget=forms.Textarea, required=False)
    act = forms.ChoiceField(label=_("Act"), choices=[("", "—"), *Act.choices], required=False)


class ProgressScoreForm(forms.Form):
    scored_on = forms.DateField(label=_("Date"), widget=DATE)
    score = forms.ChoiceField(
        label=_("Progress score"), choices=[(f"{n / 2:.1f}", f"{n / 2:.1f}") for n in range(1, 11)]
    )
    note = forms.CharField(label=_("Note"), max_length=240, required=False)


class ActionItemForm(forms.Form):
    agreed_on = forms.DateField(label=_("Round of"), widget=DATE)
    text = forms.CharField(label=_("Action"), max_length=240)
    owner = forms.CharField(label=_("Owner"), max_length=120)
    due_on = forms.DateField(label=_("Due on"), widget=DATE)


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)


class CoachForm(forms.Form):
    coach: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("QI coach"), queryset=User.objects.none()
    )
    since = forms.DateField(label=_("Coach from"), widget=DATE)

    def __init__(self, *args: Any, coaches: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = coaches  # type: ignore[attr-defined]
        self.fields["coach"].label_from_instance = (  # type: ignore[attr-defined]
            lambda user: user.get_full_name() or user.username
        )
