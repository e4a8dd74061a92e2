"""Objects of this app for the access matrix: path parameter → object id in place "a" or "b"."""

from typing import Any

from jigiya.accounts.models import ApiToken
from jigiya.accounts.roles import Role


def _token(cast: Any, where: str) -> Any:
    user = cast.user(Role.CHW, where)
    return ApiToken.objects.get_or_create(
        user=user, name=f"phone {where}", defaults={"key_hash": where * 64, "hint": "jgy_x"}
    )[0].pk


OBJECTS = {
    "user_id": lambda cast, where: cast.user(Role.CHW, where).pk,
    "assignment_id": lambda cast, where: cast.user(Role.CHW, where).assignments.get().pk,
    "token_id": _token,
}
OUTSIDE_TEXT: dict[str, list[str]] = {"b": []}
