"""Bounds on a funding's dates (issue 11): within the program (a start ahead is allowed)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from jigiya.core.models import AuditEntry
from jigiya.donors import services
from jigiya.donors.models import Funding

D = datetime.date


def test_a_funding_before_the_program_is_refused(cast, admin_user):
    donor = services.donor_create(actor=admin_user, name="Donor", code="D1")
    before = (Funding.objects.count(), AuditEntry.objects.count())
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.funding_add(
            actor=admin_user, donor=donor, program="health", place=cast.community_a,
            start=D(1, 1, 1),
        )  # fmt: skip
    assert refused.value.message_dict == {
        "start": ["The start 0001-01-01 is before the start of the program (2000-01-01)."]
    }
    assert (Funding.objects.count(), AuditEntry.objects.count()) == before
    funding = services.funding_add(
        actor=admin_user, donor=donor, program="health", place=cast.community_a,
        start=D(2100, 1, 1),
    )  # fmt: skip
    assert funding.start == D(2100, 1, 1)
