import datetime
import uuid
from typing import Any

from ninja import Schema
from pydantic import Field


class ServerOut(Schema):
    """A DHIS2 server as the API shows it: never its password (nor, here, its credentials)."""

    id: uuid.UUID
    name: str
    place_id: uuid.UUID
    id_scheme: str
    data_set: str
    is_active: bool


class PreviewOut(Schema):
    server_id: uuid.UUID
    period: str
    payload: dict[str, Any]
    sources: list[dict[str, Any]]
    payload_hash: str


class PushIn(Schema):
    # Defaults on purpose: the access check (404/403) answers before the body is judged.
    period: str = Field(default="", max_length=7)  # 2026-11 or DHIS2's 202611
    dry_run: bool = False


class ConflictOut(Schema):
    object: str
    message: str
    error_code: str
    property: str
    values: list[dict[str, Any]]


class PushOut(Schema):
    id: uuid.UUID
    server_id: uuid.UUID
    period: str
    dry_run: bool
    status: str
    message: str
    error_code: str
    http_status: int | None
    summary_status: str
    imported: int
    updated: int
    ignored: int
    deleted: int
    value_count: int
    payload_hash: str
    attempt: int
    retry_of_id: uuid.UUID | None
    created_at: datetime.datetime
    finished_at: datetime.datetime | None
    created_by_id: uuid.UUID | None


class PushDetailOut(PushOut):
    conflicts: list[ConflictOut]

    @staticmethod
    def resolve_conflicts(obj: Any) -> list[Any]:
        return list(obj.conflicts.all())
