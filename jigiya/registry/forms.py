import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jigiya.core.forms import DATE, MadeAtField
from jigiya.places.models import Place
from jigiya.registry.models import (
    LEAST_ACCESS_CRITERIA,
    ExitReason,
    Person,
    Relationship,
    Sex,
)


class HouseholdForm(forms.Form):
    id = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)  # the device's id
    made_at = MadeAtField()
    community = forms.ModelChoiceField(label=_("Community"), queryset=Place.objects.none())
    name = forms.CharField(label=_("Household name"), max_length=120)
    landmark = forms.CharField(label=_("How to find it"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    latitude = forms.DecimalField(
        label=_("Latitude"), required=False, min_value=-90, max_value=90, decimal_places=5
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), required=False, min_value=-180, max_value=180, decimal_places=5
    )

    def __init__(self, *args: Any, communities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["community"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = communities
        only = list(communities[:2])
        if len(only) == 1:  # her only community: chosen already
            field.empty_label = None
            field.initial = only[0].pk


class PersonForm(forms.Form):
    given_name = forms.CharField(label=_("Given name"), max_length=80)
    family_name = forms.CharField(label=_("Family name"), max_length=80)
    # No sex chosen in advance: a form sent without looking would register a wrong one.
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Sex.choices])
    relationship = forms.ChoiceField(
        label=_("Relationship to the head"), choices=Relationship.choices
    )
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DATE)
    age_years = forms.IntegerField(
        label=_("Or age in years (when the date is not known)"),
        required=False,
        min_value=0,
        max_value=120,
    )
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    confirm_duplicate = forms.BooleanField(
        label=_("I checked: this is not someone already registered"), required=False
    )


class PersonNewForm(PersonForm):
    """A person registered from the household page: with the device's id, so the same form
    sent twice (a network that dropped, the outbox sending it again) registers her once."""

    id = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    made_at = MadeAtField()


class HouseholdEditForm(forms.Form):
    name = forms.CharField(label=_("Household name"), max_length=120)
    landmark = forms.CharField(label=_("How to find it"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    latitude = forms.DecimalField(
        label=_("Latitude"), required=False, min_value=-90, max_value=90, decimal_places=5
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), required=False, min_value=-180, max_value=180, decimal_places=5
    )
    head = forms.ModelChoiceField(
        label=_("Head of household"), queryset=Person.objects.none(), required=False
    )

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["head"].queryset = members  # type: ignore[attr-defined]


class DeactivateForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why"),
        choices=[
            (c, label)
            for c, label in ExitReason.choices
            if c in (ExitReason.MOVED, ExitReason.DIED, ExitReason.LEFT)
        ],
    )
    day = forms.DateField(label=_("Since"), widget=DATE)


class AssessmentForm(forms.Form):
    assessed_on = forms.DateField(label=_("Assessed on"), widget=DATE)
    criteria = forms.MultipleChoiceField(
        label=_("Criteria met"),
        choices=[(code, label) for code, (label, _weight) in LEAST_ACCESS_CRITERIA.items()],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
