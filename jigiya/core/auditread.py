"""Reading the audit trail as sentences: who changed what of which record, where.

An entry stores the record's kind (`app.model`) and id. To name the record and its place, the
entries of a page are read back per kind (one query each): the record's *subject* (the person,
woman, member or household it is about, else the record itself) and its *place* (the community
or place its foreign keys lead to). Both are found by walking the model's foreign keys, so core
knows no app above it and a new program's records read as sentences without being taught.
"""

import contextlib
import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Replace

from jigiya.core.models import AuditEntry

PLACE_MODEL = "places.place"
SUBJECTS = ("person", "woman", "member", "household", "group", "cooperative")
DEPTH = 4
PREFERRED = ("community", "place")


def model_of(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _forward_keys(model: type[models.Model]) -> list[models.ForeignKey]:
    return [
        field
        for field in model._meta.get_fields()
        if isinstance(field, models.ForeignKey) and field.name not in ("created_by", "actor")
    ]


def place_lookup(model: type[models.Model]) -> str | None:
    """The lookup from `model` to the place it belongs to (`household__community`, …), found
    breadth first through its foreign keys (a field named community or place first), or None."""
    if model._meta.label_lower == PLACE_MODEL:
        return ""
    frontier: list[tuple[type[models.Model], str]] = [(model, "")]
    for _depth in range(DEPTH):
        following = []
        for current, path in frontier:
            keys = sorted(_forward_keys(current), key=lambda f: f.name not in PREFERRED)
            for key in keys:
                target = key.related_model
                lookup = f"{path}__{key.name}" if path else key.name
                if isinstance(target, type) and target._meta.label_lower == PLACE_MODEL:
                    return lookup
                if isinstance(target, type):
                    following.append((target, lookup))
        frontier = following
    return None


def _subject_of(record: models.Model) -> str:
    if record._meta.model_name in SUBJECTS:  # a person, a household…: named by itself
        return str(record)
    for name in SUBJECTS:
        related = getattr(record, name, None) if hasattr(record, name) else None
        if isinstance(related, models.Model):
            return str(related)
    return str(record)


@dataclass
class Described:
    record: str  # what the record is about: a person, a household, or the record itself
    place: str  # the name of its place, or ""


def describe(entries: Iterable[AuditEntry]) -> dict[tuple[str, str], Described]:
    """(kind, id) → the record's subject and place, for the records still there: one query
    per kind of record among `entries`."""
    ids: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        ids[entry.model].add(entry.object_id)
    found: dict[tuple[str, str], Described] = {}
    for label, object_ids in ids.items():
        model = model_of(label)
        if model is None:
            continue
        lookup = place_lookup(model)
        related = [n for n in SUBJECTS if _is_key(model, n)]
        records = model._default_manager.filter(pk__in=_valid(model, object_ids))
        if lookup:
            related.append(lookup)
        records = records.select_related(*related) if related else records
        for record in records:
            place = _follow(record, lookup) if lookup is not None else None
            found[(label, str(record.pk))] = Described(_subject_of(record), str(place or ""))
    return found


def _is_key(model: type[models.Model], name: str) -> bool:
    try:
        return isinstance(model._meta.get_field(name), models.ForeignKey)
    except FieldDoesNotExist:
        return False


def _valid(model: type[models.Model], object_ids: set[str]) -> list[Any]:
    valid = []
    for object_id in object_ids:
        # An id of another shape: that record is gone.
        with contextlib.suppress(ValueError, TypeError, ValidationError):
            valid.append(model._meta.pk.to_python(object_id))
    return valid


def _follow(record: Any, lookup: str) -> Any:
    for name in lookup.split("__") if lookup else []:
        record = getattr(record, name, None)
        if record is None:
            return None
    return record


def _plain_id(expression: Any) -> Any:
    # An id as text without dashes: SQLite keeps a UUID as 32 hex digits, PostgreSQL as text
    # with dashes, the trail as text with dashes.
    return Replace(Cast(expression, CharField()), Value("-"), Value(""))


def in_place(entries: models.QuerySet[AuditEntry], path: str) -> models.QuerySet[AuditEntry]:
    """The entries whose record lies at the place of `path` or below it (records whose kind
    leads to no place are left out)."""
    kinds = entries.order_by().values_list("model", flat=True).distinct()
    condition = Q(pk__in=[])
    for label in kinds:
        model = model_of(label)
        lookup = place_lookup(model) if model is not None else None
        if model is None or lookup is None:
            continue
        place_path = f"{lookup}__path__startswith" if lookup else "path__startswith"
        ids = (
            model._default_manager.filter(**{place_path: path})
            .annotate(plain=_plain_id("pk"))
            .values("plain")
        )
        condition |= Q(model=label, plain_id__in=ids)
    return entries.annotate(plain_id=_plain_id("object_id")).filter(condition)


def day_bounds(since: datetime.date | None, until: datetime.date | None) -> Q:
    condition = Q()
    if since:
        condition &= Q(at__date__gte=since)
    if until:
        condition &= Q(at__date__lte=until)
    return condition
