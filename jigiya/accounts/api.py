import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from jigiya.accounts import selectors
from jigiya.accounts.models import User
from jigiya.accounts.schemas import UserOut
from jigiya.core.api import Pagination

router = Router(tags=["users"])


@router.get("/me", response=UserOut)
def me(request: HttpRequest) -> User:
    return selectors.user_get(actor=request.user, user_id=request.user.pk)


@router.get("/users", response=list[UserOut])
@paginate(Pagination)
def user_list(request: HttpRequest, search: str = "", role: str = "") -> Any:
    return selectors.user_list(actor=request.user, search=search, role=role)


@router.get("/users/{user_id}", response=UserOut)
def user_detail(request: HttpRequest, user_id: uuid.UUID) -> User:
    return selectors.user_get(actor=request.user, user_id=user_id)
