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
"""

import datetime
import uuid
from collections.abc import Callable, Iterable

Cells = Iterable[tuple[uuid.UUID, datetime.date]]
Listener = Callable[..., None]

_SOURCES: set[str] = set()
_LISTENERS: list[Listener] = []


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
