import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jigiya.accounts.roles import Perm, Role
from jigiya.core.errors import Conflict
from jigiya.core.models import AuditEntry
from jigiya.core.periods import Month
from jigiya.donors.tests.partners import funded_partner
from jigiya.interop import dhis2, secret, selectors, services
from jigiya.interop.models import Dhis2Conflict, Dhis2Push, Dhis2Server, PushStatus
from jigiya.interop.tests.conftest import _value as stored_value
from jigiya.interop.tests.factories import PASSWORD, OrgUnitMappingFactory

OCT = Month(2026, 10)


def _value(de, ou, value):
    return {"dataElement": de, "period": "202610", "orgUnit": ou, "value": value}


EXPECTED_VALUES = [
    _value("deASSEMB001", "ouCOMMUNA01", "1"),
    _value("dePEOPLE001", "ouCOMMUNA01", "80"),
    _value("deWOMEN0001", "ouCOMMUNA01", "30"),
    _value("deWSHARE001", "ouCOMMUNA01", "37.5"),
    _value("deASSEMB001", "ouCSCOMB001", "2"),
    _value("dePEOPLE001", "ouCSCOMB001", "90"),
    _value("deWOMEN0001", "ouCSCOMB001", "45"),
    _value("deWSHARE001", "ouCSCOMB001", "50"),
]


def _push(world, admin_user, **kwargs):
    return services.dhis2_push(actor=admin_user, server=world.server, month=OCT, **kwargs)


# --- payload --------------------------------------------------------------------------


def test_the_payload_holds_every_mapped_figure_of_every_mapped_place(world, admin_user):
    built = selectors.payload_build(user=admin_user, server=world.server, month=OCT)
    assert built.payload == {
        "dataSet": "dsMONTHLY01",
        "period": "202610",
        "dataValues": EXPECTED_VALUES,
    }
    assert built.sources[3] == {
        "indicator": "quality.asaco_assembly_women",
        "breakdown": "",
        "figure": "value",
        "place": "Community A",
        "numerator": 30,
        "denominator": 80,
    }
    assert built.sources[4]["place"] == "CSCom B"


def test_the_preview_shows_only_the_places_the_user_may_see(world, cast):
    officer = cast.user(Role.ME_OFFICER, "a")
    built = selectors.payload_build(user=officer, server=world.server, month=OCT)
    assert built.data_values == EXPECTED_VALUES[:4]


def test_a_health_center_is_left_out_for_a_user_who_sees_part_of_its_area(world, cast):
    """CSCom A also serves Community B: a user of Community A alone would see the area's sum
    (a figure of B) or a partial sum (a wrong figure). Its org unit is left out for her."""
    cast.community_b.health_center = cast.center_a
    cast.community_b.save(update_fields=["health_center"])
    OrgUnitMappingFactory(server=world.server, health_center=cast.center_a, org_unit="ouCSCOMA001")
    partner = funded_partner(cast, "a", "quality", cast.region)
    for user in (cast.user(Role.CHW, "a"), partner, cast.user(Role.ME_OFFICER, "a")):
        built = selectors.payload_build(user=user, server=world.server, month=OCT)
        assert {value["orgUnit"] for value in built.data_values} == {"ouCOMMUNA01"}, user
    above = selectors.payload_build(
        user=cast.user(Role.ME_OFFICER, "above"), server=world.server, month=OCT
    )
    assessed = {
        value["value"]
        for value in above.data_values
        if value["orgUnit"] == "ouCSCOMA001" and value["dataElement"] == "deASSEMB001"
    }
    assert assessed == {"3"}  # A's 1 assembly and B's 2


def test_a_partner_previews_only_what_its_donor_funds(world, cast):
    unfunded = cast.user(Role.PARTNER, "above")
    assert selectors.payload_build(user=unfunded, server=world.server, month=OCT).data_values == []
    funded = funded_partner(cast, "a", "quality", cast.community_a)
    built = selectors.payload_build(user=funded, server=world.server, month=OCT)
    assert built.data_values == EXPECTED_VALUES[:4]


def test_a_month_without_records_sends_zero_counts_and_no_rate(world, admin_user):
    built = selectors.payload_build(user=admin_user, server=world.server, month=Month(2026, 9))
    assert [v["value"] for v in built.data_values] == ["0", "0", "0"] * 2
    assert "deWSHARE001" not in {v["dataElement"] for v in built.data_values}


# --- pushing: success ------------------------------------------------------------------


def test_a_push_sends_basic_auth_and_records_the_import_summary(world, admin_user):
    push = _push(world, admin_user)
    push.refresh_from_db()
    assert push.status == PushStatus.SENT
    assert (push.imported, push.updated, push.ignored, push.deleted) == (8, 0, 0, 0)
    assert push.summary_status == "SUCCESS"
    assert push.http_status == 200
    assert push.value_count == 8
    assert push.created_by == admin_user
    assert push.period == "202610"
    assert push.payload_hash == dhis2.payload_hash(push.payload)
    assert push.conflicts.count() == 0
    assert push.finished_at is not None
    request = world.fake.requests[-1]
    assert request["path"] == "/api/dataValueSets"
    assert request["params"] == {
        "dryRun": "false",
        "importStrategy": "CREATE_AND_UPDATE",
        "idScheme": "UID",
        "dataElementIdScheme": "UID",
        "orgUnitIdScheme": "UID",
    }
    assert request["body"]["dataValues"] == EXPECTED_VALUES
    assert len(world.fake.stored) == 8


def test_sending_again_is_a_new_attempt_linked_to_the_first_and_updates(world, admin_user):
    first = _push(world, admin_user)
    second = _push(world, admin_user)
    third = _push(world, admin_user)
    assert second.status == PushStatus.SENT
    assert (second.imported, second.updated) == (0, 8)
    assert second.retry_of == first and third.retry_of == first
    assert (first.attempt, second.attempt, third.attempt) == (1, 2, 3)
    assert len(world.fake.stored) == 8


def test_a_dry_run_is_checked_and_stores_nothing(world, admin_user):
    push = _push(world, admin_user, dry_run=True)
    assert push.status == PushStatus.CHECKED
    assert push.dry_run is True
    assert push.imported == 8
    assert world.fake.requests[-1]["params"]["dryRun"] == "true"
    assert world.fake.stored == {}


def test_the_code_scheme_is_sent_for_data_elements_and_org_units(world, admin_user):
    Dhis2Server.objects.filter(pk=world.server.pk).update(id_scheme="code")
    world.server.refresh_from_db()
    _push(world, admin_user, dry_run=True)
    params = world.fake.requests[-1]["params"]
    assert (params["dataElementIdScheme"], params["orgUnitIdScheme"]) == ("CODE", "CODE")


# --- pushing: conflicts ----------------------------------------------------------------


def test_conflicts_are_stored_with_the_values_that_caused_them(world, admin_user):
    world.fake.data_elements.discard("deWSHARE001")
    world.fake.org_units.discard("ouCSCOMB001")
    push = _push(world, admin_user)
    assert push.status == PushStatus.PARTIAL
    assert push.http_status == 409
    assert push.summary_status == "WARNING"
    assert (push.imported, push.updated, push.ignored) == (3, 0, 5)
    conflicts = list(push.conflicts.order_by("id"))
    assert [(c.object, c.error_code, c.property) for c in conflicts] == [
        ("deWSHARE001", "E7610", "dataElement"),
        ("ouCSCOMB001", "E7612", "orgUnit"),
    ]
    assert conflicts[0].values == [
        {"index": 3, **EXPECTED_VALUES[3], "source": push.sources[3]},
        {"index": 7, **EXPECTED_VALUES[7], "source": push.sources[7]},
    ]
    assert [v["index"] for v in conflicts[1].values] == [4, 5, 6]
    assert conflicts[1].values[0]["source"]["place"] == "CSCom B"
    assert push.message


def test_conflicts_of_an_older_dhis2_are_matched_by_object(world, admin_user):
    world.fake.mode = "legacy"
    world.fake.org_units.discard("ouCOMMUNA01")
    push = _push(world, admin_user)
    assert push.status == PushStatus.PARTIAL
    assert push.http_status == 200
    conflict = push.conflicts.get()
    assert (conflict.object, conflict.error_code) == ("ouCOMMUNA01", "")
    assert [v["index"] for v in conflict.values] == [0, 1, 2, 3]


def test_when_every_value_is_refused_nothing_is_recorded_as_sent(world, admin_user):
    world.fake.org_units.clear()
    push = _push(world, admin_user)
    assert push.status == PushStatus.FAILED
    assert (push.imported, push.updated, push.ignored) == (0, 0, 8)
    assert push.conflicts.count() == 2
    assert world.fake.stored == {}


# --- pushing: a server that fails ----------------------------------------------------------


def _assert_failed(push, error_code, http_status=None):
    push.refresh_from_db()
    assert push.status == PushStatus.FAILED
    assert push.error_code == error_code
    assert push.http_status == http_status
    assert (push.imported, push.updated, push.ignored, push.deleted) == (0, 0, 0, 0)
    assert push.conflicts.count() == 0
    assert push.message
    assert Dhis2Push.objects.filter(status__in=["sent", "partial", "pending"]).count() == 0


def test_refused_credentials_are_a_failed_push(world, admin_user):
    Dhis2Server.objects.filter(pk=world.server.pk).update(password=secret.encrypt("wrong"))
    world.server.refresh_from_db()
    _assert_failed(_push(world, admin_user), "unauthorized", 401)
    assert world.fake.stored == {}


def test_a_slow_server_times_out_and_is_not_recorded_as_sent(world, admin_user):
    world.fake.mode = "slow"
    world.fake.delay = 1.0
    Dhis2Server.objects.filter(pk=world.server.pk).update(timeout=0.2)
    world.server.refresh_from_db()
    _assert_failed(_push(world, admin_user), "timeout")


def test_a_server_that_is_down_is_unreachable(world, admin_user, closed_port_url):
    Dhis2Server.objects.filter(pk=world.server.pk).update(base_url=closed_port_url)
    world.server.refresh_from_db()
    _assert_failed(_push(world, admin_user), "unreachable")


def test_a_connection_lost_after_sending_says_the_values_may_have_arrived(
    world, admin_user, closed_port_url
):
    world.fake.mode = "hangup"
    lost = _push(world, admin_user)
    _assert_failed(lost, "connection_lost")
    assert len(world.fake.requests) == 1  # the values went out
    Dhis2Server.objects.filter(pk=world.server.pk).update(base_url=closed_port_url)
    world.server.refresh_from_db()
    down = _push(world, admin_user)
    _assert_failed(down, "unreachable")
    assert down.message != lost.message
    assert "RemoteProtocolError" in lost.message and "ConnectError" in down.message


def test_an_answer_without_import_summary_is_a_failure(world, admin_user):
    world.fake.mode = "html"
    _assert_failed(_push(world, admin_user), "invalid_response", 200)


def test_a_server_error_is_a_failure(world, admin_user):
    world.fake.mode = "error500"
    _assert_failed(_push(world, admin_user), "server_error", 500)


def test_a_wrong_base_url_is_not_found(world, admin_user):
    Dhis2Server.objects.filter(pk=world.server.pk).update(base_url=world.fake.url + "/dhis")
    world.server.refresh_from_db()
    _assert_failed(_push(world, admin_user), "not_found", 404)


def test_a_bug_while_sending_leaves_a_failed_attempt_not_a_pending_one(
    world, admin_user, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(dhis2, "send", broken)
    with pytest.raises(RuntimeError):
        _push(world, admin_user)
    _assert_failed(Dhis2Push.objects.get(), "error")


def test_a_failed_push_can_be_retried_and_the_retry_is_linked(world, admin_user):
    world.fake.mode = "error500"
    failed = _push(world, admin_user)
    world.fake.mode = "ok"
    retry = _push(world, admin_user)
    assert (failed.status, retry.status) == (PushStatus.FAILED, PushStatus.SENT)
    assert retry.retry_of == failed
    assert retry.attempt == 2


# --- refused before sending: nothing recorded -----------------------------------------------


def test_two_sends_of_one_period_at_once_are_refused(world, admin_user):
    pending = Dhis2Push.objects.create(
        server=world.server,
        period="202610",
        payload={},
        payload_hash="x" * 64,
        value_count=0,
    )
    with pytest.raises(Conflict):
        _push(world, admin_user)
    assert list(Dhis2Push.objects.values_list("pk", "status")) == [(pending.pk, "pending")]
    assert world.fake.requests == []


def test_an_abandoned_pending_send_is_marked_failed_and_the_new_one_goes(world, admin_user):
    stale = Dhis2Push.objects.create(
        server=world.server,
        period="202610",
        payload={},
        payload_hash="x" * 64,
        value_count=0,
    )
    Dhis2Push.objects.filter(pk=stale.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    push = _push(world, admin_user)
    stale.refresh_from_db()
    assert (stale.status, stale.error_code) == (PushStatus.FAILED, "interrupted")
    assert push.status == PushStatus.SENT


@pytest.mark.parametrize(
    ("month", "field"),
    [(Month.current().next(), "period"), (Month.current().shift(2), "period")],
)
def test_a_future_period_is_refused(world, admin_user, month, field):
    with pytest.raises(ValidationError) as error:
        services.dhis2_push(actor=admin_user, server=world.server, month=month)
    assert field in error.value.error_dict
    assert Dhis2Push.objects.count() == 0
    assert world.fake.requests == []


def test_an_unknown_period_is_refused():
    with pytest.raises(ValidationError) as error:
        selectors.parse_period("2026-13")
    assert "period" in error.value.error_dict


def test_plain_http_is_refused_unless_allowed(world, admin_user, settings):
    settings.JIGIYA_DHIS2_ALLOW_HTTP = False
    with pytest.raises(ValidationError) as error:
        _push(world, admin_user)
    assert "base_url" in error.value.error_dict
    assert Dhis2Push.objects.count() == 0
    assert world.fake.requests == []


def test_a_user_without_the_permission_cannot_push(world, cast):
    for role in (Role.CHW, Role.PROGRAM_MANAGER, Role.PARTNER):
        with pytest.raises(PermissionDenied):
            _push(world, cast.user(role, "above"))
    # An M&E officer of Community A may not push the national server either.
    with pytest.raises(PermissionDenied):
        _push(world, cast.user(Role.ME_OFFICER, "a"))
    assert Dhis2Push.objects.count() == 0


def test_nothing_to_send_is_refused(world, admin_user):
    world.server.org_units.all().delete()
    with pytest.raises(ValidationError) as error:
        _push(world, admin_user)
    assert "period" in error.value.error_dict
    assert Dhis2Push.objects.count() == 0


def test_an_unreadable_stored_password_is_refused(world, admin_user, settings):
    settings.SECRET_KEY = "another-key"
    with pytest.raises(ValidationError) as error:
        _push(world, admin_user)
    assert "password" in error.value.error_dict
    assert Dhis2Push.objects.count() == 0


def test_a_switched_off_server_is_refused(world, admin_user):
    Dhis2Server.objects.filter(pk=world.server.pk).update(is_active=False)
    world.server.refresh_from_db()
    with pytest.raises(ValidationError):
        _push(world, admin_user)
    assert Dhis2Push.objects.count() == 0


# --- configuration --------------------------------------------------------------------------


def test_a_server_is_saved_with_its_password_encrypted_and_never_audited(cast, admin_user):
    server = services.server_create(
        actor=admin_user,
        name="DHIS2 national",
        place=cast.country,
        base_url="https://dhis2.sante.gov.ml/api/",
        username="jigiya",
        password=PASSWORD,
        data_set="dsMONTHLY01",
    )
    assert server.base_url == "https://dhis2.sante.gov.ml"
    assert PASSWORD not in server.password
    assert secret.decrypt(server.password) == PASSWORD
    entry = AuditEntry.objects.get(object_id=str(server.pk))
    assert "password" not in entry.changes
    assert PASSWORD not in str(entry.changes)
    services.server_update(
        actor=admin_user,
        server=server,
        name="DHIS2 national",
        base_url="https://dhis2.sante.gov.ml",
        username="jigiya2",
        password="",
        id_scheme="code",
        timeout=10,
    )
    server.refresh_from_db()
    assert secret.decrypt(server.password) == PASSWORD  # empty keeps it
    assert server.username == "jigiya2"


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("http://dhis2.example.org", False),
        ("ftp://dhis2.example.org", False),
        ("https://user:pw@dhis2.example.org", False),
        ("https://dhis2.example.org?x=1", False),
        ("https://dhis2.example.org/dhis", True),
    ],
)
def test_the_address_must_be_https(cast, admin_user, url, allowed, settings):
    settings.JIGIYA_DHIS2_ALLOW_HTTP = False
    create = lambda: services.server_create(  # noqa: E731
        actor=admin_user,
        name="X",
        place=cast.country,
        base_url=url,
        username="u",
        password="p",
    )
    if allowed:
        create()
        assert Dhis2Server.objects.count() == 1
    else:
        with pytest.raises(ValidationError) as error:
            create()
        assert "base_url" in error.value.error_dict
        assert Dhis2Server.objects.count() == 0


def test_only_admins_and_me_officers_configure_servers(cast):
    for role in Role:
        user = cast.user(role, "above")
        call = lambda user=user: services.server_create(  # noqa: E731
            actor=user,
            name=f"S {user.username}",
            place=cast.region,
            base_url="https://dhis2.example.org",
            username="u",
            password="p",
        )
        if role in (Role.ADMIN, Role.ME_OFFICER):
            call()
        else:
            with pytest.raises(PermissionDenied):
                call()
    assert Dhis2Server.objects.count() == 2


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"indicator": "quality.nope"}, "indicator"),
        ({"figure": "denominator"}, "figure"),
        ({"data_element": "not a uid"}, "data_element"),
        ({"category_option_combo": "short"}, "category_option_combo"),
        ({"data_element": "deASSEMB001"}, "data_element"),  # already mapped (same cell)
        ({"breakdown": "sex=f"}, "breakdown"),  # stored: "sex=F" only
        ({"breakdown": "age=young"}, "breakdown"),
    ],
)
def test_bad_data_element_mappings_are_refused(world, admin_user, cast, kwargs, field):
    stored_value(cast.community_a, "quality.asaco_assemblies", 1, breakdown="sex=F")
    before = world.server.data_elements.count()
    arguments = {
        "indicator": "quality.asaco_assemblies",
        "breakdown": "sex=F",
        "figure": "value",
        "data_element": "deNEWONE001",
        **kwargs,
    }
    with pytest.raises(ValidationError) as error:
        services.data_element_mapping_save(actor=admin_user, server=world.server, **arguments)
    assert field in error.value.error_dict
    assert world.server.data_elements.count() == before


def test_a_stored_breakdown_is_mapped(world, admin_user, cast):
    stored_value(cast.community_a, "quality.asaco_assemblies", 1, breakdown="sex=F")
    mapping = services.data_element_mapping_save(
        actor=admin_user, server=world.server, indicator="quality.asaco_assemblies",
        breakdown="sex=F", figure="value", data_element="deNEWONE001",
    )  # fmt: skip
    assert (mapping.breakdown, mapping.data_element) == ("sex=F", "deNEWONE001")


def test_bad_org_unit_mappings_are_refused(world, admin_user, cast):
    cases = [
        ({"place": cast.commune_a, "org_unit": "ouCOMMUNE01"}, "place"),
        ({"org_unit": "ouNOTHING01"}, "place"),
        ({"place": cast.community_b, "org_unit": "ouCOMMUNA01"}, "org_unit"),  # org unit taken
        ({"place": cast.community_a, "org_unit": "ouOTHER0001"}, "place"),  # place mapped
    ]
    for kwargs, field in cases:
        with pytest.raises(ValidationError) as error:
            services.org_unit_mapping_save(actor=admin_user, server=world.server, **kwargs)
        assert field in error.value.error_dict, kwargs
    assert world.server.org_units.count() == 2


def test_a_place_outside_the_servers_place_cannot_be_mapped(cast, admin_user):
    server = services.server_create(
        actor=admin_user,
        name="A only",
        place=cast.community_a,
        base_url="https://dhis2.example.org",
        username="u",
        password="p",
    )
    with pytest.raises(ValidationError) as error:
        services.org_unit_mapping_save(
            actor=admin_user, server=server, health_center=cast.center_b, org_unit="ouCSCOMB001"
        )
    assert "place" in error.value.error_dict
    assert server.org_units.count() == 0


def test_servers_are_visible_to_users_whose_places_overlap(world, cast):
    assert list(selectors.server_list(user=cast.user(Role.CHW, "a"))) == [world.server]
    assert selectors.may_manage(cast.user(Role.ME_OFFICER, "a"), world.server) is False
    assert selectors.may_manage(cast.user(Role.ME_OFFICER, "above"), world.server) is False
    assert Perm.DHIS2_PUSH  # the national server needs the permission at the country


def test_a_conflict_row_is_kept_with_its_push(world, admin_user):
    world.fake.data_elements.clear()
    push = _push(world, admin_user)
    assert Dhis2Conflict.objects.filter(push=push).count() == 4


def test_a_deactivated_place_gets_no_server_and_no_mapping(world, admin_user, cast):
    """The pages offer active places only; the services refuse the others too."""
    cast.community_b.is_active = False
    cast.community_b.save(update_fields=["is_active"])
    servers = Dhis2Server.objects.count()
    with pytest.raises(ValidationError) as error:
        services.server_create(
            actor=admin_user,
            name="B only",
            place=cast.community_b,
            base_url="https://dhis2.example.org",
            username="u",
            password="p",
        )
    assert list(error.value.error_dict) == ["place"]
    with pytest.raises(ValidationError) as error:
        services.org_unit_mapping_save(
            actor=admin_user, server=world.server, place=cast.community_b, org_unit="ouCOMMUNB01"
        )
    assert list(error.value.error_dict) == ["place"]
    assert Dhis2Server.objects.count() == servers
    assert world.server.org_units.count() == 2


@pytest.mark.parametrize("timeout", [0.5, 301])
def test_a_timeout_outside_one_to_300_seconds_is_refused(world, admin_user, cast, timeout):
    """The form offers 1 to 300 seconds; the services refuse the others too."""
    servers, before = Dhis2Server.objects.count(), world.server.timeout
    with pytest.raises(ValidationError) as error:
        services.server_create(
            actor=admin_user,
            name="Quick",
            place=cast.community_a,
            base_url="https://dhis2.example.org",
            username="u",
            password="p",
            timeout=timeout,
        )
    assert list(error.value.error_dict) == ["timeout"]
    with pytest.raises(ValidationError) as error:
        services.server_update(
            actor=admin_user,
            server=world.server,
            name=world.server.name,
            base_url=world.server.base_url,
            username=world.server.username,
            id_scheme=world.server.id_scheme,
            timeout=timeout,
        )
    assert list(error.value.error_dict) == ["timeout"]
    world.server.refresh_from_db()
    assert (Dhis2Server.objects.count(), world.server.timeout) == (servers, before)
