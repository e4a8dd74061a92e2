"""Until a person chooses their own password, they can do nothing else.

An administrator who creates an account or resets a password knows that password; the account
is the person's own only once they have replaced it. `User.must_change_password` marks that:
every page then leads to the password change page, and the API (with the browser's session)
answers 403. Logging out and choosing the language still work.

API tokens are not affected: a token is made by its owner on "My account", which they reach
only after choosing their password, and a reset does not revoke the tokens the person already
made (revoke them on the user's page when the reset is because a device was lost).
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from jigiya.core.errors import error_body


class PasswordChangeRequiredMiddleware:
    """After AuthenticationMiddleware: holds a user who must change their password to the
    password change page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "must_change_password", False)
            and request.path_info not in self._open_paths()
        ):
            return self._refuse(request)
        return self.get_response(request)

    @staticmethod
    def _open_paths() -> set[str]:
        return {
            reverse("accounts:password_change"),
            reverse("accounts:logout"),
            reverse("set_language"),
            reverse("healthz"),
        }

    @staticmethod
    def _refuse(request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith("/api/"):
            body = error_body(
                "password_change_required",
                _("Choose a new password on the password change page first."),
            )
            return JsonResponse(body, status=403)
        return redirect("accounts:password_change")
