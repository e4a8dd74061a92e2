"""Assessments: a scorecard filled in for a health center and its ASACO.

The total (README, "The score"): each criterion earns weight * value * 300 / maximum of its
scale points out of weight * 300; the score is 100 * points / maximum points over every
criterion of the version, rounded to one decimal. An assessment with a criterion unanswered is
incomplete: no score, not ranked; answers added later complete it."""

import datetime
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jigiya.accounts.access import Actor, acting_user
from jigiya.core.audit import audit_record, audit_snapshot, create_audited
from jigiya.core.bounds import within_program
from jigiya.core.changes import records_changed
from jigiya.core.periods import Month, month_range
from jigiya.core.retries import fingerprint, replay
from jigiya.places.models import HealthCenter, HealthCenterStatus
from jigiya.quality.common import SOURCE_ASSESSMENT, require_center
from jigiya.quality.models import (
    POINTS_PER_WEIGHT,
    Answer,
    Assessment,
    Criterion,
    InstrumentVersion,
    Party,
)


@dataclass(frozen=True)
class AnswerLine:
    criterion_id: uuid.UUID
    value: int
    evidence: str = ""
    source_url: str = ""


def _check_lines(
    lines: list[AnswerLine], criteria: dict[uuid.UUID, Criterion], answered: set[uuid.UUID]
) -> None:
    """Every line answers a criterion of the version, once, within its scale."""
    seen = set(answered)
    for line in lines:
        criterion = criteria.get(line.criterion_id)
        if criterion is None:
            raise ValidationError(
                {
                    "answers": _(
                        "An answer names a criterion that is not in this instrument version."
                    )
                }
            )
        if line.criterion_id in seen:
            raise ValidationError(
                {
                    "answers": _("The criterion “%(criterion)s” is answered twice.")
                    % {"criterion": criterion.text}
                }
            )
        seen.add(line.criterion_id)
        if type(line.value) is not int or not 0 <= line.value <= criterion.maximum:
            raise ValidationError(
                {
                    "answers": _(
                        "The score %(value)s of “%(criterion)s” is outside its scale "
                        "(0 to %(maximum)s)."
                    )
                    % {
                        "value": line.value,
                        "criterion": criterion.text,
                        "maximum": criterion.maximum,
                    }
                }
            )
        if len(line.evidence) > 500:
            raise ValidationError(
                {
                    "answers": _("The evidence of “%(criterion)s” is longer than 500 characters.")
                    % {"criterion": criterion.text}
                }
            )


def _total(assessment: Assessment, criteria: dict[uuid.UUID, Criterion]) -> None:
    """Points, maximum and completeness from the stored answers (the rule above)."""
    answers = {a.criterion_id: a.value for a in assessment.answers.all()}
    assessment.max_points = sum(c.weight * POINTS_PER_WEIGHT for c in criteria.values())
    assessment.points = sum(
        criteria[key].weight * value * (POINTS_PER_WEIGHT // criteria[key].maximum)
        for key, value in answers.items()
    )
    assessment.complete = set(answers) == set(criteria)


def _changed(assessment: Assessment) -> None:
    """The score's month at the health center, and the rank of every partner from that month
    on (a new score moves the others' ranks)."""
    months = month_range(
        Month.of(assessment.assessed_on), max(Month.current(), Month.of(assessment.assessed_on))
    )
    places = set(
        HealthCenter.objects.exclude(status=HealthCenterStatus.PROSPECT).values_list(
            "place_id", flat=True
        )
    ) | {assessment.health_center.place_id}
    records_changed(
        source=SOURCE_ASSESSMENT, cells=[(p, m.first_day) for p in places for m in months]
    )


def _criteria(version: InstrumentVersion) -> dict[uuid.UUID, Criterion]:
    return {c.pk: c for c in version.criteria.all()}


def _write_answers(assessment: Assessment, lines: list[AnswerLine], actor: Actor) -> None:
    for line in lines:
        create_audited(
            Answer(
                assessment=assessment,
                criterion_id=line.criterion_id,
                value=line.value,
                evidence=line.evidence.strip(),
                source_url=line.source_url[:200],
                created_by=acting_user(actor),
            ),
            actor=actor,
        )


@transaction.atomic
def assessment_record(
    *,
    actor: Actor,
    health_center: HealthCenter,
    version: InstrumentVersion,
    assessed_on: datetime.date,
    assessors: str,
    answers: list[AnswerLine],
    party: str = Party.ASSESSORS,
    id: uuid.UUID | None = None,
) -> Assessment:
    """Record an assessment and its answers (complete or not), by the NGO's assessors (ranked)
    or, in a community score card round, by the community or the providers. The same `id` with
    the same content returns the first one; with other content, `Conflict`."""
    sent = fingerprint(
        health_center=str(health_center.pk),
        version=str(version.pk),
        assessed_on=assessed_on,
        assessors=assessors,
        party=party,
        answers=[[str(a.criterion_id), a.value, a.evidence] for a in answers],
    )
    if (existing := replay(Assessment, id, {"fingerprint": sent})) is not None:
        return existing
    require_center(actor, health_center)
    within_program("assessed_on", assessed_on, _("The assessment date"))
    if not assessors.strip():
        raise ValidationError({"assessors": _("Name the assessors.")})
    if party not in Party.values:
        raise ValidationError({"party": _("Choose who scored.")})
    if Assessment.objects.filter(
        health_center=health_center, version=version, assessed_on=assessed_on, party=party
    ).exists():
        raise ValidationError(
            {"assessed_on": _("This health center already has such an assessment on this date.")}
        )
    criteria = _criteria(version)
    _check_lines(answers, criteria, set())
    assessment = create_audited(
        Assessment(
            health_center=health_center,
            version=version,
            assessed_on=assessed_on,
            assessors=assessors.strip(),
            party=party,
            fingerprint=sent,
            created_by=acting_user(actor),
        ),
        actor=actor,
        id=id,
    )
    _write_answers(assessment, answers, actor)
    _total(assessment, criteria)
    assessment.save(update_fields=["points", "max_points", "complete", "updated_at"])
    _changed(assessment)
    return assessment


@transaction.atomic
def answers_add(*, actor: Actor, assessment: Assessment, answers: list[AnswerLine]) -> Assessment:
    """Answer criteria an incomplete assessment left out; a criterion already answered is
    refused (answered twice)."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    require_center(actor, assessment.health_center)
    criteria = _criteria(assessment.version)
    answered = set(assessment.answers.values_list("criterion_id", flat=True))
    _check_lines(answers, criteria, answered)
    before = audit_snapshot(assessment)
    _write_answers(assessment, answers, actor)
    _total(assessment, criteria)
    assessment.save(update_fields=["points", "max_points", "complete", "updated_at"])
    audit_record(actor=actor, obj=assessment, before=before)
    _changed(assessment)
    return assessment
