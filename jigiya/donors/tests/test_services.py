import datetime

import pytest
from django.core.exceptions import PermissionDenied

from jigiya.accounts.roles import Role
from jigiya.core.models import AuditEntry
from jigiya.donors import services
from jigiya.donors.models import Donor, DonorUser, Funding

START = datetime.date(2024, 1, 1)


def _donor(admin, cast, code, place, program="quality"):
    donor = services.donor_create(actor=admin, name=f"Donor {code}", code=code)
    services.funding_add(actor=admin, donor=donor, program=program, place=place, start=START)
    return donor


def test_services_audit_every_write(cast, admin_user):
    donor = _donor(admin_user, cast, "D1", cast.community_a)
    partner = cast.user(Role.PARTNER, "above")
    services.donor_user_link(actor=admin_user, user=partner, donor=donor)
    assert sorted(AuditEntry.objects.values_list("model", flat=True)) == [
        "donors.donor",
        "donors.donoruser",
        "donors.funding",
    ]
    assert Donor.objects.get().created_by == admin_user
    assert Funding.objects.get().created_by == admin_user
    assert DonorUser.objects.get().created_by == admin_user


def test_relinking_a_partner_moves_it_to_the_other_donor(cast, admin_user):
    first = _donor(admin_user, cast, "FIRST", cast.community_a)
    second = _donor(admin_user, cast, "SECOND", cast.community_a)
    partner = cast.user(Role.PARTNER, "a")
    services.donor_user_link(actor=admin_user, user=partner, donor=first)
    link = services.donor_user_link(actor=admin_user, user=partner, donor=second)
    assert list(DonorUser.objects.values_list("user", "donor")) == [(partner.pk, second.pk)]
    assert link.donor == second
    entries = AuditEntry.objects.filter(model="donors.donoruser")
    assert sorted(entries.values_list("action", flat=True)) == ["create", "update"]
    # The same link again changes nothing and writes no audit entry.
    services.donor_user_link(actor=admin_user, user=partner, donor=second)
    assert entries.count() == 2


@pytest.mark.parametrize("role", [Role.CHW, Role.ME_OFFICER, Role.PARTNER])
def test_who_manages_donors_nowhere_is_refused_by_the_service(cast, admin_user, role):
    """The pages refused them already; the services now refuse them too (403), and nothing
    changes."""
    donor = services.donor_create(actor=admin_user, name="Fondation", code="FND")
    actor = cast.user(role, "a")
    before = (Donor.objects.count(), AuditEntry.objects.count())
    with pytest.raises(PermissionDenied):
        services.donor_create(actor=actor, name="Other", code="OTHER")
    with pytest.raises(PermissionDenied):
        services.donor_update(actor=actor, donor=donor, name="Renamed", code="R")
    assert (Donor.objects.count(), AuditEntry.objects.count()) == before
    donor.refresh_from_db()
    assert (donor.name, donor.code, donor.is_active) == ("Fondation", "FND", True)


def test_a_program_manager_creates_and_renames_a_donor(cast):
    manager = cast.user(Role.PROGRAM_MANAGER, "a")
    donor = services.donor_create(actor=manager, name=" Aide ", code=" AIDE ")
    assert (donor.name, donor.code, donor.created_by) == ("Aide", "AIDE", manager)
    services.donor_update(actor=manager, donor=donor, name="Aide+", code="AIDE", is_active=False)
    donor.refresh_from_db()
    assert (donor.name, donor.is_active) == ("Aide+", False)
