"""The demo world's families: Sotuba (CHW `relais.sotuba`) and the other communities (a CHW
each, created here), followed twice a month for 18 months up to today: healthy, at-risk and
referred children, pregnancies with ANC contacts and deliveries, education sessions.

The history is written in bulk (`bulk.py`); then a few of today's records go through the
services, so the audit trail, the tasks and the indicators see them as real work. Idempotent:
a community that already has households is left as it is."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from jigiya.accounts import services as account_services
from jigiya.accounts.demo import DEMO_PASSWORD
from jigiya.accounts.models import User
from jigiya.accounts.roles import Role
from jigiya.followup import bulk
from jigiya.places.models import Place
from jigiya.registry.models import Household

# (community code, CHW username, first name, last name, households)
CHWS = [
    ("BKO-C1-SOT", "relais.sotuba", "Aminata", "Diallo", 14),
    ("BKO-C1-BAN", "relais.banconi", "Salimata", "Konaté", 8),
    ("BKO-C1-KOR", "relais.korofina", "Rokia", "Sissoko", 6),
    ("BKO-C6-YIR", "relais.yirimadio", "Djénéba", "Touré", 8),
    ("BKO-C6-SOK", "relais.sokorodji", "Assitan", "Bagayoko", 6),
    ("SIK-CU-WAY", "relais.wayerma", "Bintou", "Sanogo", 8),
    ("SIK-CU-SAN", "relais.sanoubougou", "Korotoumou", "Ballo", 6),
]
MONTHS = 18
SEED = 2026


def _chw(admin: User, place: Place, username: str, first: str, last: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = account_services.user_create(
            actor=admin,
            username=username,
            password=DEMO_PASSWORD,
            must_change_password=False,
            first_name=first,
            last_name=last,
            role=Role.CHW,
            place=place,
        )
    return user


@transaction.atomic
def load(*, admin: User) -> None:
    today = timezone.localdate()
    start = today - datetime.timedelta(days=round(MONTHS * 30.4375))
    writer = bulk.Writer()
    for code, username, first, last, households in CHWS:
        place = Place.objects.select_related("health_center").filter(code=code).first()
        if place is None or Household.objects.filter(community=place).exists():
            continue
        chw = _chw(admin, place, username, first, last)
        rng = random.Random(f"{SEED}:{code}")  # noqa: S311 - reproducible, not secret
        community = bulk.Community(
            place=place,
            chw=chw,
            health_center_id=place.health_center_id,
            households=households,
            code=code,
        )
        bulk.build(rng, [community], bulk.World(start=start, today=today), writer)
        if code == "BKO-C1-SOT":
            _today_in_sotuba(chw, place, today)


def _today_in_sotuba(chw: User, place: Place, today: datetime.date) -> None:
    """This morning's visit, through the services: a child with a red MUAC is referred to the
    CSCom, so the referral loop and its follow-up task are there to close."""
    from jigiya.followup import services
    from jigiya.followup.models import Task

    task = (
        Task.objects.filter(household__community=place, kind="child_visit", state="open")
        .select_related("household", "person")
        .order_by("due_date")
        .first()
    )
    if task is None:
        return
    services.visit_record(
        actor=chw,
        household=task.household,
        date=today,
        people=[task.person_id],
        children=[services.ChildCheckIn(person_id=task.person_id, muac_mm=112)],
        education=[services.EducationIn(topic="nutrition")],
        notes="MUAC rouge : référée au CSCom de Sotuba.",
    )
