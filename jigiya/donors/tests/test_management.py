import datetime

import pytest
from django.core.exceptions import ValidationError

from jigiya.accounts.roles import Role
from jigiya.core.models import AuditEntry
from jigiya.donors import services
from jigiya.donors.models import Donor, DonorUser, Funding

START = datetime.date(2025, 1, 1)


@pytest.fixture
def donor(admin_user):
    return services.donor_create(actor=admin_user, name="Fondation", code="FND")


def _counts():
    return (
        Donor.objects.count(),
        Funding.objects.count(),
        DonorUser.objects.count(),
        AuditEntry.objects.count(),
    )


def test_a_program_manager_creates_a_donor_and_funds_a_program_in_their_place(cast, client):
    manager = cast.user(Role.PROGRAM_MANAGER, "a")
    client.force_login(manager)
    response = client.post("/indicators/donors/manage/new/", {"name": "Aide", "code": "AIDE"})
    donor = Donor.objects.get(code="AIDE")
    assert response.status_code == 302
    assert response["Location"] == f"/indicators/donors/{donor.pk}/manage/"
    response = client.post(
        f"/indicators/donors/{donor.pk}/fundings/new/",
        {"program": "health", "place": "A", "start": "2025-01-01", "end": "2025-12-31"},
    )
    assert response.status_code == 302
    funding = Funding.objects.get(donor=donor)
    assert (funding.program, funding.place, funding.start, funding.end) == (
        "health",
        cast.community_a,
        START,
        datetime.date(2025, 12, 31),
    )
    assert funding.created_by == manager
    assert sorted(AuditEntry.objects.values_list("model", flat=True)) == [
        "donors.donor",
        "donors.funding",
    ]
    page = client.get(f"/indicators/donors/{donor.pk}/manage/")
    assert list(page.context["fundings"]) == [funding]
    assert [d.code for d in client.get("/indicators/donors/manage/").context["donors"]] == ["AIDE"]


def test_editing_a_donor_and_ending_a_funding_are_audited(cast, client, admin_user, donor):
    funding = services.funding_add(
        actor=admin_user, donor=donor, program="quality", place=cast.community_a, start=START
    )
    client.force_login(cast.user(Role.ADMIN, "a"))
    response = client.post(
        f"/indicators/donors/{donor.pk}/edit/", {"name": "Fondation X", "code": "FNDX"}
    )
    assert response.status_code == 302
    donor.refresh_from_db()
    assert (donor.name, donor.code, donor.is_active) == ("Fondation X", "FNDX", False)
    response = client.post(f"/indicators/fundings/{funding.pk}/end/", {"end": "2025-06-30"})
    assert response.status_code == 302
    funding.refresh_from_db()
    assert funding.end == datetime.date(2025, 6, 30)
    entries = AuditEntry.objects.filter(action="update").values_list("model", flat=True)
    assert sorted(entries) == ["donors.donor", "donors.funding"]


@pytest.mark.parametrize(
    "data, field",
    [
        ({"program": "health", "place": "A", "start": "2025-06-01", "end": "2025-05-31"}, "end"),
        ({"program": "health", "place": "B", "start": "2025-06-01"}, "place"),
        ({"program": "health", "place": "NOPE", "start": "2025-06-01"}, "place"),
        ({"program": "astrology", "place": "A", "start": "2025-06-01"}, "program"),
        ({"program": "health", "place": "A", "start": "2025-13-01"}, "start"),
    ],
)
def test_bad_fundings_are_refused_on_their_field_and_change_nothing(
    cast, client, donor, data, field
):
    client.force_login(cast.user(Role.PROGRAM_MANAGER, "a"))
    before = _counts()
    response = client.post(f"/indicators/donors/{donor.pk}/fundings/new/", data)
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert _counts() == before


def test_services_refuse_bad_input_on_the_field(cast, admin_user, donor):
    manager = cast.user(Role.PROGRAM_MANAGER, "a")
    before = _counts()
    cases = [
        ({"program": "health", "place": cast.community_b, "start": START}, "place"),
        ({"program": "nope", "place": cast.community_a, "start": START}, "program"),
        (
            {
                "program": "health",
                "place": cast.community_a,
                "start": START,
                "end": datetime.date(2024, 12, 31),
            },
            "end",
        ),
    ]
    for kwargs, field in cases:
        with pytest.raises(ValidationError) as raised:
            services.funding_add(actor=manager, donor=donor, **kwargs)
        assert list(raised.value.error_dict) == [field]
    assert _counts() == before


def test_ending_a_funding_before_its_start_is_refused(cast, client, admin_user, donor):
    funding = services.funding_add(
        actor=admin_user, donor=donor, program="quality", place=cast.community_a, start=START
    )
    client.force_login(cast.user(Role.PROGRAM_MANAGER, "a"))
    before = _counts()
    response = client.post(f"/indicators/fundings/{funding.pk}/end/", {"end": "2024-12-31"})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["end"]
    funding.refresh_from_db()
    assert funding.end is None
    assert _counts() == before


def test_linking_a_partner_login(cast, client, admin_user, donor):
    partner = cast.user(Role.PARTNER, "a")
    outsider = cast.user(Role.PARTNER, "b")
    chw = cast.user(Role.CHW, "a")
    client.force_login(cast.user(Role.PROGRAM_MANAGER, "a"))
    url = f"/indicators/donors/{donor.pk}/users/new/"
    assert list(client.get(url).context["form"].fields["user"].queryset) == [partner]
    before = _counts()
    for refused in (outsider, chw):
        response = client.post(url, {"user": refused.pk})
        assert response.status_code == 400
        assert list(response.context["form"].errors) == ["user"]
    assert _counts() == before
    with pytest.raises(ValidationError) as raised:
        services.donor_user_link(actor=cast.user(Role.PROGRAM_MANAGER, "a"), user=chw, donor=donor)
    assert list(raised.value.error_dict) == ["user"]
    assert client.post(url, {"user": partner.pk}).status_code == 302
    assert DonorUser.objects.get(user=partner).donor == donor
    assert AuditEntry.objects.filter(model="donors.donoruser").count() == 1


def test_only_managers_manage_and_only_in_their_places(cast, client, admin_user, donor):
    outside = services.donor_create(actor=admin_user, name="Donor Far", code="FAR")
    funding_b = services.funding_add(
        actor=admin_user, donor=outside, program="health", place=cast.community_b, start=START
    )
    for role in (Role.ME_OFFICER, Role.PARTNER, Role.CHW):
        client.force_login(cast.user(role, "a"))
        assert client.get("/indicators/donors/manage/").status_code == 403
        assert (
            client.post("/indicators/donors/manage/new/", {"name": "X", "code": "X"}).status_code
            == 403
        )
    client.force_login(cast.user(Role.PROGRAM_MANAGER, "a"))
    listed = [d.code for d in client.get("/indicators/donors/manage/").context["donors"]]
    assert listed == ["FND"]  # funds nothing yet: any manager may take it up
    before = _counts()
    assert client.get(f"/indicators/donors/{outside.pk}/manage/").status_code == 404
    assert (
        client.post(
            f"/indicators/donors/{outside.pk}/edit/", {"name": "H", "code": "H"}
        ).status_code
        == 404
    )
    assert (
        client.post(f"/indicators/fundings/{funding_b.pk}/end/", {"end": "2025-02-01"}).status_code
        == 404
    )
    assert _counts() == before
    outside.refresh_from_db()
    assert outside.name == "Donor Far"


def test_the_manage_list_costs_a_fixed_number_of_queries(
    cast, client, admin_user, django_assert_max_num_queries
):
    client.force_login(cast.user(Role.PROGRAM_MANAGER, "a"))
    for n in range(12):
        donor = services.donor_create(actor=admin_user, name=f"D{n}", code=f"D{n}")
        services.funding_add(
            actor=admin_user, donor=donor, program="health", place=cast.community_a, start=START
        )
    with django_assert_max_num_queries(8):
        response = client.get("/indicators/donors/manage/")
    assert len(response.context["donors"]) == 12
