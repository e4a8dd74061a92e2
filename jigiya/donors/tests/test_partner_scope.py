"""Where a partner sees a program's figures (`selectors.program_paths`): where its donor funds
the program, within the partner's places, never the place around; every other role sees every
program at its places. The indicator pages that apply it are tested in
`jigiya/indicators/tests/test_partner_scope.py`."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from jigiya.accounts.models import User
from jigiya.accounts.roles import Role
from jigiya.accounts.tests.factories import AssignmentFactory
from jigiya.donors import selectors
from jigiya.donors.models import Donor, DonorUser, Funding
from jigiya.donors.tests.partners import funded_partner


def _fresh(user):
    """The same login as a new request reads it (its scope is read once per request)."""
    return User.objects.get(pk=user.pk)


def test_a_funding_below_the_partners_place_shows_that_place_only(cast):
    partner = funded_partner(cast, "above", "quality", cast.commune_a)
    assert selectors.program_paths(partner, "quality") == [cast.commune_a.path]
    assert selectors.program_paths(partner, "health") == []
    assert selectors.sees_program(partner, "quality", cast.community_a)
    assert not selectors.sees_program(partner, "quality", cast.region)
    assert not selectors.sees_program(partner, "quality", cast.commune_b)
    assert selectors.program_home_place(partner, "quality") == cast.commune_a
    assert selectors.program_home_place(partner, "health") is None
    with pytest.raises(PermissionDenied):
        selectors.require_program(partner, "quality", cast.cercle)
    selectors.require_program(partner, "quality", cast.community_a)  # no error


def test_a_funding_above_the_partners_place_shows_the_partners_place(cast):
    partner = funded_partner(cast, "a", "health", cast.region)
    assert selectors.program_paths(partner, "health") == [cast.community_a.path]
    assert not selectors.sees_program(partner, "health", cast.commune_a)


def test_other_roles_see_every_program_at_their_places(cast):
    officer = cast.user(Role.ME_OFFICER, "above")
    assert selectors.program_paths(officer, "savings") == [cast.region.path]
    assert selectors.program_home_place(officer, "savings") == cast.region
    assert selectors.program_paths(cast.user(Role.PARTNER, "a"), "health") == []


def test_a_deactivated_donor_or_place_shows_nothing(cast):
    partner = funded_partner(cast, "above", "quality", cast.commune_a)
    Donor.objects.update(is_active=False)
    assert selectors.program_paths(_fresh(partner), "quality") == []
    Donor.objects.update(is_active=True)
    cast.commune_a.is_active = False
    cast.commune_a.save(update_fields=["is_active"])
    assert selectors.program_paths(_fresh(partner), "quality") == []


def test_the_scope_is_read_once_per_request(cast, django_assert_num_queries):
    partner = _fresh(funded_partner(cast, "above", "quality", cast.commune_a))
    selectors.program_paths(partner, "quality")
    with django_assert_num_queries(0):
        assert selectors.program_paths(partner, "quality") == [cast.commune_a.path]
        assert selectors.sees_program(partner, "quality", cast.community_a)


def test_whose_report_a_user_may_open(cast):
    partner = funded_partner(cast, "above", "quality", cast.commune_a)
    mine = Donor.objects.get()
    elsewhere = Donor.objects.create(name="Far", code="FAR")
    Funding.objects.create(
        donor=elsewhere, program="health", place=cast.community_b, start=datetime.date(2025, 1, 1)
    )
    assert list(selectors.donor_list(user=partner)) == [mine]
    with pytest.raises(Http404):
        selectors.donor_get(user=partner, donor_id=elsewhere.pk)
    manager = cast.user(Role.PROGRAM_MANAGER, "a")
    assert list(selectors.donor_list(user=manager)) == []  # Commune A is above Community A
    assert list(selectors.donor_list(user=cast.user(Role.PROGRAM_MANAGER, "b"))) == [elsewhere]
    with pytest.raises(Http404):
        selectors.donor_get(user=manager, donor_id="not-a-uuid")
    assert DonorUser.objects.count() == 1


def test_a_partner_opens_its_own_donors_report_only_and_without_a_donor_none(cast):
    partner = funded_partner(cast, "above", "quality", cast.commune_a)
    mine = Donor.objects.get()
    here = Donor.objects.create(name="Here", code="HERE")
    Funding.objects.create(
        donor=here, program="quality", place=cast.community_a, start=datetime.date(2025, 1, 1)
    )
    assert list(selectors.donor_list(user=partner)) == [mine]
    with pytest.raises(Http404):
        selectors.donor_get(user=partner, donor_id=here.pk)
    unlinked = cast.user(Role.PARTNER, "a")
    assert list(selectors.donor_list(user=unlinked)) == []
    with pytest.raises(Http404):
        selectors.donor_get(user=unlinked, donor_id=here.pk)
    # Another role of the same login opens the reports of the donors funding in its places.
    AssignmentFactory(user=unlinked, role=Role.ME_OFFICER, place=cast.community_a)
    assert list(selectors.donor_list(user=_fresh(unlinked))) == [here]
    Donor.objects.update(is_active=False)
    assert list(selectors.donor_list(user=_fresh(partner))) == []


def test_a_partner_with_another_role_sees_another_donors_fundings_through_that_role_only(cast):
    partner = funded_partner(cast, "above", "quality", cast.commune_a)
    AssignmentFactory(user=partner, role=Role.ME_OFFICER, place=cast.community_b)
    other = Donor.objects.create(name="Other", code="OTHER")
    for place in (cast.community_a, cast.community_b):
        Funding.objects.create(
            donor=other, program="health", place=place, start=datetime.date(2025, 1, 1)
        )
    partner = _fresh(partner)
    assert [d.code for d in selectors.donor_list(user=partner)] == ["D-quality-CA", "OTHER"]
    fundings = selectors.donor_fundings(user=partner, donor=other)
    # Not Community A: the login is only a partner there, of another donor.
    assert [f.place for f in fundings] == [cast.community_b]
    mine = selectors.donor_fundings(user=partner, donor=Donor.objects.get(code="D-quality-CA"))
    assert [f.place for f in mine] == [cast.commune_a]
