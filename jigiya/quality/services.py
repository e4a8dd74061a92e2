"""Every write of the quality app, the one entry views, the API, demo and tests import.

Each family lives in its own module: `instruments` (scorecards and their versions),
`assessments` (scores of a health center and its ASACO), `surveys` (exit interviews, reported
return to deliver) and `qi` (team, coach, sessions, projects, PDSA, progress, handover)."""

from jigiya.quality.assessments import AnswerLine, answers_add, assessment_record
from jigiya.quality.common import (
    SOURCE_ASSESSMENT,
    SOURCE_INTERVIEW,
    SOURCE_QI,
    SOURCE_REPORTED_RETURN,
)
from jigiya.quality.instruments import (
    CriterionSpec,
    DomainSpec,
    criterion_change,
    instrument_create,
    latest_version,
)
from jigiya.quality.qi import (
    HANDOVER_CRITERIA,
    coach_assign,
    coaching_session_record,
    current_stage,
    handover_advance,
    pdsa_record,
    progress_score_record,
    project_create,
    team_member_add,
)
from jigiya.quality.surveys import (
    action_item_add,
    action_item_status,
    exit_interview_record,
    reported_return_record,
)

__all__ = [
    "HANDOVER_CRITERIA",
    "SOURCE_ASSESSMENT",
    "SOURCE_INTERVIEW",
    "SOURCE_QI",
    "SOURCE_REPORTED_RETURN",
    "AnswerLine",
    "CriterionSpec",
    "DomainSpec",
    "action_item_add",
    "action_item_status",
    "answers_add",
    "assessment_record",
    "coach_assign",
    "coaching_session_record",
    "criterion_change",
    "current_stage",
    "exit_interview_record",
    "handover_advance",
    "instrument_create",
    "latest_version",
    "pdsa_record",
    "progress_score_record",
    "project_create",
    "reported_return_record",
    "team_member_add",
]
