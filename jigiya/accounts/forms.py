from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jigiya.accounts.models import LANGUAGE_CHOICES
from jigiya.accounts.roles import Role
from jigiya.core.forms import DateTimeInput
from jigiya.places.models import Place


class PlaceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Place) -> str:
        return f"{'· ' * obj.depth}{obj.name} ({obj.get_kind_display()})"


class AssignmentForm(forms.Form):
    # No role is chosen for the administrator: the first of the list was Administrator, given
    # by a tap on "Create" to someone who needed far less.
    role = forms.ChoiceField(label=_("Role"), choices=[("", _("Choose a role")), *Role.choices])
    place = PlaceChoiceField(label=_("Place"), queryset=Place.objects.none())

    def __init__(self, *args: Any, places: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places  # type: ignore[attr-defined]


class UserDetailsForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)


class UserCreateForm(UserDetailsForm, AssignmentForm):
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    must_change_password = forms.BooleanField(
        label=_("Must choose a new password at first login"),
        help_text=_("You know this password: the person replaces it before anything else."),
        required=False,
        initial=True,
    )

    field_order = [
        "username",
        "first_name",
        "last_name",
        "phone",
        "email",
        "language",
        "password",
        "must_change_password",
        "role",
        "place",
    ]


class UserEditForm(UserDetailsForm):
    is_active = forms.BooleanField(label=_("Active"), required=False)


class PasswordSetForm(forms.Form):
    password = forms.CharField(label=_("New password"), widget=forms.PasswordInput, strip=False)


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Device or integration"), max_length=80)
    expires_at = forms.DateTimeField(
        label=_("Expires"),
        required=False,
        widget=DateTimeInput(),
    )
