"""Health-center quality and governance: the writes a tablet at the CSCom sends (assessments,
exit interviews, reported return to deliver; the QI program's team members, coaching sessions,
projects, PDSA cycles and progress scores), each idempotent per client UUID, and the league
table."""

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from jigiya.accounts.access import require_perm_anywhere
from jigiya.accounts.roles import Perm
from jigiya.core.api import body_doc, parse_body
from jigiya.core.params import parse_day
from jigiya.core.retries import created_or_replayed
from jigiya.quality import selectors, services
from jigiya.quality.models import ITEM_KEYS
from jigiya.quality.schemas import (
    AssessmentIn,
    AssessmentOut,
    CoachingSessionIn,
    CoachingSessionOut,
    ExitInterviewIn,
    ExitInterviewOut,
    PdsaCycleIn,
    PdsaCycleOut,
    ProgressScoreIn,
    ProgressScoreOut,
    ProjectIn,
    ProjectOut,
    RankedOut,
    ReportedReturnIn,
    ReportedReturnOut,
    TeamMemberIn,
    TeamMemberOut,
)

router = Router(tags=["quality"])


def _assessment_out(assessment: Any) -> dict[str, Any]:
    return {field: getattr(assessment, field) for field in AssessmentOut.model_fields}


@router.post(
    "/quality/health-centers/{health_center_id}/assessments",
    response={200: AssessmentOut, 201: AssessmentOut},
    openapi_extra=body_doc(AssessmentIn),
)
def assessment_record(request: HttpRequest, health_center_id: uuid.UUID) -> Status:
    """Record an assessment on the current scorecard version (body: `AssessmentIn`). 201 the
    first time, 200 for the same one again, 409 for the same id with other content; a criterion
    answered twice or a score outside its scale: 400, nothing recorded."""
    center = selectors.center_get(user=request.user, health_center_id=health_center_id)
    payload = parse_body(AssessmentIn, request)
    version = selectors.current_version()
    assert version is not None  # shipped by a migration
    assessment = services.assessment_record(
        actor=request.user,
        health_center=center,
        version=version,
        assessed_on=payload.assessed_on,
        assessors=payload.assessors,
        answers=[services.AnswerLine(a.criterion_id, a.value, a.evidence) for a in payload.answers],
        party=payload.party,
        id=payload.id,
    )
    return created_or_replayed(assessment, _assessment_out(assessment))


@router.post(
    "/quality/health-centers/{health_center_id}/exit-interviews",
    response={200: ExitInterviewOut, 201: ExitInterviewOut},
    openapi_extra=body_doc(ExitInterviewIn),
)
def exit_interview_record(request: HttpRequest, health_center_id: uuid.UUID) -> Status:
    """One respondent's exit interview (body: `ExitInterviewIn`); an answer that is not one of
    the choices: 400, nothing recorded."""
    center = selectors.center_get(user=request.user, health_center_id=health_center_id)
    payload = parse_body(ExitInterviewIn, request)
    interview = services.exit_interview_record(
        actor=request.user,
        health_center=center,
        interviewed_on=payload.interviewed_on,
        answers={key: getattr(payload, key) for key in ITEM_KEYS},
        id=payload.id,
    )
    return created_or_replayed(interview)


@router.post(
    "/quality/health-centers/{health_center_id}/reported-returns",
    response={200: ReportedReturnOut, 201: ReportedReturnOut},
    openapi_extra=body_doc(ReportedReturnIn),
)
def reported_return_record(request: HttpRequest, health_center_id: uuid.UUID) -> Status:
    """Return to deliver as the health center reports it for a month (body:
    `ReportedReturnIn`): numerator and denominator."""
    center = selectors.center_get(user=request.user, health_center_id=health_center_id)
    payload = parse_body(ReportedReturnIn, request)
    record = services.reported_return_record(
        actor=request.user,
        health_center=center,
        month=payload.month,
        returned=payload.returned,
        followed=payload.followed,
        id=payload.id,
    )
    return created_or_replayed(record)


@router.get("/quality/ranking", response=list[RankedOut])
def ranking(request: HttpRequest, on: str = "") -> list[dict[str, Any]]:
    """The league table at `on` (yyyy-mm-dd, today by default): the caller's places, national
    ranks and quartiles; partners not ranked last."""
    require_perm_anywhere(request.user, Perm.QUALITY_VIEW)
    table = selectors.ranking(user=request.user, on=parse_day(on or None, field="on"))
    return [
        {
            "health_center_id": row.center.pk,
            "name": row.center.name,
            "rank": row.rank,
            "quartile": row.quartile,
            "score": row.score,
            "assessed_on": row.assessed_on,
        }
        for row in [*table.rows, *table.unranked]
    ]


# --- The QI program: the writes a coach's or the team's tablet sends ----------------------


@router.post(
    "/quality/health-centers/{health_center_id}/team-members",
    response={200: TeamMemberOut, 201: TeamMemberOut},
    openapi_extra=body_doc(TeamMemberIn),
)
def team_member_add(request: HttpRequest, health_center_id: uuid.UUID) -> Status:
    """A member of the CSCom's QI team (body: `TeamMemberIn`). 201, the same again 200, the
    same id with other content 409, a role not among the choices 400."""
    center = selectors.center_get(user=request.user, health_center_id=health_center_id)
    payload = parse_body(TeamMemberIn, request)
    member = services.team_member_add(
        actor=request.user, health_center=center, **payload.model_dump()
    )
    return created_or_replayed(member)


@router.post(
    "/quality/health-centers/{health_center_id}/coaching-sessions",
    response={200: CoachingSessionOut, 201: CoachingSessionOut},
    openapi_extra=body_doc(CoachingSessionIn),
)
def coaching_session_record(request: HttpRequest, health_center_id: uuid.UUID) -> Status:
    """A coaching session held at the CSCom (body: `CoachingSessionIn`)."""
    center = selectors.center_get(user=request.user, health_center_id=health_center_id)
    payload = parse_body(CoachingSessionIn, request)
    session = services.coaching_session_record(
        actor=request.user, health_center=center, **payload.model_dump()
    )
    return created_or_replayed(session)


@router.post(
    "/quality/health-centers/{health_center_id}/projects",
    response={200: ProjectOut, 201: ProjectOut},
    openapi_extra=body_doc(ProjectIn),
)
def project_create(request: HttpRequest, health_center_id: uuid.UUID) -> Status:
    """An improvement project with its measures (body: `ProjectIn`); a measure that is not an
    indicator of the catalog: 400, nothing recorded."""
    center = selectors.center_get(user=request.user, health_center_id=health_center_id)
    payload = parse_body(ProjectIn, request)
    project = services.project_create(
        actor=request.user,
        health_center=center,
        title=payload.title,
        aim=payload.aim,
        started_on=payload.started_on,
        change_ideas=payload.change_ideas,
        measures=[(m.kind, m.indicator_code) for m in payload.measures],
        id=payload.id,
    )
    return created_or_replayed(project)


@router.post(
    "/quality/projects/{project_id}/pdsa-cycles",
    response={200: PdsaCycleOut, 201: PdsaCycleOut},
    openapi_extra=body_doc(PdsaCycleIn),
)
def pdsa_record(request: HttpRequest, project_id: uuid.UUID) -> Status:
    """A PDSA cycle of the project (body: `PdsaCycleIn`); an act other than adopt, adapt or
    abandon: 400."""
    project = selectors.project_get(user=request.user, project_id=project_id)
    payload = parse_body(PdsaCycleIn, request)
    cycle = services.pdsa_record(actor=request.user, project=project, **payload.model_dump())
    return created_or_replayed(cycle)


@router.post(
    "/quality/projects/{project_id}/progress-scores",
    response={200: ProgressScoreOut, 201: ProgressScoreOut},
    openapi_extra=body_doc(ProgressScoreIn),
)
def progress_score_record(request: HttpRequest, project_id: uuid.UUID) -> Status:
    """A progress score of the project (body: `ProgressScoreIn`); not by halves, or a second
    score the same day: 400."""
    project = selectors.project_get(user=request.user, project_id=project_id)
    payload = parse_body(ProgressScoreIn, request)
    record = services.progress_score_record(
        actor=request.user,
        project=project,
        scored_on=payload.scored_on,
        score=payload.score,
        note=payload.note,
        id=payload.id,
    )
    body = {"id": record.pk, "project_id": project.pk, "scored_on": record.scored_on,
            "score": record.tenths / 10, "note": record.note}  # fmt: skip
    return created_or_replayed(record, body)
