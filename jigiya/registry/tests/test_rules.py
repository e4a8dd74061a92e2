"""Rules the registry's pages check are the services' rules: the API (and any other caller)
meets each one with a 400 in the API's error shape, and nothing changes."""

import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from jigiya.accounts.roles import Role
from jigiya.registry import services
from jigiya.registry.models import Household

pytestmark = pytest.mark.usefixtures("english")


def test_no_household_is_created_in_an_inactive_community(client, cast):
    """The page offers active communities only; the API took any community of the
    supervisor's region."""
    supervisor = cast.user(Role.CHW_SUPERVISOR, "above")
    cast.community_a.is_active = False
    cast.community_a.save(update_fields=["is_active"])
    client.force_login(supervisor)
    response = client.post(
        f"/api/v1/registry/communities/{cast.community_a.pk}/households",
        {"id": str(uuid.uuid4()), "name": "Famille Sidibé"},
        content_type="application/json",
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 400
    message = "Community A is no longer active."
    assert response.json() == {
        "error": {"code": "invalid", "message": message, "fields": {"community": [message]}}
    }
    assert Household.objects.count() == 0


def test_the_head_is_an_active_member(chw, household, mother):
    """The page and the API offer the active members only; the service checks it too."""
    services.person_deactivate(actor=chw, person=mother, reason="moved")
    with pytest.raises(ValidationError) as refused:
        services.household_update(actor=chw, household=household, head=mother)
    assert refused.value.message_dict == {"head": ["The head must be a member of the household."]}
    assert Household.objects.get(pk=household.pk).head_id is None


@pytest.mark.parametrize(("field", "value"), [("latitude", "90.5"), ("longitude", "-180.1")])
def test_an_impossible_location_is_refused(cast, chw, household, field, value):
    """The form and the API's schema bound them; the service does too (a field client)."""
    with pytest.raises(ValidationError) as refused:
        services.household_create(
            actor=chw, community=cast.community_a, name="Famille Keïta", **{field: Decimal(value)}
        )
    assert refused.value.message_dict == {field: [f"A {field} of {value} is not possible."]}
    with pytest.raises(ValidationError):
        services.household_update(actor=chw, household=household, **{field: Decimal(value)})
    assert Household.objects.count() == 1
    assert getattr(Household.objects.get(), field) is None
