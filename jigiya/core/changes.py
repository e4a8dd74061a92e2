"""How a service says that records changed, without knowing who keeps figures of them.

Each kind of record that figures are computed from is a *source*, declared once, where the
service that writes it lives::

    SOURCE_VISIT = declare_source("followup.visit")

and the service, inside its transaction, names the (community id, day) cells it changed, before
and after a correction::

    records_changed(source=SOURCE_VISIT, cells=[(community_id, visit.date)])

The indicator engine listens (it registers itself when the app is ready) and marks those cells
stale. An undeclared source is a programming error, refused at once: a typo would otherwise
silently stop a figure from refreshing. This is how a lower app (places) tells a higher one
(indicators) of a change without importing it (README's layers).

A change to where places stand — a place moved, deactivated or reactivated, a community given
another health center — changes no record but may change the figures kept for the places above
it. The places service calls, inside its transaction, before the change and after it::

    places_changed(place_ids=[place.pk])

and the engine marks the figures of the place's parent *at that moment* stale (they are the sums
of the places below it): before a move that is the old parent, after it the new one, so both
sides are recomputed.
"""

import datetime
import uuid
from collections.abc import Callable, Iterable

Cells = Iterable[tuple[uuid.UUID, datetime.date]]
Listener = Callable[..., None]

_SOURCES: set[str] = set()
_LISTENERS: list[Listener] = []
_PLACE_LISTENERS: list[Listener] = []


def declare_source(name: str) -> str:
    """Declare a source of records (`app.record`); returns its name, for a module constant."""
    _SOURCES.add(name)
    return name


def declared_sources() -> frozenset[str]:
    return frozenset(_SOURCES)


def listen(listener: Listener) -> None:
    """Call `listener(source=..., cells=[...])` on every change (once, however often asked)."""
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)


def records_changed(*, source: str, cells: Cells) -> None:
    """Tell the listeners that the records of `source` changed in these (community, day) cells."""
    if source not in _SOURCES:
        raise ValueError(f"Undeclared source of records {source!r}: use declare_source().")
    cells = list(cells)
    for listener in _LISTENERS:
        listener(source=source, cells=cells)


def listen_places(listener: Listener) -> None:
    """Call `listener(place_ids=[...])` on every change to where places stand (once each)."""
    if listener not in _PLACE_LISTENERS:
        _PLACE_LISTENERS.append(listener)


def places_changed(*, place_ids: Iterable[uuid.UUID]) -> None:
    """Tell the listeners that these places moved, were (de)activated or changed health center:
    the figures kept for them and the places above them may be wrong in any month. Call it inside
    the transaction, before the change (for the places above them then) and after it."""
    ids = list(place_ids)
    if not ids:
        return
    for listener in _PLACE_LISTENERS:
        listener(place_ids=ids)
