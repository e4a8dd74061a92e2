"""What every app's JSON API shares at the edge: the error body's schema, pagination, the body
read after the path's object is found, the PATCH rule and the day parameter.

Everything here turns bad input into the API's 422 before a service or the database sees it:
a page number that would overflow the database's integers, a day so far from today that date
arithmetic fails, a PATCH that changes nothing.
"""

import datetime
from typing import Annotated, Any, Self, TypeVar

import pydantic
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema
from ninja.errors import ValidationError as SchemaError
from ninja.pagination import PageNumberPagination
from pydantic_core import PydanticCustomError

from jigiya.core.bounds import program_start
from jigiya.core.params import EARLIEST_DAY, LATEST_DAY

# A page beyond this would ask the database for an offset past its integers (500 on SQLite and
# PostgreSQL); a million pages of 500 is far more than any list Jigiya holds.
MAX_PAGE = 1_000_000

S = TypeVar("S", bound=pydantic.BaseModel)

# A day in a query (`?day=`): bounded, so that the weeks and months around it exist.
Day = Annotated[datetime.date, Field(ge=EARLIEST_DAY, le=LATEST_DAY)]

# A phone's clock may run a little ahead of the server's (what is ahead within it is stored as
# now, `core.retries.made_on_phone`); further ahead, or before the program started, the time a
# record says it was made on the phone is a mistake.
MADE_AT_SKEW = datetime.timedelta(minutes=5)


def _made_at(value: datetime.datetime | None) -> datetime.datetime | None:
    if value is None:
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    if value > timezone.now() + MADE_AT_SKEW:
        message = _("The time made on the phone (%(made_at)s) is in the future.")
        raise PydanticCustomError("made_at_future", str(message) % {"made_at": value.isoformat()})
    start = datetime.datetime.combine(program_start(), datetime.time.min)
    if value < timezone.make_aware(start):
        message = _(
            "The time made on the phone (%(made_at)s) is before the start of the program "
            "(%(start)s)."
        )
        raise PydanticCustomError(
            "made_at_early",
            str(message) % {"made_at": value.isoformat(), "start": program_start().isoformat()},
        )
    return value


# `made_at` in a field client's write: when the record was made on the phone (ISO 8601),
# optional, kept on the record beside the time the server received it.
MadeAt = Annotated[datetime.datetime | None, pydantic.AfterValidator(_made_at)]


class ErrorDetail(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]


class ErrorOut(Schema):
    """The one error body: `{"error": {"code", "message", "fields"}}` (see `core.errors`)."""

    error: ErrorDetail


class Pagination(PageNumberPagination):
    """`?page=` and `?page_size=` as Ninja reads them, with the page bounded (422 beyond)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1)


class PatchSchema(Schema):
    """A PATCH body: only the fields sent change, and at least one must be sent."""

    @pydantic.model_validator(mode="after")
    def _something_sent(self) -> Self:
        if not self.model_fields_set:
            message = str(_("Send at least one field to change."))
            raise PydanticCustomError("nothing_to_change", message)
        return self


def parse_body(schema: type[S], request: HttpRequest) -> S:
    """The request's JSON body as `schema`, or the API's 422. Handlers call it after fetching
    the object of the path in the caller's scope, so what lies outside answers 404 whatever
    the body holds (nothing about it is revealed by a validation message)."""
    try:
        return schema.model_validate_json(request.body or b"{}")
    except pydantic.ValidationError as exc:
        raise SchemaError(
            [{**error, "loc": ("body", "payload", *error["loc"])} for error in exc.errors()]
        ) from exc


def body_doc(schema: type[pydantic.BaseModel]) -> dict[str, Any]:
    """OpenAPI for a body that `parse_body` reads (its `$defs` are moved to the document's
    components by `core.openapi`)."""
    return {
        "requestBody": {
            "content": {"application/json": {"schema": schema.model_json_schema()}},
            "required": True,
        }
    }
