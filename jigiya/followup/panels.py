"""What the follow-up shows on the registry's household and person pages (registered in
`registry.plugins` by `FollowupConfig.ready`): the household's next tasks, referrals and last
visits; the person's enrollments, growth charts, pregnancies, referrals and tasks, with the
buttons that record them. A fixed number of queries each (the pages' tests count them)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from jigiya.accounts.access import Actor, has_perm_at
from jigiya.accounts.roles import Perm
from jigiya.followup import charts, selectors
from jigiya.registry import selectors as registry_selectors
from jigiya.registry.models import FollowupProgram, Household, Person, Sex
from jigiya.registry.plugins import Panel

# A child's growth charts show until five years and a month.
CHILD_DAYS = selectors.CHILD_DAYS


def household_panel(user: Actor, household: Household) -> Panel:
    today = timezone.localdate()
    return Panel(
        context={
            "household": household,
            "tasks": selectors.household_open_tasks(household=household, today=today),
            "visits": selectors.household_visits(household=household),
            "referrals": selectors.household_referrals(household=household),
            "today": today,
        },
        actions="followup/panels/household_actions.html",
        body="followup/panels/household_body.html",
    )


def household_api_fields(user: Actor, household: Household) -> dict[str, object]:
    """`next_tasks` of `GET /registry/households/{id}`."""
    return {
        "next_tasks": selectors.household_open_tasks(
            household=household, today=timezone.localdate()
        )
    }


def person_panel(user: Actor, person: Person) -> Panel:
    today = timezone.localdate()
    age = person.age_days(today)
    is_child = age is not None and age <= CHILD_DAYS
    pregnancies = (
        registry_selectors.person_pregnancies(person=person) if person.sex == Sex.FEMALE else []
    )
    enrollments = list(registry_selectors.person_enrollments(person=person))
    enrolled = {e.program for e in enrollments if e.end is None}
    return Panel(
        context={
            "person": person,
            "is_child": is_child,
            **_growth(person, is_child),
            "pregnancies": [(p, charts.pregnancy_svg(p, today=today)) for p in pregnancies],
            "enrollments": enrollments,
            # "Enroll" only when a program fits and is not open yet (a newborn is enrolled at
            # registration: no second step).
            # "Register a pregnancy" for a woman (or a girl of ten or more) without one open.
            "can_be_pregnant": selectors.program_fits(
                person=person, program=FollowupProgram.PREGNANCY, day=today
            )
            and not any(p.is_open for p in pregnancies),
            "enrollable": selectors.enrollable_programs(
                person=person, day=today, enrolled=enrolled
            ),
            "tasks": selectors.person_tasks(person=person, today=today),
            "referrals": selectors.person_referrals(person=person),
            "can_record": has_perm_at(user, Perm.HEALTH_RECORD, person.household.community.path),
            # The outcome link only for whoever may record it (a manager would meet a 403).
            "can_close": has_perm_at(user, Perm.REFERRAL_CLOSE, person.household.community.path),
            "today": today,
        },
        facts="followup/panels/person_facts.html",
        actions="followup/panels/person_actions.html",
        body="followup/panels/person_body.html",
    )


def _growth(person: Person, is_child: bool) -> dict[str, object]:
    """The child's checks and the WHO charts of weight and length/height for age."""
    checks = selectors.person_growth(person=person)
    if not is_child:
        return {"checks": checks}
    weights = [
        (c.age_days, float(c.weight_kg)) for c in checks if c.weight_kg and c.age_days is not None
    ]
    heights = [
        (c.age_days, float(c.height_cm)) for c in checks if c.height_cm and c.age_days is not None
    ]
    return {
        "checks": checks,
        "wfa_chart": charts.growth_svg(
            indicator="wfa", sex=person.sex, points=weights, title=_("Weight for age")
        ),
        "lhfa_chart": charts.growth_svg(
            indicator="lhfa", sex=person.sex, points=heights, title=_("Length/height for age")
        ),
    }
