"""Objects of this app for the access matrix: path parameter → object id in place "a" or "b"."""

import datetime
from typing import Any

from jigiya.quality.models import ActionItem, Assessment, Project
from jigiya.quality.selectors import current_version


def _center(cast: Any, where: str) -> Any:
    return cast.center_a if where == "a" else cast.center_b


def _assessment(cast: Any, where: str) -> Any:
    return Assessment.objects.get_or_create(
        health_center=_center(cast, where),
        version=current_version(),
        assessed_on=datetime.date(2024, 1, 10),
        defaults={"assessors": f"Assessor {where}"},
    )[0].pk


def _project(cast: Any, where: str) -> Any:
    return Project.objects.get_or_create(
        health_center=_center(cast, where),
        title=f"Project {where}",
        defaults={"aim": "Aim", "started_on": datetime.date(2024, 1, 1)},
    )[0].pk


def _action(cast: Any, where: str) -> Any:
    return ActionItem.objects.get_or_create(
        health_center=_center(cast, where),
        text=f"Action {where}",
        defaults={"owner": "ASACO", "agreed_on": datetime.date(2024, 1, 1),
                  "due_on": datetime.date(2024, 6, 1)},
    )[0].pk  # fmt: skip


OBJECTS = {
    "item_id": _action,
    "assessment_id": _assessment,
    "project_id": _project,
}
OUTSIDE_TEXT = {"b": ["Assessor b", "Project b", "Action b"]}
