"""Objects of this app for the access matrix: path parameter → object id in place "a" or "b"."""

import datetime
from typing import Any

from jigiya.places.models import BoardMember


def _board_member(cast: Any, where: str) -> Any:
    asaco = cast.asaco_a if where == "a" else cast.asaco_b
    return BoardMember.objects.get_or_create(
        asaco=asaco,
        role="president",
        defaults={"full_name": f"President {where}", "term_start": datetime.date(2022, 1, 1)},
    )[0].pk


OBJECTS = {
    "place_id": lambda cast, where: cast.place(where).pk,
    "health_center_id": lambda cast, where: (cast.center_a if where == "a" else cast.center_b).pk,
    "member_id": _board_member,
}
# Text that must never appear on a page shown to a user of the other place.
OUTSIDE_TEXT = {"b": ["Community B", "CSCom B", "ASACO B", "President b"]}
