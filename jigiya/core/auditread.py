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
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Replace
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format, number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from jigiya.core.models import AuditAction, AuditEntry
from jigiya.core.typography import colon

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


# What changed, read with labels: each field by its name, each value as the pages show it
# (a choice's label, a date in DATE_FORMAT, yes or no, the name of the record a key leads to),
# never the stored code ('F', 'child', True, '2024-01-01').
EMPTY = "—"


def change_lines(entries: Iterable[AuditEntry]) -> dict[Any, list[str]]:
    """entry pk → one line per changed field ("Sex: — → Female"): one query per kind of
    record the changed keys lead to."""
    entries = list(entries)
    names = _key_names(entries)
    lines: dict[Any, list[str]] = {}
    for entry in entries:
        model = model_of(entry.model)
        lines[entry.pk] = [
            _change_line(entry.action, field, name, pair, names)
            for name, pair in sorted(entry.changes.items(), key=_in_model_order(model))
            if (field := _field(model, name)) is None or _shown_field(field)
        ]
    return lines


def _in_model_order(model: type[models.Model] | None) -> Callable[[tuple[str, Any]], Any]:
    """Sort key: the model's field order, unknown names after, by name. PostgreSQL's jsonb
    keeps the changes' keys in its own order, SQLite in the order written."""
    fields = model._meta.concrete_fields if model is not None else ()
    order = {}
    for index, field in enumerate(fields):
        order[field.name] = order[field.attname] = index
    return lambda item: (order.get(item[0], len(order)), item[0])


def _field(model: type[models.Model] | None, name: str) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    for field in model._meta.concrete_fields:
        if name in (field.name, field.attname):
            return field
    return None


def _shown_field(field: models.Field[Any, Any]) -> bool:
    """Not the record's id nor a key kept for search (`name_key`): nothing a person reads."""
    return not field.primary_key and field.editable


def _key_names(entries: list[AuditEntry]) -> dict[tuple[str, str], str]:
    """(kind, id) → the name of each record a changed foreign key leads to."""
    wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
    for entry in entries:
        model = model_of(entry.model)
        for name, pair in entry.changes.items():
            field = _field(model, name)
            if isinstance(field, models.ForeignKey) and isinstance(field.related_model, type):
                wanted[field.related_model] |= {v for v in _pair(pair) if v not in (None, "")}
    names = {}
    for related, ids in wanted.items():
        for pk, record in related._default_manager.in_bulk(_valid(related, ids)).items():
            names[(related._meta.label_lower, str(pk))] = str(record)
    return names


def _pair(pair: Any) -> tuple[Any, Any]:
    if isinstance(pair, list | tuple) and len(pair) == 2:
        return pair[0], pair[1]
    return None, pair


def _change_line(
    action: str,
    field: models.Field[Any, Any] | None,
    name: str,
    pair: Any,
    names: dict[tuple[str, str], str],
) -> str:
    before, after = (_shown(field, value, names) for value in _pair(pair))
    label = capfirst(str(field.verbose_name)) if field is not None else name
    # "Sexe : Femme" in French and Bambara, "Sex: Female" in English (core.typography).
    if action == AuditAction.CREATE:
        return f"{label}{colon()} {after}"
    if action == AuditAction.DELETE:
        return f"{label}{colon()} {before}"
    return f"{label}{colon()} {before} → {after}"


def _shown(
    field: models.Field[Any, Any] | None, value: Any, names: dict[tuple[str, str], str]
) -> str:
    """A stored value as the pages show it."""
    if value is None or value == "":
        return EMPTY
    if field is None:
        return str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return str(_("Yes") if value else _("No"))
    if isinstance(field, models.ForeignKey) and isinstance(field.related_model, type):
        return names.get((field.related_model._meta.label_lower, str(value)), str(value))
    return _shown_plain(field, value)


def _shown_plain(field: models.Field[Any, Any], value: Any) -> str:
    if isinstance(field, models.DateTimeField):
        moment = parse_datetime(str(value))
        if moment is not None:
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return date_format(moment, "DATETIME_FORMAT")
    elif isinstance(field, models.DateField):
        day = parse_date(str(value))
        if day is not None:
            return date_format(day, "DATE_FORMAT")
    elif isinstance(field, models.DecimalField | models.FloatField):
        return number_format(value)
    return str(value)
