"""What a figure is of: an `Area`, a place or a health center's health area.

A place's figure is its stored value (every place above a community holds the sums of the
places below it). A health center's figure is the sum over the communities of its health area —
including communities served by the center that lie in another commune — that the user may see.
Every selector, page, export, the API and the DHIS2 payload take an `Area`, so each of those is
written once for both.
"""

from dataclasses import dataclass
from typing import Any

from jigiya.places.models import HealthCenter, Place

PLACE = "place"
HEALTH_CENTER = "health_center"


@dataclass(frozen=True)
class Area:
    """A place, or a health center (with `place`, where it stands: access is checked there, as
    for the place, and the figures of a health area are refused or shown as at that place)."""

    place: Place
    center: HealthCenter | None = None

    @classmethod
    def of(cls, where: Place | HealthCenter) -> "Area":
        """The area of a place, or the health area of a health center (its `place` loaded)."""
        if isinstance(where, HealthCenter):
            return cls(place=where.place, center=where)
        return cls(place=where)

    @property
    def kind(self) -> str:
        """`place` or `health_center`: also the name of its URL parameter."""
        return PLACE if self.center is None else HEALTH_CENTER

    @property
    def shown(self) -> Place | HealthCenter:
        return self.place if self.center is None else self.center

    @property
    def pk(self) -> Any:
        return self.shown.pk

    @property
    def name(self) -> str:
        return self.shown.name

    @property
    def code(self) -> str:
        return self.shown.code

    @property
    def key(self) -> tuple[str, Any]:
        return (self.kind, self.pk)

    @property
    def path(self) -> str:
        """Where access is checked: `require_perm_at(user, perm, area)` takes an area."""
        return self.place.path

    @property
    def place_kind(self) -> str:
        """The `place_kind` column of the exports: the place's kind, or `health_center`."""
        return self.place.kind if self.center is None else HEALTH_CENTER

    @property
    def query(self) -> dict[str, Any]:
        """The URL parameter naming the area: `{"place": id}` or `{"health_center": id}`."""
        return {self.kind: self.pk}
