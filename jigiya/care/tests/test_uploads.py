"""A month's lines uploaded from the template: each bad row rejected with its row number and
reason, the rest recorded; a file that cannot be read, or is not the template, refused whole."""

import datetime
import io

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from jigiya.care import selectors, services, uploads
from jigiya.care.models import CareLine
from jigiya.core.tests.refusals import refused_unchanged

D = datetime.date


def _book(rows, header=uploads.COLUMNS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _lines() -> list:
    return sorted(CareLine.objects.values_list("pk", flat=True))


def test_the_template_lists_the_centers_covered_beneficiaries(world):
    people = selectors.beneficiaries(center=world.center, day=D(2026, 12, 3))
    sheet = load_workbook(io.BytesIO(uploads.template_bytes(people))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == uploads.COLUMNS
    assert sorted(r[1] for r in rows[1:]) == ["Awa Diarra", "Fanta Diarra"]


def test_bad_rows_are_rejected_with_their_row_and_reason_and_the_rest_recorded(world):
    child, mother = str(world.child.pk), str(world.mother.pk)
    data = _book([
        (child, "Fanta", D(2026, 11, 3), "consultation", 2500),  # row 2: good
        (mother, "Awa", "2026-11-04", "Delivery", "7 500"),  # row 3: good, a label and text
        (child, "Fanta", D(2026, 11, 3), "consultation", 2500),  # row 4: duplicate of row 2
        (child, "Fanta", D(2026, 11, 5), "transport", 1000),  # row 5: not covered
        (child, "Fanta", D(2026, 11, 6), "medicines", 20000),  # row 6: above the ceiling
        ("not-an-id", "?", D(2026, 11, 6), "medicines", 100),  # row 7
        (child, "Fanta", "hier", "medicines", 100),  # row 8
        (None, None, None, None, None),  # blank: skipped
        (child, "Fanta", D(2025, 12, 1), "medicines", 100),  # row 10: not covered that day
    ])  # fmt: skip
    with translation.override("en"):
        result = services.lines_upload(actor=world.staff, health_center=world.center, data=data)
    assert [(line.row, line.covered) for line in result.recorded] == [(2, 2500), (3, 7500)]
    assert result.rejected == [
        (4, "A duplicate: Consultation for Fanta Diarra on 2026-11-03 is already claimed by "
            "CSCom A."),
        (5, "Referral transport is not covered by Soins gratuits."),
        (6, "20\xa0000\xa0FCFA is above the ceiling of 10\xa0000\xa0FCFA per episode of Soins "
            "gratuits."),
        (7, "“not-an-id” is not a beneficiary id."),
        (8, "“hier” is not a date (YYYY-MM-DD)."),
        (10, "Fanta Diarra was not covered on 2025-12-01."),
    ]  # fmt: skip
    assert CareLine.objects.count() == 2


def test_a_line_uploaded_twice_is_a_duplicate_the_second_time(world):
    data = _book([(str(world.child.pk), "Fanta", D(2026, 11, 3), "consultation", 2500)])
    services.lines_upload(actor=world.staff, health_center=world.center, data=data)
    with translation.override("en"):
        again = services.lines_upload(actor=world.staff, health_center=world.center, data=data)
    assert again.recorded == []
    assert again.rejected[0][0] == 2
    assert again.rejected[0][1].startswith("A duplicate:")
    assert CareLine.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04 not really a zip", "The file is not a readable XLSX workbook."),
        (b"beneficiary_id,date\n1,2", "The file is not a readable XLSX workbook."),
        (
            _book([("x", "y")], header=("name", "day")),
            "The first row must be the template's header: beneficiary_id, beneficiary, date, "
            "service, amount_fcfa.",
        ),
    ],
)
def test_an_unreadable_or_misshaped_file_is_refused_whole(world, data, message):
    with translation.override("en"):
        errors = refused_unchanged(
            _lines, services.lines_upload, actor=world.staff, health_center=world.center,
            data=data,
        )  # fmt: skip
    assert errors == {"file": [message]}


def test_only_the_centers_staff_upload(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.lines_upload(actor=world.verifier, health_center=world.center, data=b"")
