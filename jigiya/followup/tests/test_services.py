import datetime
import uuid
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from jigiya.accounts.roles import Role
from jigiya.core.errors import Conflict
from jigiya.followup import engine, services
from jigiya.followup.models import ChildAssessment, Referral, Task, Visit
from jigiya.registry import services as registry

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
    registry.enrollment_start(
        actor=chw, person=person, program="child", start=datetime.date(2025, 6, 1)
    )
    return person


def _visit(chw, household, child, **check):
    return services.visit_record(
        actor=chw,
        household=household,
        date=check.pop("date", TODAY),
        people=[child.pk],
        children=[services.ChildCheckIn(person_id=child.pk, **check)],
    )


def _nothing_recorded():
    return Visit.objects.count() == 0 and ChildAssessment.objects.count() == 0


@pytest.mark.parametrize(
    ("check", "field", "value"),
    [
        ({"weight_kg": Decimal("0")}, "children.0.weight_kg", "0"),
        ({"weight_kg": Decimal("80")}, "children.0.weight_kg", "80"),
        ({"muac_mm": 40}, "children.0.muac_mm", "40"),
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
