"""What every benchmark gets: the scale, signed-in clients, and real ids for URL parameters."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.test import Client

from jigiya.accounts import services as account_services
from jigiya.accounts.models import ApiToken, Assignment, User
from jigiya.places.models import BoardMember, BoardRole, HealthCenter, Place

ADMIN = "admin"
CHW = "relais.sotuba"


def _place() -> Any:
    # The country: the admin's way in, and the place page that lists the most.
    return Place.objects.get(code="ML")


def _health_center() -> Any:
    # Sotuba's CSCom carries the demo world's board and assemblies: the fullest page.
    return HealthCenter.objects.get(code="CSCOM-SOT")


def _user() -> Any:
    return User.objects.get(username=CHW)


def _member() -> Any:
    return BoardMember.objects.get(asaco__health_center__code="CSCOM-SOT", role=BoardRole.PRESIDENT)


def _assignment() -> Any:
    return Assignment.objects.filter(user__username=CHW).order_by("created_at").first()


def _token() -> Any:
    token = ApiToken.objects.filter(user__username=CHW).first()
    if token is None:
        admin = User.objects.get(username=ADMIN)
        token, _key = account_services.token_create(
            actor=admin, user=_user(), name="Téléphone de Sotuba"
        )
    return token


# URL parameter → the object whose id fills it. A new parameter name needs a line here
# (the page-weight benchmark refuses to guess).
PATH_PARAMS: dict[str, Callable[[], Any]] = {
    "place_id": _place,
    "health_center_id": _health_center,
    "user_id": _user,
    "member_id": _member,
    "assignment_id": _assignment,
    "token_id": _token,
}


@dataclass
class Context:
    scale: str
    admin: User
    chw: User
    params: dict[str, Any] = field(default_factory=dict)  # name → object

    @classmethod
    def build(cls, *, scale: str) -> "Context":
        return cls(
            scale=scale,
            admin=User.objects.get(username=ADMIN),
            chw=User.objects.get(username=CHW),
            params={name: find() for name, find in PATH_PARAMS.items()},
        )

    def client(self, user: User | None) -> Client:
        """A client signed in as `user` (anonymous for None); errors become 500s, not raises."""
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        return client
