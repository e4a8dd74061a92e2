"""Fill `Attendance.shares` from the shares entries of each meeting: the memo of a shares entry
held the number of shares bought. Entries reversed since are left out; a correction's
replacement (posted under the same meeting) counts. The ledger is not touched (its memos are
covered by the hash chain). Meetings are read in batches, so memory stays bounded at national
scale. Reverse: empty the column again."""

from collections import defaultdict

from django.db import migrations

MEETINGS = 900  # meetings per batch (one query parameter each)
IDS = 900  # ids per UPDATE (below SQLite's oldest limit on query parameters)


def fill_from_memo(apps, schema_editor):
    Attendance = apps.get_model("savings", "Attendance")
    Entry = apps.get_model("savings", "Entry")
    Meeting = apps.get_model("savings", "Meeting")
    meetings = list(Meeting.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(meetings), MEETINGS):
        batch = meetings[start : start + MEETINGS]
        bought = defaultdict(int)
        entries = Entry.objects.filter(
            kind="shares", meeting__in=batch, reversed_by__isnull=True
        ).values_list("meeting_id", "membership_id", "memo")
        for meeting_id, membership_id, memo in entries:
            if memo.isdigit():
                bought[(meeting_id, membership_id)] += int(memo)
        ids_by_count = defaultdict(list)
        rows = Attendance.objects.filter(meeting__in=batch).values_list(
            "pk", "meeting_id", "membership_id"
        )
        for pk, meeting_id, membership_id in rows:
            ids_by_count[bought.get((meeting_id, membership_id), 0)].append(pk)
        for count, ids in ids_by_count.items():
            for first in range(0, len(ids), IDS):
                Attendance.objects.filter(pk__in=ids[first : first + IDS]).update(shares=count)


def empty(apps, schema_editor):
    apps.get_model("savings", "Attendance").objects.update(shares=None)


class Migration(migrations.Migration):
    dependencies = [
        ("savings", "0003_attendance_shares_bought"),
    ]

    operations = [
        migrations.RunPython(fill_from_memo, empty),
    ]
