"""The new-user page: no role chosen in advance, and the first-login password change offered
(ticked) and enforced."""

import re

from django.urls import reverse

from jigiya.accounts.models import Assignment, User


def _post(client, cast, **extra):
    data = {
        "username": "awa.coulibaly",
        "first_name": "Awa",
        "last_name": "Coulibaly",
        "password": "Sotuba-2026-ok",
        "language": "fr",
        "place": str(cast.community_a.pk),
        **extra,
    }
    return client.post(reverse("accounts:user_create"), data)


def test_the_role_starts_unchosen_and_the_password_change_ticked(cast, admin_user, client):
    client.force_login(admin_user)
    response = client.get(reverse("accounts:user_create"))
    form = response.context["form"]
    assert form["role"].value() is None
    assert form.fields["role"].choices[0][0] == ""
    body = response.content.decode()
    assert '<option value="" selected>' in body
    assert '<option value="admin" selected>' not in body
    assert re.search(r'<input type="checkbox" name="must_change_password"[^>]* checked>', body)


def test_a_user_without_a_role_is_refused_and_nothing_is_created(cast, admin_user, client):
    client.force_login(admin_user)
    count = User.objects.count(), Assignment.objects.count()
    response = _post(client, cast, must_change_password="on")
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["role"]
    assert (User.objects.count(), Assignment.objects.count()) == count


def test_a_new_account_must_change_its_password_at_first_login(cast, admin_user, client):
    client.force_login(admin_user)
    response = _post(client, cast, role="chw", must_change_password="on")
    assert response.status_code == 302
    user = User.objects.get(username="awa.coulibaly")
    assert user.must_change_password is True
    client.logout()
    login = client.post(
        reverse("accounts:login"), {"username": "awa.coulibaly", "password": "Sotuba-2026-ok"}
    )
    assert login.status_code == 302
    home = client.get(reverse("web:home"))
    assert (home.status_code, home["Location"]) == (302, reverse("accounts:password_change"))


def test_unticked_the_account_works_at_once(cast, admin_user, client):
    client.force_login(admin_user)
    assert _post(client, cast, role="chw").status_code == 302
    user = User.objects.get(username="awa.coulibaly")
    assert user.must_change_password is False
    client.force_login(user)
    assert client.get(reverse("web:home")).status_code == 200
