"""The QI program: a CSCom's QI team and coach, coaching sessions, improvement projects with
their measures, PDSA cycles and progress scores, and the handover from the coach to the team.

Handover: the stages go coach-led → co-led → team-led → handed over, each with its criteria
(`HANDOVER_CRITERIA`). Reaching a stage needs its criteria met, and those of every stage it
skips: a stage skipped without its criteria is refused. A stage is never reached twice nor
before the one before it."""

import datetime
import uuid
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jigiya.accounts.access import Actor, acting_user
from jigiya.accounts.models import User
from jigiya.core.audit import create_audited
from jigiya.core.bounds import NOTES_LENGTH, text_within, within_program
from jigiya.core.changes import records_changed
from jigiya.core.periods import Month, month_range
from jigiya.core.retries import replay
from jigiya.indicators import catalog
from jigiya.places.models import HealthCenter
from jigiya.quality.common import SOURCE_QI, coach_ids, require_center
from jigiya.quality.models import (
    STAGES,
    Act,
    CoachAssignment,
    CoachingSession,
    HandoverStep,
    Measure,
    MeasureKind,
    PdsaCycle,
    ProgressScore,
    Project,
    Stage,
    TeamMember,
    TeamRole,
)

HANDOVER_CRITERIA = {
    Stage.COACH_LED: {},
    Stage.CO_LED: {
        "team_formed": gettext_lazy("A QI team with a lead is formed"),
        "first_pdsa": gettext_lazy("The team has run a PDSA cycle"),
    },
    Stage.TEAM_LED: {
        "team_chairs": gettext_lazy("The team leads its own meetings"),
        "reads_charts": gettext_lazy("The team reads its run charts"),
    },
    Stage.HANDED_OVER: {
        "six_months_alone": gettext_lazy("Six months led by the team alone"),
        "asaco_endorsed": gettext_lazy("The ASACO endorsed the handover"),
    },
}


def _changed(center: HealthCenter, day: datetime.date) -> None:
    months = month_range(Month.of(day), max(Month.current(), Month.of(day)))
    records_changed(source=SOURCE_QI, cells=[(center.place_id, m.first_day) for m in months])


@transaction.atomic
def team_member_add(
    *,
    actor: Actor,
    health_center: HealthCenter,
    full_name: str,
    role: str,
    since: datetime.date,
    id: uuid.UUID | None = None,
) -> TeamMember:
    """A member of the CSCom's QI team. The same `id` and content again returns the first."""
    expected = {"health_center": health_center, "full_name": full_name.strip(), "role": role,
                "since": since}  # fmt: skip
    if (existing := replay(TeamMember, id, expected)) is not None:
        return existing
    require_center(actor, health_center)
    if not full_name.strip():
        raise ValidationError({"full_name": _("Give the member's full name.")})
    text_within("full_name", full_name.strip(), 120, _("The name"))
    within_program("since", since, _("The date"))
    if role not in TeamRole.values:
        raise ValidationError({"role": _("Choose a role of the QI team.")})
    member = TeamMember(
        health_center=health_center, full_name=full_name.strip(), role=role, since=since
    )
    member.created_by = acting_user(actor)
    return create_audited(member, actor=actor, id=id)


@transaction.atomic
def coach_assign(
    *, actor: Actor, health_center: HealthCenter, coach: User, since: datetime.date
) -> CoachAssignment:
    """Assign `coach` (a QI coach whose places include the health center) from `since`: a
    change of coach is a new row, the earlier ones stay as the history. Refused: the coach
    already assigned, a date before the current assignment's."""
    require_center(actor, health_center)
    within_program("since", since, _("The date"))
    HealthCenter.objects.select_for_update().filter(pk=health_center.pk).first()
    if coach.pk not in coach_ids(health_center):
        raise ValidationError(
            {"coach": _("%(user)s is not a QI coach for this health center.") % {"user": coach}}
        )
    current = health_center.coaches.order_by("-since", "-created_at").first()
    if current is not None and current.coach_id == coach.pk:
        raise ValidationError({"coach": _("%(user)s is already the coach.") % {"user": coach}})
    if current is not None and since < current.since:
        raise ValidationError(
            {"since": _("The date is before the current coach's assignment (%(day)s).")
            % {"day": current.since}}
        )  # fmt: skip
    return create_audited(
        CoachAssignment(
            health_center=health_center, coach=coach, since=since, created_by=acting_user(actor)
        ),
        actor=actor,
    )


@transaction.atomic
def coaching_session_record(
    *,
    actor: Actor,
    health_center: HealthCenter,
    held_on: datetime.date,
    topics: str,
    attendance: int,
    notes: str = "",
    next_steps: str = "",
    id: uuid.UUID | None = None,
) -> CoachingSession:
    """A coaching session held at the CSCom (the same `id` and content again: the first)."""
    expected = {"health_center": health_center, "held_on": held_on, "topics": topics.strip(),
                "attendance": attendance}  # fmt: skip
    if (existing := replay(CoachingSession, id, expected)) is not None:
        return existing
    require_center(actor, health_center)
    within_program("held_on", held_on, _("The session date"))
    text_within("notes", notes, NOTES_LENGTH, _("The notes"))
    text_within("next_steps", next_steps, NOTES_LENGTH, _("The next steps"))
    if not topics.strip():
        raise ValidationError({"topics": _("Name the topics of the session.")})
    if type(attendance) is not int or not 0 <= attendance <= 500:
        raise ValidationError({"attendance": _("Attendance is a number of people, 0 to 500.")})
    session = create_audited(
        CoachingSession(
            health_center=health_center,
            held_on=held_on,
            topics=topics.strip(),
            attendance=attendance,
            notes=notes.strip(),
            next_steps=next_steps.strip(),
            created_by=acting_user(actor),
        ),
        actor=actor,
        id=id,
    )
    _changed(health_center, held_on)
    return session


@transaction.atomic
def project_create(
    *,
    actor: Actor,
    health_center: HealthCenter,
    title: str,
    aim: str,
    started_on: datetime.date,
    measures: list[tuple[str, str]],
    change_ideas: str = "",
    id: uuid.UUID | None = None,
) -> Project:
    """A project and its measures, each (kind, indicator code) of the catalog (the same `id`
    and content again: the first)."""
    expected = {"health_center": health_center, "title": title.strip(), "aim": aim.strip(),
                "started_on": started_on}  # fmt: skip
    if (existing := replay(Project, id, expected)) is not None:
        return existing
    require_center(actor, health_center)
    within_program("started_on", started_on, _("The start date"))
    for kind, code in measures:
        if kind not in MeasureKind.values:
            raise ValidationError({"measures": _("A measure is an outcome, process or balancing.")})
        if catalog.get(code) is None:
            raise ValidationError(
                {"measures": _("“%(code)s” is not an indicator of the catalog.") % {"code": code}}
            )
    project = create_audited(
        Project(
            health_center=health_center,
            title=title.strip(),
            aim=aim.strip(),
            change_ideas=change_ideas.strip(),
            started_on=started_on,
            created_by=acting_user(actor),
        ),
        actor=actor,
        id=id,
    )
    for kind, code in measures:
        create_audited(Measure(project=project, kind=kind, indicator_code=code), actor=actor)
    _changed(health_center, started_on)
    return project


@transaction.atomic
def pdsa_record(
    *,
    actor: Actor,
    project: Project,
    started_on: datetime.date,
    plan: str,
    prediction: str,
    happened: str = "",
    study: str = "",
    act: str = "",
    id: uuid.UUID | None = None,
) -> PdsaCycle:
    """A PDSA cycle of the project (the same `id` and content again: the first)."""
    expected = {"project": project, "started_on": started_on, "plan": plan.strip(),
                "prediction": prediction.strip(), "act": act}  # fmt: skip
    if (existing := replay(PdsaCycle, id, expected)) is not None:
        return existing
    require_center(actor, project.health_center)
    if not plan.strip() or not prediction.strip():
        raise ValidationError(
            {"plan" if not plan.strip() else "prediction": _("Write the plan and the prediction.")}
        )
    within_program("started_on", started_on, _("The start date"))
    if act not in ("", *Act.values):
        raise ValidationError({"act": _("Act is adopt, adapt or abandon.")})
    for name, text in (("plan", plan), ("prediction", prediction), ("happened", happened)):
        text_within(name, text, NOTES_LENGTH)
    text_within("study", study, NOTES_LENGTH)
    return create_audited(
        PdsaCycle(
            project=project,
            started_on=started_on,
            plan=plan.strip(),
            prediction=prediction.strip(),
            happened=happened.strip(),
            study=study.strip(),
            act=act,
            created_by=acting_user(actor),
        ),
        actor=actor,
        id=id,
    )


@transaction.atomic
def progress_score_record(
    *,
    actor: Actor,
    project: Project,
    scored_on: datetime.date,
    score: object,
    note: str = "",
    id: uuid.UUID | None = None,
) -> ProgressScore:
    """A progress score on the 0.5 to 5.0 scale, by halves; earlier ones stay as its history
    (the same `id` and content again: the first)."""
    tenths = int(_decimal(score) * 10)
    expected = {"project": project, "scored_on": scored_on, "tenths": tenths}
    if (existing := replay(ProgressScore, id, expected)) is not None:
        return existing
    require_center(actor, project.health_center)
    within_program("scored_on", scored_on, _("The date"))
    value = _decimal(score)
    if not (Decimal("0.5") <= value <= 5 and (value * 2) == (value * 2).to_integral_value()):
        raise ValidationError(
            {
                "score": _("The progress score %(score)s is not one of 0.5, 1.0 … 5.0.")
                % {"score": score}
            }
        )
    if project.scores.filter(scored_on=scored_on).exists():
        raise ValidationError({"scored_on": _("This project already has a score on this date.")})
    record = create_audited(
        ProgressScore(
            project=project,
            scored_on=scored_on,
            tenths=int(value * 10),
            note=note.strip(),
            created_by=acting_user(actor),
        ),
        actor=actor,
        id=id,
    )
    _changed(project.health_center, scored_on)
    return record


def _decimal(score: object) -> Decimal:
    try:
        return Decimal(str(score))
    except InvalidOperation:
        return Decimal(-1)


def current_stage(health_center: HealthCenter) -> HandoverStep | None:
    return health_center.handover.order_by("-reached_on").first()


def _check_stage(
    last: HandoverStep | None, stage: Stage, reached_on: datetime.date, met: set[str]
) -> None:
    start = STAGES.index(Stage(last.stage)) + 1 if last else 0
    target = STAGES.index(stage)
    if target < start:
        raise ValidationError(
            {
                "stage": _("This health center is already at the stage %(stage)s.")
                % {"stage": Stage(last.stage).label if last else ""}
            }
        )
    if last and reached_on < last.reached_on:
        raise ValidationError(
            {
                "reached_on": _("The date is before the current stage (%(day)s).")
                % {"day": last.reached_on}
            }
        )
    for passed in STAGES[start : target + 1]:
        missing = [str(text) for key, text in HANDOVER_CRITERIA[passed].items() if key not in met]
        if missing:
            raise ValidationError(
                {
                    "criteria_met": _("Stage %(stage)s needs its criteria: %(missing)s.")
                    % {"stage": passed.label, "missing": "; ".join(missing)}
                }
            )


@transaction.atomic
def handover_advance(
    *,
    actor: Actor,
    health_center: HealthCenter,
    stage: str,
    reached_on: datetime.date,
    criteria_met: list[str],
) -> HandoverStep:
    """Move the CSCom to `stage` on `reached_on` with these criteria met (see the module)."""
    require_center(actor, health_center)
    within_program("reached_on", reached_on, _("The date"))
    if stage not in Stage.values:
        raise ValidationError({"stage": _("Choose a stage of the handover.")})
    HealthCenter.objects.select_for_update().filter(pk=health_center.pk).first()
    _check_stage(current_stage(health_center), Stage(stage), reached_on, set(criteria_met))
    step = create_audited(
        HandoverStep(
            health_center=health_center,
            stage=stage,
            reached_on=reached_on,
            criteria_met=sorted(set(criteria_met)),
            created_by=acting_user(actor),
        ),
        actor=actor,
    )
    _changed(health_center, reached_on)
    return step
