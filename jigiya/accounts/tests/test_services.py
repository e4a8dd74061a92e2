import datetime

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jigiya.accounts import services
from jigiya.accounts.access import has_perm_at, scope_paths
from jigiya.accounts.models import ApiToken, Assignment, User
from jigiya.accounts.roles import GRANTS, Perm, Role, perms_of
from jigiya.core.models import AuditEntry
from jigiya.core.programs import Program


def test_every_permission_has_a_row_and_admins_hold_all():
    assert set(GRANTS) == set(Perm)
    assert perms_of(Role.ADMIN) == frozenset(Perm)
    assert perms_of(Role.PARTNER) == {Perm.PLACES_VIEW, Perm.INDICATORS_VIEW}


def test_every_permission_is_named_after_the_app_or_program_that_checks_it():
    apps_and_programs = {config.label for config in apps.get_app_configs()} | set(Program.values)
    assert {perm.value.split(".")[0] for perm in Perm} <= apps_and_programs
    # Donors, fundings and partner logins are the donors app's (they were the indicators').
    assert Perm.DONORS_MANAGE == "donors.manage"
    assert GRANTS[Perm.DONORS_MANAGE] == {Role.ADMIN, Role.PROGRAM_MANAGER}


def test_a_permission_held_at_a_place_holds_below_it_only(cast):
    supervisor = cast.user(Role.CHW_SUPERVISOR, "above")
    chw = cast.user(Role.CHW, "a")
    assert has_perm_at(supervisor, Perm.HEALTH_SUPERVISE, cast.community_b.path)
    assert has_perm_at(chw, Perm.HEALTH_RECORD, cast.community_a.path)
    assert not has_perm_at(chw, Perm.HEALTH_RECORD, cast.community_b.path)
    assert not has_perm_at(chw, Perm.HEALTH_RECORD, cast.commune_a.path)  # not upwards
    assert not has_perm_at(chw, Perm.HEALTH_SUPERVISE, cast.community_a.path)  # not that role


def test_scope_keeps_only_the_highest_of_nested_assignments(cast):
    user = cast.user(Role.PROGRAM_MANAGER, "above")
    Assignment.objects.create(user=user, role=Role.PROGRAM_MANAGER, place=cast.community_a)
    user = User.objects.get(pk=user.pk)
    assert scope_paths(user, Perm.PLACES_VIEW) == [cast.region.path]


def test_a_deactivated_user_sees_nothing(cast):
    user = cast.user(Role.ADMIN, "above")
    user.is_active = False
    assert scope_paths(user, Perm.PLACES_VIEW) == []


def test_user_create_gives_the_first_role_and_audits(cast, admin_user):
    user = services.user_create(
        actor=admin_user,
        username="relais.a",
        password="Sotuba-2026-ok",
        role=Role.CHW,
        place=cast.community_a,
        first_name="Aminata",
    )
    assert user.check_password("Sotuba-2026-ok")
    assert list(user.assignments.values_list("role", "place__code")) == [("chw", "A")]
    assert AuditEntry.objects.filter(object_id=str(user.pk), action="create").count() == 1


def test_user_create_with_a_weak_password_is_refused_naming_the_field(cast, admin_user):
    count = User.objects.count()
    with pytest.raises(ValidationError) as info:
        services.user_create(
            actor=admin_user,
            username="weak",
            password="1234",
            role=Role.CHW,
            place=cast.community_a,
        )
    assert list(info.value.message_dict) == ["password"]
    assert User.objects.count() == count


def test_user_create_with_a_taken_username_is_refused(cast, admin_user):
    cast.user(Role.CHW, "a")
    count = User.objects.count()
    with pytest.raises(ValidationError) as info:
        services.user_create(
            actor=admin_user,
            username="CHW-A",
            password="Sotuba-2026-ok",
            role=Role.CHW,
            place=cast.community_a,
        )
    assert info.value.message_dict == {"username": ["Cet identifiant est déjà utilisé."]}
    assert User.objects.count() == count


def test_an_administrator_of_a_commune_cannot_assign_elsewhere(cast):
    local_admin = User.objects.create(username="admin-commune-a")
    Assignment.objects.create(user=local_admin, role=Role.ADMIN, place=cast.commune_a)
    chw = cast.user(Role.CHW, "a")
    with pytest.raises(PermissionDenied):
        services.assignment_add(actor=local_admin, user=chw, role=Role.CHW, place=cast.community_b)
    assert chw.assignments.count() == 1


def test_an_administrator_cannot_edit_a_user_who_also_works_elsewhere(cast):
    local_admin = User.objects.create(username="admin-commune-a")
    Assignment.objects.create(user=local_admin, role=Role.ADMIN, place=cast.commune_a)
    both = cast.user(Role.CHW, "a")
    Assignment.objects.create(user=both, role=Role.CHW, place=cast.community_b)
    with pytest.raises(PermissionDenied):
        services.user_update(actor=local_admin, user=both, first_name="X", last_name="Y")
    both.refresh_from_db()
    assert both.first_name == "Awa"


def test_deactivating_a_user_revokes_their_tokens(cast, admin_user):
    chw = cast.user(Role.CHW, "a")
    token, key = services.token_create(actor=chw, user=chw, name="Tecno phone")
    services.user_update(
        actor=admin_user, user=chw, first_name="Awa", last_name="T", is_active=False
    )
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert services.token_authenticate(key=key) is None
    assert AuditEntry.objects.filter(object_id=str(chw.pk), action="deactivate").count() == 1


def test_you_cannot_deactivate_yourself(cast, admin_user):
    with pytest.raises(ValidationError):
        services.user_update(
            actor=admin_user, user=admin_user, first_name="A", last_name="B", is_active=False
        )
    admin_user.refresh_from_db()
    assert admin_user.is_active


def test_token_keys_are_stored_hashed_and_authenticate(cast):
    chw = cast.user(Role.CHW, "a")
    token, key = services.token_create(actor=chw, user=chw, name="Tecno phone")
    assert key.startswith("jgy_")
    assert token.key_hash == ApiToken.hash_key(key)
    assert key not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert services.token_authenticate(key=key) == chw
    assert services.token_authenticate(key=key + "x") is None


def test_revoked_and_expired_tokens_do_not_authenticate(cast):
    chw = cast.user(Role.CHW, "a")
    token, key = services.token_create(actor=chw, user=chw, name="old phone")
    services.token_revoke(actor=chw, token=token)
    assert services.token_authenticate(key=key) is None
    soon = timezone.now() + datetime.timedelta(seconds=1)
    token2, key2 = services.token_create(actor=chw, user=chw, name="short", expires_at=soon)
    ApiToken.objects.filter(pk=token2.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert services.token_authenticate(key=key2) is None


def test_a_token_expiring_in_the_past_is_refused(cast):
    chw = cast.user(Role.CHW, "a")
    with pytest.raises(ValidationError) as info:
        services.token_create(
            actor=chw, user=chw, name="x", expires_at=timezone.now() - datetime.timedelta(days=1)
        )
    assert list(info.value.message_dict) == ["expires_at"]
    assert ApiToken.objects.count() == 0


def test_removing_an_assignment_is_audited_with_what_it_was(cast, admin_user):
    chw = cast.user(Role.CHW, "a")
    assignment = chw.assignments.get()
    services.assignment_remove(actor=admin_user, assignment=assignment)
    assert chw.assignments.count() == 0
    entry = AuditEntry.objects.get(action="delete")
    assert entry.changes["role"] == ["chw", None]
    assert entry.changes["place_id"] == [str(cast.community_a.pk), None]
