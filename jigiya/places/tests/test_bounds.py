"""Bounds on the health centers' and ASACOs' dates and texts (issue 11)."""

import datetime

import pytest
from django.utils import translation

from jigiya.core.models import AuditEntry
from jigiya.core.tests.refusals import refused_unchanged
from jigiya.places import services
from jigiya.places.models import Asaco, BoardMember, GeneralAssembly, HealthCenter

D = datetime.date


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _counts():
    return (
        HealthCenter.objects.count(),
        Asaco.objects.count(),
        BoardMember.objects.count(),
        GeneralAssembly.objects.count(),
        AuditEntry.objects.count(),
    )


def _refused(call, **kwargs):
    return refused_unchanged(_counts, call, **kwargs)


def test_an_assembly_before_the_program_is_refused(cast, admin_user):
    assert _refused(
        services.assembly_record, actor=admin_user, asaco=cast.asaco_a, held_on=D(1, 1, 1),
        attendance=10, decisions="Budget",
    ) == {"held_on": ["The assembly 0001-01-01 is before the start of the program (2000-01-01)."]}  # fmt: skip


def test_decisions_over_5000_characters_are_refused(cast, admin_user):
    assert _refused(
        services.assembly_record, actor=admin_user, asaco=cast.asaco_a, held_on=D(2025, 1, 1),
        attendance=10, decisions="d" * 5001,
    ) == {"decisions": ["The decisions has 5001 characters; at most 5000 are allowed."]}  # fmt: skip
    assembly = services.assembly_record(
        actor=admin_user, asaco=cast.asaco_a, held_on=D(2025, 1, 1), attendance=10,
        decisions="d" * 5000,
    )  # fmt: skip
    assert len(assembly.decisions) == 5000


def test_a_partnership_before_the_program_is_refused(cast, admin_user):
    assert _refused(
        services.health_center_create, actor=admin_user, name="CSCom Z", code="CSZ",
        place=cast.community_a, health_area="Z", partner_since=D(1999, 1, 1),
    ) == {"partner_since": ["The partnership 1999-01-01 is before the start of the program (2000-01-01)."]}  # fmt: skip
    center = cast.community_a.health_center
    assert _refused(
        services.health_center_update, actor=admin_user, health_center=center,
        partner_until=D(1, 1, 1),
    ) == {"partner_until": ["The end of the partnership 0001-01-01 is before the start of the program (2000-01-01)."]}  # fmt: skip


def test_an_asaco_or_a_board_older_than_the_program_is_accepted_but_not_a_mistyped_year(
    cast, admin_user
):
    assert _refused(
        services.asaco_save, actor=admin_user, health_center=cast.community_a.health_center,
        name="ASACO A", registered_on=D(1, 1, 1),
    ) == {"registered_on": ["The registration 0001-01-01 is before the earliest date allowed (1900-01-01)."]}  # fmt: skip
    assert _refused(
        services.board_member_add, actor=admin_user, asaco=cast.asaco_a, full_name="Awa Diallo",
        role="member", term_start=D(1899, 12, 31),
    ) == {"term_start": ["The term 1899-12-31 is before the earliest date allowed (1900-01-01)."]}  # fmt: skip
    member = services.board_member_add(
        actor=admin_user, asaco=cast.asaco_a, full_name="Awa Diallo", role="member",
        term_start=D(1995, 1, 1),
    )  # fmt: skip
    assert member.term_start == D(1995, 1, 1)
