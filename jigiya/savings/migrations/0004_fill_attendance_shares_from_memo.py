"""Fill `Attendance.shares` from the shares entries of each meeting: the memo of a shares entry
held the number of shares bought. Entries reversed since are left out; a correction's
replacement (posted under the same meeting) counts. The ledger is not touched (its memos are
covered by the hash chain). Reverse: empty the column again."""

from collections import defaultdict

from django.db import migrations

CHUNK = 5000


def fill_from_memo(apps, schema_editor):
    Attendance = apps.get_model("savings", "Attendance")
    Entry = apps.get_model("savings", "Entry")
    bought = defaultdict(int)
    entries = Entry.objects.filter(
        kind="shares", meeting__isnull=False, reversed_by__isnull=True
    ).values_list("meeting_id", "membership_id", "memo")
    for meeting_id, membership_id, memo in entries.iterator(chunk_size=CHUNK):
        if memo.isdigit():
            bought[(meeting_id, membership_id)] += int(memo)
    ids_by_count = defaultdict(list)
    rows = Attendance.objects.values_list("pk", "meeting_id", "membership_id")
    for pk, meeting_id, membership_id in rows.iterator(chunk_size=CHUNK):
        ids_by_count[bought.get((meeting_id, membership_id), 0)].append(pk)
    for count, ids in ids_by_count.items():
        for start in range(0, len(ids), CHUNK):
            Attendance.objects.filter(pk__in=ids[start : start + CHUNK]).update(shares=count)


def empty(apps, schema_editor):
    apps.get_model("savings", "Attendance").objects.update(shares=None)


class Migration(migrations.Migration):
    dependencies = [
        ("savings", "0003_attendance_shares_bought"),
    ]

    operations = [
        migrations.RunPython(fill_from_memo, empty),
    ]
