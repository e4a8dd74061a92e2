"""What cooperatives show on the registry's household page (registered in `registry.plugins`
by `CooperativesConfig.ready`): each member's cooperative as a badge on her card, and what
cooperatives gave the family, with the code the cooperatives know the family by (they do not
see its name). Two queries."""

from jigiya.accounts.access import Actor
from jigiya.cooperatives import selectors
from jigiya.registry import plugins
from jigiya.registry.models import Household


def household_panel(user: Actor, household: Household) -> plugins.Panel:
    people = household.members.values_list("pk", flat=True)
    memberships = selectors.memberships_of(user=user, person_ids=people)
    given = list(selectors.distributions_to(user=user, household=household)[:20])
    return plugins.Panel(
        context={"given": given, "household": household},
        # always: the CHW reads the family's code here for its voucher, before any gift
        body="cooperatives/panels/household_body.html",
        badges={person: [m.cooperative for m in rows] for person, rows in memberships.items()},
    )
