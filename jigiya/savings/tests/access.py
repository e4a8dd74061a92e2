"""Objects of this app for the access matrix: path parameter → object id in place "a" or "b".

Each place gets one group with two members, an open cycle, a meeting and a loan, recorded
through the services (so the ledger is real), and a third meeting waiting for a second officer
(an income above the cycle's approval threshold of 1 500 FCFA)."""

import datetime
import uuid
from typing import Any

from jigiya.accounts.roles import Role
from jigiya.registry.models import Household, Person
from jigiya.savings import services
from jigiya.savings.models import Approval, Entry, Group, GroupStatus, Loan
from jigiya.savings.services import CashLine, MeetingData, MemberLine

D = datetime.date


def _world(cast: Any, where: str) -> Group:
    name = f"Groupe {where.upper()}"
    group = Group.objects.filter(name=name).first()
    if group is not None:
        return group
    actor = cast.user(Role.SAVINGS_FACILITATOR, where)
    community = cast.place(where)
    group = services.group_create(
        actor=actor, community=community, name=name, formed_on=D(2023, 1, 1)
    )
    services.group_status_change(
        actor=actor, group=group, status=GroupStatus.ACTIVE, on=D(2023, 1, 1)
    )
    services.cycle_start(
        actor=actor, group=group, starts_on=D(2023, 1, 1), planned_end=D(2023, 12, 31),
        share_price=500, health_contribution=100, approval_threshold=1500,
    )  # fmt: skip
    household = Household.objects.create(community=community, name=f"Famille {where}")
    members = []
    for index, role in enumerate(("president", "member")):
        person = Person.objects.create(
            household=household, given_name=f"Awa {where}{index}", family_name="Keïta",
            sex="F", relationship="spouse",
        )  # fmt: skip
        members.append(
            services.membership_add(
                actor=actor, group=group, person=person, joined_on=D(2023, 1, 1), role=role
            )
        )
    lines = [MemberLine(membership_id=m.pk, shares=2, health=100) for m in members]
    services.meeting_record(
        actor=actor,
        group=group,
        data=MeetingData(
            id=uuid.uuid4(), held_on=D(2023, 1, 7), members=lines,
            counted_loan_fund=2000, counted_health_fund=200,
        ),
    )  # fmt: skip
    lines = [MemberLine(membership_id=m.pk) for m in members]
    lines[1].loan_amount, lines[1].loan_term = 1500, 2
    services.meeting_record(
        actor=actor,
        group=group,
        data=MeetingData(
            id=uuid.uuid4(), held_on=D(2023, 1, 14), members=lines,
            counted_loan_fund=500, counted_health_fund=200,
        ),
    )  # fmt: skip
    services.meeting_record(
        actor=actor,
        group=group,
        data=MeetingData(
            id=uuid.uuid4(), held_on=D(2023, 1, 21), members=[],
            incomes=[CashLine(amount=2000, description="Tontine")],
            counted_loan_fund=2500, counted_health_fund=200,
        ),
    )  # fmt: skip
    return group


OBJECTS = {
    "group_id": lambda cast, where: _world(cast, where).pk,
    "cycle_id": lambda cast, where: _world(cast, where).cycles.get().pk,
    "meeting_id": lambda cast, where: _world(cast, where).meetings.order_by("held_on").first().pk,
    "membership_id": lambda cast, where: _world(cast, where).memberships.order_by("number")[0].pk,
    "loan_id": lambda cast, where: Loan.objects.get(group=_world(cast, where)).pk,
    "entry_id": lambda cast, where: (
        Entry.objects.filter(group=_world(cast, where)).order_by("seq").first().pk
    ),
    "approval_id": lambda cast, where: Approval.objects.get(group=_world(cast, where)).pk,
}
# Text that must never appear on a page shown to a user of the other place.
OUTSIDE_TEXT = {"b": ["Groupe B", "Awa b0", "Awa b1"]}
