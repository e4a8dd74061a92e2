from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jigiya.care.models import ExitReason, Level, Method, OverBudget, Scheme, Service
from jigiya.donors.models import Funding
from jigiya.places.models import HealthCenter, Place
from jigiya.registry.models import Person

# ISO values: a date input shows nothing for "03/12/2026" (the French format).
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
AMOUNT = forms.NumberInput(attrs={"inputmode": "numeric", "min": 1})


class CoverageForm(forms.Form):
    scheme: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Scheme"), queryset=Scheme.objects.none()
    )
    start = forms.DateField(label=_("Covered from"), widget=DATE)
    end = forms.DateField(label=_("Until (optional)"), widget=DATE, required=False)
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args: Any, schemes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = schemes  # type: ignore[attr-defined]


class CoverageEndForm(forms.Form):
    end = forms.DateField(label=_("Last day covered"), widget=DATE)
    exit_reason = forms.ChoiceField(label=_("Why it ends"), choices=ExitReason.choices)


class CareLineForm(forms.Form):
    person: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Beneficiary"), queryset=Person.objects.none()
    )
    day = forms.DateField(label=_("Date of care"), widget=DATE)
    service = forms.ChoiceField(label=_("Service"), choices=Service.choices)
    amount = forms.IntegerField(label=_("Amount (FCFA)"), min_value=1, widget=AMOUNT)

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Care lines of the month (XLSX, from the template)"))


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class PayForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE)
    amount = forms.IntegerField(label=_("Amount (FCFA)"), min_value=1, widget=AMOUNT)
    method = forms.ChoiceField(label=_("Method"), choices=Method.choices)
    reference = forms.CharField(
        label=_("Reference (Orange Money, Moov Money, bank)"), max_length=64, required=False
    )


class ReverseForm(forms.Form):
    on = forms.DateField(label=_("Date of the correction"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), max_length=200)


class SchemeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=160)
    place: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Area"), queryset=Place.objects.none()
    )
    level = forms.ChoiceField(label=_("Households"), choices=Level.choices)
    covers_children = forms.BooleanField(
        label=_("children under five"), required=False, initial=True
    )
    covers_pregnancies = forms.BooleanField(
        label=_("pregnant women and up to 42 days after delivery"), required=False, initial=True
    )
    services = forms.MultipleChoiceField(
        label=_("Services"), choices=Service.choices, widget=forms.CheckboxSelectMultiple
    )
    percent = forms.IntegerField(
        label=_("Part covered (%)"), min_value=1, max_value=100, initial=100
    )
    ceiling = forms.IntegerField(
        label=_("Ceiling per episode (FCFA, optional)"), min_value=1, required=False, widget=AMOUNT
    )
    health_centers: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Health centers"), queryset=HealthCenter.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE)
    valid_until = forms.DateField(label=_("Valid until (optional)"), widget=DATE, required=False)
    funding: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Funding"), queryset=Funding.objects.none()
    )

    def __init__(self, *args: Any, places: Any, centers: Any, fundings: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places  # type: ignore[attr-defined]
        self.fields["health_centers"].queryset = centers  # type: ignore[attr-defined]
        self.fields["funding"].queryset = fundings  # type: ignore[attr-defined]

    def clean_health_centers(self) -> list[HealthCenter]:
        return list(self.cleaned_data["health_centers"])


class BudgetForm(forms.Form):
    health_center: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Health center"), queryset=HealthCenter.objects.none()
    )
    start = forms.DateField(label=_("Start"), widget=DATE)
    end = forms.DateField(label=_("End"), widget=DATE)
    amount = forms.IntegerField(label=_("Amount (FCFA)"), min_value=1, widget=AMOUNT)
    over_budget = forms.ChoiceField(label=_("Above 100 %"), choices=OverBudget.choices)

    def __init__(self, *args: Any, centers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["health_center"].queryset = centers  # type: ignore[attr-defined]


class SchemeCloseForm(forms.Form):
    valid_until = forms.DateField(label=_("Last day of the scheme"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), max_length=300)


class BudgetEditForm(forms.Form):
    amount = forms.IntegerField(label=_("Amount (FCFA)"), min_value=1, widget=AMOUNT)
    end = forms.DateField(label=_("End"), widget=DATE)
    over_budget = forms.ChoiceField(label=_("Above 100 %"), choices=OverBudget.choices)
    reason = forms.CharField(label=_("Reason for the change"), max_length=300)
