"""Talking to DHIS2's Web API: `POST /api/dataValueSets` and reading its import summary.

Shapes follow the DHIS2 developer documentation (see this app's README for links):

- the request body is a data value set: optional `dataSet`, `period` (yyyyMM), and
  `dataValues`, each with `dataElement`, `period`, `orgUnit`, optional `categoryOptionCombo`
  and `attributeOptionCombo`, and `value` (a string);
- query parameters `dryRun`, `importStrategy`, `idScheme`, `dataElementIdScheme`,
  `orgUnitIdScheme`;
- the answer is an import summary: `status` SUCCESS | WARNING | ERROR, `importCount`
  {imported, updated, ignored, deleted}, `conflicts` [{object, value}] — since 2.36 also
  `errorCode`, `property`, `indexes` (positions in `dataValues`) — and since 2.38 wrapped as
  {"httpStatus": …, "httpStatusCode": …, "response": {…summary…}}, with HTTP 409 when the
  summary is WARNING or ERROR.

`send` never raises for the network: it returns an `Answer` saying what is known. Nothing here
logs the password or the Authorization header.
"""

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

import httpx
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jigiya.interop.models import IdScheme


@dataclass(frozen=True)
class DataValueSet:
    """What would be sent for one period: the JSON body and, for each data value, its source."""

    payload: dict[str, Any]
    sources: list[dict[str, Any]]

    @property
    def data_values(self) -> list[dict[str, str]]:
        return self.payload["dataValues"]

    @property
    def hash(self) -> str:
        return payload_hash(self.payload)


def payload_hash(payload: dict[str, Any]) -> str:
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class ImportConflict:
    object: str
    value: str
    error_code: str = ""
    property: str = ""
    indexes: tuple[int, ...] = ()


@dataclass(frozen=True)
class ImportSummary:
    status: str  # SUCCESS, WARNING, ERROR (or OK from some versions)
    imported: int
    updated: int
    ignored: int
    deleted: int
    description: str = ""
    conflicts: tuple[ImportConflict, ...] = ()


@dataclass(frozen=True)
class Answer:
    """What came back. `summary` is None when DHIS2 gave no import summary we could read."""

    error_code: str = ""  # "", unreachable, timeout, unauthorized, forbidden, not_found, …
    message: str = ""
    http_status: int | None = None
    summary: ImportSummary | None = None
    raw: dict[str, Any] | None = field(default=None)


def _int(value: Any) -> int:
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return 0


def _conflict(item: Any) -> ImportConflict:
    item = item if isinstance(item, dict) else {"value": str(item)}
    indexes = item.get("indexes") or []
    return ImportConflict(
        object=str(item.get("object") or "")[:255],
        value=str(item.get("value") or item.get("message") or ""),
        error_code=str(item.get("errorCode") or "")[:16],
        property=str(item.get("property") or "")[:64],
        indexes=tuple(i for i in indexes if isinstance(i, int) and not isinstance(i, bool)),
    )


def parse_summary(body: Any) -> ImportSummary | None:
    """The import summary in a DHIS2 answer, bare (up to 2.37) or wrapped (2.38+), or None."""
    if not isinstance(body, dict):
        return None
    inner = body.get("response")
    if isinstance(inner, dict) and ("importCount" in inner or "status" in inner):
        body = inner
    counts = body.get("importCount")
    if not isinstance(counts, dict) or "status" not in body:
        return None
    conflicts = body.get("conflicts") or []
    return ImportSummary(
        status=str(body.get("status", "")).upper(),
        imported=_int(counts.get("imported")),
        updated=_int(counts.get("updated")),
        ignored=_int(counts.get("ignored")),
        deleted=_int(counts.get("deleted")),
        description=str(body.get("description") or ""),
        conflicts=tuple(_conflict(item) for item in conflicts)
        if isinstance(conflicts, list)
        else (),
    )


def query_params(*, id_scheme: str, dry_run: bool) -> dict[str, str]:
    scheme = "CODE" if id_scheme == IdScheme.CODE else "UID"
    return {
        "dryRun": "true" if dry_run else "false",
        "importStrategy": "CREATE_AND_UPDATE",
        # Category option combos, attribute option combos and the data set stay UIDs; data
        # elements and org units follow the server's scheme (specific schemes win over idScheme).
        "idScheme": "UID",
        "dataElementIdScheme": scheme,
        "orgUnitIdScheme": scheme,
    }


_HTTP_ERRORS = {
    401: ("unauthorized", gettext_lazy("DHIS2 refused the username or password (401).")),
    403: (
        "forbidden",
        gettext_lazy("DHIS2 accepted the login but this account may not import data (403)."),
    ),
    404: ("not_found", gettext_lazy("No DHIS2 API at this address (404): check the base URL.")),
}


def send(
    *,
    base_url: str,
    username: str,
    password: str,
    payload: dict[str, Any],
    id_scheme: str,
    dry_run: bool,
    timeout: float,
    transport: httpx.BaseTransport | None = None,
) -> Answer:
    """POST the data value set with basic auth; return what is known, never raise for I/O."""
    url = base_url.rstrip("/") + "/api/dataValueSets"
    try:
        with httpx.Client(
            auth=httpx.BasicAuth(username, password),
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,  # never hand the credentials to another address
            transport=transport,
        ) as client:
            response = client.post(
                url,
                params=query_params(id_scheme=id_scheme, dry_run=dry_run),
                json=payload,
                headers={"Accept": "application/json"},
            )
    except httpx.TransportError as exc:
        return _network_answer(exc, timeout)
    return _answer(response)


def _network_answer(exc: httpx.TransportError, timeout: float) -> Answer:
    """No answer: too slow, nothing reached, or the connection broke after it was made."""
    if isinstance(exc, httpx.TimeoutException):
        return Answer(
            "timeout",
            _(
                "DHIS2 did not answer within %(seconds)s seconds. Whether it stored the values "
                "is unknown; sending again is safe (DHIS2 updates the same values)."
            )
            % {"seconds": f"{timeout:g}"},
        )
    if isinstance(exc, httpx.ConnectError):
        return Answer(
            "unreachable",
            _("DHIS2 could not be reached (%(reason)s). Nothing was sent.")
            % {"reason": type(exc).__name__},
        )
    # The connection broke after it was made: the values may have arrived.
    return Answer(
        "connection_lost",
        _(
            "The connection to DHIS2 broke (%(reason)s). Whether it stored the values is "
            "unknown; sending again is safe (DHIS2 updates the same values)."
        )
        % {"reason": type(exc).__name__},
    )


def _answer(response: httpx.Response) -> Answer:
    """What an HTTP answer says: an import summary (also with 409), or why there is none."""
    try:
        body = response.json()
    except ValueError:
        body = None
    raw = body if isinstance(body, dict) else None
    summary = parse_summary(body)
    status = response.status_code
    if summary is not None and (status < 300 or status == 409):
        return Answer("", "", status, summary, raw)
    if status in _HTTP_ERRORS:
        code, text = _HTTP_ERRORS[status]
        return Answer(code, str(text), status, None, raw)
    if 300 <= status < 400:
        return Answer(
            "redirect",
            _(
                "DHIS2 redirected the request (%(status)s), often to its login page: check the "
                "base URL (https, and the path before /api) and the credentials."
            )
            % {"status": status},
            status,
        )
    if status >= 500:
        return Answer(
            "server_error",
            _("DHIS2 failed while importing (HTTP %(status)s). Try again later.")
            % {"status": status},
            status,
            None,
            raw,
        )
    message = str((raw or {}).get("message") or "") if raw else ""
    return Answer(
        "invalid_response",
        _("DHIS2 answered HTTP %(status)s without an import summary. %(message)s")
        % {"status": status, "message": message},
        status,
        None,
        raw,
    )
