"""Forms of the donor management pages. They check shapes only; the services check the rest
(dates in order, a place in the actor's places, a partner login)."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jigiya.accounts.models import User
from jigiya.core.forms import DATE
from jigiya.core.programs import Program


class DonorForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=160)
    code = forms.CharField(label=_("code"), max_length=32)


class DonorEditForm(DonorForm):
    is_active = forms.BooleanField(label=_("active"), required=False)


class FundingForm(forms.Form):
    program = forms.ChoiceField(label=_("program"), choices=Program.choices)
    place = forms.CharField(
        label=_("place"),
        max_length=32,
        help_text=_("The code of the place funded (the funding covers everything below it)."),
    )
    start = forms.DateField(label=_("start"), widget=DATE)
    end = forms.DateField(label=_("end"), required=False, widget=DATE)


class FundingEndForm(forms.Form):
    end = forms.DateField(label=_("end"), widget=DATE)


class DonorUserForm(forms.Form):
    user: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("partner login"), queryset=User.objects.none()
    )

    def __init__(self, *args: Any, partners: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = partners  # type: ignore[attr-defined]
