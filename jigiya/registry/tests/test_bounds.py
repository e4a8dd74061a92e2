"""Bounds on the registry's dates and texts (issue 11): a person's deactivation and a
household's assessment within the program and, for a person, after her birth; names and
landmarks within their lengths — through the services and the API, naming the field and the
bound, changing nothing."""

import datetime
import uuid

import pytest

from jigiya.core.models import AuditEntry
from jigiya.core.tests.refusals import refused_unchanged
from jigiya.registry import services
from jigiya.registry.models import Household, LeastAccessAssessment, Person

D = datetime.date
pytestmark = pytest.mark.usefixtures("english")


def _counts():
    return (
        Household.objects.count(),
        Person.objects.filter(is_active=True).count(),
        LeastAccessAssessment.objects.count(),
        AuditEntry.objects.count(),
    )


def _refused(call, **kwargs):
    return refused_unchanged(_counts, call, **kwargs)


def test_a_person_deactivated_on_0001_01_01_or_before_her_birth_is_refused(chw, mother):
    assert _refused(
        services.person_deactivate, actor=chw, person=mother, reason="moved", day=D(1, 1, 1)
    ) == {"day": ["The day 0001-01-01 is before the start of the program (2000-01-01)."]}
    assert _refused(
        services.person_deactivate, actor=chw, person=mother, reason="moved", day=D(1997, 12, 31)
    ) == {"day": ["The day 1997-12-31 is before the start of the program (2000-01-01)."]}


def test_a_deactivation_before_the_birth_is_refused(settings, chw, mother):
    settings.PROGRAM_START_DATE = D(1990, 1, 1)
    assert _refused(
        services.person_deactivate, actor=chw, person=mother, reason="died", day=D(1997, 12, 31)
    ) == {"day": ["The day 1997-12-31 is before the birth of Mariam Traoré (1998-01-01)."]}


def test_a_household_assessed_on_0001_01_01_is_refused(chw, household):
    assert _refused(
        services.least_access_assess, actor=chw, household=household, assessed_on=D(1, 1, 1),
        criteria=[],
    ) == {"assessed_on": ["The assessment 0001-01-01 is before the start of the program (2000-01-01)."]}  # fmt: skip


def test_names_and_landmarks_over_their_lengths_are_refused(cast, chw, household):
    assert _refused(
        services.household_create, actor=chw, community=cast.community_a, name="n" * 121
    ) == {"name": ["Ensure this value has at most 120 characters (it has 121)."]}
    assert _refused(
        services.household_update, actor=chw, household=household, landmark="l" * 201
    ) == {"landmark": ["Ensure this value has at most 200 characters (it has 201)."]}
    assert _refused(
        services.person_register, actor=chw, household=household, given_name="g" * 81,
        family_name="Traoré", sex="F", relationship="child",
    ) == {"given_name": ["Ensure this value has at most 80 characters (it has 81)."]}  # fmt: skip


# --- through the API ---------------------------------------------------------------------------


def test_the_api_refuses_a_deactivation_on_0001_01_01(client, chw, mother):
    client.force_login(chw)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    before = _counts()
    response = client.post(
        f"/api/v1/registry/people/{mother.pk}/deactivate",
        {"reason": "moved", "day": "0001-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "day": ["The day 0001-01-01 is before the start of the program (2000-01-01)."]
    }
    assert _counts() == before


def test_the_api_refuses_a_household_assessed_on_0001_01_01(client, chw, household):
    client.force_login(chw)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    before = _counts()
    response = client.post(
        f"/api/v1/registry/households/{household.pk}/assessments",
        {"id": str(uuid.uuid4()), "assessed_on": "0001-01-01", "criteria": []},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "assessed_on": [
            "The assessment 0001-01-01 is before the start of the program (2000-01-01)."
        ]
    }
    assert _counts() == before


def test_the_api_refuses_overlong_names_and_declares_the_limits(client, chw, household):
    client.force_login(chw)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    before = _counts()
    response = client.patch(
        f"/api/v1/registry/households/{household.pk}",
        {"name": "n" * 121},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["name"]
    response = client.post(
        f"/api/v1/registry/households/{household.pk}/people",
        {"id": str(uuid.uuid4()), "given_name": "g" * 81, "family_name": "Traoré", "sex": "F",
         "relationship": "child"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["given_name"]
    assert _counts() == before
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    person = paths["/api/v1/registry/households/{household_id}/people"]["post"]
    body = person["requestBody"]["content"]["application/json"]["schema"]
    assert body["properties"]["given_name"]["maxLength"] == 80
