"""The pages that write, as the health center, the verifier and the manager use them."""

import datetime
import io
import uuid

from openpyxl import load_workbook

from jigiya.care.models import CareLine, Claim, PaymentEntry

D = datetime.date
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_a_health_center_records_a_line_and_a_manager_verifies_approves_and_pays(world, client):
    client.force_login(world.staff)
    url = f"/care/centers/{world.center.pk}/lines/new/"
    assert client.get(url, **EN).status_code == 200
    body = {"person": world.child.pk, "day": "2026-11-03", "service": "consultation",
            "amount": "2500"}  # fmt: skip
    response = client.post(url, body, **EN)
    line = CareLine.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/care/claims/{line.claim_id}/"
    refused = client.post(url, body, **EN)  # the same line again: a duplicate
    assert refused.status_code == 400
    assert "A duplicate: Consultation for Fanta Diarra on 2026-11-03" in refused.content.decode()
    assert CareLine.objects.count() == 1
    client.force_login(world.verifier)
    claim_url = f"/care/claims/{line.claim_id}/"
    client.post(claim_url + "verify/", **EN)
    client.post(claim_url + "approve/", **EN)
    claim = Claim.objects.get()
    assert (claim.status, claim.approved_amount) == ("approved", 2500)
    client.force_login(world.manager)
    pay = {"paid_on": "2026-12-03", "amount": "2500", "method": "orange_money", "reference": ""}
    refused = client.post(claim_url + "pay/", pay, **EN)
    assert "Give the reference of the Orange Money transfer." in refused.content.decode()
    assert PaymentEntry.objects.count() == 0
    client.post(claim_url + "pay/", {**pay, "reference": "OM-1"}, **EN)
    assert Claim.objects.get().status == "paid"
    page = client.get(claim_url, **EN).content.decode()
    assert "2\xa0500\xa0FCFA" in page and "OM-1" in page


def test_the_staff_cannot_verify_nor_pay(world, client):
    line = world.line()
    client.force_login(world.staff)
    assert client.post(f"/care/claims/{line.claim_id}/verify/").status_code == 403
    assert client.get(f"/care/claims/{line.claim_id}/pay/").status_code == 403
    assert CareLine.objects.get().status == "pending"


def test_the_statement_in_xlsx_and_printable(world, client):
    line = world.line(amount=4000)
    client.force_login(world.verifier)
    response = client.get(f"/care/claims/{line.claim_id}/statement.xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("row", "date", "beneficiary")
    assert rows[1][1:3] == ("2026-11-03", "Fanta Diarra")
    assert rows[-1][2] == "TOTAL" and rows[-1][6] == 4000
    page = client.get(f"/care/claims/{line.claim_id}/statement/", **EN)
    assert page.status_code == 200 and "data-print" in page.content.decode()


def test_an_upload_page_lists_the_rejected_rows(world, client):
    from jigiya.care.tests.test_uploads import _book

    data = _book([(str(world.child.pk), "F", D(2026, 11, 5), "transport", 1000)])
    client.force_login(world.staff)
    upload = io.BytesIO(data)
    upload.name = "month.xlsx"
    response = client.post(f"/care/centers/{world.center.pk}/upload/", {"file": upload}, **EN)
    text = response.content.decode()
    assert response.status_code == 200
    assert (
        '<td class="num">2</td><td>Referral transport is not covered by Soins gratuits.</td>'
        in text
    )


def test_the_person_page_shows_coverage_and_history(world, client):
    world.line()
    client.force_login(world.decider)
    page = client.get(f"/registry/people/{world.child.pk}/", **EN).content.decode()
    assert "Soins gratuits" in page and "Decide coverage" in page
    page = client.get(f"/care/people/{world.child.pk}/", **EN).content.decode()
    assert "Least access: free" in page and "2\xa0500\xa0FCFA" in page


def test_the_api_records_a_line_once_per_client_uuid(world, client):
    client.force_login(world.staff)
    key = uuid.uuid4()
    body = {"id": str(key), "person_id": str(world.child.pk), "day": "2026-11-03",
            "service": "consultation", "amount": 2500}  # fmt: skip
    url = f"/api/v1/care/centers/{world.center.pk}/lines"
    first = client.post(url, body, content_type="application/json")
    again = client.post(url, body, content_type="application/json")
    other = client.post(url, {**body, "amount": 3000}, content_type="application/json")
    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 409)
    assert first.json()["covered"] == 2500 and again.json()["id"] == str(key)
    refused = client.post(
        url, {**body, "id": str(uuid.uuid4()), "service": "transport"},
        content_type="application/json", **EN,
    )  # fmt: skip
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"] == {
        "service": ["Referral transport is not covered by Soins gratuits."]
    }
    assert CareLine.objects.count() == 1


def test_a_manager_creates_a_scheme_and_sets_its_budget(world, client):
    client.force_login(world.manager)
    body = {
        "name": "Soins subventionnés", "place": world.cast.region.pk, "level": "subsidized",
        "covers_children": "on", "services": ["consultation", "tests"], "percent": "50",
        "ceiling": "", "health_centers": [world.center.pk], "valid_from": "2026-01-01",
        "valid_until": "", "funding": world.funding.pk,
    }  # fmt: skip
    response = client.post("/care/schemes/new/", body, **EN)
    from jigiya.care.models import Budget, Scheme

    scheme = Scheme.objects.get(name="Soins subventionnés")
    assert response["Location"] == f"/care/schemes/{scheme.pk}/"
    assert (scheme.percent, scheme.covers_pregnancies, scheme.services) == (
        50,
        False,
        ["consultation", "tests"],
    )
    budget = {"health_center": world.center.pk, "start": "2026-01-01", "end": "2026-12-31",
              "amount": "300000", "over_budget": "second_approval"}  # fmt: skip
    client.post(f"/care/schemes/{scheme.pk}/budgets/new/", budget, **EN)
    assert Budget.objects.get(scheme=scheme).amount == 300_000
    refused = client.post(f"/care/schemes/{scheme.pk}/budgets/new/", budget, **EN)
    assert refused.status_code == 400
    assert "Another budget of this scheme at this health center covers part" in (
        refused.content.decode()
    )
    page = client.get(f"/care/schemes/{scheme.pk}/", **EN).content.decode()
    assert "300\xa0000\xa0FCFA" in page


def test_the_staff_cannot_create_a_scheme_nor_a_budget(world, client):
    client.force_login(world.staff)
    assert client.get("/care/schemes/new/").status_code == 403
    assert client.get(f"/care/schemes/{world.scheme.pk}/budgets/new/").status_code == 403


def test_the_referral_closed_by_a_care_line_shows_on_the_persons_referrals(world, client):
    from jigiya.followup.models import Referral

    Referral.objects.create(
        person=world.child, health_center=world.center, referred_on=D(2026, 11, 1),
        reasons=["fever"], urgency="urgent",
    )  # fmt: skip
    from django.utils import translation

    with translation.override("en"):  # the outcome is written in the recorder's language
        world.line(day=D(2026, 11, 2))
    client.force_login(world.decider)
    page = client.get(f"/registry/people/{world.child.pk}/", **EN).content.decode()
    assert "Care covered: Consultation, 2\xa0500\xa0FCFA of 2\xa0500\xa0FCFA (care line)." in page


def test_a_manager_changes_a_budget_closes_the_scheme_and_reads_the_alerts(world, client):
    from jigiya.care import services
    from jigiya.care.models import Budget, BudgetNotice, Scheme

    budget = services.budget_set(
        actor=world.manager, health_center=world.center, scheme=world.scheme,
        start=D(2026, 1, 1), end=D(2026, 12, 31), amount=10_000,
    )  # fmt: skip
    client.force_login(world.manager)
    scheme_url = f"/care/schemes/{world.scheme.pk}/"
    page = client.get(scheme_url).content.decode()
    assert f"/care/budgets/{budget.pk}/edit/" in page and f"{scheme_url}close/" in page
    edit = f"/care/budgets/{budget.pk}/edit/"
    body = {"amount": "9000", "end": "2026-12-31", "over_budget": "refuse", "reason": "Cut"}
    assert client.post(edit, {**body, "reason": ""}).status_code == 400
    assert Budget.objects.get().amount == 10_000
    assert client.post(edit, body)["Location"] == scheme_url
    page = client.get(scheme_url).content.decode()
    assert Budget.objects.get().amount == 9000 and "Cut" in page
    line = world.line(amount=8000)
    services.claim_verify(actor=world.verifier, claim=line.claim)
    services.claim_approve(actor=world.verifier, claim=line.claim)
    assert 'href="/care/alerts/"' in client.get("/care/").content.decode()  # the header
    alerts = client.get("/care/alerts/").content.decode()
    assert "Soins gratuits at CSCom A: 80 % of the budget reached" in alerts
    assert client.post("/care/alerts/").status_code == 302
    assert BudgetNotice.objects.get(user=world.manager).read_at is not None
    close = {"valid_until": "2026-11-30", "reason": "Funding ended"}
    assert client.post(f"{scheme_url}close/", close)["Location"] == scheme_url
    assert Scheme.objects.get().valid_until == D(2026, 11, 30)


def test_the_staff_cannot_change_budgets_nor_close_schemes(world, client):
    from jigiya.care import services
    from jigiya.care.models import Budget, Scheme

    budget = services.budget_set(
        actor=world.manager, health_center=world.center, scheme=world.scheme,
        start=D(2026, 1, 1), end=D(2026, 12, 31), amount=10_000,
    )  # fmt: skip
    client.force_login(world.staff)
    body = {"amount": "9000", "end": "2026-12-31", "over_budget": "refuse", "reason": "Cut"}
    assert client.post(f"/care/budgets/{budget.pk}/edit/", body).status_code == 403
    close = {"valid_until": "2026-11-30", "reason": "Funding ended"}
    assert client.post(f"/care/schemes/{world.scheme.pk}/close/", close).status_code == 403
    assert Budget.objects.get().amount == 10_000 and Scheme.objects.get().valid_until is None
    assert 'href="/care/alerts/"' not in client.get("/care/").content.decode()
