"""A password validator of our own, beside Django's (settings.AUTH_PASSWORD_VALIDATORS)."""

from typing import Any

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class NotCurrentPasswordValidator:
    """A new password must differ from the one it replaces.

    Runs wherever Django validates a password (the password change page, an administrator's
    reset, the Django admin), before the new one is set, so `user.password` still holds the
    current hash. Checked with the hasher only: `user.check_password` would also re-hash and
    save the current password as a side effect.
    """

    def validate(self, password: str, user: Any = None) -> None:
        current = getattr(user, "password", "")
        if current and check_password(password, current):
            raise ValidationError(
                _("The new password must differ from the current one."),
                code="password_reused",
            )

    def get_help_text(self) -> str:
        return _("Your new password must differ from your current one.")
