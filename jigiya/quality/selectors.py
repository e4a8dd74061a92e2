"""Every read of the quality app, scoped to the places the user may see (404 outside).

Ranking (README, "The ranking"): at a date, each partner health center's latest complete
assessment on or before it; ranks by score, highest first, ties sharing a rank (1, 2, 2, 4);
quartile = floor(4 * (rank - 1) / number ranked) + 1, 1 the top. Partners without a complete
assessment are listed apart, not ranked. Ranks are national;
a user sees the rows of her places only."""

import datetime
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractMonth, ExtractYear
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from jigiya.accounts.access import Actor, get_in_scope, has_perm_anywhere, has_perm_at, scope_q
from jigiya.accounts.models import User
from jigiya.accounts.roles import Perm
from jigiya.core.periods import Month
from jigiya.indicators import catalog, charts, runcharts
from jigiya.indicators import selectors as figures
from jigiya.indicators.areas import Area
from jigiya.places.models import BoardMember, GeneralAssembly, HealthCenter, HealthCenterStatus
from jigiya.quality.common import coach_ids
from jigiya.quality.models import (
    ITEMS,
    ActionItem,
    Assessment,
    Choice,
    CoachAssignment,
    Criterion,
    ExitInterview,
    InstrumentVersion,
    Party,
    Prefill,
    Project,
    ReportedReturn,
)
from jigiya.quality.qi import HANDOVER_CRITERIA, current_stage

PATH = "place__path"
CENTER_PATH = "health_center__place__path"
INSTRUMENT = "transparency-accountability"
BOARD_TERM_YEARS = 3  # an ASACO board's term, renewed at the end of it
PROBLEM_FLAG = 5.0  # percent negative above which an item is flagged


def can_record(user: Actor, center: HealthCenter) -> bool:
    return has_perm_at(user, Perm.QUALITY_RECORD, center.place.path)


def center_get(*, user: Actor, health_center_id: Any) -> HealthCenter:
    """A health center the user may see with QUALITY_VIEW: 404 outside her places, 403 when her
    role there does not see quality work."""
    center = get_in_scope(
        HealthCenter.objects.select_related("place", "asaco"),
        user,
        Perm.PLACES_VIEW,
        PATH,
        pk=health_center_id,
    )
    if not has_perm_at(user, Perm.QUALITY_VIEW, center.place.path):
        raise PermissionDenied
    return center


def assessment_get(*, user: Actor, assessment_id: Any) -> Assessment:
    assessment = get_in_scope(
        Assessment.objects.select_related(
            "health_center__place", "health_center__asaco", "version__instrument"
        ),
        user,
        Perm.PLACES_VIEW,
        CENTER_PATH,
        pk=assessment_id,
    )
    if not has_perm_at(user, Perm.QUALITY_VIEW, assessment.health_center.place.path):
        raise PermissionDenied
    return assessment


def project_get(*, user: Actor, project_id: Any) -> Project:
    project = get_in_scope(
        Project.objects.select_related("health_center__place"),
        user,
        Perm.PLACES_VIEW,
        CENTER_PATH,
        pk=project_id,
    )
    if not has_perm_at(user, Perm.QUALITY_VIEW, project.health_center.place.path):
        raise PermissionDenied
    return project


def version_get(*, user: Actor, number: str = "", code: str = INSTRUMENT) -> InstrumentVersion:
    """A version of an instrument (the current one without `number`): instruments are
    national, read by anyone who sees quality work somewhere (403 otherwise, 404 unknown)."""
    if not has_perm_anywhere(user, Perm.QUALITY_VIEW):
        raise PermissionDenied
    versions = InstrumentVersion.objects.filter(instrument__code=code).select_related("instrument")
    found = (
        versions.filter(number=int(number)).first()
        if number.isdigit() and len(number) < 5
        else versions.order_by("-number").first()
    )
    if found is None:
        raise Http404
    return found


def current_version(code: str = INSTRUMENT) -> InstrumentVersion | None:
    return (
        InstrumentVersion.objects.filter(instrument__code=code)
        .select_related("instrument")
        .order_by("-number")
        .first()
    )


def version_criteria(version: InstrumentVersion) -> list[Criterion]:
    return list(version.criteria.select_related("domain").order_by("position"))


def centers_to_record(*, user: Actor) -> QuerySet[HealthCenter]:
    return HealthCenter.objects.filter(scope_q(user, Perm.QUALITY_RECORD, PATH)).select_related(
        "place"
    )


# Pre-filled answers ------------------------------------------------------------------------


@dataclass(frozen=True)
class Prefilled:
    value: int
    evidence: str
    url: str


def prefill(
    center: HealthCenter, criteria: list[Criterion], on: datetime.date
) -> dict[uuid.UUID, Prefilled]:
    """Answers the platform's own records give (general assemblies, the board), with a link to
    the page that shows them. Two queries at most."""
    kinds = {c.prefill for c in criteria if c.prefill}
    if not kinds or not hasattr(center, "asaco"):
        return {}
    asaco = center.asaco
    url = reverse("places:health_center", args=[center.pk])
    found: dict[str, Prefilled] = {}
    if Prefill.ASSEMBLY_12M in kinds:
        year_ago = year_before(on)
        last = asaco.assemblies.filter(held_on__gt=year_ago, held_on__lte=on).first()
        found[Prefill.ASSEMBLY_12M] = (
            Prefilled(1, _("General assembly of %(day)s.") % {"day": last.held_on}, url)
            if last
            else Prefilled(
                0, _("No general assembly recorded since %(day)s.") % {"day": year_ago}, url
            )
        )
    if kinds & {Prefill.BOARD_TERM, Prefill.BOARD_WOMEN}:
        found.update(_board(asaco.board.all(), on, url))
    return {c.pk: found[c.prefill] for c in criteria if c.prefill in found}


def year_before(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _board(members: Any, on: datetime.date, url: str) -> dict[str, Prefilled]:
    seated = [m for m in members if m.term_start <= on and (m.term_end is None or m.term_end >= on)]
    latest = max((m.term_start for m in seated), default=None)
    limit = on.replace(year=on.year - BOARD_TERM_YEARS) if latest else None
    in_term = latest is not None and limit is not None and latest > limit
    women = sum(1 for m in seated if m.sex == "F")
    share = round(100 * women / len(seated)) if seated else 0
    return {
        Prefill.BOARD_TERM: Prefilled(
            int(in_term),
            _("Board elected on %(day)s.") % {"day": latest} if latest else _("No board recorded."),
            url,
        ),
        Prefill.BOARD_WOMEN: Prefilled(
            share,
            _("%(women)s women of %(seats)s board seats.") % {"women": women, "seats": len(seated)},
            url,
        ),
    }


# Ranking ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Partner:
    """What a ranking row needs of its health center, read as values: the table lists every
    partner in the country, and model instances would cost more than the ranking."""

    pk: uuid.UUID
    name: str
    place_id: uuid.UUID


@dataclass
class Ranked:
    center: Partner
    score: float | None
    assessed_on: datetime.date | None
    assessment_id: uuid.UUID | None
    rank: int | None = None
    quartile: int | None = None


@dataclass
class Ranking:
    on: datetime.date
    count: int  # partners ranked, nationally
    rows: list[Ranked] = field(default_factory=list)  # ranked, in the user's places
    unranked: list[Ranked] = field(default_factory=list)


class Latest(NamedTuple):
    points: int
    max_points: int
    assessed_on: datetime.date
    assessment_id: uuid.UUID


def _latest_complete(on: datetime.date) -> dict[uuid.UUID, Latest]:
    """Health center id → its latest complete assessment on the scorecard at `on` (of two on
    one day, the later recorded). One query, read in date order so the latest comes last."""
    rows = (
        Assessment.objects.filter(
            complete=True,
            party=Party.ASSESSORS,
            assessed_on__lte=on,
            version__instrument__code=INSTRUMENT,
        )
        .order_by("assessed_on", "created_at")
        .values_list("health_center_id", "points", "max_points", "assessed_on", "id")
    )
    return {center: Latest(points, most, day, pk) for center, points, most, day, pk in rows}


def rank_all(on: datetime.date) -> list[Ranked]:
    """Every partner at `on` with its latest complete score, ranked (two queries)."""
    latest = _latest_complete(on)
    partners = (
        HealthCenter.objects.filter(
            status__in=[HealthCenterStatus.PARTNER, HealthCenterStatus.HANDED_OVER]
        )
        .filter(Q(partner_since__isnull=True) | Q(partner_since__lte=on))
        .order_by("name")
        .values_list("pk", "name", "place_id")
    )
    rows = []
    for pk, name, place_id in partners:
        ranked = Ranked(Partner(pk, name, place_id), None, None, None)
        if (found := latest.get(pk)) is not None:
            ranked.assessed_on, ranked.assessment_id = found.assessed_on, found.assessment_id
            if found.max_points:
                ranked.score = round(100 * found.points / found.max_points, 1)
        rows.append(ranked)
    scored = sorted((r for r in rows if r.score is not None), key=lambda r: -(r.score or 0))
    rank = 0
    for position, row in enumerate(scored, start=1):
        if position == 1 or row.score != scored[position - 2].score:
            rank = position  # ties share the rank of the first of them (1, 2, 2, 4)
        row.rank, row.quartile = rank, 4 * (rank - 1) // len(scored) + 1
    return scored + [r for r in rows if r.score is None]


def ranking(*, user: Actor, on: datetime.date) -> Ranking:
    """The league table at `on` (see the module), the user's places only."""
    rows = rank_all(on)
    visible = set(
        HealthCenter.objects.filter(scope_q(user, Perm.QUALITY_VIEW, PATH)).values_list(
            "pk", flat=True
        )
    )
    return Ranking(
        on=on,
        count=sum(1 for r in rows if r.rank is not None),
        rows=[r for r in rows if r.rank is not None and r.center.pk in visible],
        unranked=[r for r in rows if r.rank is None and r.center.pk in visible],
    )


@dataclass(frozen=True)
class Move:
    center: HealthCenter
    before: int
    after: int

    @property
    def up(self) -> bool:
        return self.after < self.before


def moves(now: Ranking, then: Ranking) -> list[Move]:
    """Health centers whose quartile changed between two rankings."""
    before = {r.center.pk: r.quartile for r in then.rows}
    return [
        Move(r.center, before[r.center.pk], r.quartile)  # type: ignore[arg-type]
        for r in now.rows
        if before.get(r.center.pk) is not None and before[r.center.pk] != r.quartile
    ]


def scores_over_time(center: HealthCenter) -> list[Assessment]:
    return list(
        Assessment.objects.filter(health_center=center, party=Party.ASSESSORS)
        .select_related("version")
        .order_by("assessed_on")
    )


# Satisfaction ------------------------------------------------------------------------------


@dataclass
class ItemRate:
    key: str
    label: str
    negative: int
    answered: int

    @property
    def rate(self) -> float | None:
        return round(100 * self.negative / self.answered, 1) if self.answered else None

    @property
    def flagged(self) -> bool:
        return self.rate is not None and self.rate > PROBLEM_FLAG


@dataclass
class MonthSatisfaction:
    month: datetime.date
    satisfied: int  # top box of the overall item
    interviews: int
    items: list[ItemRate]

    @property
    def rate(self) -> float | None:
        return round(100 * self.satisfied / self.interviews, 1) if self.interviews else None

    @property
    def flagged(self) -> list[ItemRate]:
        return [item for item in self.items if item.flagged]


def satisfaction(center: HealthCenter, months: list[datetime.date]) -> list[MonthSatisfaction]:
    """Per month: the satisfaction rate (overall "satisfied" / interviews) and each item's
    problem rate ("not satisfied" / answers other than "does not apply"). One query."""
    aggregates: dict[str, Any] = {"n": Count("id")}
    for key, _label in ITEMS:
        aggregates[f"{key}_neg"] = Count("id", filter=Q(**{key: Choice.DISSATISFIED}))
        aggregates[f"{key}_ans"] = Count("id", filter=~Q(**{key: Choice.NOT_APPLICABLE}))
    aggregates["top"] = Count("id", filter=Q(overall=Choice.SATISFIED))
    start, end = min(months), Month.of(max(months)).last_day
    rows = {
        (row["y"], row["m"]): row
        for row in ExitInterview.objects.filter(
            health_center=center, interviewed_on__gte=start, interviewed_on__lte=end
        )
        .values(y=ExtractYear("interviewed_on"), m=ExtractMonth("interviewed_on"))
        .annotate(**aggregates)
        .order_by()
    }
    result = []
    for month in months:
        row = rows.get((month.year, month.month), {})
        result.append(
            MonthSatisfaction(
                month=month,
                satisfied=row.get("top", 0),
                interviews=row.get("n", 0),
                items=[
                    ItemRate(key, str(label), row.get(f"{key}_neg", 0), row.get(f"{key}_ans", 0))
                    for key, label in ITEMS
                ],
            )
        )
    return result


# Return to deliver -------------------------------------------------------------------------


@dataclass(frozen=True)
class ReturnFigure:
    month: datetime.date
    source: str
    numerator: int | None
    denominator: int | None

    @property
    def rate(self) -> float | None:
        if not self.denominator or self.numerator is None:
            return None
        return round(100 * self.numerator / self.denominator, 1)


def return_to_deliver(
    *, user: Actor, center: HealthCenter, months: list[datetime.date]
) -> dict[datetime.date, list[ReturnFigure]]:
    """Per month, the figure from follow-up records (when the user sees them) and the one the
    health center reported, each marked with its source."""
    result: dict[datetime.date, list[ReturnFigure]] = {m: [] for m in months}
    indicator = catalog.get("health.return_to_deliver")
    if indicator is not None:
        try:
            series = figures.area_series(
                user=user, indicators=[indicator], area=Area.of(center), months=months
            )[indicator.code]
        except PermissionDenied:
            series = []
        for point in series:
            if point.denominator:
                result[point.month].append(
                    ReturnFigure(
                        point.month, _("follow-up records"), point.numerator, point.denominator
                    )
                )
    for row in ReportedReturn.objects.filter(health_center=center, month__in=months):
        result[row.month].append(
            ReturnFigure(row.month, _("reported by the health center"), row.returned, row.followed)
        )
    return result


# The QI program ----------------------------------------------------------------------------


@dataclass
class ProjectView:
    project: Project
    latest_score: float | None
    charts: list[Any]


def projects(
    *, user: Actor, center: HealthCenter, months: list[datetime.date]
) -> list[ProjectView]:
    """The center's projects with their measures' run charts (the indicator at the health
    center's area over `months`, analysed by `indicators.runcharts`)."""
    rows = list(
        Project.objects.filter(health_center=center).prefetch_related(
            "measures", "scores", "cycles"
        )
    )
    codes = {m.indicator_code for p in rows for m in p.measures.all()}
    indicators = [i for code in sorted(codes) if (i := catalog.get(code)) is not None]
    try:
        series = (
            figures.area_series(
                user=user, indicators=indicators, area=Area.of(center), months=months
            )
            if indicators
            else {}
        )
    except PermissionDenied:
        series = {}
    views = []
    for project in rows:
        drawn = []
        for measure in project.measures.all():
            indicator = catalog.get(measure.indicator_code)
            points = series.get(measure.indicator_code)
            if indicator is None or not points:
                continue
            values = [p.value for p in points if p.value is not None]
            analysis = runcharts.analyse(values)
            drawn.append(
                (
                    measure,
                    indicator,
                    analysis,
                    charts.trend(
                        indicator,
                        [(p.month, p.value) for p in points],
                        median=analysis.median,
                        marked=analysis.shift_points(),
                    ),
                )
            )
        scores = list(project.scores.all())
        views.append(ProjectView(project, scores[-1].score if scores else None, drawn))
    return views


def rounds(center: HealthCenter) -> list[dict[str, Any]]:
    """Community score card rounds, latest first: the community's and the providers' scores of
    the day side by side, the action items agreed then, and the items still open from earlier
    rounds (followed to this one). Two queries."""
    scored = list(
        Assessment.objects.filter(health_center=center)
        .exclude(party=Party.ASSESSORS)
        .order_by("-assessed_on")
    )
    items = list(ActionItem.objects.filter(health_center=center).order_by("agreed_on", "due_on"))
    days = sorted({a.assessed_on for a in scored} | {i.agreed_on for i in items}, reverse=True)
    result = []
    for day in days:
        result.append(
            {
                "day": day,
                "community": next(
                    (a for a in scored if a.assessed_on == day and a.party == Party.COMMUNITY), None
                ),
                "providers": next(
                    (a for a in scored if a.assessed_on == day and a.party == Party.PROVIDERS), None
                ),
                "agreed": [i for i in items if i.agreed_on == day],
                "carried": [
                    i for i in items if i.agreed_on < day and i.status in ("open", "in_progress")
                ],
            }
        )
    return result


def action_item_get(*, user: Actor, item_id: Any) -> ActionItem:
    item = get_in_scope(
        ActionItem.objects.select_related("health_center__place"),
        user,
        Perm.PLACES_VIEW,
        CENTER_PATH,
        pk=item_id,
    )
    if not has_perm_at(user, Perm.QUALITY_VIEW, item.health_center.place.path):
        raise PermissionDenied
    return item


def handover(center: HealthCenter) -> dict[str, Any]:
    steps = list(center.handover.order_by("reached_on"))
    labels = {key: text for crit in HANDOVER_CRITERIA.values() for key, text in crit.items()}
    return {
        "current": current_stage(center),
        "steps": [(s, [labels.get(k, k) for k in s.criteria_met]) for s in steps],
    }


def month_list(end: datetime.date, count: int) -> list[datetime.date]:
    last = Month.of(end)
    return [last.shift(-i).first_day for i in range(count - 1, -1, -1)]


def score_chart(assessments: list[Assessment]) -> Any:
    """The complete scores over time, as a line (server-side SVG), or None without two."""
    indicator = catalog.get("quality.ta_score")
    points = [(a.assessed_on, a.score) for a in assessments if a.complete]
    if indicator is None or len(points) < 2:
        return None
    return charts.trend(indicator, points, label=_("Transparency and accountability score"))


def partner_profile(*, user: Actor, center: HealthCenter, on: datetime.date) -> dict[str, Any]:
    """Everything the partner profile shows."""
    months = month_list(on, 12)
    table = rank_all(on)
    mine = next((r for r in table if r.center.pk == center.pk), None)
    assessments = scores_over_time(center)
    return {
        "center": center,
        "asaco": getattr(center, "asaco", None),
        "assessments": assessments,
        "score_chart": score_chart(assessments),
        "ranked": mine,
        "ranked_count": sum(1 for r in table if r.rank is not None),
        "satisfaction": satisfaction(center, months),
        "returns": return_to_deliver(user=user, center=center, months=months),
        "team": list(center.qi_team.all()),
        "coach": center.coaches.select_related("coach").first(),
        "sessions": list(center.coaching_sessions.all()[:5]),
        "projects": projects(user=user, center=center, months=month_list(on, 24)),
        "handover": handover(center),
        "rounds": rounds(center),
        "can_record": can_record(user, center),
        "version": current_version(),
    }


def answers_by_domain(assessment: Assessment) -> list[tuple[Any, list[tuple[Criterion, Any]]]]:
    """The version's criteria by domain, each with its answer (or None)."""
    answers = {a.criterion_id: a for a in assessment.answers.all()}
    grouped: dict[Any, list[tuple[Criterion, Any]]] = defaultdict(list)
    for criterion in version_criteria(assessment.version):
        grouped[criterion.domain].append((criterion, answers.get(criterion.pk)))
    return list(grouped.items())


def assemblies_of(center: HealthCenter) -> QuerySet[GeneralAssembly]:
    return GeneralAssembly.objects.filter(asaco__health_center=center)


def board_of(center: HealthCenter) -> QuerySet[BoardMember]:
    return BoardMember.objects.filter(asaco__health_center=center)


def coach_history(*, center: HealthCenter) -> QuerySet[CoachAssignment]:
    """The health center's coach assignments, the current one first."""
    return center.coaches.select_related("coach", "created_by").order_by("-since", "-created_at")


def coaches_for(*, center: HealthCenter) -> QuerySet[User]:
    """The users a coach assignment may name: QI coaches whose places include the center."""
    return User.objects.filter(pk__in=coach_ids(center)).order_by("last_name", "username")
