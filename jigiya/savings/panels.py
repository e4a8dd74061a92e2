"""What savings shows on the registry's household page (registered in `registry.plugins` by
`SavingsConfig.ready`): each member's savings groups as badges on her card."""

from jigiya.accounts.access import Actor
from jigiya.registry import plugins
from jigiya.registry.models import Household
from jigiya.savings import selectors


def household_panel(user: Actor, household: Household) -> plugins.Panel:
    """The groups of the household's members that the user may see: one query (the members'
    ids are a subquery)."""
    people = household.members.values_list("pk", flat=True)
    memberships = selectors.memberships_of(user=user, person_ids=people)
    return plugins.Panel(
        badges={person: [m.group for m in rows] for person, rows in memberships.items()}
    )
