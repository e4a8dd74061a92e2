"""What cooperatives show on the registry's household page (registered in `registry.plugins`
by `CooperativesConfig.ready`): each member's cooperative as a badge on her card, and what
cooperatives gave the family. Two queries."""

from jigiya.accounts.access import Actor
from jigiya.cooperatives import selectors
from jigiya.registry import plugins
from jigiya.registry.models import Household


def household_panel(user: Actor, household: Household) -> plugins.Panel:
    people = household.members.values_list("pk", flat=True)
    memberships = selectors.memberships_of(user=user, person_ids=people)
    given = list(selectors.distributions_to(user=user, household=household)[:20])
    return plugins.Panel(
        context={"given": given},
        body="cooperatives/panels/household_body.html" if given else "",
        badges={person: [m.cooperative for m in rows] for person, rows in memberships.items()},
    )
