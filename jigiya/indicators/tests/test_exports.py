import csv
import io

from django.test import override_settings
from openpyxl import load_workbook

from jigiya.accounts.roles import Role
from jigiya.donors.tests.partners import funded_partner
from jigiya.indicators import catalog
from jigiya.indicators.exports import pseudonym

WOMEN = "quality.asaco_assembly_women"
HEADER = "indicator,place_code,place,place_kind,month,numerator,denominator,value,unit"


def _rows(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return text[1:].split("\r\n")


def test_indicator_table_as_csv_exact(cast, client, assemblies):
    client.force_login(funded_partner(cast, "above", "quality", cast.region))
    response = client.get(
        "/indicators/export/table.csv",
        {"indicator": WOMEN, "place": str(cast.cercle.pk), "month": "2025-02", "range": "6"},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="indicators-C-2025-02.csv"'
    lines = _rows(response)
    assert lines[0] == HEADER
    body = [line for line in lines[1:] if line and ",2025-0" in line]
    assert body == [
        f"{WOMEN},C,Bamako,cercle,2025-01,60,160,37.5,percent",
        f"{WOMEN},C,Bamako,cercle,2025-02,30,50,60.0,percent",
        f"{WOMEN},CA,Commune A,commune,2025-01,40,100,40.0,percent",
        f"{WOMEN},CA,Commune A,commune,2025-02,30,50,60.0,percent",
        f"{WOMEN},CB,Commune B,commune,2025-01,20,60,33.3,percent",
        f"{WOMEN},CB,Commune B,commune,2025-02,0,,,percent",
    ]
    assert len(lines) == 1 + 3 * 6 + 1  # header, 3 places x 6 months, final line break


def test_indicator_table_as_xlsx(cast, client, assemblies):
    client.force_login(cast.user(Role.CHW, "a"))
    response = client.get(
        "/indicators/export/table.xlsx", {"indicator": WOMEN, "month": "2025-01", "range": "6"}
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == HEADER.split(",")
    assert rows[-1] == [WOMEN, "A", "Community A", "community", "2025-01", 40, 100, 40, "percent"]
    assert len(rows) == 1 + 6  # Community A alone: no place below it


def test_every_indicator_table_when_none_is_named(cast, client, assemblies):
    client.force_login(cast.user(Role.CHW, "a"))
    response = client.get("/indicators/export/table.csv", {"month": "2025-01", "range": "6"})
    codes = {line.split(",")[0] for line in _rows(response)[1:] if line}
    assert codes == {indicator.code for indicator in catalog.all_indicators()}


def test_an_unknown_program_is_refused(cast, client):
    client.force_login(cast.user(Role.CHW, "a"))
    response = client.get("/indicators/export/table.csv", {"program": "foo", "month": "2025-01"})
    assert response.status_code == 400
    assert 'data-field="program"' in response.content.decode()
    saved = client.get("/indicators/export/table.csv", {"program": "quality", "month": "2025-01"})
    codes = {line.split(",")[0] for line in _rows(saved)[1:] if line}
    assert codes == {i.code for i in catalog.all_indicators() if i.program == "quality"}
    assert {"quality.asaco_assemblies", "quality.asaco_assembly_women"} <= codes


@override_settings(JIGIYA_EXPORT_MAX_ROWS=17)
def test_an_export_over_the_limit_is_refused(cast, client, assemblies):
    client.force_login(cast.user(Role.ADMIN, "above"))
    query = {"indicator": WOMEN, "place": str(cast.cercle.pk), "range": "6"}
    response = client.get("/indicators/export/table.csv", query)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert 'data-field="__all__"' in response.content.decode()
    query["place"] = str(cast.commune_a.pk)  # 2 places x 6 months = 12 rows: within the limit
    assert client.get("/indicators/export/table.csv", query).status_code == 200


def test_pseudonyms_are_stable_and_hide_the_value(settings):
    assert pseudonym("Awa Traoré") == pseudonym("  awa   TRAORÉ ")
    assert pseudonym("Awa Traoré") != pseudonym("Awa Traore")
    assert pseudonym("Awa Traoré").startswith("P-") and len(pseudonym("Awa Traoré")) == 14
    assert "Awa" not in pseudonym("Awa Traoré")
    assert pseudonym("") == ""
    first = pseudonym("+223 70 00 00 01")
    settings.SECRET_KEY = "another-key"
    assert pseudonym("+223 70 00 00 01") != first


def _records(client, user, place, **extra):
    client.force_login(user)
    query = {"indicator": "test.board_terms", "place": str(place.pk), "month": "2025-01"}
    return client.get("/indicators/export/records/", query | extra)


def test_record_export_exact_and_with_pseudonyms(cast, client, board_indicator):
    user = cast.user(Role.ME_OFFICER, "a")
    response = _records(client, user, cast.community_a)
    assert response.status_code == 200
    assert list(csv.reader(_rows(response)[:-1])) == [
        ["full_name", "phone", "role", "asaco__name", "term_start"],
        # A phone number begins with "+", which a spreadsheet program would take for a formula.
        ["Awa Traoré", "'+223 70 00 00 01", "member", "ASACO A", "2025-01-15"],
        ["Moussa Keïta", "'+223 70 00 00 02", "member", "ASACO A", "2025-01-15"],
    ]
    hidden = _records(client, user, cast.community_a, pseudonyms="1")
    assert list(csv.reader(_rows(hidden)[:-1]))[1:] == [
        [pseudonym("Awa Traoré"), pseudonym("+223 70 00 00 01"), "member", "ASACO A", "2025-01-15"],
        [
            pseudonym("Moussa Keïta"),
            pseudonym("+223 70 00 00 02"),
            "member",
            "ASACO A",
            "2025-01-15",
        ],
    ]
    assert "Awa" not in hidden.content.decode() and "+223" not in hidden.content.decode()
    again = _records(client, user, cast.community_a, pseudonyms="1")
    assert again.content == hidden.content
    xlsx = _records(client, user, cast.community_a, pseudonyms="1", format="xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [row[0] for row in sheet.iter_rows(values_only=True)] == [
        "full_name",
        pseudonym("Awa Traoré"),
        pseudonym("Moussa Keïta"),
    ]


def test_record_exports_follow_the_access_rules(cast, client, board_indicator):
    assert _records(client, cast.user(Role.ME_OFFICER, "a"), cast.community_b).status_code == 404
    for role in (Role.PARTNER, Role.CHW, Role.QI_COACH, Role.HEALTH_CENTER_STAFF):
        assert _records(client, cast.user(role, "a"), cast.community_a).status_code == 403
    # Above both communities, a program manager gets both, never more.
    response = _records(client, cast.user(Role.PROGRAM_MANAGER, "above"), cast.region)
    assert len(_rows(response)) == 1 + 3 + 1


@override_settings(JIGIYA_EXPORT_MAX_ROWS=2)
def test_a_record_export_over_the_limit_is_refused(cast, client, board_indicator):
    response = _records(client, cast.user(Role.ADMIN, "above"), cast.region)
    assert response.status_code == 400
    assert "Awa Traoré" not in response.content.decode()
    assert 'data-field="__all__"' in response.content.decode()
    assert _records(client, cast.user(Role.ADMIN, "a"), cast.community_a).status_code == 200


def test_record_export_of_an_indicator_without_records_is_refused(
    cast, client, women_without_records
):
    client.force_login(cast.user(Role.ADMIN, "a"))
    response = client.get("/indicators/export/records/", {"indicator": WOMEN})
    assert response.status_code == 400
    assert 'data-field="indicator"' in response.content.decode()


def test_record_export_form_lists_indicators_with_records(cast, client, board_indicator):
    client.force_login(cast.user(Role.ME_OFFICER, "a"))
    response = client.get("/indicators/export/records/")
    assert response.status_code == 200
    listed = [i.code for i in response.context["indicators"]]
    assert "test.board_terms" in listed
    assert listed == [i.code for i in catalog.all_indicators() if i.records is not None]
