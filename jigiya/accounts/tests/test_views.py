from django.urls import reverse

from jigiya.accounts.models import ApiToken, User
from jigiya.accounts.roles import Role
from jigiya.accounts.tests.factories import PASSWORD


def _login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_login_with_the_right_password_lands_on_home(cast, client):
    user = cast.user(Role.CHW, "a")
    response = _login(client, user.username, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_a_wrong_password_is_refused_with_a_message(cast, client):
    user = cast.user(Role.CHW, "a")
    response = _login(client, user.username, "wrong")
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(cast, client, settings):
    user = cast.user(Role.CHW, "a")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _login(client, user.username, "wrong")
    response = _login(client, user.username, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another account from the same address is not locked.
    other = cast.user(Role.CHW, "b")
    assert _login(client, other.username, PASSWORD).status_code == 302


def test_the_demo_logins_show_on_the_login_page_only_in_demo_mode(db, client, settings):
    settings.DEMO_MODE = True
    assert "relais.sotuba" in client.get(reverse("accounts:login")).content.decode()
    settings.DEMO_MODE = False
    assert "relais.sotuba" not in client.get(reverse("accounts:login")).content.decode()


def test_password_change(cast, client):
    user = cast.user(Role.CHW, "a")
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Nouveau-mot-2026",
            "new_password2": "Nouveau-mot-2026",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Nouveau-mot-2026")


def test_a_token_key_is_shown_once(cast, client):
    user = cast.user(Role.CHW, "a")
    client.force_login(user)
    response = client.post(reverse("accounts:token_create"), {"name": "Tecno phone"})
    assert response.status_code == 302
    first = client.get(reverse("accounts:profile")).content.decode()
    token = ApiToken.objects.get(user=user)
    assert 'id="new-token"' in first and token.hint in first
    second = client.get(reverse("accounts:profile")).content.decode()
    assert 'id="new-token"' not in second


def test_user_create_form_with_missing_fields_names_them_and_creates_nothing(
    cast, admin_user, client
):
    client.force_login(admin_user)
    count = User.objects.count()
    response = client.post(reverse("accounts:user_create"), {"username": "", "role": "chw"})
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"username", "password", "place", "language"}
    assert User.objects.count() == count


def test_user_create_form_refuses_a_place_outside_the_admins_places(cast, client):
    local_admin = cast.user(Role.ADMIN, "a")
    client.force_login(local_admin)
    count = User.objects.count()
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "new",
            "password": "Sotuba-2026-ok",
            "role": "chw",
            "language": "fr",
            "place": str(cast.community_b.pk),
        },
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["place"]
    assert User.objects.count() == count


def test_user_list_shows_only_users_of_the_admins_places(cast, client):
    cast.user(Role.CHW, "a")
    cast.user(Role.CHW, "b")
    client.force_login(cast.user(Role.ADMIN, "a"))
    body = client.get(reverse("accounts:user_list")).content.decode()
    assert "chw-a" in body
    assert "chw-b" not in body
