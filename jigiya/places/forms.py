from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jigiya.accounts.forms import PlaceChoiceField
from jigiya.core.bounds import DECISIONS_LENGTH
from jigiya.core.forms import DATE
from jigiya.places.models import (
    AssemblyKind,
    BoardRole,
    HealthCenter,
    HealthCenterStatus,
    Place,
    PlaceKind,
)


class PlaceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    code = forms.CharField(label=_("Code"), max_length=32)
    health_center = forms.ModelChoiceField(
        label=_("Health center (communities only)"),
        queryset=HealthCenter.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, health_centers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["health_center"].queryset = health_centers  # type: ignore[attr-defined]


class PlaceCreateForm(PlaceForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=PlaceKind.choices)
    field_order = ["kind", "name", "code", "health_center"]


class PlaceEditForm(PlaceForm):
    is_active = forms.BooleanField(label=_("Active"), required=False)


class PlaceMoveForm(forms.Form):
    parent = PlaceChoiceField(label=_("New parent"), queryset=Place.objects.none())

    def __init__(self, *args: Any, places: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = places  # type: ignore[attr-defined]


class HealthCenterForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    code = forms.CharField(label=_("Code"), max_length=32)
    health_area = forms.CharField(label=_("Health area"), max_length=120)
    latitude = forms.DecimalField(
        label=_("Latitude"), required=False, min_value=-90, max_value=90, decimal_places=5
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), required=False, min_value=-180, max_value=180, decimal_places=5
    )
    partner_since = forms.DateField(label=_("Partner since"), required=False, widget=DATE)
    partner_until = forms.DateField(label=_("Partner until"), required=False, widget=DATE)
    status = forms.ChoiceField(label=_("Status"), choices=HealthCenterStatus.choices)


class AsacoForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=160)
    registration_number = forms.CharField(
        label=_("Registration number"), max_length=64, required=False
    )
    registered_on = forms.DateField(label=_("Registered on"), required=False, widget=DATE)
    members_count = forms.IntegerField(label=_("Members"), min_value=0, initial=0)


class BoardMemberForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=120)
    role = forms.ChoiceField(label=_("Role"), choices=BoardRole.choices)
    sex = forms.ChoiceField(
        label=_("Sex"), choices=[("", "—"), ("F", _("Female")), ("M", _("Male"))], required=False
    )
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    term_start = forms.DateField(label=_("Term start"), widget=DATE)
    term_end = forms.DateField(label=_("Term end"), required=False, widget=DATE)


class TermEndForm(forms.Form):
    term_end = forms.DateField(label=_("Term end"), widget=DATE)


class AssemblyForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    kind = forms.ChoiceField(label=_("Kind"), choices=AssemblyKind.choices)
    attendance = forms.IntegerField(label=_("Attendance"), min_value=0)
    women_attending = forms.IntegerField(
        label=_("Women attending"), min_value=0, initial=0, required=False
    )
    decisions = forms.CharField(
        label=_("Decisions"),
        max_length=DECISIONS_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_women_attending(self) -> int:
        return self.cleaned_data["women_attending"] or 0
