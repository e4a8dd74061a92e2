import datetime

from django.utils import translation

from jigiya.core.tests.refusals import refused_unchanged
from jigiya.quality import selectors, services
from jigiya.quality.models import ActionItem
from jigiya.quality.services import AnswerLine

D = datetime.date


def _score(cast, coach, version, criteria, party, day, level):
    return services.assessment_record(
        actor=coach, health_center=cast.center_a, version=version, assessed_on=day,
        assessors="Comité", party=party,
        answers=[AnswerLine(c.pk, c.maximum * level // 3) for c in criteria.values()],
    )  # fmt: skip


def test_a_round_scores_community_and_providers_apart_and_follows_its_plan(
    cast, coach, version, criteria
):
    community = _score(cast, coach, version, criteria, "community", D(2024, 3, 5), 1)
    providers = _score(cast, coach, version, criteria, "providers", D(2024, 3, 5), 3)
    first = services.action_item_add(
        actor=coach, health_center=cast.center_a, agreed_on=D(2024, 3, 5),
        text="Afficher les tarifs", owner="Chef de poste", due_on=D(2024, 4, 30),
    )  # fmt: skip
    done = services.action_item_add(
        actor=coach, health_center=cast.center_a, agreed_on=D(2024, 3, 5),
        text="Boîte à plaintes", owner="ASACO", due_on=D(2024, 5, 30),
    )  # fmt: skip
    services.action_item_status(actor=coach, item=done, status="done")
    _score(cast, coach, version, criteria, "community", D(2025, 3, 4), 2)
    rounds = selectors.rounds(cast.center_a)
    assert [r["day"] for r in rounds] == [D(2025, 3, 4), D(2024, 3, 5)]
    assert [i.text for i in rounds[0]["carried"]] == ["Afficher les tarifs"]
    assert (rounds[1]["community"], rounds[1]["providers"]) == (community, providers)
    assert [i.pk for i in rounds[1]["agreed"]] == [first.pk, done.pk]
    # Only the NGO's assessors are ranked.
    assert selectors.ranking(user=coach, on=D(2025, 6, 1)).rows == []


def test_an_action_due_before_its_round_is_refused(cast, coach):
    with translation.override("en"):
        errors = refused_unchanged(
            ActionItem.objects.count, services.action_item_add, actor=coach,
            health_center=cast.center_a, agreed_on=D(2024, 3, 5), text="x", owner="y",
            due_on=D(2024, 3, 1),
        )  # fmt: skip
    assert errors == {"due_on": ["The due date 2024-03-01 is before the round (2024-03-05)."]}


def test_the_profile_shows_the_rounds(cast, coach, client, version, criteria):
    _score(cast, coach, version, criteria, "providers", D(2024, 3, 5), 3)
    services.action_item_add(
        actor=coach, health_center=cast.center_a, agreed_on=D(2024, 3, 5),
        text="Afficher les tarifs", owner="Chef de poste", due_on=D(2024, 4, 30),
    )  # fmt: skip
    client.force_login(coach)
    body = client.get(f"/quality/centers/{cast.center_a.pk}/").content.decode()
    assert "Afficher les tarifs" in body and "2024-03-05" in body
