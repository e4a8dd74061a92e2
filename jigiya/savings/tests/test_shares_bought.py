"""`Attendance.shares`: the shares a member bought at a meeting, net of corrections; the next
meeting's page proposes them (nothing reads them back from an entry's memo)."""

import datetime
import importlib
import uuid

from django.apps import apps

from jigiya.savings import services
from jigiya.savings.models import Attendance, Entry, EntryKind
from jigiya.savings.services import MemberLine

D = datetime.date


def _bought(meeting):
    return dict(Attendance.objects.filter(meeting=meeting).values_list("membership_id", "shares"))


def _first_meeting(world):
    """Members 1-3 buy 1, 3 and 0 shares; member 4 is not listed (absent)."""
    m = world.members
    lines = [
        MemberLine(membership_id=m[0].pk, shares=1, health=100),
        MemberLine(membership_id=m[1].pk, shares=3, health=100),
        MemberLine(membership_id=m[2].pk, shares=0, health=100),
    ]
    return world.record(world.meeting(D(2024, 1, 8), members=lines))


def test_each_meeting_line_holds_the_shares_bought(world):
    meeting = _first_meeting(world)
    m = world.members
    assert _bought(meeting) == {m[0].pk: 1, m[1].pk: 3, m[2].pk: 0, m[3].pk: 0}


def test_the_next_meeting_page_proposes_the_shares_bought_last_time(world, client):
    _first_meeting(world)
    client.force_login(world.facilitator)
    form = client.get(f"/savings/{world.group.pk}/meetings/new/").context["form"]
    proposed = [form.fields[f"m{index}_shares"].initial for index in range(4)]
    assert proposed == [1, 3, 0, 0]


def test_a_correction_of_shares_changes_the_meeting_line(world):
    meeting = _first_meeting(world)
    m = world.members
    entry = Entry.objects.get(meeting=meeting, kind=EntryKind.SHARES, membership=m[1])
    (_, fixed) = services.entry_correct(
        actor=world.facilitator, entry=entry, reason="2 parts", id=uuid.uuid4(), amount=1000
    )
    assert _bought(meeting)[m[1].pk] == 2
    services.entry_correct(actor=world.facilitator, entry=fixed, reason="none", id=uuid.uuid4())
    assert _bought(meeting) == {m[0].pk: 1, m[1].pk: 0, m[2].pk: 0, m[3].pk: 0}


def test_the_data_migration_fills_the_lines_from_the_memos(world):
    meeting = _first_meeting(world)
    m = world.members
    entry = Entry.objects.get(meeting=meeting, kind=EntryKind.SHARES, membership=m[1])
    services.entry_correct(
        actor=world.facilitator, entry=entry, reason="5 parts", id=uuid.uuid4(), amount=2500
    )
    second = world.record(world.meeting(D(2024, 1, 15), shares=4))
    expected = {meeting.pk: _bought(meeting), second.pk: _bought(second)}
    Attendance.objects.update(shares=0)

    migration = importlib.import_module(
        "jigiya.savings.migrations.0004_fill_attendance_shares_from_memo"
    )
    migration.fill_from_memo(apps, None)

    assert {meeting.pk: _bought(meeting), second.pk: _bought(second)} == expected
    assert expected[meeting.pk] == {m[0].pk: 1, m[1].pk: 5, m[2].pk: 0, m[3].pk: 0}
    assert set(expected[second.pk].values()) == {4}
