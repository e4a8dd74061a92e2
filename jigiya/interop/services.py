"""Every write of the interop app: DHIS2 configuration, mappings, and pushes. Each is audited.

A push is three steps, so that nothing half-sent is ever recorded as sent:

1. one short transaction locks the server row, refuses a second send of the same period while
   one is `pending`, and records the attempt as `pending` (committed before the request leaves);
2. the request, outside any transaction (it may take up to the server's timeout);
3. one transaction records DHIS2's answer: `sent`, `partial`, `checked` (dry run) or `failed`.

A push row is itself the record of who sent what and when (with the payload), so it is not
copied into the audit trail; configuration changes are audited (the password never is).

If the process dies between 1 and 3, the attempt stays `pending` until it is older than the
timeout plus a minute; the next attempt then marks it `failed` ("interrupted") and goes ahead.
"""

import datetime
import re
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jigiya.accounts.access import Actor, acting_user, require_perm_at
from jigiya.accounts.roles import Perm
from jigiya.core.audit import audit_record, audit_snapshot
from jigiya.core.bounds import SECRET_LENGTH, text_within
from jigiya.core.errors import Conflict
from jigiya.core.models import AuditAction
from jigiya.core.periods import Month
from jigiya.indicators import catalog
from jigiya.indicators import selectors as indicator_selectors
from jigiya.interop import dhis2, secret, selectors
from jigiya.interop.models import (
    DataElementMapping,
    Dhis2Conflict,
    Dhis2Push,
    Dhis2Server,
    Figure,
    IdScheme,
    OrgUnitMapping,
    PushStatus,
    allow_http,
)
from jigiya.places.models import HealthCenter, Place, PlaceKind

UID = re.compile(r"^[A-Za-z][A-Za-z0-9]{10}$")
CODE = re.compile(r"^\S(.{0,48}\S)?$")
STALE_AFTER = datetime.timedelta(seconds=60)
MIN_TIMEOUT, MAX_TIMEOUT = 1, 300  # seconds


def _require_push(actor: Actor, place: Place) -> None:
    """`DHIS2_PUSH` at `place` (403 otherwise); the command line (`actor=None`) may push."""
    if actor is not selectors.SYSTEM:
        require_perm_at(actor, Perm.DHIS2_PUSH, place)


def _check_active(place: Place) -> None:
    """A deactivated place gets no new server or mapping (the pages offer active places only)."""
    if not place.is_active:
        raise ValidationError({"place": _("This place is no longer active.")})


def _check_timeout(timeout: float) -> None:
    """From 1 to 300 seconds, as the form offers (the database only holds it above 0)."""
    if not MIN_TIMEOUT <= timeout <= MAX_TIMEOUT:
        limit, message = (
            (MIN_TIMEOUT, _("Ensure this value is greater than or equal to %(limit_value)s."))
            if timeout < MIN_TIMEOUT
            else (MAX_TIMEOUT, _("Ensure this value is less than or equal to %(limit_value)s."))
        )
        raise ValidationError({"timeout": message % {"limit_value": limit}})


def _check_url(url: str) -> str:
    url = url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme != "https" and not (parts.scheme == "http" and allow_http()):
        raise ValidationError(
            {
                "base_url": _(
                    "The DHIS2 address must start with https:// (the password travels with it)."
                )
            }
        )
    if not parts.netloc or parts.query or parts.fragment or parts.username:
        raise ValidationError(
            {"base_url": _("Give the DHIS2 address only, e.g. https://dhis2.example.org.")}
        )
    if url.endswith("/api"):
        url = url[: -len("/api")]
    return url


def _check_id(value: str, *, scheme: str, field: str, required: bool = True) -> str:
    value = value.strip()
    if not value:
        if required:
            raise ValidationError({field: _("This identifier is required.")})
        return ""
    pattern = UID if scheme == IdScheme.UID else CODE
    if not pattern.match(value):
        message = (
            _("“%(value)s” is not a DHIS2 UID (a letter then 10 letters or digits).")
            if scheme == IdScheme.UID
            else _("“%(value)s” is not a usable DHIS2 code (1 to 50 characters, no edge spaces).")
        )
        raise ValidationError({field: message % {"value": value}})
    return value


def _save(obj: Any, *, actor: Actor, before: dict[str, Any] | None, unique_field: str) -> None:
    if isinstance(obj, Dhis2Server):
        obj.full_clean(exclude=["password"])
    else:  # mappings: the duplicates were checked with clear messages by the caller
        obj.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise ValidationError({unique_field: _("This is already mapped on this server.")}) from exc
    audit_record(actor=acting_user(actor), obj=obj, before=before)


@transaction.atomic
def server_create(
    *,
    actor: Actor,
    name: str,
    place: Place,
    base_url: str,
    username: str,
    password: str,
    id_scheme: str = IdScheme.UID,
    data_set: str = "",
    attribute_option_combo: str = "",
    timeout: float = 30,
) -> Dhis2Server:
    """Configure a DHIS2 server for `place` and below (the actor holds DHIS2_PUSH there). The
    password is stored encrypted and never returned."""
    _require_push(actor, place)
    _check_active(place)
    _check_timeout(timeout)
    if not password:
        raise ValidationError({"password": _("The DHIS2 password is required.")})
    text_within("password", password, SECRET_LENGTH, _("The password"))
    server = Dhis2Server(
        name=name.strip(),
        place=place,
        base_url=_check_url(base_url),
        username=username.strip(),
        password=secret.encrypt(password),
        id_scheme=id_scheme,
        data_set=_check_id(data_set, scheme=IdScheme.UID, field="data_set", required=False),
        attribute_option_combo=_check_id(
            attribute_option_combo,
            scheme=IdScheme.UID,
            field="attribute_option_combo",
            required=False,
        ),
        timeout=timeout,
        created_by=acting_user(actor),
    )
    _save(server, actor=actor, before=None, unique_field="name")
    return server


@transaction.atomic
def server_update(
    *,
    actor: Actor,
    server: Dhis2Server,
    name: str,
    base_url: str,
    username: str,
    password: str = "",
    id_scheme: str,
    data_set: str = "",
    attribute_option_combo: str = "",
    timeout: float,
    is_active: bool = True,
) -> Dhis2Server:
    """Change a server's settings; an empty `password` keeps the stored one."""
    _require_push(actor, server.place)
    _check_timeout(timeout)
    before = audit_snapshot(server)
    server.name = name.strip()
    server.base_url = _check_url(base_url)
    server.username = username.strip()
    text_within("password", password, SECRET_LENGTH, _("The password"))
    if password:
        server.password = secret.encrypt(password)
    server.id_scheme = id_scheme
    server.data_set = _check_id(data_set, scheme=IdScheme.UID, field="data_set", required=False)
    server.attribute_option_combo = _check_id(
        attribute_option_combo, scheme=IdScheme.UID, field="attribute_option_combo", required=False
    )
    server.timeout = timeout
    server.is_active = is_active
    _save(server, actor=actor, before=before, unique_field="name")
    return server


def _check_breakdown(code: str, breakdown: str) -> None:
    """A breakdown is one the indicator stores ("sex=F", "muac=red"…): a typo would send zeros."""
    if not breakdown:
        return
    if indicator_selectors.breakdown_is_stored(code=code, breakdown=breakdown):
        return
    known = indicator_selectors.stored_breakdowns(code=code)
    raise ValidationError(
        {
            "breakdown": _(
                "“%(breakdown)s” is not a breakdown of %(code)s. Its breakdowns: %(known)s."
            )
            % {"breakdown": breakdown, "code": code, "known": ", ".join(known) or _("none yet")}
        }
    )


@transaction.atomic
def data_element_mapping_save(
    *,
    actor: Actor,
    server: Dhis2Server,
    indicator: str,
    breakdown: str = "",
    figure: str = Figure.VALUE,
    data_element: str,
    category_option_combo: str = "",
) -> DataElementMapping:
    """Map one figure of an indicator (total or one breakdown) to a data element and category
    option combo. The indicator must be in the catalog; a denominator needs a rate."""
    _require_push(actor, server.place)
    declared = catalog.get(indicator)
    if declared is None:
        raise ValidationError(
            {"indicator": _("“%(code)s” is not an indicator of the catalog.") % {"code": indicator}}
        )
    if figure == Figure.DENOMINATOR and not declared.is_rate:
        raise ValidationError(
            {"figure": _("This indicator is a count or a sum: it has no denominator.")}
        )
    _check_breakdown(indicator, breakdown.strip())
    taken = DataElementMapping.objects.filter(server=server)
    if taken.filter(indicator=indicator, breakdown=breakdown.strip(), figure=figure).exists():
        raise ValidationError({"figure": _("This figure of this indicator is already mapped.")})
    if taken.filter(
        data_element=data_element.strip(), category_option_combo=category_option_combo.strip()
    ).exists():
        raise ValidationError(
            {
                "data_element": _(
                    "This data element and category option combo already receive another figure."
                )
            }
        )
    mapping = DataElementMapping(
        server=server,
        indicator=indicator,
        breakdown=breakdown.strip(),
        figure=figure,
        data_element=_check_id(data_element, scheme=server.id_scheme, field="data_element"),
        # Category option combos are always UIDs (see dhis2.query_params); empty = default.
        category_option_combo=_check_id(
            category_option_combo,
            scheme=IdScheme.UID,
            field="category_option_combo",
            required=False,
        ),
        created_by=acting_user(actor),
    )
    _save(mapping, actor=actor, before=None, unique_field="data_element")
    return mapping


@transaction.atomic
def mapping_delete(*, actor: Actor, mapping: DataElementMapping | OrgUnitMapping) -> None:
    """Remove a mapping of an indicator or of a place (configuration, not a record: deleted,
    and the deletion audited)."""
    _require_push(actor, mapping.server.place)
    audit_record(actor=acting_user(actor), obj=mapping, action=AuditAction.DELETE)
    mapping.delete()


@transaction.atomic
def org_unit_mapping_save(
    *,
    actor: Actor,
    server: Dhis2Server,
    org_unit: str,
    place: Place | None = None,
    health_center: HealthCenter | None = None,
) -> OrgUnitMapping:
    """Map a community or a health center below the server's place to a DHIS2 org unit."""
    _require_push(actor, server.place)
    if (place is None) == (health_center is None):
        raise ValidationError({"place": _("Choose a community or a health center (one of them).")})
    where = place if place is not None else health_center.place  # type: ignore[union-attr]
    if place is not None and place.kind != PlaceKind.COMMUNITY:
        raise ValidationError({"place": _("Only a community can be mapped to an org unit.")})
    if place is not None:
        _check_active(place)
    if not where.path.startswith(server.place.path):
        raise ValidationError(
            {"place": _("This place is not below %(place)s.") % {"place": server.place}}
        )
    taken = OrgUnitMapping.objects.filter(server=server)
    if (place and taken.filter(place=place).exists()) or (
        health_center and taken.filter(health_center=health_center).exists()
    ):
        raise ValidationError({"place": _("This place is already mapped on this server.")})
    if taken.filter(org_unit=org_unit.strip()).exists():
        raise ValidationError(
            {"org_unit": _("This organisation unit already receives another place's values.")}
        )
    mapping = OrgUnitMapping(
        server=server,
        place=place,
        health_center=health_center,
        org_unit=_check_id(org_unit, scheme=server.id_scheme, field="org_unit"),
        created_by=acting_user(actor),
    )
    _save(mapping, actor=actor, before=None, unique_field="org_unit")
    return mapping


# --- pushing ------------------------------------------------------------------------------


def _password(server: Dhis2Server) -> str:
    try:
        return secret.decrypt(server.password)
    except secret.SecretError as exc:
        raise ValidationError(
            {
                "password": _(
                    "The stored DHIS2 password cannot be read (the server key changed?): "
                    "enter it again in the server's settings."
                )
            }
        ) from exc


@transaction.atomic
def _push_begin(
    *, actor: Actor, server: Dhis2Server, month: Month, built: dhis2.DataValueSet, dry_run: bool
) -> Dhis2Push:
    # Lock the server row: two sends of the same period cannot both pass the check below.
    Dhis2Server.objects.select_for_update().get(pk=server.pk)
    now = timezone.now()
    for pending in Dhis2Push.objects.filter(
        server=server, period=month.dhis2, status=PushStatus.PENDING
    ):
        limit = datetime.timedelta(seconds=server.timeout) + STALE_AFTER
        if now - pending.created_at < limit:
            raise Conflict(
                _(
                    "%(period)s is being sent to %(server)s right now (started %(when)s). "
                    "Wait for its answer before sending again."
                )
                % {
                    "period": month,
                    "server": server,
                    "when": timezone.localtime(pending.created_at).strftime("%H:%M:%S"),
                }
            )
        pending.status = PushStatus.FAILED
        pending.error_code = "interrupted"
        pending.message = _(
            "The attempt was interrupted before DHIS2's answer was recorded; whether DHIS2 "
            "stored the values is unknown. Sending again is safe."
        )
        pending.finished_at = now
        pending.save(update_fields=["status", "error_code", "message", "finished_at", "updated_at"])
    digest = built.hash
    first = (
        Dhis2Push.objects.filter(
            server=server,
            period=month.dhis2,
            payload_hash=digest,
            dry_run=dry_run,
            retry_of__isnull=True,
        )
        .order_by("created_at")
        .first()
    )
    attempt = 1
    if first is not None:
        attempt = 2 + first.retries.count()
    push = Dhis2Push(
        server=server,
        period=month.dhis2,
        dry_run=dry_run,
        status=PushStatus.PENDING,
        payload=built.payload,
        sources=built.sources,
        payload_hash=digest,
        value_count=len(built.data_values),
        retry_of=first,
        attempt=attempt,
        created_by=acting_user(actor),
    )
    push.full_clean()
    push.save()
    return push


def _conflict_values(
    conflict: dhis2.ImportConflict, built: dhis2.DataValueSet
) -> list[dict[str, Any]]:
    """The data values a conflict concerns: by `indexes` (2.36+), else by the object's id."""
    values = built.data_values
    if conflict.indexes:
        picked = [i for i in conflict.indexes if 0 <= i < len(values)]
    else:
        keys = ("dataElement", "orgUnit", "categoryOptionCombo", "attributeOptionCombo", "period")
        picked = [
            i
            for i, value in enumerate(values)
            if conflict.object and any(value.get(key) == conflict.object for key in keys)
        ]
    return [{"index": i, **values[i], "source": built.sources[i]} for i in picked]


def _status(answer: dhis2.Answer, dry_run: bool) -> str:
    summary = answer.summary
    if summary is None:
        return PushStatus.FAILED
    accepted = summary.imported + summary.updated + summary.deleted
    clean = summary.status in ("SUCCESS", "OK") and not summary.conflicts
    if clean:
        return PushStatus.CHECKED if dry_run else PushStatus.SENT
    return PushStatus.PARTIAL if accepted else PushStatus.FAILED


def _message(answer: dhis2.Answer, status: str) -> str:
    if answer.summary is None:
        return answer.message
    if status in (PushStatus.SENT, PushStatus.CHECKED):
        return ""
    count = len(answer.summary.conflicts)
    if status == PushStatus.PARTIAL:
        return _(
            "DHIS2 accepted part of the values and reported %(count)s conflict(s): see each "
            "conflict and the value that caused it."
        ) % {"count": count}
    return _("DHIS2 stored nothing (%(status)s, %(count)s conflict(s)).") % {
        "status": answer.summary.status,
        "count": count,
    }


@transaction.atomic
def _push_finish(*, push: Dhis2Push, answer: dhis2.Answer, built: dhis2.DataValueSet) -> Dhis2Push:
    status = _status(answer, push.dry_run)
    summary = answer.summary
    push.status = status
    push.http_status = answer.http_status
    push.error_code = answer.error_code or ("" if status != PushStatus.FAILED else "rejected")
    push.message = _message(answer, status)
    push.response = answer.raw
    push.finished_at = timezone.now()
    if summary is not None:
        push.summary_status = summary.status[:16]
        push.imported = summary.imported
        push.updated = summary.updated
        push.ignored = summary.ignored
        push.deleted = summary.deleted
        Dhis2Conflict.objects.bulk_create(
            Dhis2Conflict(
                push=push,
                object=conflict.object,
                message=conflict.value,
                error_code=conflict.error_code,
                property=conflict.property,
                values=_conflict_values(conflict, built),
            )
            for conflict in summary.conflicts
        )
    push.save()
    return push


def dhis2_push(
    *,
    actor: Actor,
    server: Dhis2Server,
    month: Month,
    dry_run: bool = False,
    transport: Any = None,
) -> Dhis2Push:
    """Send `month`'s values to `server` (or ask DHIS2 for a dry run) and record the answer.

    Refuses (ValidationError, nothing recorded) a future month, an inactive server, an address
    that is not https, an unreadable stored password, or an empty payload; refuses (Conflict)
    while another send of this period is pending. Otherwise returns the attempt, whose status
    comes only from DHIS2's answer. `actor=None` is the command line (no scope)."""
    _require_push(actor, server.place)
    selectors.check_period(month)
    if not server.is_active:
        raise ValidationError({"server": _("This DHIS2 server is switched off.")})
    _check_url(server.base_url)
    password = _password(server)
    built = selectors.payload_build(user=actor, server=server, month=month, perm=Perm.DHIS2_PUSH)
    if not built.data_values:
        raise ValidationError(
            {
                "period": _(
                    "Nothing to send for %(period)s: map at least one indicator and one place."
                )
                % {"period": month}
            }
        )
    push = _push_begin(actor=actor, server=server, month=month, built=built, dry_run=dry_run)
    try:
        answer = dhis2.send(
            base_url=server.base_url,
            username=server.username,
            password=password,
            payload=built.payload,
            id_scheme=server.id_scheme,
            dry_run=dry_run,
            timeout=server.timeout,
            transport=transport,
        )
    except Exception as exc:  # a bug, not the network: record the attempt as failed, re-raise
        _push_finish(
            push=push,
            answer=dhis2.Answer(
                "error",
                _("Jigiya failed while sending: %(error)s") % {"error": type(exc).__name__},
            ),
            built=built,
        )
        raise
    return _push_finish(push=push, answer=answer, built=built)
