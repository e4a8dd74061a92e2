"""Drill-down from a savings figure to the records behind it, and their export with pseudonyms,
within the user's access (group Benkadi in Community A, 2024)."""

import csv
import datetime
import io

import pytest

from jigiya.accounts.roles import Role
from jigiya.donors.tests.partners import funded_partner
from jigiya.indicators import engine
from jigiya.indicators.exports import pseudonym
from jigiya.indicators.models import IndicatorValue
from jigiya.registry.models import Person
from jigiya.savings import services
from jigiya.savings.tests.factories import MembershipFactory

D = datetime.date
PEOPLE = [
    ("Fanta", "Diarra", "F", "+223 76 00 00 01"),
    ("Kadia", "Sangaré", "F", "+223 76 00 00 02"),
    ("Oumou", "Keïta", "F", "+223 76 00 00 03"),
    ("Moussa", "Traoré", "M", ""),
]


@pytest.fixture
def benkadi(world):
    """8 Jan: all 4 buy 2 shares and pay 100. 15 Jan: Oumou borrows 3 000 for 3 months (10 % a
    month: 1 300 due on 15 Feb, 15 Mar and 15 Apr), Moussa is absent. 15 Feb: all buy 2 shares,
    Fanta gets a 500 grant for a delivery. The loan is never repaid."""
    for member, (given, family, sex, phone) in zip(world.members, PEOPLE, strict=True):
        Person.objects.filter(pk=member.person_id).update(
            given_name=given, family_name=family, sex=sex, phone=phone
        )
    world.loan_never_repaid()
    engine.rebuild()
    return world


def _drill(client, user, code, place, month):
    client.force_login(user)
    return client.get(
        "/indicators/drill/", {"indicator": code, "place": str(place.pk), "month": month}
    )


def _stored(code, place, month, breakdown=""):
    value = IndicatorValue.objects.get(
        indicator=code, place=place, month=month, breakdown=breakdown
    )
    return value.numerator, value.denominator


def test_members_drill_down_to_the_members_and_their_savings(cast, client, benkadi):
    response = _drill(
        client, cast.user(Role.ME_OFFICER), "savings.members", cast.community_a, "2024-03"
    )
    assert response.status_code == 200
    assert (
        response.context["count"]
        == _stored("savings.members", cast.community_a, D(2024, 3, 1))[0]
        == 4
    )
    assert response.context["rows"] == [
        ["Fanta Diarra", "+223 76 00 00 01", "F", "Benkadi", "Community A", "2024-01-01", None, 3000],
        ["Kadia Sangaré", "+223 76 00 00 02", "F", "Benkadi", "Community A", "2024-01-01", None, 3000],
        ["Oumou Keïta", "+223 76 00 00 03", "F", "Benkadi", "Community A", "2024-01-01", None, 3000],
        ["Moussa Traoré", "", "M", "Benkadi", "Community A", "2024-01-01", None, 2000],
    ]  # fmt: skip
    # The women's share lists its numerator: the three women.
    response = _drill(
        client, cast.user(Role.ME_OFFICER), "savings.women_share", cast.community_a, "2024-03"
    )
    assert _stored("savings.women_share", cast.community_a, D(2024, 3, 1)) == (3, 4)
    assert [row[0] for row in response.context["rows"]] == [
        "Fanta Diarra",
        "Kadia Sangaré",
        "Oumou Keïta",
    ]
    # Savings per member: the savings column adds up to the numerator.
    response = _drill(
        client,
        cast.user(Role.ME_OFFICER),
        "savings.savings_per_member",
        cast.community_a,
        "2024-01",
    )
    assert sum(row[-1] for row in response.context["rows"]) == 7000
    assert _stored("savings.savings_per_member", cast.community_a, D(2024, 1, 1)) == (7000, 4)


def test_par30_lists_the_late_loans_with_what_they_still_owe(cast, client, benkadi):
    user = cast.user(Role.ME_OFFICER)
    # 29 February: the first installment is 14 days late, not yet at risk.
    response = _drill(client, user, "savings.par30", cast.community_a, "2024-02")
    assert response.context["count"] == 0
    assert _stored("savings.par30", cast.community_a, D(2024, 2, 1)) == (0, 3000)
    # 31 March: 45 days late.
    response = _drill(client, user, "savings.par30", cast.community_a, "2024-03")
    assert _stored("savings.par30", cast.community_a, D(2024, 3, 1)) == (3000, 3000)
    assert response.context["rows"] == [
        [
            "2024-01-15",
            "Oumou Keïta",
            "+223 76 00 00 03",
            "Benkadi",
            "Community A",
            3000,
            "2024-04-15",
            3000,
            0,
            2600,  # the installments of 15 Feb and 15 Mar: 2 x (1 000 + 300)
        ]
    ]
    # Loan fund utilization: the loans still owed, at risk or not.
    response = _drill(client, user, "savings.loan_fund_utilization", cast.community_a, "2024-02")
    assert [row[-1] for row in response.context["rows"]] == [3000]
    assert _stored("savings.loan_fund_utilization", cast.community_a, D(2024, 2, 1)) == (
        3000,
        11000,
    )


def test_grants_and_attendance_drill_down(cast, client, benkadi):
    user = cast.user(Role.ME_OFFICER)
    response = _drill(client, user, "savings.health_grants", cast.community_a, "2024-02")
    assert response.context["rows"] == [
        ["2024-02-15", "Fanta Diarra", "Benkadi", "Community A", "grant", "delivery", 500]
    ]
    assert _stored("savings.health_grants", cast.community_a, D(2024, 2, 1)) == (500, None)
    assert _stored(
        "savings.health_grants", cast.community_a, D(2024, 2, 1), "purpose=delivery"
    ) == (
        500,
        None,
    )
    # January: 4 came on 8 Jan, 3 on 15 Jan (Moussa absent).
    response = _drill(client, user, "savings.attendance", cast.community_a, "2024-01")
    assert _stored("savings.attendance", cast.community_a, D(2024, 1, 1)) == (7, 8)
    assert response.context["count"] == 7
    assert [(row[0], row[3]) for row in response.context["rows"][-3:]] == [
        ("2024-01-15", "Fanta Diarra"),
        ("2024-01-15", "Kadia Sangaré"),
        ("2024-01-15", "Oumou Keïta"),
    ]


def test_share_out_records_earnings_and_members_who_left(cast, client, world):
    leaver = MembershipFactory(group=world.group, number=5, left_on=D(2024, 3, 1))
    Person.objects.filter(pk=leaver.person_id).update(given_name="Bintou", family_name="Sidibé")
    world.three_meetings()
    services.share_out(actor=world.facilitator, cycle=world.cycle, held_on=D(2024, 6, 1))
    engine.rebuild()
    user = cast.user(Role.ME_OFFICER)
    response = _drill(client, user, "savings.members_leaving", cast.community_a, "2024-06")
    assert _stored("savings.members_leaving", cast.community_a, D(2024, 6, 1)) == (1, 5)
    assert [row[0] for row in response.context["rows"]] == ["Bintou Sidibé"]
    response = _drill(client, user, "savings.annual_return", cast.community_a, "2024-06")
    group = world.group.name
    assert response.context["rows"] == [
        ["2024-06-01", group, "Community A", "2024-01-01", 12000, 13050, 0, 1050]
    ]
    assert _stored("savings.annual_return", cast.community_a, D(2024, 6, 1)) == (
        1050 * 365,
        12000 * 152,
    )


def test_member_export_replaces_names_and_phones_by_pseudonyms(cast, client, benkadi):
    client.force_login(cast.user(Role.ME_OFFICER))
    query = {
        "indicator": "savings.members",
        "place": str(cast.community_a.pk),
        "month": "2024-03",
        "format": "csv",
        "pseudonyms": "1",
    }
    response = client.get("/indicators/export/records/", query)
    assert response.status_code == 200
    body = response.content.decode("utf-8-sig")
    assert "Fanta" not in body and "+223" not in body
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == [
        "person",
        "person__phone",
        "person__sex",
        "group__name",
        "group__community__name",
        "joined_on",
        "left_on",
        "savings",
    ]
    assert rows[1] == [
        pseudonym("Fanta Diarra"),
        pseudonym("+223 76 00 00 01"),
        "F",
        "Benkadi",
        "Community A",
        "2024-01-01",
        "",
        "3000",
    ]
    assert [row[1] for row in rows[1:]] == [
        pseudonym(phone) for _given, _family, _sex, phone in PEOPLE
    ]
    assert rows[4][1] == ""  # no phone stays empty


def test_outside_the_community_404_and_no_records_without_savings_access(cast, client, benkadi):
    for code in ("savings.members", "savings.par30"):
        response = _drill(
            client, cast.user(Role.SAVINGS_FACILITATOR, "b"), code, cast.community_a, "2024-03"
        )
        assert response.status_code == 404
    # A partner and a CHW (no savings records) see the figure, never the members.
    for user in (funded_partner(cast, "a", "savings", cast.community_a), cast.user(Role.CHW)):
        response = _drill(client, user, "savings.members", cast.community_a, "2024-03")
        body = response.content.decode()
        assert response.status_code == 200
        assert "columns" not in response.context
        assert response.context["point"].numerator == 4
        assert "Diarra" not in body and "Sangaré" not in body and "+223" not in body
    # A facilitator of the community sees them, but may not export them.
    response = _drill(
        client, cast.user(Role.SAVINGS_FACILITATOR), "savings.members", cast.community_a, "2024-03"
    )
    assert response.context["count"] == 4
    client.force_login(cast.user(Role.SAVINGS_FACILITATOR))
    export = client.get(
        "/indicators/export/records/",
        {"indicator": "savings.members", "place": str(cast.community_a.pk), "month": "2024-03"},
    )
    assert export.status_code == 403
