"""The child visit as the CHW needs it (issue 15): the last measures on the form, an
implausible change confirmed and flagged (refused without the confirmation, on the form and
in the API), and the way back to where she came from."""

import datetime
import uuid
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from jigiya.accounts.roles import Role
from jigiya.followup import plausibility, services
from jigiya.followup.models import ChildAssessment, Visit
from jigiya.followup.views import safe_next
from jigiya.registry import services as registry

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def english(client, settings):
    """Pages in English (the language cookie: pages ignore Accept-Language)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2025, 6, 10, 9, 0), tick=False):
        yield


@pytest.fixture
def child(chw, household):
    """Awa, born 2023-12-20 (17 months on 10 June 2025), seen on 30 May: 11.15 kg, 87.4 cm
    lying, MUAC 135 mm, BCG and Polio 0 given."""
    awa = registry.person_register(
        actor=chw, household=household, given_name="Awa", family_name="Coulibaly", sex="F",
        relationship="child", birth_date=datetime.date(2023, 12, 20),
    )  # fmt: skip
    services.enrollment_start(
        actor=chw, person=awa, program="child", start=datetime.date(2025, 5, 1)
    )
    services.visit_record(
        actor=chw, household=household, date=datetime.date(2025, 5, 30), people=[awa.pk],
        children=[services.ChildCheckIn(
            person_id=awa.pk, weight_kg=Decimal("11.15"), height_cm=Decimal("87.4"),
            muac_mm=135, vaccines=["bcg", "opv0"],
        )],
    )  # fmt: skip
    return awa


def _url(person, next=""):
    return f"/followup/people/{person.pk}/visit/" + (f"?next={next}" if next else "")


def test_the_form_shows_age_last_measures_and_vaccines_given(client, chw, child):
    client.force_login(chw)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(_url(child), **EN)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<dt>Age</dt><dd>17 months</dd>" in body
    assert '<dt>Last weight</dt><dd>11.15 kg <span class="muted">05/30/2025</span></dd>' in body
    assert '<dd>87.4 cm <span class="muted">05/30/2025</span></dd>' in body
    assert '<dd>135 mm <span class="muted">05/30/2025</span></dd>' in body
    # Given vaccines: ticked, disabled, not offered again.
    assert body.count('<input type="checkbox" checked disabled>') == 2
    assert 'checked disabled> BCG <span class="muted">(given)</span>' in body
    offered = [code for code, _label in response.context["form"].fields["vaccines"].choices]
    assert "bcg" not in offered and "opv0" not in offered and offered[0] == "penta1"
    # The confirmation box is not shown before a change needs it.
    assert 'name="confirmed"' not in body
    fixed = len(queries)
    # Three more visits: the same number of queries.
    for day in (1, 3, 5):
        services.visit_record(
            actor=chw, household=child.household, date=datetime.date(2025, 6, day),
            people=[child.pk], children=[services.ChildCheckIn(
                person_id=child.pk, weight_kg=Decimal("11.2"), vaccines=["penta1"])],
        )  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        again = client.get(_url(child), **EN)
    assert len(queries) == fixed
    assert '<dt>Last weight</dt><dd>11.20 kg <span class="muted">06/05/2025</span></dd>' in (
        again.content.decode()
    )
    assert again.content.decode().count("checked disabled>") == 3


def test_the_form_costs_a_fixed_number_of_queries(client, chw, child, django_assert_num_queries):
    client.force_login(chw)
    client.get(_url(child))  # the session and caches warm
    with django_assert_num_queries(7):
        client.get(_url(child))


def _post(client, child, **extra):
    data = {"id": str(uuid.uuid4()), "date": "2025-06-10", "next": "/followup/", **extra}
    return client.post(_url(child), data, **EN)


def test_an_implausible_weight_without_confirmation_is_refused(client, chw, child):
    client.force_login(chw)
    before = (Visit.objects.count(), ChildAssessment.objects.count())
    response = _post(client, child, weight_kg="8.2", muac_mm="130")
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == ["weight_kg"]
    assert errors["weight_kg"][0].startswith(
        "The weight was 11.15 kg on 05/30/2025 and would be 8.2 kg on 06/10/2025: a loss of "
        "26 % in 11 days is not plausible."
    )
    body = response.content.decode()
    assert 'name="confirmed"' in body and "I measured again, the value is right" in body
    assert (Visit.objects.count(), ChildAssessment.objects.count()) == before


def test_a_confirmed_implausible_change_is_stored_flagged(client, chw, child, cast):
    client.force_login(chw)
    response = _post(client, child, weight_kg="8.2", height_cm="74", confirmed="on")
    assert response.status_code == 302
    assert response["Location"] == "/followup/"
    check = ChildAssessment.objects.get(visit__date=datetime.date(2025, 6, 10))
    assert check.weight_kg == Decimal("8.20") and check.height_cm == Decimal("74.0")
    with translation.override("en"):
        assert (
            check.flag
            == (
                "The weight was 11.15 kg on 05/30/2025 and would be 8.2 kg on 06/10/2025: a loss of "
                "26 % in 11 days is not plausible. The length or height was 87.4 cm on 05/30/2025 "
                "and would be 74 cm on 06/10/2025: a child does not shrink."
            )[: len(check.flag)]
        )
    # The worklist says so.
    page = client.get("/followup/", **EN).content.decode()
    assert "Visit of Awa Coulibaly recorded." in page
    # The supervisor sees it.
    supervisor = cast.user(Role.CHW_SUPERVISOR)
    client.force_login(supervisor)
    supervision = client.get("/followup/supervision/", **EN)
    assert [c.pk for c in supervision.context["flagged"]] == [check.pk]
    assert "a loss of 26 % in 11 days" in supervision.content.decode()
    detail = client.get(f"/followup/visits/{check.visit_id}/").content.decode()
    assert '<dt>Confirmed after measuring again</dt><dd class="flag">The weight was 11.15' in detail


def test_a_plausible_change_is_stored_without_flag(client, chw, child):
    client.force_login(chw)
    response = _post(client, child, weight_kg="10.9", height_cm="87.0")
    assert response.status_code == 302
    assert ChildAssessment.objects.get(visit__date=datetime.date(2025, 6, 10)).flag == ""


def test_the_api_refuses_an_implausible_change_unless_confirmed(client, chw, child):
    client.force_login(chw)
    url = f"/api/v1/followup/households/{child.household_id}/visits"
    body = {
        "id": str(uuid.uuid4()), "date": "2025-06-10", "people": [str(child.pk)],
        "children": [{"person_id": str(child.pk), "height_cm": "74"}],
    }  # fmt: skip
    before = ChildAssessment.objects.count()
    refused = client.post(url, body, content_type="application/json", **EN)
    assert refused.status_code == 400, refused.content
    assert "87.4 cm on 05/30/2025" in refused.content.decode()
    assert ChildAssessment.objects.count() == before
    body["children"][0]["confirmed"] = True
    stored = client.post(url, body, content_type="application/json", **EN)
    assert stored.status_code == 201, stored.content
    assert stored.json()["children"][0]["flag"].startswith("The length or height was 87.4 cm")


def test_the_rules():
    last = plausibility.Measure(Decimal("11.15"), datetime.date(2025, 5, 30))
    day = datetime.date(2025, 6, 10)
    assert plausibility.weight_change(last, Decimal("10.2"), day) == ""  # 8.5 % ≤ 10.5 %
    assert plausibility.weight_change(last, Decimal("9.9"), day) != ""  # 11.2 %
    assert plausibility.weight_change(last, Decimal("14"), day) == ""  # gains are not judged
    height = plausibility.Measure(Decimal("87.4"), datetime.date(2025, 5, 30), lying=True)
    assert plausibility.height_change(height, Decimal("85.9"), True, day) == ""  # 1.5 cm
    assert plausibility.height_change(height, Decimal("85.8"), True, day) != ""
    assert plausibility.height_change(height, Decimal("85.2"), False, day) == ""  # standing


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("/followup/", "/followup/"),
        ("/registry/households/x/", "/registry/households/x/"),
        ("https://evil.example/", ""),
        ("//evil.example/", ""),
        ("/\\evil.example/", ""),
        ("javascript:alert(1)", ""),
        ("", ""),
    ],
)
def test_next_is_a_path_of_this_site(rf, value, safe):
    assert safe_next(rf.get("/"), value) == safe


def test_an_unsafe_next_falls_back_to_the_persons_page(client, chw, child):
    client.force_login(chw)
    response = _post(client, child, muac_mm="130", next="https://evil.example/")
    assert response["Location"] == child.get_absolute_url()
