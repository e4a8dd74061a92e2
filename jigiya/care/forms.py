from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jigiya.care.models import ExitReason, Method, Scheme, Service
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
