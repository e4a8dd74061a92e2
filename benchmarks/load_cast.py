"""Who the load scenario's virtual users are, prepared in the bench database before the server
starts: each virtual user has a session of her own (as after logging in once) and an API token
for her writes.

- CHWs: the generated CHWs with the most households, one per virtual user (50 at most); each
  opens her worklist and posts visits to her own households (fresh ids: real writes).
- Health-center staff: each opens the dashboard of the health center of her community.
- Facilitators: each virtual user posts meetings to a savings group of its own (created here
  once, 300 days old, five members), one day after another, so two users never race on one
  group and every meeting is valid: each member buys one share and pays the health fund, and
  the cash counted is the cash expected.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count
from django.test import Client
from django.utils import timezone

from jigiya.accounts import services as account_services
from jigiya.accounts.models import Assignment, User
from jigiya.accounts.roles import Role
from jigiya.places.models import HealthCenter, Place
from jigiya.registry.models import Household, Person
from jigiya.savings import ledger
from jigiya.savings import services as savings_services
from jigiya.savings.models import Group

GROUP_PREFIX = "Banc de charge"  # the load scenario's own savings groups
GROUP_AGE_DAYS = 300  # a group's cycle started this long ago: that many days to hold meetings
MEMBERS = 5
SHARE_PRICE = 500
HEALTH = 100


@dataclass
class Chw:
    username: str
    session: str
    token: str
    visits: list[tuple[str, str]]  # (household id, id of a member seen), used in turn
    turn: int = 0


@dataclass
class Staff:
    username: str
    session: str
    dashboard: str  # the URL of her health center's dashboard


@dataclass
class Box:
    """A savings group a single virtual user posts to: the next free day and the cash in each
    box (loan fund, health fund), kept up to date by that user as her meetings are accepted."""

    group_id: str
    token: str
    members: list[str]
    next_day: datetime.date
    loan_fund: int
    health_fund: int


@dataclass
class Cast:
    chws: list[Chw]
    staff: list[Staff]
    boxes: list[Box]
    notes: list[str] = field(default_factory=list)


def session_of(user: User) -> str:
    """A session key as after logging in (the server shares the bench's SECRET_KEY)."""
    client = Client()
    client.force_login(user)
    return str(client.cookies["sessionid"].value)


def token_of(admin: User, user: User) -> str:
    _token, key = account_services.token_create(actor=admin, user=user, name="Banc de charge")
    return key


def _chws(admin: User, count: int) -> list[Chw]:
    rows = (
        Household.objects.filter(chw__username__startswith="gen.", is_active=True)
        .values("chw")
        .annotate(n=Count("id"))
        .order_by("-n", "chw")[:count]
    )
    chws = []
    for row in rows:
        user = User.objects.get(pk=row["chw"])
        visits = _one_member_per_household(user)
        chws.append(Chw(user.username, session_of(user), token_of(admin, user), visits))
    return chws


def _one_member_per_household(user: User) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for household_id, person_id in (
        Person.objects.filter(household__chw=user, household__is_active=True, is_active=True)
        .order_by("household_id", "pk")
        .values_list("household_id", "pk")
    ):
        seen.setdefault(str(household_id), str(person_id))
    return list(seen.items())


def _staff() -> list[Staff]:
    staff = []
    assignments = Assignment.objects.filter(role=Role.HEALTH_CENTER_STAFF).select_related(
        "user", "place"
    )
    for assignment in assignments.order_by("user__username"):
        center = HealthCenter.objects.filter(place=assignment.place).order_by("code").first()
        if center is None:
            continue
        url = f"/indicators/health-centers/{center.pk}/"
        staff.append(Staff(assignment.user.username, session_of(assignment.user), url))
    return staff


def _facilitators() -> list[tuple[User, list[Place]]]:
    """Each savings facilitator and the active communities she records in."""
    found = []
    assignments = Assignment.objects.filter(role=Role.SAVINGS_FACILITATOR).select_related(
        "user", "place"
    )
    for assignment in assignments.order_by("user__username"):
        communities = list(
            Place.objects.filter(
                kind="community", is_active=True, path__startswith=assignment.place.path
            ).order_by("path")
        )
        if communities:
            found.append((assignment.user, communities))
    return found


def _new_group(facilitator: User, community: Place, name: str) -> Group:
    """A group with an open cycle that started GROUP_AGE_DAYS ago and MEMBERS women."""
    start = timezone.localdate() - datetime.timedelta(days=GROUP_AGE_DAYS)
    group = savings_services.group_create(
        actor=facilitator, community=community, name=name, formed_on=start, facilitator=facilitator
    )
    savings_services.group_status_change(actor=facilitator, group=group, status="active", on=start)
    savings_services.cycle_start(
        actor=facilitator, group=group, starts_on=start,
        planned_end=start + datetime.timedelta(days=364), share_price=SHARE_PRICE,
        health_contribution=HEALTH,
    )  # fmt: skip
    household = Household.objects.create(community=community, name=name)
    for index in range(MEMBERS):
        person = Person.objects.create(
            household=household, given_name=f"Awa {index}", family_name="Charge", sex="F",
            relationship="other", birth_date=datetime.date(1990, 1, 1),
        )  # fmt: skip
        savings_services.membership_add(
            actor=facilitator, group=group, person=person, joined_on=start,
            role="president" if index == 0 else "member",
        )  # fmt: skip
    return group


def _box(group: Group, token: str, room: int) -> Box | None:
    """The group as a virtual user's box, or None when fewer than `room` days are left."""
    last = group.meetings.order_by("-held_on").values_list("held_on", flat=True).first()
    cycle_start = group.cycles.order_by("-starts_on").values_list("starts_on", flat=True).first()
    next_day = (last + datetime.timedelta(days=1)) if last else cycle_start
    if next_day is None or (timezone.localdate() - next_day).days < room:
        return None
    balances = ledger.balances(group.pk)
    members = group.memberships.order_by("number").values_list("pk", flat=True)
    return Box(
        group_id=str(group.pk),
        token=token,
        members=[str(pk) for pk in members],
        next_day=next_day,
        loan_fund=balances["loan_fund_cash"],
        health_fund=balances["health_fund_cash"],
    )


def _boxes(admin: User, count: int, room: int) -> list[Box]:
    """`count` bench groups with at least `room` free days each; new ones made as needed (the
    district database is kept by `make bench-load`, so the days of earlier runs are used)."""
    facilitators = _facilitators()
    tokens = {user.pk: token_of(admin, user) for user, _communities in facilitators}
    boxes: list[Box] = []
    for group in Group.objects.filter(name__startswith=GROUP_PREFIX).order_by("name"):
        if len(boxes) < count and group.facilitator_id in tokens:
            box = _box(group, tokens[group.facilitator_id], room)
            if box is not None:
                boxes.append(box)
    made = Group.objects.filter(name__startswith=GROUP_PREFIX).count()
    while len(boxes) < count:
        user, communities = facilitators[made % len(facilitators)]
        community = communities[(made // len(facilitators)) % len(communities)]
        group = _new_group(user, community, f"{GROUP_PREFIX} {made + 1:03}")
        box = _box(group, tokens[user.pk], room)
        assert box is not None, "a new group has every day of its cycle free"
        boxes.append(box)
        made += 1
    return boxes


def build(*, admin: User, users: int, meeting_days: int) -> Cast:
    """The cast for `users` virtual users; each savings box has `meeting_days` free days."""
    chws = _chws(admin, users)
    staff = _staff()
    boxes = _boxes(admin, users, meeting_days)
    notes = [
        f"{len(chws)} CHWs (the generated ones with the most households, "
        f"{min(len(c.visits) for c in chws)} to {max(len(c.visits) for c in chws)} each), "
        f"{len(staff)} health-center staff, {len(boxes)} savings groups of {MEMBERS} members "
        "(one per virtual user); a virtual user past the number of people of a kind shares "
        "one's session.",
    ]
    return Cast(chws=chws, staff=staff, boxes=boxes, notes=notes)
