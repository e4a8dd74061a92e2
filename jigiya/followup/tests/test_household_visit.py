"""The web visit seeing several people of a household in one submission."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jigiya.followup import services as followup_services
from jigiya.followup.models import ChildAssessment, EducationSession, PregnancyCheck, Visit
from jigiya.registry import services as registry


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2025, 6, 10, 9, 0), tick=False):
        yield


def _member(chw, household, name, sex, birth_date, relationship="child"):
    return registry.person_register(
        actor=chw, household=household, given_name=name, family_name="Coulibaly", sex=sex,
        relationship=relationship, birth_date=birth_date,
    )  # fmt: skip


@pytest.fixture
def family(chw, household):
    older = _member(chw, household, "Moussa", "M", datetime.date(2022, 1, 1))
    younger = _member(chw, household, "Awa", "F", datetime.date(2024, 6, 1))
    mother = _member(chw, household, "Mariam", "F", datetime.date(1998, 1, 1), "spouse")
    father = _member(chw, household, "Bakary", "M", datetime.date(1990, 1, 1), "head")
    pregnancy = followup_services.pregnancy_register(
        actor=chw, woman=mother, lmp=datetime.date(2025, 2, 1)
    )
    return {
        "children": [older, younger],
        "mother": mother,
        "father": father,
        "pregnancy": pregnancy,
    }


def _page(client, household):
    response = client.get(f"/followup/households/{household.pk}/visit/")
    assert response.status_code == 200
    return response


def test_the_form_has_a_section_per_child_and_pregnant_woman(client, chw, household, family):
    client.force_login(chw)
    form = _page(client, household).context["form"]
    assert [child for child, _f in form.child_sections()] == family["children"]
    assert [p for p, _f in form.pregnancy_sections()] == [family["pregnancy"]]
    assert [label for _v, label in form.fields["people"].choices] == ["Bakary Coulibaly"]


def test_one_submission_records_every_child_and_the_pregnancy(client, chw, household, family):
    client.force_login(chw)
    form = _page(client, household).context["form"]
    older, younger = family["children"]
    data = {
        "id": str(form["id"].value()), "date": "2025-06-10",
        "c0_weight_kg": "12.5", "c0_height_cm": "90", "c0_muac_mm": "140",
        "c1_weight_kg": "8.1", "c1_muac_mm": "110", "c1_measured_lying": "on",
        "p0_seen": "on", "p0_anc_since_last_visit": "on", "p0_birth_plan": "this_cscom",
        "people": [str(family["father"].pk)], "topics": ["nutrition"],
    }  # fmt: skip
    response = client.post(f"/followup/households/{household.pk}/visit/", data)
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert set(visit.people.values_list("given_name", flat=True)) == {
        "Moussa", "Awa", "Mariam", "Bakary",
    }  # fmt: skip
    checks = {c.person_id: c for c in ChildAssessment.objects.all()}
    assert (checks[older.pk].muac_band, checks[younger.pk].muac_band) == ("green", "red")
    check = PregnancyCheck.objects.get()
    assert (check.anc_since_last_visit, check.birth_plan) == (True, "this_cscom")
    assert EducationSession.objects.get().attendees.count() == 4
    # The red MUAC referred Awa.
    assert list(younger.referrals.values_list("status", flat=True)) == ["open"]
    # The same page sent twice records one visit.
    again = client.post(f"/followup/households/{household.pk}/visit/", data)
    assert again.status_code == 302
    assert Visit.objects.count() == 1


def test_an_impossible_measurement_is_shown_on_that_childs_field(client, chw, household, family):
    client.force_login(chw)
    response = client.post(
        f"/followup/households/{household.pk}/visit/",
        {"id": "5f0c3c0e-8f7a-4a57-9d35-9c1d3c1e0b01", "date": "2025-06-10",
         "c0_weight_kg": "12", "c1_weight_kg": "80"},
    )  # fmt: skip
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == ["c1_weight_kg"]
    assert "80" in errors["c1_weight_kg"][0]
    assert Visit.objects.count() == 0
    assert ChildAssessment.objects.count() == 0


def test_nobody_seen_and_a_future_date_are_refused(client, chw, household, family):
    client.force_login(chw)
    url = f"/followup/households/{household.pk}/visit/"
    empty = client.post(url, {"id": "5f0c3c0e-8f7a-4a57-9d35-9c1d3c1e0b01", "date": "2025-06-10"})
    assert empty.status_code == 400
    assert "__all__" in empty.context["form"].errors
    future = client.post(
        url, {"id": "5f0c3c0e-8f7a-4a57-9d35-9c1d3c1e0b01", "date": "2025-06-11", "c0_seen": "on"}
    )
    assert future.status_code == 400
    assert list(future.context["form"].errors) == ["date"]
    assert Visit.objects.count() == 0


def test_the_page_costs_the_same_queries_for_a_larger_household(client, chw, household, family):
    client.force_login(chw)
    url = f"/followup/households/{household.pk}/visit/"
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for name in ("Seydou", "Lassana", "Yacouba", "Oumar"):
        _member(chw, household, name, "M", datetime.date(2023, 1, 1))
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(small) == len(large)


def test_an_implausible_change_asks_for_confirmation_on_the_household_form(
    client, chw, household, family
):
    """Moussa weighed 12.5 kg on 1 June: 9 kg on 10 June is refused until the box of his
    section is ticked (shown once needed), then stored flagged; back on the household page."""
    older = family["children"][0]
    followup_services.visit_record(
        actor=chw, household=household, date=datetime.date(2025, 6, 1), people=[older.pk],
        children=[followup_services.ChildCheckIn(person_id=older.pk, weight_kg=12.5)],
    )  # fmt: skip
    client.force_login(chw)
    form = _page(client, household).context["form"]
    assert "c0_confirmed" not in [f.name for _c, fields in form.child_sections() for f in fields]
    data = {"id": str(form["id"].value()), "date": "2025-06-10", "c0_weight_kg": "9"}
    refused = client.post(f"/followup/households/{household.pk}/visit/", data)
    assert refused.status_code == 400
    assert list(refused.context["form"].errors) == ["c0_weight_kg"]
    assert 'name="c0_confirmed"' in refused.content.decode()
    assert Visit.objects.count() == 1
    saved = client.post(
        f"/followup/households/{household.pk}/visit/", {**data, "c0_confirmed": "on"}
    )
    assert (saved.status_code, saved["Location"]) == (302, household.get_absolute_url())
    check = ChildAssessment.objects.get(visit__date=datetime.date(2025, 6, 10))
    assert check.weight_kg == 9 and "12.5" in check.flag
