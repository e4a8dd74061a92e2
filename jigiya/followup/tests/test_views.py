import datetime
import re
import uuid

import pytest
import time_machine
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from jigiya.followup import selectors, services
from jigiya.followup import services as followup_services
from jigiya.followup.models import ChildAssessment, Visit
from jigiya.registry import services as registry

NAMES = ["Moussa", "Seydou", "Bakary", "Lassana", "Oumar", "Yacouba"]


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2025, 6, 10, 9, 0), tick=False):
        yield


def _child(chw, household, name):
    child = registry.person_register(
        actor=chw, household=household, given_name=name, family_name="Coulibaly", sex="M",
        relationship="child", birth_date=datetime.date(2024, 1, 1),
    )  # fmt: skip
    followup_services.enrollment_start(
        actor=chw, person=child, program="child", start=datetime.date(2025, 6, 1)
    )
    services.visit_record(
        actor=chw, household=household, date=datetime.date(2025, 6, 5), people=[child.pk],
        children=[services.ChildCheckIn(person_id=child.pk, weight_kg=9, height_cm=76, muac_mm=130)],
    )  # fmt: skip
    return child


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_household_page_and_worklist_cost_fixed_queries(client, chw, household):
    client.force_login(chw)
    _child(chw, household, NAMES[0])
    small = (_count(client, household.get_absolute_url()), _count(client, "/followup/"))
    for name in NAMES[1:]:
        _child(chw, household, name)
    large = (_count(client, household.get_absolute_url()), _count(client, "/followup/"))
    assert small == large


def test_person_page_draws_the_growth_chart(client, chw, household):
    client.force_login(chw)
    child = _child(chw, household, NAMES[0])
    response = client.get(child.get_absolute_url())
    body = response.content.decode()
    assert body.count("<svg") == 2
    assert 'class="median"' in body and body.count('class="child"') == 2


def test_the_visit_form_refuses_an_impossible_muac(client, chw, household):
    client.force_login(chw)
    child = _child(chw, household, NAMES[0])
    response = client.post(
        f"/followup/people/{child.pk}/visit/",
        {"id": str(uuid.uuid4()), "date": "2025-06-10", "muac_mm": "400"},
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["muac_mm"]
    assert "400" in str(response.context["form"].errors["muac_mm"])
    assert Visit.objects.count() == 1  # the one `_child` recorded


def test_the_person_visit_page_sent_twice_records_one_visit(client, chw, household):
    client.force_login(chw)
    child = _child(chw, household, NAMES[0])
    url = f"/followup/people/{child.pk}/visit/"
    page = client.get(url)
    assert '<input type="hidden" name="id"' in page.content.decode()
    data = {"id": str(page.context["form"]["id"].value()), "date": "2025-06-10", "muac_mm": "131"}
    first = client.post(url, data)
    again = client.post(url, data)
    assert (first.status_code, again.status_code) == (302, 302)
    assert first["Location"] == again["Location"] == child.get_absolute_url()
    assert list(ChildAssessment.objects.values_list("visit__date", "muac_mm")) == [
        (datetime.date(2025, 6, 5), 130),
        (datetime.date(2025, 6, 10), 131),
    ]
    assert Visit.objects.count() == 2
    # Other content under the same id is a conflict, shown on the form (409, as every form
    # page shows a conflict: core.views.form_page): nothing is recorded.
    conflict = client.post(url, {**data, "muac_mm": "140"})
    assert conflict.status_code == 409
    assert list(conflict.context["form"].errors) == ["__all__"]
    assert Visit.objects.count() == 2
    assert ChildAssessment.objects.filter(muac_mm=140).count() == 0


def test_an_older_childs_page_offers_no_child_check(client, chw, household):
    client.force_login(chw)
    boy = registry.person_register(
        actor=chw, household=household, given_name="Moussa", family_name="Diarra", sex="M",
        relationship="child", birth_date=datetime.date(2020, 5, 9),  # 1858 days old
    )  # fmt: skip
    url = f"/followup/people/{boy.pk}/visit/"
    assert "muac_mm" not in client.get(url).context["form"].fields
    response = client.post(
        url,
        {"id": str(uuid.uuid4()), "date": "2025-06-10", "muac_mm": "140", "topics": ["hygiene"]},
    )
    assert response.status_code == 302
    assert ChildAssessment.objects.count() == 0
    assert list(Visit.objects.get().people.all()) == [boy]


def test_the_person_tasks_show_their_state_and_history(chw, household):
    child = _child(chw, household, NAMES[0])  # enrolled 1 June, seen 5 June
    tasks = selectors.person_tasks(person=child, today=datetime.date(2025, 6, 16))
    assert [(t.due_date, t.shown, [(c.from_state, c.to_state, c.day) for c in t.history.all()])
            for t in tasks] == [
        (datetime.date(2025, 6, 19), "due", [("", "open", datetime.date(2025, 6, 5))]),
        (datetime.date(2025, 6, 1), "done", [
            ("", "open", datetime.date(2025, 6, 1)), ("open", "done", datetime.date(2025, 6, 5)),
        ]),
    ]  # fmt: skip
    with translation.override("en"):
        html = render_to_string("followup/_person_tasks.html", {"tasks": tasks})
    assert " ".join(html.split()) == (
        '<h2>Tasks</h2> <ul class="plain"><li>06/19/2025 — Child follow-up visit '
        '<span class="badge state-due">due</span> <span class="muted">open 05/06/2025</span></li> '
        '<li>06/01/2025 — Child follow-up visit <span class="badge state-done">done</span> '
        '<span class="muted">open 01/06/2025 → done 05/06/2025</span></li> </ul>'
    )


def _enrolled(chw, cast, name, start):
    household = registry.household_create(
        actor=chw, community=cast.community_a, name=f"Famille {name}", chw=chw
    )
    child = registry.person_register(
        actor=chw, household=household, given_name=name, family_name="Coulibaly", sex="M",
        relationship="child", birth_date=datetime.date(2024, 1, 1),
    )  # fmt: skip
    followup_services.enrollment_start(actor=chw, person=child, program="child", start=start)
    return household, child


def test_the_worklist_shows_tasks_by_day_or_by_household(client, chw, cast):
    """By day (the default): overdue, today, this week, each task once with its link to the
    visit form. `?by=household`: the same tasks under their household, not the day lists."""
    late, late_child = _enrolled(chw, cast, "Moussa", datetime.date(2025, 6, 7))
    due, due_child = _enrolled(chw, cast, "Seydou", datetime.date(2025, 6, 10))
    client.force_login(chw)
    by_day = client.get("/followup/").content.decode()
    assert by_day.count("<li><a href=") == 2
    # Each card: the name, then what tells her apart (her age, 17 months — in the words of the
    # catalogue — and her household), then the task.
    assert re.search(
        '<h2>En retard <span class="badge off">1</span></h2>\n'
        f'<ul class="cards"><li><a href="/followup/people/{late_child.pk}/visit/\\?next=/followup/">'
        '<strong>Moussa Coulibaly</strong><span class="who">17 [a-z]+ · Famille Moussa</span>'
        "<span>Visite de suivi de l&#x27;enfant · à faire le 07/06/2025 \\(jusqu'au 20/06\\)"
        "</span></a></li>",
        by_day,
    )
    assert re.search(
        '<h2>Aujourd\'hui <span class="badge">1</span></h2>\n'
        f'<ul class="cards"><li><a href="/followup/people/{due_child.pk}/visit/\\?next=/followup/">'
        '<strong>Seydou Coulibaly</strong><span class="who">17 [a-z]+ · Famille Seydou</span>'
        "<span>Visite de suivi de l&#x27;enfant · à faire le 10/06/2025 \\(jusqu'au 23/06\\)"
        "</span></a></li>",
        by_day,
    )
    assert '<h2>Cette semaine <span class="badge">0</span></h2>' in by_day
    assert late.get_absolute_url() not in by_day

    by_household = client.get("/followup/?by=household").content.decode()
    assert by_household.count("<li><a href=") == 2
    assert re.search(
        f'<li><a href="{late.get_absolute_url()}"><strong>Famille Moussa</strong>'
        "<span>Moussa \\(17 [a-z]+\\)\u00a0: Visite de suivi de l&#x27;enfant \\(07/06\\)</span></a></li>",
        by_household,
    )
    assert re.search(
        f'<li><a href="{due.get_absolute_url()}"><strong>Famille Seydou</strong>'
        "<span>Seydou \\(17 [a-z]+\\)\u00a0: Visite de suivi de l&#x27;enfant \\(10/06\\)</span></a></li>",
        by_household,
    )
    assert "En retard" not in by_household
    assert f"/followup/people/{late_child.pk}/visit/" not in by_household
