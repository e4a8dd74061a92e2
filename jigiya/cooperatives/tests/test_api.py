import uuid

from jigiya.cooperatives.models import Batch, Cooperative, Member, Payment, Sale, StockLevel
from jigiya.cooperatives.tests.conftest import person

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def post(client, path, body):
    return client.post(f"/api/v1{path}", body, content_type="application/json", **EN)


def test_a_cooperative_is_created_once_and_another_body_with_its_id_conflicts(cast, client):
    from jigiya.accounts.roles import Role

    client.force_login(cast.user(Role.COOPERATIVE_MANAGER, "a"))
    body = {"id": str(uuid.uuid4()), "name": "Benkadi savon", "activity": "soap",
            "formed_on": "2024-02-01"}  # fmt: skip
    path = f"/places/{cast.community_a.pk}/cooperatives"
    assert post(client, path, body).status_code == 201
    again = post(client, path, body)
    assert again.status_code == 200
    assert again.json()["name"] == "Benkadi savon"
    conflict = post(client, path, {**body, "activity": "masks"})
    assert conflict.status_code == 409
    assert Cooperative.objects.count() == 1


def test_a_batch_and_a_sale_through_the_api_are_idempotent(world, client):
    client.force_login(world.manager)
    batch = {
        "id": str(uuid.uuid4()), "product_id": str(world.mask.pk), "quantity": 10,
        "made_on": "2024-06-29", "workers": [{"member_id": str(world.members[2].pk)}],
    }  # fmt: skip
    path = f"/cooperatives/{world.coop.pk}"
    assert post(client, f"{path}/batches", batch).status_code == 201
    assert post(client, f"{path}/batches", batch).status_code == 200
    assert Batch.objects.count() == 1
    sale = {
        "id": str(uuid.uuid4()), "sold_on": "2024-06-30", "paid": 1000,
        "lines": [{"product_id": str(world.mask.pk), "quantity": 2}],
    }  # fmt: skip
    first = post(client, f"{path}/sales", sale)
    assert (first.status_code, first.json()["total"], first.json()["owed"]) == (201, 2000, 1000)
    assert post(client, f"{path}/sales", sale).status_code == 200
    assert post(client, f"{path}/sales", {**sale, "paid": 0}).status_code == 409
    assert Sale.objects.count() == 1
    assert StockLevel.objects.get(product=world.mask).quantity == 8
    detail = client.get(f"/api/v1{path}", **EN).json()
    assert {row["name"]: row["quantity"] for row in detail["stock"]} == {
        "Adult mask": 8, "Child mask": 0, "Elastic": 1600, "Fabric": 750,
    }  # fmt: skip


def test_bad_input_through_the_api_is_refused_with_the_field_and_nothing_changes(world, client):
    client.force_login(world.manager)
    path = f"/cooperatives/{world.coop.pk}"
    sale = {
        "id": str(uuid.uuid4()), "sold_on": "2024-06-30",
        "lines": [{"product_id": str(world.mask.pk), "quantity": 1}],
    }  # fmt: skip
    refused = post(client, f"{path}/sales", sale)
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"] == {
        "lines.0": ["Only 0 piece of Adult mask in stock; 1 asked."]
    }
    fraction = post(client, f"{path}/sales", {**sale, "lines": [
        {"product_id": str(world.mask.pk), "quantity": 1.5}]})  # fmt: skip
    assert fraction.status_code == 422
    twice = post(client, f"{path}/members", {
        "id": str(uuid.uuid4()), "person_id": str(world.members[0].person_id),
        "joined_on": "2024-01-01",
    })  # fmt: skip
    assert twice.status_code == 400
    assert twice.json()["error"]["fields"] == {"person": ["Awa Coulibaly is already a member."]}
    assert (Sale.objects.count(), Member.objects.count(), Payment.objects.count()) == (0, 3, 0)


def test_a_member_is_added_through_the_api(world, client, cast):
    client.force_login(world.manager)
    woman = person(cast.community_a, "Salimata")
    body = {"id": str(uuid.uuid4()), "person_id": str(woman.pk), "joined_on": "2024-05-01",
            "role": "secretary", "skills": "teinture"}  # fmt: skip
    response = post(client, f"/cooperatives/{world.coop.pk}/members", body)
    assert response.status_code == 201
    assert response.json()["role"] == "secretary"
    assert post(client, f"/cooperatives/{world.coop.pk}/members", body).status_code == 200


def test_a_count_through_the_api_is_approved_once_by_a_second_officer(world, cast, client):
    from jigiya.accounts.roles import Role
    from jigiya.cooperatives.models import StockCount, StockEntry

    world.batch(10)
    client.force_login(world.manager)
    body = {
        "id": str(uuid.uuid4()), "counted_on": "2024-06-29",
        "lines": [{"product_id": str(world.mask.pk), "counted": 7}],
    }  # fmt: skip
    path = f"/cooperatives/{world.coop.pk}/counts"
    first = post(client, path, body)
    assert (first.status_code, first.json()["lines"]) == (
        201, [{"product_id": str(world.mask.pk), "expected": 10, "counted": 7, "difference": -3}],
    )  # fmt: skip
    assert post(client, path, body).status_code == 200
    count = StockCount.objects.get()
    entries = StockEntry.objects.count()
    approve = f"/cooperatives/counts/{count.pk}/approve"
    refused = post(client, approve, {})
    assert refused.status_code == 400
    assert StockEntry.objects.count() == entries
    client.force_login(cast.user(Role.PROGRAM_MANAGER, "a"))
    done = post(client, approve, {})
    assert (done.status_code, done.json()["status"]) == (200, "approved")
    again = post(client, approve, {})  # a retry: the same answer, nothing more posted
    assert (again.status_code, again.json()["entry_id"]) == (200, done.json()["entry_id"])
    assert StockEntry.objects.count() == entries + 1
    assert StockLevel.objects.get(product=world.mask).quantity == 7


def test_a_preparing_group_through_the_api(world, cast, client):
    client.force_login(world.manager)
    body = {"id": str(uuid.uuid4()), "name": "Muso Jigi", "activity": "peanut_butter",
            "women": 14, "stage": "interest", "since": "2024-04-01"}  # fmt: skip
    made = post(client, f"/places/{cast.community_a.pk}/preparing-groups", body)
    assert (made.status_code, made.json()["women"]) == (201, 14)
    moved = post(
        client, f"/cooperatives/preparing-groups/{body['id']}/stages",
        {"stage": "formed", "on": "2024-06-01", "cooperative_id": str(world.coop.pk)},
    )  # fmt: skip
    assert (moved.json()["stage"], moved.json()["cooperative_id"]) == ("formed", str(world.coop.pk))
