"""The budget alerts in the header of every page (an unread count for who pays, one COUNT; no
query for anyone else) and on `/care/alerts/`: one notice or all marked read, only one's own;
a re-armed alert says so."""

import datetime
import uuid

from django.db import connection
from django.test.utils import CaptureQueriesContext

from jigiya.accounts.roles import Role
from jigiya.care import services
from jigiya.care.models import Budget, BudgetNotice

D = datetime.date


def _badge(n):
    return f'<span class="badge off">{n}<span class="visually-hidden"> unread</span></span>'


def _two_alerts(world):
    """The 80 % alert, then a raise that re-arms it and a second crossing: two notices each."""
    budget = services.budget_set(
        actor=world.manager, health_center=world.center, scheme=world.scheme,
        start=D(2026, 1, 1), end=D(2026, 12, 31), amount=10_000,
    )  # fmt: skip
    for day, amount in ((D(2026, 11, 3), 8500), (D(2026, 10, 3), 3400)):
        line = world.line(day=day, amount=amount)
        services.claim_verify(actor=world.verifier, claim=line.claim)
        services.claim_approve(actor=world.verifier, claim=line.claim)
        if amount == 8500:
            services.budget_edit(
                actor=world.manager, budget=budget, amount=14_000, end=D(2026, 12, 31),
                over_budget="refuse", reason="Donor top-up",
            )  # fmt: skip
    return budget


def _unread(user):
    return BudgetNotice.objects.filter(user=user, read_at=None).count()


def test_the_header_counts_unread_alerts_and_the_page_marks_them_read(world, client):
    admin = world.cast.user(Role.ADMIN, "above")  # another who pays, there before the alerts
    _two_alerts(world)
    client.force_login(world.manager)
    assert _badge(2) in client.get("/care/").content.decode()
    page = client.get("/care/alerts/").content.decode()
    assert "Soins gratuits at CSCom A: 80 % of the budget reached (8\xa0500\xa0FCFA of " \
        "10\xa0000\xa0FCFA)." in page  # fmt: skip
    assert "Re-armed on " in page and ": the budget was raised to 14\xa0000\xa0FCFA." in page
    assert "(11\xa0900\xa0FCFA of 14\xa0000\xa0FCFA)" in page
    assert page.count("Mark as read") == 2
    # One marked read: the header says 1.
    first = BudgetNotice.objects.filter(user=world.manager).order_by("created_at").first()
    assert client.post("/care/alerts/", {"notice": str(first.pk)}).status_code == 302
    assert BudgetNotice.objects.get(pk=first.pk).read_at is not None
    assert _unread(world.manager) == 1
    assert _badge(1) in client.get("/care/").content.decode()
    # Another's notice, or a malformed id: nothing changes.
    theirs = BudgetNotice.objects.filter(user=admin).first()
    assert client.post("/care/alerts/", {"notice": str(theirs.pk)}).status_code == 302
    assert client.post("/care/alerts/", {"notice": "not-an-id"}).status_code == 400
    assert client.post("/care/alerts/", {"notice": str(uuid.uuid4())}).status_code == 302
    assert (_unread(world.manager), _unread(admin)) == (1, 2)
    # All read: no count in the header, no button.
    assert client.post("/care/alerts/").status_code == 302
    assert (_unread(world.manager), _unread(admin)) == (0, 2)
    home = client.get("/care/").content.decode()
    assert 'href="/care/alerts/">Budget alerts</a>' in home
    assert "Mark all as read" not in client.get("/care/alerts/").content.decode()


def test_the_care_home_shows_only_the_alerts_in_force(world, client):
    _two_alerts(world)
    client.force_login(world.manager)
    home = client.get("/care/").content.decode()
    assert "80 % of the budget reached (11\xa0900\xa0FCFA of 14\xa0000\xa0FCFA)." in home
    assert "(8\xa0500\xa0FCFA of 10\xa0000\xa0FCFA)" not in home  # re-armed since
    scheme = client.get(f"/care/schemes/{world.scheme.pk}/").content.decode()
    assert "The alert at 80 % is re-armed." in scheme
    assert Budget.objects.get().amount == 14_000


def _notice_queries(client, user):
    client.force_login(user)
    client.get("/care/")  # the session warm
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/care/").status_code == 200
    return [q["sql"] for q in queries if "care_budgetnotice" in q["sql"]]


def test_the_header_count_is_one_query_for_who_pays_and_none_for_others(world, client):
    _two_alerts(world)
    counts = _notice_queries(client, world.manager)
    assert len(counts) == 1 and counts[0].startswith("SELECT COUNT(*)")
    assert _notice_queries(client, world.staff) == []  # sees care, not the alerts
    assert _notice_queries(client, world.verifier) == []
