"""Indicators of the community health program, computed from the registry and the visits.

Every figure is per community (the household's community) and month; see README.md for each
exact definition. Program = HEALTH.

Each indicator's `records(user, place, month)` gives the records that make its numerator in
`place` and below (for a rate: the numerator's records, never the denominator's), limited to the
communities where `user` may see health records: one query, counts and dates as annotations, so
a drill-down page or an export costs a fixed number of queries."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import (
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Concat, TruncMonth
from django.utils.translation import gettext_lazy as _

from jigiya.accounts.access import Actor, scope_q
from jigiya.accounts.roles import Perm
from jigiya.core.periods import Month
from jigiya.followup.enrollments import SOURCE_ENROLLMENT as ENROLLMENT
from jigiya.followup.models import (
    ChildAssessment,
    EducationSession,
    PregnancyCheck,
    Referral,
    ReferralStatus,
    Visit,
)
from jigiya.followup.pregnancies import SOURCE_PREGNANCY as PREGNANCY
from jigiya.followup.referrals import SOURCE_REFERRAL as REFERRAL
from jigiya.followup.visits import SOURCE_VISIT as VISIT
from jigiya.indicators.catalog import (
    Cells,
    Disaggregation,
    Fact,
    Indicator,
    Program,
    RecordColumn,
    Target,
    Unit,
    register,
)
from jigiya.places.models import Place
from jigiya.registry.models import (
    AncContact,
    BirthOutcome,
    DeliveryPlace,
    Enrollment,
    FollowupProgram,
    Person,
    Pregnancy,
)

# A pregnancy ends in a delivery when a baby is born, alive or not; a miscarriage or an abortion
# is no delivery, wherever it was recorded (facility deliveries and return to deliver agree).
DELIVERED = (BirthOutcome.LIVE_BIRTH, BirthOutcome.STILLBIRTH)


def _months(cells: Cells) -> list[datetime.date]:
    return sorted(cells.months)


def _next_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def _in(rows: Any, cells: Cells, path: str) -> Any:
    if cells.place_ids is not None:
        rows = rows.filter(**{f"{path}__in": cells.place_ids})
    return rows


def children_two_contacts(cells: Cells) -> Iterable[Fact]:
    """Enrolled children seen at two visits or more in the month / children enrolled at any
    time in the month."""
    enrollments = _in(
        Enrollment.objects.filter(program=FollowupProgram.CHILD, start__lt=cells.end).filter(
            Q(end__isnull=True) | Q(end__gte=cells.first)
        ),
        cells,
        "person__household__community_id",
    ).values_list("person_id", "person__household__community_id", "start", "end")
    seen = Visit.people.through.objects.filter(
        visit__date__gte=cells.first, visit__date__lt=cells.end
    )
    seen = _in(seen, cells, "visit__household__community_id")
    counts = {
        (row["person_id"], row["month"]): row["n"]
        for row in seen.annotate(month=TruncMonth("visit__date"))
        .values("person_id", "month")
        .annotate(n=Count("visit_id", distinct=True))
        .order_by()
    }
    totals: dict[tuple[Any, datetime.date], list[int]] = defaultdict(lambda: [0, 0])
    counted: set[tuple[Any, datetime.date]] = set()
    for person_id, place_id, start, end in enrollments:
        for month in _months(cells):
            if start < _next_month(month) and (end is None or end >= month):
                if (person_id, month) in counted:
                    continue
                counted.add((person_id, month))
                total = totals[(place_id, month)]
                total[1] += 1
                total[0] += counts.get((person_id, month), 0) >= 2
    for (place_id, month), (numerator, denominator) in totals.items():
        yield Fact(place_id, month, numerator, denominator)


def visits(cells: Cells) -> Iterable[Fact]:
    """Home visits made in the month."""
    rows = _in(
        Visit.objects.filter(date__gte=cells.first, date__lt=cells.end),
        cells,
        "household__community_id",
    )
    for row in (
        rows.annotate(month=TruncMonth("date"))
        .values("household__community_id", "month")
        .annotate(n=Count("id"))
        .order_by()
    ):
        yield Fact(row["household__community_id"], row["month"], row["n"])


def children_by_muac(cells: Cells) -> Iterable[Fact]:
    """Children whose MUAC was measured in the month, by the band of their last measurement."""
    rows = _in(
        ChildAssessment.objects.filter(
            visit__date__gte=cells.first, visit__date__lt=cells.end, muac_mm__isnull=False
        ),
        cells,
        "visit__household__community_id",
    ).order_by("visit__date", "created_at", "pk")  # the same order as `muac_records`
    last: dict[tuple[Any, datetime.date], tuple[Any, str]] = {}
    for person_id, place_id, day, band in rows.values_list(
        "person_id", "visit__household__community_id", "visit__date", "muac_band"
    ):
        last[(person_id, day.replace(day=1))] = (place_id, band)
    for (_person, month), (place_id, band) in last.items():
        yield Fact(place_id, month, 1)
        yield Fact(place_id, month, 1, breakdown=f"muac={band}")


def _referrals(cells: Cells) -> Any:
    rows = _in(
        Referral.objects.filter(referred_on__gte=cells.first, referred_on__lt=cells.end),
        cells,
        "person__household__community_id",
    )
    return (
        rows.annotate(month=TruncMonth("referred_on"))
        .values("person__household__community_id", "month")
        .annotate(n=Count("id"), seen=Count("id", filter=Q(status=ReferralStatus.SEEN)))
        .order_by()
    )


def referrals(cells: Cells) -> Iterable[Fact]:
    """Referrals made in the month."""
    for row in _referrals(cells):
        yield Fact(row["person__household__community_id"], row["month"], row["n"])


def referrals_completed(cells: Cells) -> Iterable[Fact]:
    """Referrals made in the month whose person was seen at the health center / referrals made
    in the month."""
    for row in _referrals(cells):
        yield Fact(row["person__household__community_id"], row["month"], row["seen"], row["n"])


def pregnant_women_followed(cells: Cells) -> Iterable[Fact]:
    """Women with a pregnancy check at a home visit in the month."""
    rows = _in(
        PregnancyCheck.objects.filter(visit__date__gte=cells.first, visit__date__lt=cells.end),
        cells,
        "visit__household__community_id",
    )
    for row in (
        rows.annotate(month=TruncMonth("visit__date"))
        .values("visit__household__community_id", "month")
        .annotate(n=Count("pregnancy__woman_id", distinct=True))
        .order_by()
    ):
        yield Fact(row["visit__household__community_id"], row["month"], row["n"])


def _anc_rank(cells: Cells, rank: int) -> Iterable[Fact]:
    """Pregnancies whose `rank`-th ANC contact fell in the month."""
    contacts = _in(
        AncContact.objects.filter(date__lt=cells.end),
        cells,
        "pregnancy__woman__household__community_id",
    )
    ordered: dict[Any, list[tuple[datetime.date, Any]]] = defaultdict(list)
    for pregnancy_id, day, place_id in (
        contacts.values_list("pregnancy_id", "date", "pregnancy__woman__household__community_id")
        .distinct()
        .order_by("pregnancy_id", "date")
    ):
        ordered[pregnancy_id].append((day, place_id))
    totals: dict[tuple[Any, datetime.date], int] = defaultdict(int)
    for days in ordered.values():
        if len(days) >= rank:
            day, place_id = days[rank - 1]
            month = day.replace(day=1)
            if month in cells.months:
                totals[(place_id, month)] += 1
    for (place_id, month), n in totals.items():
        yield Fact(place_id, month, n)


def anc1(cells: Cells) -> Iterable[Fact]:
    return _anc_rank(cells, 1)


def anc4(cells: Cells) -> Iterable[Fact]:
    return _anc_rank(cells, 4)


def facility_deliveries(cells: Cells) -> Iterable[Fact]:
    """Births (live or still) in a health facility in the month / births in the month."""
    rows = _in(
        Pregnancy.objects.filter(
            outcome_date__gte=cells.first,
            outcome_date__lt=cells.end,
            birth_outcome__in=DELIVERED,
        ),
        cells,
        "woman__household__community_id",
    )
    for row in (
        rows.annotate(month=TruncMonth("outcome_date"))
        .values("woman__household__community_id", "month")
        .annotate(
            n=Count("id"),
            facility=Count("id", filter=~Q(outcome_place=DeliveryPlace.HOME)),
        )
        .order_by()
    ):
        yield Fact(row["woman__household__community_id"], row["month"], row["facility"], row["n"])


def return_to_deliver(cells: Cells) -> Iterable[Fact]:
    """Women with an ANC contact at a CSCom who delivered (a live birth or a stillbirth) at that
    same CSCom / women with an ANC contact at a CSCom whose EDD fell in the month, but for a
    pregnancy lost (she could not come back to deliver, so she is in neither figure)."""
    pregnancies = _in(
        Pregnancy.objects.filter(
            edd__gte=cells.first, edd__lt=cells.end, anc_contacts__health_center__isnull=False
        )
        .exclude(birth_outcome=BirthOutcome.PREGNANCY_LOSS)
        .distinct(),
        cells,
        "woman__household__community_id",
    ).annotate(first_anc=Min("anc_contacts__date"))
    centers: dict[Any, set[Any]] = defaultdict(set)
    for pregnancy_id, center_id in AncContact.objects.filter(
        pregnancy__in=pregnancies.values("pk"), health_center__isnull=False
    ).values_list("pregnancy_id", "health_center_id"):
        centers[pregnancy_id].add(center_id)
    totals: dict[tuple[Any, datetime.date], list[int]] = defaultdict(lambda: [0, 0])
    for pregnancy_id, place_id, edd, delivered_at, outcome in pregnancies.values_list(
        "pk", "woman__household__community_id", "edd", "outcome_health_center_id", "birth_outcome"
    ):
        total = totals[(place_id, edd.replace(day=1))]
        total[1] += 1
        total[0] += outcome in DELIVERED and delivered_at in centers[pregnancy_id]
    for (place_id, month), (numerator, denominator) in totals.items():
        yield Fact(place_id, month, numerator, denominator)


def education_sessions(cells: Cells) -> Iterable[Fact]:
    """Education sessions given at home visits in the month, by topic."""
    rows = _in(
        EducationSession.objects.filter(visit__date__gte=cells.first, visit__date__lt=cells.end),
        cells,
        "visit__household__community_id",
    )
    for row in (
        rows.annotate(month=TruncMonth("visit__date"))
        .values("visit__household__community_id", "month", "topic")
        .annotate(n=Count("id"))
        .order_by()
    ):
        place, month = row["visit__household__community_id"], row["month"]
        yield Fact(place, month, row["n"])
        yield Fact(place, month, row["n"], breakdown=f"topic={row['topic']}")


# --- Records behind a figure (drill-down and record exports) -------------------------------

COMMUNITY = "household__community__path"


def _end(month: datetime.date) -> datetime.date:
    return Month.of(month).next().first_day


def _within(rows: QuerySet[Any], user: Actor, place: Place, path: str) -> QuerySet[Any]:
    """Rows whose community (reached by `path`) is `place` or below it, where `user` may see
    health records."""
    return rows.filter(scope_q(user, Perm.HEALTH_VIEW, path), **{f"{path}__startswith": place.path})


def _count(rows: QuerySet[Any], key: str) -> Coalesce:
    """The number of `rows` (correlated to the outer record through `key`), 0 when none."""
    return Coalesce(
        Subquery(rows.order_by().values(key).annotate(n=Count("pk")).values("n")[:1]),
        0,
        output_field=IntegerField(),
    )


def _full_name() -> Concat:
    return Concat("given_name", Value(" "), "family_name")


def _anc_count() -> Coalesce:
    return _count(AncContact.objects.filter(pregnancy=OuterRef("pk")), "pregnancy")


def visit_records(user: Actor, place: Place, month: datetime.date) -> QuerySet[Visit]:
    """The visits of the month."""
    seen = Visit.people.through.objects.filter(visit=OuterRef("pk"))
    return (
        _within(Visit.objects.filter(date__gte=month, date__lt=_end(month)), user, place, COMMUNITY)
        .select_related("household__community", "chw")
        .annotate(people_seen=_count(seen, "visit"))
        .order_by("date", "pk")
    )


def two_contacts_records(user: Actor, place: Place, month: datetime.date) -> QuerySet[Person]:
    """The enrolled children seen at two visits or more in the month."""
    return _enrolled_children(user, place, month, seen_twice=True)


def two_contacts_missing(user: Actor, place: Place, month: datetime.date) -> QuerySet[Person]:
    """The children enrolled in the month not yet seen twice: the ones a CHW still has to see,
    fewest visits first."""
    return _enrolled_children(user, place, month, seen_twice=False)


def _enrolled_children(
    user: Actor, place: Place, month: datetime.date, *, seen_twice: bool
) -> QuerySet[Person]:
    """The children enrolled in the child follow-up at any time in the month (the denominator
    of `children_two_contacts`) seen twice or more in it (`seen_twice`), or not (fewest visits
    first), with their visits in the month."""
    end = _end(month)
    enrolled = Enrollment.objects.filter(
        Q(end__isnull=True) | Q(end__gte=month),
        person=OuterRef("pk"),
        program=FollowupProgram.CHILD,
        start__lt=end,
    )
    seen = Visit.people.through.objects.filter(
        person=OuterRef("pk"), visit__date__gte=month, visit__date__lt=end
    )
    children = (
        _within(Person.objects.filter(Exists(enrolled)), user, place, COMMUNITY)
        .annotate(full_name=_full_name(), visits_in_month=_count(seen, "person"))
        .select_related("household__community", "household__chw")
    )
    order = ("household__community__name", "family_name", "given_name", "pk")
    if seen_twice:
        return children.filter(visits_in_month__gte=2).order_by(*order)
    return children.filter(visits_in_month__lt=2).order_by("visits_in_month", *order)


def muac_records(user: Actor, place: Place, month: datetime.date) -> QuerySet[ChildAssessment]:
    """Each child's last MUAC measurement of the month (the one that gives the band)."""
    end = _end(month)
    later = ChildAssessment.objects.filter(
        Q(visit__date__gt=OuterRef("visit__date"))
        | Q(visit__date=OuterRef("visit__date"), created_at__gt=OuterRef("created_at"))
        | Q(
            visit__date=OuterRef("visit__date"),
            created_at=OuterRef("created_at"),
            pk__gt=OuterRef("pk"),
        ),
        person=OuterRef("person"),
        muac_mm__isnull=False,
        visit__date__gte=month,
        visit__date__lt=end,
    )
    return (
        _within(
            ChildAssessment.objects.filter(
                visit__date__gte=month, visit__date__lt=end, muac_mm__isnull=False
            ).exclude(Exists(later)),
            user,
            place,
            f"visit__{COMMUNITY}",
        )
        # Whole months of age, as `Person.age_months` counts them (30.4375 days a month).
        .annotate(
            age_months=ExpressionWrapper(
                F("age_days") * 10000 / 304375, output_field=IntegerField()
            )
        )
        .select_related("person", "visit__household__community")
        .order_by("visit__date", "pk")
    )


def _referrals_of(user: Actor, place: Place, month: datetime.date) -> QuerySet[Referral]:
    return (
        _within(
            Referral.objects.filter(referred_on__gte=month, referred_on__lt=_end(month)),
            user,
            place,
            f"person__{COMMUNITY}",
        )
        .select_related("person__household__community", "health_center")
        .order_by("referred_on", "pk")
    )


def referral_records(user: Actor, place: Place, month: datetime.date) -> QuerySet[Referral]:
    """The referrals made in the month."""
    return _referrals_of(user, place, month)


def referral_seen_records(user: Actor, place: Place, month: datetime.date) -> QuerySet[Referral]:
    """The referrals made in the month whose person was seen at the health center."""
    return _referrals_of(user, place, month).filter(status=ReferralStatus.SEEN)


def referral_unseen_records(user: Actor, place: Place, month: datetime.date) -> QuerySet[Referral]:
    """The referrals made in the month whose person was not (yet) seen at the health center."""
    return _referrals_of(user, place, month).exclude(status=ReferralStatus.SEEN)


def pregnant_women_records(user: Actor, place: Place, month: datetime.date) -> QuerySet[Person]:
    """The women with a pregnancy check at a visit of the month (in `place`), with the
    pregnancy of their last check of the month."""
    end = _end(month)
    checks = PregnancyCheck.objects.filter(
        pregnancy__woman=OuterRef("pk"), visit__date__gte=month, visit__date__lt=end
    )
    here = _within(checks, user, place, f"visit__{COMMUNITY}")
    last = checks.order_by("-visit__date", "-created_at", "-pk")
    return (
        Person.objects.filter(Exists(here))
        .annotate(
            full_name=_full_name(),
            checks_in_month=_count(checks, "pregnancy__woman"),
            last_check_on=Subquery(last.values("visit__date")[:1]),
            gestational_weeks=Subquery(last.values("gestational_weeks")[:1]),
            checked_pregnancy=Subquery(last.values("pregnancy")[:1]),
            edd=Subquery(last.values("pregnancy__edd")[:1]),
            anc_count=_count(
                AncContact.objects.filter(pregnancy=OuterRef("checked_pregnancy")), "pregnancy"
            ),
        )
        .select_related("household__community")
        .order_by("household__community__name", "family_name", "given_name", "pk")
    )


def _anc_rank_records(
    user: Actor, place: Place, month: datetime.date, rank: int
) -> QuerySet[Pregnancy]:
    contacts = AncContact.objects.filter(pregnancy=OuterRef("pk")).order_by("date")
    return (
        _within(Pregnancy.objects.all(), user, place, f"woman__{COMMUNITY}")
        .annotate(contact_on=Subquery(contacts.values("date")[rank - 1 : rank]))
        .filter(contact_on__gte=month, contact_on__lt=_end(month))
        .annotate(anc_count=_anc_count())
        .select_related("woman__household__community")
        .order_by("contact_on", "pk")
    )


def anc1_records(user: Actor, place: Place, month: datetime.date) -> QuerySet[Pregnancy]:
    """The pregnancies whose first ANC contact was in the month."""
    return _anc_rank_records(user, place, month, 1)


def anc4_records(user: Actor, place: Place, month: datetime.date) -> QuerySet[Pregnancy]:
    """The pregnancies whose fourth ANC contact was in the month."""
    return _anc_rank_records(user, place, month, 4)


def facility_delivery_records(
    user: Actor, place: Place, month: datetime.date
) -> QuerySet[Pregnancy]:
    """The births (live or still) of the month in a health facility."""
    return (
        _within(
            Pregnancy.objects.filter(
                outcome_date__gte=month,
                outcome_date__lt=_end(month),
                birth_outcome__in=DELIVERED,
            ).exclude(outcome_place=DeliveryPlace.HOME),
            user,
            place,
            f"woman__{COMMUNITY}",
        )
        .annotate(anc_count=_anc_count())
        .select_related("woman__household__community", "outcome_health_center")
        .order_by("outcome_date", "pk")
    )


def home_delivery_records(user: Actor, place: Place, month: datetime.date) -> QuerySet[Pregnancy]:
    """The births (live or still) of the month at home: missing from the facility deliveries."""
    return (
        _within(
            Pregnancy.objects.filter(
                outcome_date__gte=month,
                outcome_date__lt=_end(month),
                birth_outcome__in=DELIVERED,
                outcome_place=DeliveryPlace.HOME,
            ),
            user,
            place,
            f"woman__{COMMUNITY}",
        )
        .annotate(anc_count=_anc_count())
        .select_related("woman__household__community", "outcome_health_center")
        .order_by("outcome_date", "pk")
    )


def return_to_deliver_records(
    user: Actor, place: Place, month: datetime.date
) -> QuerySet[Pregnancy]:
    """The women whose EDD fell in the month who delivered (a live birth or a stillbirth, as in
    `return_to_deliver`) at a CSCom where they had ANC."""
    there = AncContact.objects.filter(
        pregnancy=OuterRef("pk"), health_center=OuterRef("outcome_health_center")
    )
    return (
        _within(
            Pregnancy.objects.filter(
                edd__gte=month, edd__lt=_end(month), birth_outcome__in=DELIVERED
            ).filter(Exists(there)),
            user,
            place,
            f"woman__{COMMUNITY}",
        )
        .annotate(anc_count=_anc_count())
        .select_related("woman__household__community", "outcome_health_center")
        .order_by("edd", "pk")
    )


def education_records(
    user: Actor, place: Place, month: datetime.date
) -> QuerySet[EducationSession]:
    """The topics taught at visits of the month, one per visit and topic."""
    attending = EducationSession.attendees.through.objects.filter(educationsession=OuterRef("pk"))
    return (
        _within(
            EducationSession.objects.filter(visit__date__gte=month, visit__date__lt=_end(month)),
            user,
            place,
            f"visit__{COMMUNITY}",
        )
        .annotate(attendance=_count(attending, "educationsession"))
        .select_related("visit__household__community", "visit__chw")
        .order_by("visit__date", "topic", "pk")
    )


VISIT_COLUMNS = (
    RecordColumn("date", _("date")),
    RecordColumn("household__community__name", _("community")),
    RecordColumn("chw__username", _("CHW")),
    RecordColumn("household__name", _("household"), personal=True),
    RecordColumn("people_seen", _("people seen")),
)
CHILD_COLUMNS = (
    RecordColumn("full_name", _("child"), personal=True),
    RecordColumn("birth_date", _("date of birth")),
    RecordColumn("household__community__name", _("community")),
    RecordColumn("household__name", _("household"), personal=True),
    RecordColumn("household__chw__username", _("CHW")),
    RecordColumn("visits_in_month", _("visits in the month")),
)
MUAC_COLUMNS = (
    RecordColumn("visit__date", _("visit date")),
    RecordColumn("person", _("child"), personal=True),
    RecordColumn("visit__household__community__name", _("community")),
    RecordColumn("age_months", _("age (months)")),
    RecordColumn("muac_mm", _("MUAC (mm)")),
    RecordColumn("muac_band", _("MUAC band")),
)
REFERRAL_COLUMNS = (
    RecordColumn("referred_on", _("referred on")),
    RecordColumn("person", _("person"), personal=True),
    RecordColumn("person__household__community__name", _("community")),
    RecordColumn("reasons", _("reasons")),
    RecordColumn("reason_text", _("reason")),
    RecordColumn("urgency", _("urgency")),
    RecordColumn("status", _("status")),
    RecordColumn("seen_on", _("seen on")),
    RecordColumn("health_center__name", _("health center")),
)
PREGNANT_WOMAN_COLUMNS = (
    RecordColumn("full_name", _("woman"), personal=True),
    RecordColumn("phone", _("phone"), personal=True),
    RecordColumn("household__community__name", _("community")),
    RecordColumn("last_check_on", _("last check")),
    RecordColumn("checks_in_month", _("checks in the month")),
    RecordColumn("gestational_weeks", _("gestational age (weeks)")),
    RecordColumn("edd", _("EDD")),
    RecordColumn("anc_count", _("ANC contacts")),
)
ANC_COLUMNS = (
    RecordColumn("contact_on", _("ANC contact")),
    RecordColumn("woman", _("woman"), personal=True),
    RecordColumn("woman__phone", _("phone"), personal=True),
    RecordColumn("woman__household__community__name", _("community")),
    RecordColumn("edd", _("EDD")),
    RecordColumn("anc_count", _("ANC contacts")),
)
DELIVERY_COLUMNS = (
    RecordColumn("outcome_date", _("date of delivery")),
    RecordColumn("woman", _("woman"), personal=True),
    RecordColumn("woman__phone", _("phone"), personal=True),
    RecordColumn("woman__household__community__name", _("community")),
    RecordColumn("edd", _("EDD")),
    RecordColumn("anc_count", _("ANC contacts")),
    RecordColumn("birth_outcome", _("outcome")),
    RecordColumn("outcome_place", _("place of delivery")),
    RecordColumn("outcome_health_center__name", _("health center")),
)
EDUCATION_COLUMNS = (
    RecordColumn("visit__date", _("date")),
    RecordColumn("topic", _("topic")),
    RecordColumn("visit__household__community__name", _("community")),
    RecordColumn("visit__chw__username", _("CHW")),
    RecordColumn("visit__household__name", _("household"), personal=True),
    RecordColumn("attendance", _("people attending")),
)

PLACES = (Disaggregation.COMMUNITY, Disaggregation.HEALTH_CENTER)


def _register(code: str, compute: Any, **kwargs: Any) -> Indicator:
    return register(Indicator(code=code, compute=compute, program=Program.HEALTH, **kwargs))


_register(
    "health.children_two_contacts",
    children_two_contacts,
    name=_("Children contacted twice in the month"),
    definition=_(
        "Children enrolled in the child follow-up at any time in the month who were seen at two "
        "home visits or more in the month, out of the children enrolled in the month."
    ),
    unit=Unit.PERCENT,
    sources=(VISIT, ENROLLMENT),
    numerator_label=_("children seen twice or more"),
    denominator_label=_("children enrolled"),
    target=Target(90),
    ongoing=True,  # the children enrolled carry into a month without visits
    records=two_contacts_records,
    missing=two_contacts_missing,
    record_columns=CHILD_COLUMNS,
)
_register(
    "health.visits",
    visits,
    name=_("Home visits"),
    definition=_("Home visits by CHWs in the month."),
    unit=Unit.COUNT,
    sources=(VISIT,),
    numerator_label=_("visits"),
    records=visit_records,
    record_columns=VISIT_COLUMNS,
)
_register(
    "health.children_by_muac",
    children_by_muac,
    name=_("Children by MUAC band"),
    definition=_(
        "Children whose MUAC was measured in the month, counted once, in the band of their last "
        "measurement of the month (breakdown muac=red: < 115 mm, yellow: 115-124 mm, green: "
        "≥ 125 mm)."
    ),
    unit=Unit.COUNT,
    sources=(VISIT,),
    numerator_label=_("children measured"),
    records=muac_records,
    record_columns=MUAC_COLUMNS,
    disaggregations=(*PLACES, Disaggregation.MUAC),
)
_register(
    "health.referrals",
    referrals,
    name=_("Referrals"),
    definition=_("People referred to a health center in the month (by the day of referral)."),
    unit=Unit.COUNT,
    sources=(REFERRAL, VISIT),
    numerator_label=_("referrals"),
    records=referral_records,
    record_columns=REFERRAL_COLUMNS,
)
_register(
    "health.referrals_completed",
    referrals_completed,
    name=_("Referrals completed"),
    definition=_(
        "Referrals made in the month whose person was seen at the health center (as closed by "
        "the health center or the follow-up visit), out of the referrals made in the month."
    ),
    unit=Unit.PERCENT,
    sources=(REFERRAL, VISIT),
    numerator_label=_("seen at the health center"),
    denominator_label=_("referrals"),
    target=Target(80),
    records=referral_seen_records,
    missing=referral_unseen_records,
    record_columns=REFERRAL_COLUMNS,
)
_register(
    "health.pregnant_women_followed",
    pregnant_women_followed,
    name=_("Pregnant women followed"),
    definition=_("Women with a pregnancy check at a home visit in the month."),
    unit=Unit.COUNT,
    sources=(VISIT,),
    numerator_label=_("pregnant women"),
    records=pregnant_women_records,
    record_columns=PREGNANT_WOMAN_COLUMNS,
)
_register(
    "health.anc1",
    anc1,
    name=_("ANC1"),
    definition=_("Pregnancies whose first antenatal care contact was in the month."),
    unit=Unit.COUNT,
    sources=(PREGNANCY,),
    numerator_label=_("first ANC contacts"),
    records=anc1_records,
    record_columns=ANC_COLUMNS,
)
_register(
    "health.anc4",
    anc4,
    name=_("ANC4+"),
    definition=_(
        "Pregnancies whose fourth antenatal care contact was in the month (they reached four "
        "contacts or more)."
    ),
    unit=Unit.COUNT,
    sources=(PREGNANCY,),
    numerator_label=_("fourth ANC contacts"),
    records=anc4_records,
    record_columns=ANC_COLUMNS,
)
_register(
    "health.facility_deliveries",
    facility_deliveries,
    name=_("Deliveries in a health facility"),
    definition=_(
        "Births (live births and stillbirths) in the month at a CSCom or another health "
        "facility, out of all births in the month (by the woman's community)."
    ),
    unit=Unit.PERCENT,
    sources=(PREGNANCY,),
    numerator_label=_("births in a facility"),
    denominator_label=_("births"),
    target=Target(90),
    records=facility_delivery_records,
    missing=home_delivery_records,
    record_columns=DELIVERY_COLUMNS,
)
_register(
    "health.return_to_deliver",
    return_to_deliver,
    name=_("Women returning to deliver at their ANC CSCom"),
    definition=_(
        "Women whose EDD fell in the month and who had an ANC contact at a CSCom: those who "
        "delivered (a live birth or a stillbirth) at a CSCom where they had ANC, out of all of "
        "them but those whose pregnancy was lost."
    ),
    unit=Unit.PERCENT,
    sources=(PREGNANCY,),
    numerator_label=_("delivered at their ANC CSCom"),
    denominator_label=_("women with ANC at a CSCom, EDD in the month"),
    target=Target(90),
    records=return_to_deliver_records,
    record_columns=DELIVERY_COLUMNS,
)
_register(
    "health.education_sessions",
    education_sessions,
    name=_("Education sessions"),
    definition=_(
        "Topics taught at home visits in the month, one per topic and visit (breakdown "
        "topic=nutrition, hygiene, budgeting, other)."
    ),
    unit=Unit.COUNT,
    sources=(VISIT,),
    numerator_label=_("sessions"),
    records=education_records,
    record_columns=EDUCATION_COLUMNS,
    disaggregations=(*PLACES, Disaggregation.TOPIC),
)
