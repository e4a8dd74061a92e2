from xml.etree import ElementTree as ET

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jigiya.accounts.roles import Role
from jigiya.core.periods import Month
from jigiya.interop import secret
from jigiya.interop.adx import NAMESPACE
from jigiya.interop.models import Dhis2Push, Dhis2Server, PushStatus
from jigiya.interop.tests.factories import PASSWORD

# Next month: always in the future, whatever the day the suite runs.
NEXT = Month.current().next()


ADX = f"{{{NAMESPACE}}}"


def test_the_server_page_never_shows_the_password(world, admin_user, client):
    client.force_login(admin_user)
    body = client.get(reverse("interop:server", args=[world.server.pk])).content.decode()
    assert "deASSEMB001" in body and "ouCSCOMB001" in body
    assert PASSWORD not in body
    assert world.server.password not in body
    body = client.get(reverse("interop:server_edit", args=[world.server.pk])).content.decode()
    assert PASSWORD not in body and world.server.password not in body


def test_a_server_is_configured_from_its_page(cast, admin_user, client):
    client.force_login(admin_user)
    response = client.post(
        reverse("interop:server_create"),
        {
            "name": "DHIS2 national",
            "place": cast.country.pk,
            "base_url": "https://dhis2.sante.gov.ml",
            "username": "jigiya",
            "password": PASSWORD,
            "id_scheme": "uid",
            "data_set": "",
            "attribute_option_combo": "",
            "timeout": "30",
        },
    )
    server = Dhis2Server.objects.get()
    assert response.status_code == 302
    assert response["Location"] == server.get_absolute_url()
    assert secret.decrypt(server.password) == PASSWORD


def test_a_plain_http_address_is_refused_on_the_page(cast, admin_user, client, settings):
    settings.JIGIYA_DHIS2_ALLOW_HTTP = False
    client.force_login(admin_user)
    response = client.post(
        reverse("interop:server_create"),
        {
            "name": "X",
            "place": cast.country.pk,
            "base_url": "http://dhis2.example.org",
            "username": "u",
            "password": "p",
            "id_scheme": "uid",
            "timeout": "30",
        },
    )
    assert response.status_code == 400
    assert "base_url" in response.context["form"].errors
    assert Dhis2Server.objects.count() == 0


def test_the_preview_page_shows_the_users_values_only(world, cast, client):
    client.force_login(cast.user(Role.CHW, "a"))
    url = reverse("interop:preview", args=[world.server.pk])
    response = client.get(url, {"period": "2026-10"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "ouCOMMUNA01" in body and "37.5" in body
    assert "ouCSCOMB001" not in body and "CSCom B" not in body


@pytest.mark.parametrize("period", [str(NEXT), "2026-13", "novembre"])
def test_a_bad_or_future_period_gets_a_clear_message(world, admin_user, client, period):
    client.force_login(admin_user)
    response = client.get(reverse("interop:preview", args=[world.server.pk]), {"period": period})
    assert response.status_code == 400
    assert "period" in response.context["form"].errors


def test_a_push_from_the_page_records_it_and_shows_the_conflicts(world, admin_user, client):
    world.fake.org_units.discard("ouCSCOMB001")
    client.force_login(admin_user)
    response = client.post(reverse("interop:push", args=[world.server.pk]), {"period": "2026-10"})
    push = Dhis2Push.objects.get()
    assert response.status_code == 302
    assert response["Location"] == push.get_absolute_url()
    assert push.status == PushStatus.PARTIAL
    body = client.get(push.get_absolute_url()).content.decode()
    assert "ouCSCOMB001" in body and "E7612" in body and "CSCom B" in body


def test_a_second_send_while_one_is_pending_is_refused_on_the_page(world, admin_user, client):
    Dhis2Push.objects.create(
        server=world.server, period="202610", payload={}, payload_hash="x" * 64, value_count=0
    )
    client.force_login(admin_user)
    response = client.post(reverse("interop:push", args=[world.server.pk]), {"period": "2026-10"})
    assert response.status_code == 409
    assert Dhis2Push.objects.count() == 1
    assert world.fake.requests == []


def test_pushing_needs_the_permission(world, cast, client):
    client.force_login(cast.user(Role.PROGRAM_MANAGER, "above"))
    url = reverse("interop:push", args=[world.server.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"period": "2026-10"}).status_code == 403
    assert Dhis2Push.objects.count() == 0


def test_the_history_costs_a_fixed_number_of_queries(world, admin_user, client):
    client.force_login(admin_user)
    url = reverse("interop:history", args=[world.server.pk])
    call_command("dhis2_push", server="DHIS2 Mali", period="202610", dry_run=True)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(5):
        call_command("dhis2_push", server="DHIS2 Mali", period="202610", dry_run=True)
    with CaptureQueriesContext(connection) as many:
        body = client.get(url).content.decode()
    assert len(many) == len(few)
    assert body.count("interop/dhis2/pushes/") == 6


def test_the_adx_file_follows_the_adx_structure(world, admin_user, client):
    client.force_login(admin_user)
    response = client.get(reverse("interop:adx", args=[world.server.pk]), {"period": "202610"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/adx+xml")
    assert "DHIS2-Mali-202610.adx.xml" in response["Content-Disposition"]
    root = ET.fromstring(response.content)  # noqa: S314 - our own file
    assert root.tag == f"{ADX}adx"
    assert root.get("exported", "").endswith("Z")
    groups = root.findall(f"{ADX}group")
    assert [(g.get("orgUnit"), g.get("period"), g.get("dataSet")) for g in groups] == [
        ("ouCOMMUNA01", "2026-10-01/P1M", "dsMONTHLY01"),
        ("ouCSCOMB001", "2026-10-01/P1M", "dsMONTHLY01"),
    ]
    values = [(v.get("dataElement"), v.get("value")) for v in groups[1].findall(f"{ADX}dataValue")]
    assert values == [
        ("deASSEMB001", "2"),
        ("dePEOPLE001", "90"),
        ("deWOMEN0001", "45"),
        ("deWSHARE001", "50"),
    ]
    assert all(child.tag == f"{ADX}group" for child in root)


def test_the_adx_file_needs_a_data_set(world, admin_user, client):
    Dhis2Server.objects.filter(pk=world.server.pk).update(data_set="")
    client.force_login(admin_user)
    response = client.get(reverse("interop:adx", args=[world.server.pk]), {"period": "202610"})
    assert response.status_code == 400
    assert "period" not in response.context["form"].errors


def test_the_command_sends_a_month(world, capsys):
    call_command("dhis2_push", server="DHIS2 Mali", period="202610")
    push = Dhis2Push.objects.get()
    assert (push.status, push.created_by, push.imported) == (PushStatus.SENT, None, 8)
    assert "sent" in capsys.readouterr().out


def test_the_command_fails_loudly_when_dhis2_is_down(world, closed_port_url):
    Dhis2Server.objects.filter(pk=world.server.pk).update(base_url=closed_port_url)
    with pytest.raises(CommandError):
        call_command("dhis2_push", server="DHIS2 Mali", period="202610")
    assert Dhis2Push.objects.get().status == PushStatus.FAILED


def test_the_command_refuses_an_unknown_server_or_a_future_period(world):
    with pytest.raises(CommandError):
        call_command("dhis2_push", server="Nope", period="202610")
    with pytest.raises(CommandError):
        call_command("dhis2_push", server="DHIS2 Mali", period=NEXT.dhis2)
    assert Dhis2Push.objects.count() == 0
