import datetime
import uuid
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from jigiya.accounts.roles import Role
from jigiya.core.errors import Conflict
from jigiya.followup import engine, services
from jigiya.followup import services as followup_services
from jigiya.followup.models import (
    ChildAssessment,
    PregnancyCheck,
    Referral,
    Task,
    TaskStateChange,
    Visit,
)
from jigiya.registry import services as registry
from jigiya.registry.models import Enrollment

TODAY = datetime.date(2025, 6, 10)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2025, 6, 10, 9, 0), tick=False):
        yield


@pytest.fixture
def child(chw, household):
    person = registry.person_register(
        actor=chw,
        household=household,
        given_name="Awa",
        family_name="Diarra",
        sex="F",
        relationship="child",
        birth_date=datetime.date(2024, 6, 10),  # one year old today
    )
    followup_services.enrollment_start(
        actor=chw, person=person, program="child", start=datetime.date(2025, 6, 1)
    )
    return person


def _visit(chw, household, child, **check):
    date, refer = check.pop("date", TODAY), check.pop("refer", True)
    return services.visit_record(
        actor=chw,
        household=household,
        date=date,
        people=[child.pk],
        children=[services.ChildCheckIn(person_id=child.pk, **check)],
        refer=refer,
    )


def _nothing_recorded():
    return Visit.objects.count() == 0 and ChildAssessment.objects.count() == 0


@pytest.mark.parametrize(
    ("check", "field", "value"),
    [
        ({"weight_kg": Decimal("0")}, "children.0.weight_kg", "0"),
        ({"weight_kg": Decimal("80")}, "children.0.weight_kg", "80"),
        ({"muac_mm": 40}, "children.0.muac_mm", "40"),
        ({"muac_mm": 49}, "children.0.muac_mm", "49"),
        ({"muac_mm": 301}, "children.0.muac_mm", "301"),
        ({"muac_mm": 320}, "children.0.muac_mm", "320"),
        ({"height_cm": Decimal("200")}, "children.0.height_cm", "200"),
    ],
)
def test_impossible_measurements_are_refused_naming_the_value(
    chw, household, child, check, field, value
):
    with pytest.raises(ValidationError) as refused:
        _visit(chw, household, child, **check)
    assert list(refused.value.message_dict) == [field]
    assert value in refused.value.message_dict[field][0]
    assert _nothing_recorded()


@pytest.mark.parametrize(
    ("muac", "band"),
    [(50, "red"), (114, "red"), (115, "yellow"), (124, "yellow"), (125, "green"), (300, "green")],
)
def test_muac_at_the_limits_is_accepted_in_its_band(chw, household, child, muac, band):
    visit = _visit(chw, household, child, muac_mm=muac, refer=False)
    check = visit.children.get()
    assert (check.muac_mm, check.muac_band) == (muac, band)
    assert Referral.objects.count() == 0


def test_a_z_score_outside_whos_plausible_range_is_refused(chw, household, child):
    # 25 kg at one year: WAZ far above +5.
    with pytest.raises(ValidationError) as refused:
        _visit(chw, household, child, weight_kg=Decimal("25"), height_cm=Decimal("75"))
    message = refused.value.message_dict["children.0.weight_kg"][0]
    assert "WAZ" in message
    assert _nothing_recorded()


def test_a_visit_in_the_future_is_refused(chw, household, child):
    with pytest.raises(ValidationError) as refused:
        _visit(chw, household, child, date=datetime.date(2025, 6, 11))
    assert "2025-06-11" in refused.value.message_dict["date"][0]
    assert _nothing_recorded()


def test_a_visit_to_a_person_outside_the_chws_places_is_refused(cast, chw, household, child):
    chw_b = cast.user(Role.CHW, "b")
    household_b = registry.household_create(actor=chw_b, community=cast.community_b, name="B")
    stranger = registry.person_register(
        actor=chw_b,
        household=household_b,
        given_name="Kadi",
        family_name="Koné",
        sex="F",
        relationship="child",
        birth_date=datetime.date(2024, 1, 1),
    )
    with pytest.raises(ValidationError) as refused:
        services.visit_record(actor=chw, household=household, date=TODAY, people=[stranger.pk])
    assert str(stranger.pk) in refused.value.message_dict["people"][0]
    with pytest.raises(PermissionDenied):
        services.visit_record(actor=chw, household=household_b, date=TODAY, people=[stranger.pk])
    assert _nothing_recorded()


def test_a_visit_computes_scores_and_resolves_the_task(chw, household, child):
    visit = _visit(
        chw,
        household,
        child,
        weight_kg=Decimal("9.0"),
        height_cm=Decimal("74.0"),
        muac_mm=130,
        vaccines=["bcg", "opv0", "penta1", "pcv1", "rota1", "opv1"],
    )
    check = visit.children.get()
    assert (check.waz, check.haz, check.whz) == (Decimal("0.05"), Decimal("0.00"), Decimal("0.05"))
    assert check.muac_band == "green"
    assert check.vaccines_missing == [
        "penta2", "pcv2", "rota2", "opv2", "penta3", "pcv3", "rota3", "opv3", "ipv", "mr1", "yf",
    ]  # fmt: skip
    tasks = list(Task.objects.order_by("due_date").values_list("state", "due_date"))
    assert tasks == [("done", datetime.date(2025, 6, 1)), ("open", datetime.date(2025, 6, 24))]
    assert Referral.objects.count() == 0


def test_a_red_muac_refers_the_child_and_schedules_the_follow_up(cast, chw, household, child):
    visit = _visit(chw, household, child, muac_mm=110, danger_signs=["convulsions"])
    referral = Referral.objects.get()
    assert referral.visit == visit
    assert referral.health_center == cast.center_a
    assert referral.reasons == ["child:convulsions", "muac_red"]
    assert referral.urgency == "urgent"
    follow_up = Task.objects.get(kind="referral_followup")
    assert follow_up.due_date == datetime.date(2025, 6, 13)


def test_the_same_visit_sent_twice_is_recorded_once_and_other_content_conflicts(
    chw, household, child
):
    device_id = uuid.uuid4()
    kwargs = {
        "actor": chw,
        "household": household,
        "date": TODAY,
        "people": [child.pk],
        "children": [services.ChildCheckIn(person_id=child.pk, muac_mm=130)],
        "id": device_id,
    }
    first = services.visit_record(**kwargs)
    again = services.visit_record(**kwargs)
    assert again.pk == first.pk and again._replayed
    with pytest.raises(Conflict):
        services.visit_record(
            **{**kwargs, "children": [services.ChildCheckIn(person_id=child.pk, muac_mm=120)]}
        )
    assert Visit.objects.count() == 1
    assert ChildAssessment.objects.get().muac_mm == 130


def test_the_health_center_closes_the_referral_loop(cast, chw, household, child):
    _visit(chw, household, child, muac_mm=110)
    referral = Referral.objects.get()
    staff = cast.user(Role.HEALTH_CENTER_STAFF, "a")
    services.referral_close(
        actor=staff, referral=referral, seen=True, seen_by="Dr Dembélé", action_taken="ATPE"
    )
    referral.refresh_from_db()
    assert (referral.status, referral.closed_via, referral.seen_on) == (
        "seen",
        "health_center",
        TODAY,
    )
    partner = cast.user(Role.PARTNER, "a")
    with pytest.raises(PermissionDenied):
        services.referral_close(actor=partner, referral=referral, seen=False)


def test_the_follow_up_visit_closes_the_referral_and_its_task(chw, household, child):
    _visit(chw, household, child, muac_mm=110)
    referral = Referral.objects.get()
    with time_machine.travel(datetime.datetime(2025, 6, 13, 9, 0), tick=False):
        services.visit_record(
            actor=chw,
            household=household,
            date=datetime.date(2025, 6, 13),
            people=[child.pk],
            referral_outcomes=[
                services.ReferralOutcomeIn(referral_id=referral.pk, seen=False, action_taken="")
            ],
        )
    referral.refresh_from_db()
    assert (referral.status, referral.closed_via) == ("not_seen", "followup_visit")
    assert Task.objects.get(kind="referral_followup").state == "done"


def test_the_sweep_marks_missed_and_schedules_the_next_child_visit(chw, household, child):
    missed = engine.sweep(today=datetime.date(2025, 7, 1))
    assert missed == 1
    assert list(
        Task.objects.order_by("due_date").values_list("state", "due_date", "window_end")
    ) == [
        ("missed", datetime.date(2025, 6, 1), datetime.date(2025, 6, 14)),
        ("open", datetime.date(2025, 6, 29), datetime.date(2025, 7, 9)),
    ]


def _mother(chw, household):
    woman = registry.person_register(
        actor=chw, household=household, given_name="Mariam", family_name="Diarra", sex="F",
        relationship="spouse", birth_date=datetime.date(1998, 1, 1),
    )  # fmt: skip
    pregnancy = followup_services.pregnancy_register(
        actor=chw, woman=woman, lmp=datetime.date(2024, 9, 1)
    )
    return woman, pregnancy


def _pregnancy_visit(chw, household, woman, pregnancy, day):
    return services.visit_record(
        actor=chw,
        household=household,
        date=day,
        people=[woman.pk],
        pregnancies=[services.PregnancyCheckIn(pregnancy_id=pregnancy.pk)],
    )


def test_a_pregnancy_check_on_or_after_the_delivery_is_refused(chw, household):
    woman, pregnancy = _mother(chw, household)
    followup_services.pregnancy_outcome_record(
        actor=chw, pregnancy=pregnancy, outcome_date=datetime.date(2025, 6, 5),
        birth_outcome="live_birth", outcome_place="home",
    )  # fmt: skip
    tasks = list(Task.objects.values_list("pk", "state"))
    for day in (datetime.date(2025, 6, 5), TODAY):
        with pytest.raises(ValidationError) as refused:
            _pregnancy_visit(chw, household, woman, pregnancy, day)
        message = refused.value.message_dict["pregnancies.0.pregnancy_id"][0]
        assert "Mariam Diarra" in message and "2025-06-05" in message
    assert Visit.objects.count() == 0 and PregnancyCheck.objects.count() == 0
    assert list(Task.objects.values_list("pk", "state")) == tasks
    # A visit the day before the delivery, recorded late, is still a pregnancy check.
    visit = _pregnancy_visit(chw, household, woman, pregnancy, datetime.date(2025, 6, 4))
    assert visit.pregnancy_checks.get().gestational_weeks == 39


def test_a_child_check_from_five_years_and_a_month_is_refused_naming_the_age(chw, household):
    boy = registry.person_register(
        actor=chw, household=household, given_name="Moussa", family_name="Diarra", sex="M",
        relationship="child", birth_date=datetime.date(2020, 5, 9),
    )  # fmt: skip
    assert boy.age_days(TODAY) == 1858
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        _visit(chw, household, boy)
    assert refused.value.message_dict["children.0.person_id"] == [
        "Moussa Diarra is 5 years 1 month old on 2025-06-10: a child check is for children "
        "under five (up to five years and a month)."
    ]
    assert _nothing_recorded()
    # Up to 1856 days (five years and a month), the check is taken.
    visit = _visit(chw, household, boy, date=datetime.date(2025, 6, 8), muac_mm=140)
    assert visit.children.get().age_days == 1856


def test_the_sweep_ends_the_follow_up_at_five_and_cancels_the_open_visit(chw, household):
    girl = registry.person_register(
        actor=chw, household=household, given_name="Fanta", family_name="Diarra", sex="F",
        relationship="child", birth_date=datetime.date(2020, 6, 9),  # five yesterday
    )  # fmt: skip
    enrollment = followup_services.enrollment_start(
        actor=chw, person=girl, program="child", start=datetime.date(2025, 6, 1)
    )
    assert list(Task.objects.values_list("state", "due_date")) == [
        ("open", datetime.date(2025, 6, 1))
    ]
    assert services.tasks_sweep(today=TODAY) == 0
    enrollment.refresh_from_db()
    assert (enrollment.end, enrollment.exit_reason) == (datetime.date(2025, 6, 9), "reached_five")
    assert list(Task.objects.values_list("state", "due_date")) == [
        ("cancelled", datetime.date(2025, 6, 1))
    ]
    # Days later the sweep schedules nothing for her: no open enrollment, five or more.
    assert services.tasks_sweep(today=datetime.date(2025, 6, 20)) == 0
    assert list(Task.objects.values_list("state", flat=True)) == ["cancelled"]
    assert list(
        TaskStateChange.objects.order_by("id").values_list("from_state", "to_state", "day")
    ) == [("", "open", datetime.date(2025, 6, 1)), ("open", "cancelled", datetime.date(2025, 6, 9))]


def test_the_sweep_cancels_the_child_visit_of_an_ended_follow_up(chw, household, child):
    # Ended without going through the services (e.g. a bulk import): the sweep still cancels.
    Enrollment.objects.filter(person=child).update(
        end=datetime.date(2025, 6, 5), exit_reason="left"
    )
    assert services.tasks_sweep(today=datetime.date(2025, 7, 1)) == 0
    assert list(Task.objects.values_list("state", flat=True)) == ["cancelled"]


def test_no_child_visit_is_scheduled_on_or_after_the_fifth_birthday(chw, household):
    girl = registry.person_register(
        actor=chw, household=household, given_name="Fanta", family_name="Diarra", sex="F",
        relationship="child", birth_date=datetime.date(2020, 6, 24),  # five on 24 June
    )  # fmt: skip
    followup_services.enrollment_start(
        actor=chw, person=girl, program="child", start=datetime.date(2025, 6, 1)
    )
    _visit(chw, household, girl, muac_mm=140)
    # The next visit would be due on 24 June, her fifth birthday: none is made.
    assert list(Task.objects.values_list("state", "due_date")) == [
        ("done", datetime.date(2025, 6, 1))
    ]
