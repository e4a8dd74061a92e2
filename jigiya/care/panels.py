"""What care shows on the registry's pages (registered in `registry.plugins` by
`CareConfig.ready`): on the household page, a badge on each member covered today; on the person
page, her coverage decisions and care history, with the button that decides a coverage."""

from django.utils import timezone

from jigiya.accounts.access import Actor, has_perm_at
from jigiya.accounts.roles import Perm
from jigiya.care import selectors
from jigiya.registry import plugins
from jigiya.registry.models import Household, Person


def household_panel(user: Actor, household: Household) -> plugins.Panel | None:
    """Members covered today, as badges (one query), for who may see care there."""
    if not has_perm_at(user, Perm.CARE_VIEW, household.community.path):
        return None
    people = household.members.values_list("pk", flat=True)
    covered = selectors.covered_people(people=people, day=timezone.localdate())
    return plugins.Panel(
        badges={person: [c.scheme for c in rows] for person, rows in covered.items()}
    )


def person_panel(user: Actor, person: Person) -> plugins.Panel | None:
    path = person.household.community.path
    if not has_perm_at(user, Perm.CARE_VIEW, path):
        return None
    return plugins.Panel(
        context={
            "person": person,
            "coverages": selectors.coverages_of(person=person),
            "lines": selectors.care_history(person=person)[:10],
            "can_decide": has_perm_at(user, Perm.CARE_DECIDE, path),
            "today": timezone.localdate(),
        },
        actions="care/panels/person_actions.html",
        body="care/panels/person_body.html",
    )
