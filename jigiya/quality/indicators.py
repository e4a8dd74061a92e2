"""Indicators of health-center quality and governance, per community (where the CSCom stands)
and month. See README.md for each computation."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from jigiya.core.periods import Month
from jigiya.indicators.catalog import (
    Cells,
    Fact,
    Indicator,
    Program,
    Target,
    Unit,
    register,
)
from jigiya.quality import governance  # noqa: F401  (registers the ASACO assembly indicators)
from jigiya.quality.common import (
    SOURCE_ASSESSMENT,
    SOURCE_INTERVIEW,
    SOURCE_QI,
    SOURCE_REPORTED_RETURN,
)
from jigiya.quality.models import (
    STAGES,
    Assessment,
    Choice,
    CoachingSession,
    ExitInterview,
    HandoverStep,
    Party,
    Project,
    ReportedReturn,
    Stage,
)
from jigiya.quality.selectors import INSTRUMENT, rank_all

CENTER_PLACE = "health_center__place_id"


def _in(rows: Any, cells: Cells, field: str, path: str = CENTER_PLACE) -> Any:
    rows = rows.filter(**{f"{field}__gte": cells.first, f"{field}__lt": cells.end})
    if cells.place_ids is not None:
        rows = rows.filter(**{f"{path}__in": cells.place_ids})
    return rows.annotate(period=TruncMonth(field)).values(CENTER_PLACE, "period").order_by()


def ta_score(cells: Cells) -> Iterable[Fact]:
    rows = Assessment.objects.filter(
        complete=True, party=Party.ASSESSORS, version__instrument__code=INSTRUMENT
    )
    for row in _in(rows, cells, "assessed_on").annotate(n=Sum("points"), d=Sum("max_points")):
        yield Fact(row[CENTER_PLACE], row["period"], row["n"], row["d"])


def _month_end(month: datetime.date) -> datetime.date:
    return Month.of(month).last_day


def ta_top_quartile(cells: Cells) -> Iterable[Fact]:
    for month in sorted(cells.months):
        for row in rank_all(_month_end(month)):
            place = row.center.place_id
            if row.rank is None or (cells.place_ids is not None and place not in cells.place_ids):
                continue
            yield Fact(place, month, int(row.quartile == 1), 1)


def satisfaction(cells: Cells) -> Iterable[Fact]:
    rows = _in(ExitInterview.objects.all(), cells, "interviewed_on")
    for row in rows.annotate(n=Count("id", filter=Q(overall=Choice.SATISFIED)), d=Count("id")):
        yield Fact(row[CENTER_PLACE], row["period"], row["n"], row["d"])


def reported_return(cells: Cells) -> Iterable[Fact]:
    rows = _in(ReportedReturn.objects.all(), cells, "month")
    for row in rows.annotate(n=Sum("returned"), d=Sum("followed")):
        yield Fact(row[CENTER_PLACE], row["period"], row["n"], row["d"])


def coaching_sessions(cells: Cells) -> Iterable[Fact]:
    for row in _in(CoachingSession.objects.all(), cells, "held_on").annotate(n=Count("id")):
        yield Fact(row[CENTER_PLACE], row["period"], row["n"])


def _active(cells: Cells) -> Iterable[tuple[datetime.date, Project]]:
    """Projects running in each month: started by its last day, not ended before its first."""
    projects = Project.objects.filter(started_on__lt=cells.end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=cells.first)
    )
    if cells.place_ids is not None:
        projects = projects.filter(health_center__place_id__in=cells.place_ids)
    projects = projects.select_related("health_center").prefetch_related("scores")
    for project in projects:
        for month in cells.months:
            end = _month_end(month)
            if project.started_on <= end and (
                project.ended_on is None or project.ended_on >= month
            ):
                yield month, project


def active_projects(cells: Cells) -> Iterable[Fact]:
    counts: dict[tuple[Any, datetime.date], int] = {}
    for month, project in _active(cells):
        key = (project.health_center.place_id, month)
        counts[key] = counts.get(key, 0) + 1
    for (place, month), n in counts.items():
        yield Fact(place, month, n)


def progress_score(cells: Cells) -> Iterable[Fact]:
    """Mean of each active project's latest score by the month's end, in tenths over 10 per
    project, so the value is the mean score itself."""
    sums: dict[tuple[Any, datetime.date], list[int]] = {}
    for month, project in _active(cells):
        end = _month_end(month)
        scores = [s for s in project.scores.all() if s.scored_on <= end]
        if scores:
            key = (project.health_center.place_id, month)
            total = sums.setdefault(key, [0, 0])
            total[0] += scores[-1].tenths
            total[1] += 10
    for (place, month), (n, d) in sums.items():
        yield Fact(place, month, n, d)


def _stage_counter(stage: Stage) -> Any:
    def compute(cells: Cells) -> Iterable[Fact]:
        steps = HandoverStep.objects.filter(reached_on__lt=cells.end).select_related(
            "health_center"
        )
        if cells.place_ids is not None:
            steps = steps.filter(health_center__place_id__in=cells.place_ids)
        by_center: dict[Any, list[HandoverStep]] = {}
        for step in steps.order_by("reached_on"):
            by_center.setdefault(step.health_center_id, []).append(step)
        for month in cells.months:
            end = _month_end(month)
            counts: dict[Any, int] = {}
            for center_steps in by_center.values():
                reached = [s for s in center_steps if s.reached_on <= end]
                if reached and reached[-1].stage == stage:
                    place = reached[-1].health_center.place_id
                    counts[place] = counts.get(place, 0) + 1
            for place, n in counts.items():
                yield Fact(place, month, n)

    return compute


def _register(code: str, compute: Any, **kwargs: Any) -> None:
    register(Indicator(code=code, compute=compute, program=Program.QUALITY, **kwargs))


_register(
    "quality.ta_score",
    ta_score,
    name=_("Transparency and accountability score"),
    definition=_(
        "Weighted points of the complete transparency and accountability assessments made in "
        "the month, out of their maximum points: the score on 0 to 100."
    ),
    unit=Unit.PERCENT,
    sources=(SOURCE_ASSESSMENT,),
    numerator_label=_("points"),
    denominator_label=_("maximum points"),
    target=Target(75),
)
_register(
    "quality.ta_top_quartile",
    ta_top_quartile,
    name=_("Partners in the top quartile of the ranking"),
    definition=_(
        "Partner health centers ranked in the top quartile of the national transparency and "
        "accountability ranking at the month's end, out of those ranked."
    ),
    unit=Unit.PERCENT,
    sources=(SOURCE_ASSESSMENT,),
    numerator_label=_("in the top quartile"),
    denominator_label=_("ranked"),
    ongoing=True,
)
_register(
    "quality.satisfaction",
    satisfaction,
    name=_("Patient satisfaction"),
    definition=_(
        "Exit interviews of the month whose overall answer is “satisfied” (top box), out of all "
        "exit interviews of the month."
    ),
    unit=Unit.PERCENT,
    sources=(SOURCE_INTERVIEW,),
    numerator_label=_("satisfied overall"),
    denominator_label=_("exit interviews"),
    target=Target(95),
)
_register(
    "quality.return_to_deliver_reported",
    reported_return,
    name=_("Women returning to deliver (reported by the health center)"),
    definition=_(
        "Women followed in pregnancy who came back to deliver at the CSCom, out of those due in "
        "the month, as the health center reports them (no follow-up records)."
    ),
    unit=Unit.PERCENT,
    sources=(SOURCE_REPORTED_RETURN,),
    numerator_label=_("came back to deliver"),
    denominator_label=_("women followed, due in the month"),
    target=Target(90),
)
_register(
    "quality.coaching_sessions",
    coaching_sessions,
    name=_("QI coaching sessions held"),
    definition=_("Coaching sessions held with the CSCom's QI team in the month."),
    unit=Unit.COUNT,
    sources=(SOURCE_QI,),
    numerator_label=_("coaching sessions"),
)
_register(
    "quality.active_projects",
    active_projects,
    name=_("Active improvement projects"),
    definition=_("Improvement projects started by the month's end and not ended before it."),
    unit=Unit.COUNT,
    sources=(SOURCE_QI,),
    numerator_label=_("projects"),
    ongoing=True,
)
_register(
    "quality.progress_score",
    progress_score,
    name=_("Mean progress score of active projects"),
    definition=_(
        "The mean of each active project's latest progress score (0.5 to 5.0) by the month's "
        "end. Stored as tenths of points over ten per project."
    ),
    unit=Unit.AVERAGE,
    sources=(SOURCE_QI,),
    numerator_label=_("tenths of progress points"),
    denominator_label=_("ten per scored project"),
    target=Target(4),
    ongoing=True,
)
STAGE_NAMES = {
    Stage.COACH_LED: _("Health centers at the coach-led stage"),
    Stage.CO_LED: _("Health centers at the co-led stage"),
    Stage.TEAM_LED: _("Health centers at the team-led stage"),
    Stage.HANDED_OVER: _("Health centers handed over to their QI team"),
}
for _stage in STAGES:
    _register(
        f"quality.handover_{_stage.value}",
        _stage_counter(_stage),
        name=STAGE_NAMES[_stage],
        definition=_("Health centers whose latest handover stage by the month's end is this one."),
        unit=Unit.COUNT,
        sources=(SOURCE_QI,),
        numerator_label=_("health centers"),
        ongoing=True,
    )
