"""Each indicator's figure on a small hand-made dataset (community A, 2025)."""

import datetime

import pytest
import time_machine

from jigiya.followup import indicators, services
from jigiya.followup import services as followup_services
from jigiya.indicators.catalog import Cells, Program, by_code
from jigiya.registry.tests.factories import PersonFactory

MAY, JUNE = datetime.date(2025, 5, 1), datetime.date(2025, 6, 1)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2025, 7, 10, 9, 0), tick=False):
        yield


def _facts(compute, cast, months=(JUNE,)):
    return sorted(
        (fact.month, fact.breakdown, fact.numerator, fact.denominator)
        for fact in compute(Cells(frozenset({cast.community_a.pk}), frozenset(months)))
    )


def _child(household, name):
    return PersonFactory(household=household, given_name=name, birth_date=datetime.date(2024, 1, 1))


def _visit(chw, household, day, people, **kwargs):
    return services.visit_record(actor=chw, household=household, date=day, people=people, **kwargs)


def test_every_indicator_is_registered_for_the_health_program():
    codes = {code for code, i in by_code().items() if i.program == Program.HEALTH}
    assert codes >= {
        "health.children_two_contacts", "health.visits", "health.children_by_muac",
        "health.referrals", "health.referrals_completed", "health.pregnant_women_followed",
        "health.anc1", "health.anc4", "health.facility_deliveries", "health.return_to_deliver",
        "health.education_sessions",
    }  # fmt: skip


def test_children_with_two_contacts_visits_and_muac(cast, chw, household):
    awa, ali, ada = (_child(household, name) for name in ("Awa", "Ali", "Ada"))
    for child in (awa, ali, ada):
        followup_services.enrollment_start(actor=chw, person=child, program="child", start=MAY)
    # Awa seen twice in June, Ali once, Ada never.
    _visit(
        chw,
        household,
        datetime.date(2025, 6, 3),
        [awa.pk, ali.pk],
        children=[
            services.ChildCheckIn(person_id=awa.pk, muac_mm=112),
            services.ChildCheckIn(person_id=ali.pk, muac_mm=120),
        ],
        refer=False,
    )
    _visit(chw, household, datetime.date(2025, 6, 17), [awa.pk],
           children=[services.ChildCheckIn(person_id=awa.pk, muac_mm=126)])  # fmt: skip
    assert _facts(indicators.children_two_contacts, cast) == [(JUNE, "", 1, 3)]
    assert _facts(indicators.visits, cast) == [(JUNE, "", 2, None)]
    # Awa's last MUAC of June is green; Ali's is yellow.
    assert _facts(indicators.children_by_muac, cast) == [
        (JUNE, "", 1, None), (JUNE, "", 1, None),
        (JUNE, "muac=green", 1, None), (JUNE, "muac=yellow", 1, None),
    ]  # fmt: skip


def test_referrals_and_the_share_completed(cast, chw, household):
    awa, ali = _child(household, "Awa"), _child(household, "Ali")
    _visit(chw, household, datetime.date(2025, 6, 3), [awa.pk, ali.pk],
           children=[services.ChildCheckIn(person_id=awa.pk, muac_mm=110),
                     services.ChildCheckIn(person_id=ali.pk, danger_signs=["convulsions"])])  # fmt: skip
    from jigiya.followup.models import Referral

    first = Referral.objects.get(person=awa)
    services.referral_close(actor=chw, referral=first, seen=True, seen_by="CSCom")
    assert _facts(indicators.referrals, cast) == [(JUNE, "", 2, None)]
    assert _facts(indicators.referrals_completed, cast) == [(JUNE, "", 1, 2)]


def _woman(household, name):
    return PersonFactory(
        household=household,
        given_name=name,
        relationship="spouse",
        birth_date=datetime.date(1995, 1, 1),
    )


def test_pregnancy_anc_deliveries_and_return_to_deliver(cast, chw, household):
    mariam, hawa, oumou = (_woman(household, n) for n in ("Mariam", "Hawa", "Oumou"))
    # Mariam: 4 ANC at CSCom A, EDD in June, delivered at CSCom A.
    p1 = followup_services.pregnancy_register(
        actor=chw, woman=mariam, edd=datetime.date(2025, 6, 20)
    )
    for day in (
        datetime.date(2025, 1, 10),
        datetime.date(2025, 3, 5),
        datetime.date(2025, 4, 20),
        datetime.date(2025, 6, 2),
    ):
        followup_services.anc_contact_record(actor=chw, pregnancy=p1, date=day, place="this_cscom")
    followup_services.pregnancy_outcome_record(actor=chw, pregnancy=p1, outcome_date=datetime.date(2025, 6, 18),
                                      birth_outcome="live_birth", outcome_place="this_cscom")  # fmt: skip
    # Hawa: 1 ANC at CSCom A in June, EDD in June, delivered at home.
    p2 = followup_services.pregnancy_register(actor=chw, woman=hawa, edd=datetime.date(2025, 6, 25))
    followup_services.anc_contact_record(
        actor=chw, pregnancy=p2, date=datetime.date(2025, 6, 5), place="this_cscom"
    )
    followup_services.pregnancy_outcome_record(actor=chw, pregnancy=p2, outcome_date=datetime.date(2025, 6, 26),
                                      birth_outcome="live_birth", outcome_place="home")  # fmt: skip
    # Oumou: no ANC, EDD in December; followed at a visit in June.
    p3 = followup_services.pregnancy_register(actor=chw, woman=oumou, lmp=datetime.date(2025, 3, 1))
    _visit(chw, household, datetime.date(2025, 6, 10), [oumou.pk],
           pregnancies=[services.PregnancyCheckIn(pregnancy_id=p3.pk)],
           education=[services.EducationIn(topic="nutrition", attendee_ids=[oumou.pk]),
                      services.EducationIn(topic="hygiene")])  # fmt: skip
    _visit(chw, household, datetime.date(2025, 6, 24), [oumou.pk],
           pregnancies=[services.PregnancyCheckIn(pregnancy_id=p3.pk)],
           education=[services.EducationIn(topic="nutrition")])  # fmt: skip
    assert _facts(indicators.pregnant_women_followed, cast) == [(JUNE, "", 1, None)]
    assert _facts(indicators.anc1, cast) == [(JUNE, "", 1, None)]  # Hawa's first
    assert _facts(indicators.anc4, cast) == [(JUNE, "", 1, None)]  # Mariam's fourth
    assert _facts(indicators.facility_deliveries, cast) == [(JUNE, "", 1, 2)]
    assert _facts(indicators.return_to_deliver, cast) == [(JUNE, "", 1, 2)]
    assert _facts(indicators.education_sessions, cast) == [
        (JUNE, "", 1, None), (JUNE, "", 2, None),
        (JUNE, "topic=hygiene", 1, None), (JUNE, "topic=nutrition", 2, None),
    ]  # fmt: skip


def test_a_new_month_without_visits_shows_the_enrolled_children_after_the_nightly_roll(
    cast, chw, household
):
    from jigiya.indicators import engine
    from jigiya.indicators.models import IndicatorValue

    code = "health.children_two_contacts"
    august = datetime.date(2025, 8, 1)
    awa = _child(household, "Awa")
    followup_services.enrollment_start(actor=chw, person=awa, program="child", start=JUNE)
    engine.refresh()

    def stored():
        return (
            IndicatorValue.objects.filter(
                indicator=code, place=cast.community_a, month=august, breakdown=""
            )
            .values_list("numerator", "denominator")
            .first()
        )

    with time_machine.travel(datetime.datetime(2025, 8, 2, 2, 0), tick=False):
        assert stored() is None  # nothing recorded in August yet
        assert any(code in problem and "2025-08" in problem for problem in engine.check())
        engine.roll()
        assert stored() == (0, 1)  # Awa is enrolled and not seen yet: 0 %, not "no value"
        assert [problem for problem in engine.check() if code in problem] == []


def test_a_pregnancy_lost_at_the_cscom_is_not_a_return_to_deliver(cast, chw, household):
    from jigiya.accounts.roles import Role

    # Given Mariam (ANC at CSCom A, delivered there) and Hawa (ANC at CSCom A, a miscarriage
    # recorded at CSCom A), both with an EDD in June.
    pregnancies = {}
    for name, outcome, day in (
        ("Mariam", "live_birth", datetime.date(2025, 6, 18)),
        ("Hawa", "pregnancy_loss", datetime.date(2025, 2, 20)),
    ):
        pregnancy = followup_services.pregnancy_register(
            actor=chw, woman=_woman(household, name), edd=datetime.date(2025, 6, 20)
        )
        followup_services.anc_contact_record(
            actor=chw, pregnancy=pregnancy, date=datetime.date(2025, 1, 10), place="this_cscom"
        )
        followup_services.pregnancy_outcome_record(
            actor=chw, pregnancy=pregnancy, outcome_date=day, birth_outcome=outcome,
            outcome_place="this_cscom",
        )  # fmt: skip
        pregnancies[name] = pregnancy
    # Then only Mariam returned to deliver, out of Mariam alone: Hawa could not deliver.
    assert _facts(indicators.return_to_deliver, cast) == [(JUNE, "", 1, 1)]
    # And the records behind the figure are the numerator's: Mariam's pregnancy only.
    records = indicators.return_to_deliver_records(
        cast.user(Role.ME_OFFICER), cast.community_a, JUNE
    )
    assert list(records) == [pregnancies["Mariam"]]
