from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jigiya.followup.models import BirthPlan, EducationTopic
from jigiya.followup.schedules import VACCINES
from jigiya.followup.signs import CHILD_DANGER_SIGNS, PREGNANCY_DANGER_SIGNS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VisitForm(forms.Form):
    """A visit seen from one person: the child's measurements or the woman's pregnancy check,
    and what was taught. Fields that do not apply are removed."""

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
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    CHILD = (
        "weight_kg",
        "height_cm",
        "measured_lying",
        "muac_mm",
        "oedema",
        "child_danger_signs",
        "vaccines",
    )
    PREGNANCY = ("anc_since_last_visit", "pregnancy_danger_signs", "birth_plan")

    def __init__(self, *args: Any, child: bool, pregnant: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in () if child else self.CHILD:
            del self.fields[name]
        for name in () if pregnant else self.PREGNANCY:
            del self.fields[name]


class ReferralCloseForm(forms.Form):
    seen = forms.TypedChoiceField(
        label=_("Seen at the health center?"),
        choices=[("1", _("Yes")), ("0", _("No, did not go"))],
        coerce=lambda value: value == "1",
    )
    seen_on = forms.DateField(label=_("Seen on"), required=False, widget=DATE)
    seen_by = forms.CharField(label=_("Seen by"), max_length=120, required=False)
    action_taken = forms.CharField(label=_("What was done"), max_length=300, required=False)
