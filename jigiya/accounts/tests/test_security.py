"""Logins under attack: lockouts three ways, rate limits, nothing that tells a user exists,
passwords an administrator gave replaced at first login, and the password rules."""

import datetime
import re

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jigiya.accounts import services
from jigiya.accounts.lockout import client_ip
from jigiya.accounts.models import ApiToken, User
from jigiya.accounts.roles import Role
from jigiya.accounts.tests.factories import PASSWORD

LOGIN = "/accounts/login/"
NEW_PASSWORD = "Sotuba-puits-2027"


def _login(client, username, password, address="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def _same_page(body, username):
    """A page with what legitimately differs between two requests (the CSRF token, the nonce,
    the username typed back into the form) blanked out."""
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", body)
    body = re.sub(r'nonce="[^"]+"', "NONCE", body)
    return body.replace(username, "USERNAME")


# Lockouts ------------------------------------------------------------------------------------


def test_ten_failures_for_one_account_from_ten_addresses_lock_that_account(cast, settings):
    user = cast.user(Role.CHW, "a")
    account_limit = {str(params): limit for params, limit in settings.LOGIN_LOCKOUTS}["username"]
    assert account_limit == 10
    statuses = [
        _login(Client(), user.username, "wrong", f"10.0.1.{n}").status_code
        for n in range(account_limit)
    ]
    assert statuses == [200] * 9 + [429]  # the failure that reaches the limit locks
    client = Client()
    response = _login(client, user.username, PASSWORD, "10.0.2.1")
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert "_auth_user_id" not in client.session
    # Another account, from any address, is not locked.
    other = cast.user(Role.CHW, "b")
    assert _login(Client(), other.username, PASSWORD, "10.0.1.1").status_code == 302


def test_nine_failures_from_nine_addresses_do_not_lock_and_a_success_forgets_them(cast):
    user = cast.user(Role.CHW, "a")
    for n in range(9):
        _login(Client(), user.username, "wrong", f"10.0.1.{n}")
    assert _login(Client(), user.username, PASSWORD, "10.0.2.1").status_code == 302
    assert AccessAttempt.objects.filter(username=user.username).count() == 0


def test_failures_for_fifty_usernames_from_one_address_lock_that_address(cast):
    user = cast.user(Role.CHW, "a")
    statuses = [
        _login(Client(), f"guess{n}", "Password-1", "10.0.9.9").status_code for n in range(50)
    ]
    assert statuses == [200] * 49 + [429]
    client = Client()
    response = _login(client, user.username, PASSWORD, "10.0.9.9")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # The same person from another address logs in.
    assert _login(Client(), user.username, PASSWORD, "10.0.9.10").status_code == 302


def test_a_success_from_an_address_does_not_forget_its_failures_against_other_accounts(cast):
    """Otherwise an attacker with an account of their own could log in between guesses."""
    own = cast.user(Role.CHW, "b")
    for n in range(49):
        _login(Client(), f"guess{n}", "Password-1", "10.0.9.9")
    assert _login(Client(), own.username, PASSWORD, "10.0.9.9").status_code == 302
    _login(Client(), "guess49", "Password-1", "10.0.9.9")
    assert _login(Client(), own.username, PASSWORD, "10.0.9.9").status_code == 429


def test_five_failures_from_one_address_lock_that_account_there_only(cast):
    user = cast.user(Role.CHW, "a")
    for _attempt in range(5):
        _login(Client(), user.username, "wrong", "10.0.3.1")
    assert _login(Client(), user.username, PASSWORD, "10.0.3.1").status_code == 429
    assert _login(Client(), user.username, PASSWORD, "10.0.3.2").status_code == 302


def test_the_lockout_ends_after_an_hour(cast):
    user = cast.user(Role.CHW, "a")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _attempt in range(5):
            _login(Client(), user.username, "wrong")
        assert _login(Client(), user.username, PASSWORD).status_code == 429
    with time_machine.travel(start + datetime.timedelta(minutes=61), tick=False):
        assert _login(Client(), user.username, PASSWORD).status_code == 302


def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(rf, settings):
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 5.6.7.8")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "127.0.0.1"  # the header is not believed
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "5.6.7.8"  # what the client wrote (1.2.3.4) is not believed


def test_behind_a_proxy_lockouts_and_the_login_rate_key_on_the_forwarded_address(cast, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.LOGIN_RATE_LIMIT = "6/min"
    user = cast.user(Role.CHW, "a")

    def through_proxy(client_address, password):
        return Client().post(
            LOGIN,
            {"username": user.username, "password": password},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=client_address,
        )

    with time_machine.travel(timezone.now(), tick=False):
        statuses = [through_proxy("41.73.0.1", "wrong").status_code for _attempt in range(5)]
        assert statuses == [200, 200, 200, 200, 429]  # the account locked at that address
        assert through_proxy("41.73.0.1", PASSWORD).status_code == 429
        # Not at another address; the success there forgets the account's failures.
        assert through_proxy("41.73.0.2", PASSWORD).status_code == 302
        # The 7th login from the first address this minute: over the rate, not locked out.
        assert through_proxy("41.73.0.1", PASSWORD).status_code == 429
        assert through_proxy("41.73.0.3", PASSWORD).status_code == 302


# Nothing tells whether a user exists ----------------------------------------------------------


def test_a_wrong_password_reads_the_same_for_a_known_and_an_unknown_user(cast):
    known = cast.user(Role.CHW, "a")  # "chw-a"
    unknown = "chw-z"
    assert not User.objects.filter(username=unknown).exists()
    first = _login(Client(), known.username, "wrong", "10.0.4.1")
    second = _login(Client(), unknown, "wrong", "10.0.4.2")
    assert first.status_code == second.status_code == 200
    assert _same_page(first.content.decode(), known.username) == _same_page(
        second.content.decode(), unknown
    )


def test_a_lockout_reads_the_same_for_a_known_and_an_unknown_user(cast):
    known = cast.user(Role.CHW, "a")
    unknown = "chw-z"
    responses = []
    for username, address in ((known.username, "10.0.5.1"), (unknown, "10.0.5.2")):
        for _attempt in range(5):
            _login(Client(), username, "wrong", address)
        responses.append(_login(Client(), username, "wrong", address))
    first, second = responses
    assert first.status_code == second.status_code == 429
    assert first["Retry-After"] == second["Retry-After"] == "3600"
    body = first.content.decode()
    assert known.username not in body
    assert _same_page(body, known.username) == _same_page(second.content.decode(), unknown)


def test_the_api_answers_the_same_for_a_bad_token_and_a_token_of_a_deactivated_user(cast):
    user = cast.user(Role.CHW, "a")
    _token, key = services.token_create(actor=user, user=user, name="phone")
    user.is_active = False
    user.save(update_fields=["is_active"])
    bad = Client(HTTP_AUTHORIZATION="Bearer jgy_" + "x" * 43).get("/api/v1/me")
    revoked = Client(HTTP_AUTHORIZATION=f"Bearer {key}").get("/api/v1/me")
    assert bad.status_code == revoked.status_code == 401
    assert bad.json() == revoked.json()


def test_the_api_answers_the_same_for_a_user_outside_ones_places_and_no_user(cast):
    admin = cast.user(Role.ADMIN, "a")
    outside = cast.user(Role.CHW, "b")
    client = Client()
    client.force_login(admin)
    hidden = client.get(f"/api/v1/users/{outside.pk}")
    missing = client.get("/api/v1/users/00000000-0000-4000-8000-000000000000")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


# Rate limits ---------------------------------------------------------------------------------


def test_the_login_page_takes_so_many_attempts_a_minute_from_one_address(cast, settings):
    settings.LOGIN_RATE_LIMIT = "3/min"
    user = cast.user(Role.CHW, "a")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _attempt in range(3):
            assert _login(Client(), "someone", "wrong", "10.0.6.1").status_code == 200
        refused = _login(Client(), user.username, PASSWORD, "10.0.6.1")
        assert refused.status_code == 429
        assert refused["Retry-After"] == "60"
        # Another address is not limited.
        assert _login(Client(), user.username, PASSWORD, "10.0.6.2").status_code == 302
    with time_machine.travel(start + datetime.timedelta(seconds=61), tick=False):
        assert _login(Client(), user.username, PASSWORD, "10.0.6.1").status_code == 302


def test_the_api_takes_so_many_calls_a_minute_from_one_user(cast, settings):
    settings.API_RATE_LIMIT = "2/min"
    user = cast.user(Role.CHW, "a")
    _token, key = services.token_create(actor=user, user=user, name="phone")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert [client.get("/api/v1/me").status_code for _call in range(2)] == [200, 200]
        refused = client.get("/api/v1/me")
        assert refused.status_code == 429
        assert refused["Retry-After"] == "60"
        assert refused.json() == {
            "error": {
                "code": "throttled",
                "message": _("Too many requests. Wait a moment, then try again."),
                "fields": {},
            }
        }
        other = cast.user(Role.CHW, "b")
        _token, other_key = services.token_create(actor=other, user=other, name="phone")
        other_client = Client(HTTP_AUTHORIZATION=f"Bearer {other_key}")
        assert other_client.get("/api/v1/me").status_code == 200
    with time_machine.travel(start + datetime.timedelta(seconds=61), tick=False):
        assert client.get("/api/v1/me").status_code == 200


def test_the_rate_limits_count_in_the_database_cache_shared_by_every_process(settings):
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"


# Passwords -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("Court-9ab", "Ce mot de passe est trop court. Il doit contenir au minimum 10 caractères."),
        ("4829173650", "Ce mot de passe est entièrement numérique."),
        ("password123", "Ce mot de passe est trop courant."),
        ("relais.nouveau1", "Le mot de passe est trop semblable au champ «\xa0identifiant\xa0»."),
    ],
)
def test_a_weak_password_is_refused_naming_the_field(cast, admin_user, password, problem):
    count = User.objects.count()
    with pytest.raises(ValidationError) as info:
        services.user_create(
            actor=admin_user,
            username="relais.nouveau",
            password=password,
            role=Role.CHW,
            place=cast.community_a,
        )
    assert info.value.message_dict == {"password": [problem]}
    assert User.objects.count() == count


def test_changing_ones_password_to_the_current_one_is_refused(cast):
    user = cast.user(Role.CHW, "a")
    client = Client()
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["new_password2"] == [_("The new password must differ from the current one.")]
    before = user.password
    user.refresh_from_db()
    assert user.password == before


def test_an_administrator_cannot_set_the_current_password_again(cast, admin_user):
    user = cast.user(Role.CHW, "a")
    with pytest.raises(ValidationError) as info:
        services.user_set_password(actor=admin_user, user=user, password=PASSWORD)
    assert list(info.value.message_dict) == ["password"]
    user.refresh_from_db()
    assert user.must_change_password is False


# A password an administrator gave is replaced at first login ---------------------------------


def _created_by_admin(cast, admin_user):
    return services.user_create(
        actor=admin_user,
        username="relais.nouveau",
        password="Donne-par-admin-1",
        role=Role.CHW,
        place=cast.community_a,
    )


def test_a_new_user_must_choose_a_password_before_anything_else(cast, admin_user):
    user = _created_by_admin(cast, admin_user)
    assert user.must_change_password is True
    client = Client()
    response = _login(client, "relais.nouveau", "Donne-par-admin-1")
    assert response.status_code == 302
    change = reverse("accounts:password_change")
    for path in ("/", "/places/", reverse("accounts:profile"), reverse("accounts:user_list")):
        assert client.get(path)["Location"] == change, path
    assert client.post(reverse("accounts:token_create"), {"name": "x"})["Location"] == change
    assert ApiToken.objects.filter(user=user).count() == 0
    api = client.get("/api/v1/me")
    assert api.status_code == 403
    assert api.json()["error"]["code"] == "password_change_required"
    page = client.get(change)
    assert page.status_code == 200
    notice = _("Your password was given to you by an administrator. Choose your own to continue.")
    assert notice in page.content.decode()


def test_choosing_a_new_password_lets_the_user_in(cast, admin_user):
    _created_by_admin(cast, admin_user)
    client = Client()
    _login(client, "relais.nouveau", "Donne-par-admin-1")
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "Donne-par-admin-1",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="relais.nouveau")
    assert user.must_change_password is False
    assert user.check_password(NEW_PASSWORD)
    assert client.get("/").status_code == 200  # still logged in, now let through
    assert client.get("/api/v1/me").status_code == 200


def test_keeping_the_given_password_is_refused_and_the_user_stays_held(cast, admin_user):
    _created_by_admin(cast, admin_user)
    client = Client()
    _login(client, "relais.nouveau", "Donne-par-admin-1")
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "Donne-par-admin-1",
            "new_password1": "Donne-par-admin-1",
            "new_password2": "Donne-par-admin-1",
        },
    )
    assert response.status_code == 200
    assert User.objects.get(username="relais.nouveau").must_change_password is True
    assert client.get("/")["Location"] == reverse("accounts:password_change")


def test_an_administrators_reset_makes_the_person_choose_again(cast, admin_user):
    user = cast.user(Role.CHW, "a")
    services.user_set_password(actor=admin_user, user=user, password="Remis-par-admin-2")
    user.refresh_from_db()
    assert user.must_change_password is True
    # Resetting one's own password through the same page does not hold oneself.
    services.user_set_password(actor=admin_user, user=admin_user, password="Mon-propre-mdp-3")
    admin_user.refresh_from_db()
    assert admin_user.must_change_password is False


def test_an_api_token_works_while_its_owner_must_change_the_password(cast, admin_user):
    user = cast.user(Role.CHW, "a")
    _token, key = services.token_create(actor=user, user=user, name="phone")
    services.user_set_password(actor=admin_user, user=user, password="Remis-par-admin-2")
    response = Client(HTTP_AUTHORIZATION=f"Bearer {key}").get("/api/v1/me")
    assert response.status_code == 200


def test_the_demo_logins_are_not_held(db):
    from jigiya.accounts import demo
    from jigiya.places import demo as places_demo

    admin = demo.load_admin()
    places_demo.load(admin=admin)
    users = demo.load(admin=admin)
    assert [user.must_change_password for user in users] == [False] * len(demo.DEMO_USERS)


def test_the_django_admin_logs_in_through_the_same_door(db):
    response = Client().get("/django-admin/login/?next=/django-admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/django-admin/"
