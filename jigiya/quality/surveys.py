"""Exit interviews (one record per respondent, fixed choices) and the return to deliver that a
health center reports for a month."""

import datetime
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jigiya.accounts.access import Actor, acting_user
from jigiya.core.audit import audit_record, audit_snapshot, create_audited
from jigiya.core.bounds import within_program
from jigiya.core.changes import records_changed
from jigiya.core.periods import Month
from jigiya.core.retries import replay
from jigiya.places.models import HealthCenter
from jigiya.quality.common import SOURCE_INTERVIEW, SOURCE_REPORTED_RETURN, require_center
from jigiya.quality.models import (
    ITEMS,
    ActionItem,
    ActionStatus,
    Choice,
    ExitInterview,
    ReportedReturn,
)


def _choices_for(item: str) -> list[tuple[str, Any]]:
    return [c for c in Choice.choices if item != "overall" or c[0] != Choice.NOT_APPLICABLE]


def _check_answers(answers: dict[str, str]) -> dict[str, str]:
    """One of the fixed choices for every item (overall: never "does not apply")."""
    unknown = set(answers) - {key for key, _label in ITEMS}
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("This is not an item of the exit interview.")})
    for item, label in ITEMS:
        value = answers.get(item, "")
        choices = _choices_for(item)
        if not value:
            raise ValidationError({item: _("%(item)s needs an answer.") % {"item": label}})
        if value not in {key for key, _text in choices}:
            raise ValidationError(
                {
                    item: _("“%(value)s” is not one of the choices for %(item)s: %(choices)s.")
                    % {
                        "value": value,
                        "item": label,
                        "choices": ", ".join(str(text) for _key, text in choices),
                    }
                }
            )
    return answers


@transaction.atomic
def exit_interview_record(
    *,
    actor: Actor,
    health_center: HealthCenter,
    interviewed_on: datetime.date,
    answers: dict[str, str],
    id: uuid.UUID | None = None,
) -> ExitInterview:
    """Record one respondent's answers. The same `id` with the same answers returns the first
    record; with others, `Conflict`."""
    expected = {"health_center": health_center, "interviewed_on": interviewed_on, **answers}
    if (existing := replay(ExitInterview, id, expected)) is not None:
        return existing
    require_center(actor, health_center)
    within_program("interviewed_on", interviewed_on, _("The interview date"))
    _check_answers(answers)
    interview = create_audited(
        ExitInterview(
            health_center=health_center,
            interviewed_on=interviewed_on,
            created_by=acting_user(actor),
            **answers,
        ),
        actor=actor,
        id=id,
    )
    records_changed(source=SOURCE_INTERVIEW, cells=[(health_center.place_id, interviewed_on)])
    return interview


@transaction.atomic
def reported_return_record(
    *,
    actor: Actor,
    health_center: HealthCenter,
    month: datetime.date,
    returned: int,
    followed: int,
    id: uuid.UUID | None = None,
) -> ReportedReturn:
    """The month's figure as the health center reports it: `returned` of `followed` women."""
    first = Month.of(month).first_day
    expected = {
        "health_center": health_center,
        "month": first,
        "returned": returned,
        "followed": followed,
    }
    if (existing := replay(ReportedReturn, id, expected)) is not None:
        return existing
    require_center(actor, health_center)
    within_program("month", first, _("The month"))
    if followed < 1:
        raise ValidationError({"followed": _("At least one woman must have been followed.")})
    if returned > followed:
        raise ValidationError(
            {
                "returned": _(
                    "%(returned)s women came back to deliver, more than the %(followed)s followed."
                )
                % {"returned": returned, "followed": followed}
            }
        )
    if ReportedReturn.objects.filter(health_center=health_center, month=first).exists():
        raise ValidationError(
            {"month": _("This month is already reported for this health center.")}
        )
    record = create_audited(
        ReportedReturn(
            health_center=health_center,
            month=first,
            returned=returned,
            followed=followed,
            created_by=acting_user(actor),
        ),
        actor=actor,
        id=id,
    )
    records_changed(source=SOURCE_REPORTED_RETURN, cells=[(health_center.place_id, first)])
    return record


@transaction.atomic
def action_item_add(
    *,
    actor: Actor,
    health_center: HealthCenter,
    agreed_on: datetime.date,
    text: str,
    owner: str,
    due_on: datetime.date,
) -> ActionItem:
    """An item of the action plan agreed at a community score card round."""
    require_center(actor, health_center)
    within_program("agreed_on", agreed_on, _("The round's date"))
    if due_on < agreed_on:
        raise ValidationError(
            {
                "due_on": _("The due date %(due)s is before the round (%(day)s).")
                % {"due": due_on, "day": agreed_on}
            }
        )
    if not text.strip() or not owner.strip():
        raise ValidationError({"text": _("Say what is to be done and who owns it.")})
    return create_audited(
        ActionItem(
            health_center=health_center,
            agreed_on=agreed_on,
            text=text.strip(),
            owner=owner.strip(),
            due_on=due_on,
            created_by=acting_user(actor),
        ),
        actor=actor,
    )


@transaction.atomic
def action_item_status(*, actor: Actor, item: ActionItem, status: str) -> ActionItem:
    """Follow an item: open, in progress, done or dropped."""
    require_center(actor, item.health_center)
    if status not in ActionStatus.values:
        raise ValidationError({"status": _("Choose a status of the action.")})
    before = audit_snapshot(item)
    item.status = status
    item.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, obj=item, before=before)
    return item
