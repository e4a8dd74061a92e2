"""Generated quality data, for every generated health center (codes `GEN-`; national: 100):
four yearly complete assessments on the transparency and accountability scorecard (the score a
random walk, so the ranking moves), 100 000 exit interviews at national scale spread over the
last 12 months, 18 months of reported return to deliver, a QI team, a coaching session a month,
one improvement project with two measures, three PDSA cycles and four progress scores, and the
handover stages reached so far.

Rows are bulk-inserted with the points and completeness `assessments._total` would compute."""

import datetime
import random
from typing import Any

from django.utils import timezone

from jigiya.core.generate import (
    CODE_PREFIX,
    Counts,
    GenerateError,
    Progress,
    Scale,
    Step,
    bulk_insert,
    new_id,
    register_step,
)
from jigiya.core.periods import Month
from jigiya.places.models import HealthCenter
from jigiya.quality import scorecard
from jigiya.quality.models import (
    ITEM_KEYS,
    POINTS_PER_WEIGHT,
    STAGES,
    Answer,
    Assessment,
    CoachingSession,
    ExitInterview,
    HandoverStep,
    Measure,
    PdsaCycle,
    ProgressScore,
    Project,
    ReportedReturn,
    TeamMember,
)

INTERVIEWS_NATIONAL = 100_000
ROUNDS = [datetime.date(y, 12, 2) for y in (2022, 2023, 2024, 2025)]
TITLE = "GEN-Retour pour accoucher"


def _centers() -> list[HealthCenter]:
    return list(HealthCenter.objects.filter(code__startswith=CODE_PREFIX).order_by("code"))


def interviews_per_center(scale: Scale) -> int:
    """National: 100 000 interviews over 100 centers; smaller scales: 1 000 a center (24 tiny)."""
    return 24 if scale.name == "tiny" else 1000


def size(scale: Scale) -> int:
    per_center = 4 * 8 + interviews_per_center(scale) + 18 + 5 + 12 + 1 + 2 + 3 + 4 + 4
    return scale.health_centers * per_center


def _months(count: int) -> list[datetime.date]:
    this = Month.of(timezone.localdate())
    return [this.shift(-n).first_day for n in range(count, 0, -1)]


def _assessments(
    centers: list[HealthCenter], rng: random.Random, progress: Progress
) -> tuple[int, int]:
    version = _version()
    criteria = list(version.criteria.order_by("position"))
    maximum = sum(c.weight * POINTS_PER_WEIGHT for c in criteria)
    assessments, answers = [], []
    for center in centers:
        level = rng.random()
        for day in ROUNDS:
            level = min(1.0, max(0.0, level + rng.uniform(-0.2, 0.25)))
            assessment = Assessment(
                id=new_id(rng),
                health_center=center,
                version=version,
                assessed_on=day,
                assessors="GEN-Jury",
                complete=True,
                max_points=maximum,
            )
            for criterion in criteria:
                value = min(
                    criterion.maximum, round(level * criterion.maximum + rng.uniform(-0.5, 0.5))
                )
                value = max(0, value)
                assessment.points += (
                    criterion.weight * value * (POINTS_PER_WEIGHT // criterion.maximum)
                )
                answers.append(
                    Answer(id=new_id(rng), assessment=assessment, criterion=criterion, value=value)
                )
            assessments.append(assessment)
    bulk_insert(Assessment, assessments, progress)
    bulk_insert(Answer, answers, progress)
    return len(assessments), len(answers)


def _version() -> Any:
    from jigiya.quality.models import InstrumentVersion

    version = (
        InstrumentVersion.objects.filter(instrument__code=scorecard.CODE)
        .order_by("-number")
        .first()
    )
    if version is None:
        raise GenerateError("The transparency and accountability scorecard is missing: migrate.")
    return version


def _interviews(
    centers: list[HealthCenter], scale: Scale, rng: random.Random, progress: Progress
) -> int:
    months = _months(12)
    rows = []
    per_center = interviews_per_center(scale)
    for center in centers:
        share = rng.uniform(0.75, 0.99)
        weak = rng.choice(ITEM_KEYS[:-1])
        for n in range(per_center):
            month = months[n % 12]
            happy = rng.random() < share
            answers = dict.fromkeys(ITEM_KEYS, "satisfied" if happy else "partly")
            if rng.random() < 0.08:
                answers[weak] = "dissatisfied"
            rows.append(
                ExitInterview(
                    id=new_id(rng),
                    health_center=center,
                    interviewed_on=month + datetime.timedelta(days=n % 28),
                    **answers,
                )
            )
        if len(rows) >= 20_000:
            bulk_insert(ExitInterview, rows, progress)
            rows = []
    bulk_insert(ExitInterview, rows, progress)
    return per_center * len(centers)


def _returns(centers: list[HealthCenter], rng: random.Random, progress: Progress) -> int:
    rows = []
    for center in centers:
        for month in _months(18):
            followed = rng.randint(5, 15)
            rows.append(
                ReportedReturn(
                    id=new_id(rng),
                    health_center=center,
                    month=month,
                    followed=followed,
                    returned=rng.randint(followed // 2, followed),
                )
            )
    bulk_insert(ReportedReturn, rows, progress)
    return len(rows)


def _qi(centers: list[HealthCenter], rng: random.Random, progress: Progress) -> Counts:
    team, sessions, projects, measures, cycles, scores, steps = [], [], [], [], [], [], []
    for center in centers:
        team += [
            TeamMember(id=new_id(rng), health_center=center, full_name=f"GEN-{role} {center.code}",
                       role=role, since=datetime.date(2022, 1, 1))
            for role in ("lead", "data", "member", "member", "asaco")
        ]  # fmt: skip
        sessions += [
            CoachingSession(id=new_id(rng), health_center=center, held_on=m.replace(day=10),
                            topics="GEN-Revue des graphiques", attendance=rng.randint(3, 8))
            for m in _months(12)
        ]  # fmt: skip
        project = Project(id=new_id(rng), health_center=center, title=TITLE,
                          aim="90 % des femmes suivies accouchent au CSCom",
                          started_on=datetime.date(2024, 1, 1))  # fmt: skip
        projects.append(project)
        measures += [
            Measure(id=new_id(rng), project=project, kind="outcome",
                    indicator_code="quality.return_to_deliver_reported"),
            Measure(id=new_id(rng), project=project, kind="balancing",
                    indicator_code="quality.satisfaction"),
        ]  # fmt: skip
        cycles += [
            PdsaCycle(id=new_id(rng), project=project, started_on=datetime.date(2024, m, 1),
                      plan="GEN-Rappel à 36 semaines", prediction="Plus de retours", act="adopt")
            for m in (2, 6, 10)
        ]  # fmt: skip
        tenths = 10
        for m in (3, 6, 9, 12):
            tenths = min(50, tenths + 5 * rng.randint(0, 2))
            day = datetime.date(2024, m, 1)
            scores.append(ProgressScore(id=new_id(rng), project=project, scored_on=day,
                                        tenths=tenths))  # fmt: skip
        reached = rng.randint(1, 4)
        steps += [
            HandoverStep(id=new_id(rng), health_center=center, stage=stage,
                         reached_on=datetime.date(2021 + index, 3, 1))
            for index, stage in enumerate(STAGES[:reached])
        ]  # fmt: skip
    for model, rows in (
        (TeamMember, team), (CoachingSession, sessions), (Project, projects), (Measure, measures),
        (PdsaCycle, cycles), (ProgressScore, scores), (HandoverStep, steps),
    ):  # fmt: skip
        bulk_insert(model, rows, progress)
    return {"coaching sessions": len(sessions), "QI projects": len(projects)}


def generate(scale: Scale, rng: random.Random, progress: Progress) -> Counts:
    centers = _centers()
    existing = Assessment.objects.filter(assessors="GEN-Jury")
    if existing.exists():
        if existing.count() != len(ROUNDS) * len(centers):
            raise GenerateError("Quality data of another scale is there: use --reset.")
        return {}
    progress.set_description("quality")
    made, answered = _assessments(centers, rng, progress)
    counts = {"assessments": made, "scorecard answers": answered}
    counts["exit interviews"] = _interviews(centers, scale, rng, progress)
    counts["reported returns"] = _returns(centers, rng, progress)
    counts.update(_qi(centers, rng, progress))
    return counts


def reset() -> Counts:
    centers = HealthCenter.objects.filter(code__startswith=CODE_PREFIX)
    projects = Project.objects.filter(health_center__in=centers)
    deleted = {
        "scorecard answers": Answer.objects.filter(assessment__health_center__in=centers).delete()[
            0
        ],
        "assessments": Assessment.objects.filter(health_center__in=centers).delete()[0],
        "exit interviews": ExitInterview.objects.filter(health_center__in=centers).delete()[0],
        "reported returns": ReportedReturn.objects.filter(health_center__in=centers).delete()[0],
    }
    deleted["QI projects"] = projects.delete()[0]  # measures, cycles and scores cascade
    TeamMember.objects.filter(health_center__in=centers).delete()
    CoachingSession.objects.filter(health_center__in=centers).delete()
    HandoverStep.objects.filter(health_center__in=centers).delete()
    return deleted


def count() -> Counts:
    centers = HealthCenter.objects.filter(code__startswith=CODE_PREFIX)
    return {
        "assessments": Assessment.objects.filter(health_center__in=centers).count(),
        "exit interviews": ExitInterview.objects.filter(health_center__in=centers).count(),
    }


STEP = register_step(Step(name="quality", generate=generate, size=size, reset=reset, count=count))
