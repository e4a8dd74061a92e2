from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jigiya.accounts.forms import PlaceChoiceField
from jigiya.core.bounds import SECRET_LENGTH
from jigiya.indicators import catalog
from jigiya.interop.models import Figure, IdScheme
from jigiya.places.models import HealthCenter, Place


class ServerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    place = PlaceChoiceField(
        label=_("Reports for (this place and below)"), queryset=Place.objects.none()
    )
    base_url = forms.CharField(
        label=_("Base URL"), max_length=200, help_text=_("e.g. https://dhis2.sante.gov.ml")
    )
    username = forms.CharField(label=_("Username"), max_length=120)
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(render_value=False),
        strip=False,
        required=False,
        max_length=SECRET_LENGTH,
    )
    id_scheme = forms.ChoiceField(label=_("Identifier scheme"), choices=IdScheme.choices)
    data_set = forms.CharField(label=_("Data set (UID, optional)"), max_length=50, required=False)
    attribute_option_combo = forms.CharField(
        label=_("Attribute option combo (UID, optional)"), max_length=50, required=False
    )
    timeout = forms.FloatField(label=_("Timeout (seconds)"), min_value=1, max_value=300, initial=30)

    def __init__(self, *args: Any, places: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if places is None:
            del self.fields["place"]
            self.fields["password"].help_text = _("Leave empty to keep the stored password.")
            self.fields["is_active"] = forms.BooleanField(label=_("Active"), required=False)
        else:
            self.fields["place"].queryset = places  # type: ignore[attr-defined]
            self.fields["password"].required = True


class DataElementForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"))
    breakdown = forms.CharField(
        label=_("Breakdown (empty for the total, e.g. sex=F)"), max_length=80, required=False
    )
    figure = forms.ChoiceField(label=_("Figure sent"), choices=Figure.choices)
    data_element = forms.CharField(label=_("Data element"), max_length=50)
    category_option_combo = forms.CharField(
        label=_("Category option combo (UID, empty for default)"), max_length=50, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [  # type: ignore[attr-defined]
            (indicator.code, f"{indicator.code} — {indicator.name}")
            for indicator in catalog.all_indicators()
        ]


class OrgUnitForm(forms.Form):
    place = PlaceChoiceField(label=_("Community"), queryset=Place.objects.none(), required=False)
    health_center = forms.ModelChoiceField(
        label=_("or health center"), queryset=HealthCenter.objects.none(), required=False
    )
    org_unit = forms.CharField(label=_("Organisation unit"), max_length=50)

    def __init__(self, *args: Any, places: Any, health_centers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places  # type: ignore[attr-defined]
        self.fields["health_center"].queryset = health_centers  # type: ignore[attr-defined]


class PeriodForm(forms.Form):
    period = forms.CharField(label=_("Month (YYYY-MM)"), max_length=7)


class PushForm(PeriodForm):
    dry_run = forms.BooleanField(
        label=_("Dry run (DHIS2 checks but stores nothing)"), required=False
    )


class ConfirmForm(forms.Form):
    pass
