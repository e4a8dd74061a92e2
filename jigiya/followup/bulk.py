"""Fast writing of synthetic families and their follow-up history, for `demo.py` and
`generate.py`: plain tuples inserted in large batches (PostgreSQL: COPY; others: executemany),
never through the per-row services. Nothing here is audited: it is made-up data.

`build(...)` writes households, people, child enrollments, pregnancies with ANC contacts and
outcomes, home visits every ~14 days with child checks (z-scores from WHO's LMS tables),
education sessions, referrals with their outcome, and each open case's current tasks.
"""

import datetime
import json
import random
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection, models
from django.utils import timezone

from jigiya.core.generate import FAMILY_NAMES, MEN_FIRST_NAMES, WOMEN_FIRST_NAMES, new_id
from jigiya.followup import growth, schedules
from jigiya.followup.models import (
    ChildAssessment,
    EducationSession,
    PregnancyCheck,
    Referral,
    Task,
    TaskStateChange,
    Visit,
)
from jigiya.registry.models import (
    PREGNANCY_DAYS,
    AncContact,
    Enrollment,
    Household,
    Person,
    Pregnancy,
    name_key,
)

BATCH = 5000


class Writer:
    """Buffers rows per table and inserts them in batches of `BATCH`."""

    def __init__(self, progress: Callable[[int], None] | None = None) -> None:
        self.rows: dict[str, list[tuple[Any, ...]]] = {}
        self.columns: dict[str, list[str]] = {}
        self.counts: dict[str, int] = {}
        self.progress = progress or (lambda n: None)
        self.postgres = connection.vendor == "postgresql"

    def add(self, model: type[models.Model], **values: Any) -> None:
        table = model._meta.db_table
        if table not in self.columns:
            self.columns[table] = list(values)
            self.rows[table] = []
        self.rows[table].append(tuple(self._prep(v) for v in values.values()))
        name = model._meta.model_name or table
        self.counts[name] = self.counts.get(name, 0) + 1
        if len(self.rows[table]) >= BATCH:
            self._flush(table)

    def add_through(self, table: str, **values: Any) -> None:
        if table not in self.columns:
            self.columns[table] = list(values)
            self.rows[table] = []
        self.rows[table].append(tuple(self._prep(v) for v in values.values()))
        if len(self.rows[table]) >= BATCH:
            self._flush(table)

    def _prep(self, value: Any) -> Any:
        if self.postgres:
            if isinstance(value, list | dict):
                from psycopg.types.json import Jsonb

                return Jsonb(value)
            return value
        if isinstance(value, uuid.UUID):
            return value.hex
        if isinstance(value, datetime.datetime):
            return value.isoformat(sep=" ")
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, list | dict):
            return json.dumps(value)
        return value

    def _flush(self, table: str) -> None:
        rows = self.rows[table]
        if not rows:
            return
        columns = self.columns[table]
        quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
        with connection.cursor() as cursor:
            if self.postgres and hasattr(cursor.cursor, "copy"):
                with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                # Table and column names come from the models, never from input.
                sql = f"INSERT INTO {table} ({quoted}) VALUES ({marks})"  # noqa: S608
                cursor.executemany(sql, rows)
        self.progress(len(rows))
        self.rows[table] = []

    def flush(self) -> None:
        # Parents before children: the order tables were first used in.
        for table in list(self.columns):
            self._flush(table)


@contextmanager
def foreign_keys_checked_after(models_loaded: Iterable[type[models.Model]]) -> Iterator[None]:
    """PostgreSQL, inside the loading transaction: set the foreign keys of the tables being
    loaded aside and add them back afterwards, each validated in one pass over its table (the
    way PostgreSQL's "Populating a Database" advises). Django's foreign keys are DEFERRABLE
    INITIALLY DEFERRED: left in place, each of ~30 M rows queues a check run at commit (about
    20 minutes at national scale). If a row points nowhere, adding the key back fails and the
    transaction, keys included, rolls back. Elsewhere: nothing to do.

    Until the commit the loaded tables are locked (ACCESS EXCLUSIVE, and the tables they point
    to SHARE ROW EXCLUSIVE): meant for `jigiya generate` on a bench database, not a live one."""
    if connection.vendor != "postgresql":
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("foreign_keys_checked_after needs a transaction to restore the keys.")
    from psycopg import sql

    tables = sorted({m._meta.db_table for m in models_loaded})
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s) "
            "ORDER BY 1, 2",
            [tables],
        )
        keys = cursor.fetchall()
        # A table with checks still queued cannot be altered: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table, name, _ in keys:
            # The table comes from the catalog as regclass text, quoted where it must be.
            statement = sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(
                sql.SQL(table), sql.Identifier(name)
            )
            cursor.execute(statement.as_string(connection.connection))
    yield
    with connection.cursor() as cursor:
        for table, name, definition in keys:
            # Names and definitions come from the catalog, never from input.
            statement = sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} {}").format(
                sql.SQL(table), sql.Identifier(name), sql.SQL(definition)
            )
            cursor.execute(statement.as_string(connection.connection))
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's keys are INITIALLY DEFERRED


@dataclass
class Community:
    place: Any  # a Place
    chw: Any  # a User
    health_center_id: uuid.UUID | None
    households: int
    code: str = ""


@dataclass
class World:
    start: datetime.date
    today: datetime.date
    visit_every: int = 14
    rich: bool = True  # demo: education, pregnancy checks, referrals in full; generate: lean
    name_prefix: str = ""
    counts: dict[str, int] = field(default_factory=dict)


def _weight_at(sex: str, age_days: int, z: float) -> float | None:
    params = growth.lms("wfa", sex, age_days)
    return None if params is None else growth.value_at(params, z)


def _height_at(sex: str, age_days: int, z: float) -> float | None:
    params = growth.lms("lhfa", sex, age_days)
    return None if params is None else growth.value_at(params, z)


def build(
    rng: random.Random, communities: Iterable[Community], world: World, writer: Writer
) -> None:
    """Families of each community, followed from `world.start` to `world.today`."""
    now = timezone.now()
    stamp = {"created_at": now, "updated_at": now}
    for community in communities:
        for number in range(community.households):
            _household(rng, community, world, writer, stamp, number)
    writer.flush()


def _person(
    rng: random.Random,
    writer: Writer,
    stamp: dict[str, Any],
    household_id: uuid.UUID,
    family: str,
    sex: str,
    relationship: str,
    birth: datetime.date,
    actor: Any,
) -> uuid.UUID:
    person_id = new_id(rng)
    given = rng.choice(WOMEN_FIRST_NAMES if sex == "F" else MEN_FIRST_NAMES)
    writer.add(
        Person,
        id=person_id,
        **stamp,
        created_by_id=actor.pk,
        household_id=household_id,
        given_name=given,
        family_name=family,
        sex=sex,
        birth_date=birth,
        birth_date_estimated=relationship != "child",
        relationship=relationship,
        phone="",
        is_active=True,
        name_key=name_key(given, family),
    )
    return person_id


def _household(
    rng: random.Random,
    community: Community,
    world: World,
    writer: Writer,
    stamp: dict[str, Any],
    number: int,
) -> None:
    chw = community.chw
    today, start = world.today, world.start
    family = rng.choice(FAMILY_NAMES)
    household_id = new_id(rng)
    writer.add(
        Household,
        id=household_id,
        **stamp,
        created_by_id=chw.pk,
        community_id=community.place.pk,
        name=f"{world.name_prefix}Famille {family} {number + 1}",
        landmark=rng.choice(
            [
                "près du marché",
                "derrière la mosquée",
                "face à l'école",
                "au bord du fleuve",
                "près du puits",
            ]
        ),
        latitude=None,
        longitude=None,
        phone="",
        head_id=None,
        chw_id=chw.pk,
        is_active=True,
    )
    mother_birth = today - datetime.timedelta(days=rng.randint(18 * 365, 40 * 365))
    _person(
        rng,
        writer,
        stamp,
        household_id,
        family,
        "M",
        "head",
        mother_birth - datetime.timedelta(days=rng.randint(365, 3650)),
        chw,
    )
    mother = _person(rng, writer, stamp, household_id, family, "F", "spouse", mother_birth, chw)
    # Children under five at some point of the follow-up: 1 to 3.
    children = []
    for _ in range(rng.choice((1, 1, 2, 2, 3))):
        birth = today - datetime.timedelta(days=rng.randint(30, 5 * 365 + 300))
        sex = rng.choice("FM")
        child = _person(rng, writer, stamp, household_id, family, sex, "child", birth, chw)
        profile = rng.choices(("healthy", "at_risk", "sick"), weights=(70, 22, 8))[0]
        children.append((child, sex, birth, profile))
    for _ in range(rng.choice((0, 1, 2))):
        older = today - datetime.timedelta(days=rng.randint(6 * 365, 15 * 365))
        _person(rng, writer, stamp, household_id, family, rng.choice("FM"), "child", older, chw)

    followed: list[list[Any]] = []
    for child, sex, birth, profile in children:
        enroll = max(start, birth + datetime.timedelta(days=7))
        five = birth + datetime.timedelta(days=schedules.CHILD_PROGRAM_END_DAYS)
        if enroll >= today or five <= start:
            continue
        ended = five if five < today else None
        enrollment_id = new_id(rng)
        writer.add(
            Enrollment,
            id=enrollment_id,
            **stamp,
            created_by_id=chw.pk,
            person_id=child,
            program="child",
            start=enroll,
            end=ended,
            exit_reason="reached_five" if ended else "",
        )
        base_z = rng.gauss(-0.3, 0.8) if profile == "healthy" else rng.gauss(-1.6, 0.5)
        followed.append([child, sex, birth, profile, enrollment_id, enroll, ended, base_z, None])

    pregnancy = _pregnancy(rng, community, world, writer, stamp, mother, chw)

    # Visits every ~14 days from the first enrollment (or the pregnancy) until today.
    starts: list[datetime.date] = [f[5] for f in followed]
    if pregnancy:
        starts.append(pregnancy[2])
    first = min(starts, default=None)
    if first is None:
        return
    day = first + datetime.timedelta(days=rng.randint(0, 6))
    last_seen: dict[uuid.UUID, datetime.date] = {}
    while day <= today:
        if rng.random() < 0.9:  # one visit in ten is missed
            _visit(
                rng,
                community,
                world,
                writer,
                stamp,
                household_id,
                mother,
                day,
                followed,
                pregnancy,
                last_seen,
            )
        day += datetime.timedelta(days=world.visit_every + rng.randint(-2, 2))
    _current_tasks(rng, writer, stamp, household_id, mother, followed, pregnancy, last_seen, world)


def _pregnancy(
    rng: random.Random,
    community: Community,
    world: World,
    writer: Writer,
    stamp: dict[str, Any],
    mother: uuid.UUID,
    chw: Any,
) -> tuple[uuid.UUID, datetime.date, datetime.date, datetime.date | None] | None:
    """About 45 % of mothers are pregnant during the follow-up: (id, lmp, enrolled, delivered)."""
    if rng.random() > 0.45:
        return None
    today = world.today
    lmp = (
        world.start
        - datetime.timedelta(days=120)
        + datetime.timedelta(days=rng.randint(0, max(1, (today - world.start).days + 100)))
    )
    if lmp > today - datetime.timedelta(days=42):
        lmp = today - datetime.timedelta(days=rng.randint(42, 200))
    edd = lmp + datetime.timedelta(days=PREGNANCY_DAYS)
    birth = edd + datetime.timedelta(days=rng.randint(-14, 7))
    delivered = birth if birth < today else None
    pregnancy_id = new_id(rng)
    place = ""
    center = None
    if delivered:
        at_cscom = rng.random() < (0.85 if community.code.endswith("SOT") else 0.6)
        place = "this_cscom" if at_cscom else rng.choice(("home", "home", "other_facility"))
        center = community.health_center_id if place == "this_cscom" else None
    writer.add(
        Pregnancy,
        id=pregnancy_id,
        **stamp,
        created_by_id=chw.pk,
        woman_id=mother,
        lmp=lmp,
        lmp_estimated=False,
        edd=edd,
        outcome_date=delivered,
        outcome_place=place,
        outcome_health_center_id=center,
        birth_outcome=("live_birth" if rng.random() < 0.97 else "stillbirth") if delivered else "",
        is_active=True,
    )
    enrolled = max(lmp + datetime.timedelta(days=56), world.start)
    if enrolled < today:
        writer.add(
            Enrollment,
            id=new_id(rng),
            **stamp,
            created_by_id=chw.pk,
            person_id=mother,
            program="pregnancy",
            start=enrolled,
            end=delivered if delivered and delivered >= enrolled else None,
            exit_reason="completed" if delivered and delivered >= enrolled else "",
        )
    # ANC contacts: most at the CSCom, 1 to 6 of them.
    last = min(delivered or today, today)
    for weeks in schedules.ANC_WEEKS[: rng.choice((1, 2, 3, 4, 4, 5, 6))]:
        contact = lmp + datetime.timedelta(days=weeks * 7 + rng.randint(-3, 5))
        if contact >= last:
            break
        at_cscom = community.health_center_id is not None and rng.random() < 0.85
        writer.add(
            AncContact,
            id=new_id(rng),
            **stamp,
            created_by_id=chw.pk,
            pregnancy_id=pregnancy_id,
            date=contact,
            place="this_cscom" if at_cscom else "other_facility",
            health_center_id=community.health_center_id if at_cscom else None,
        )
    return pregnancy_id, lmp, enrolled, delivered


def _visit(
    rng: random.Random,
    community: Community,
    world: World,
    writer: Writer,
    stamp: dict[str, Any],
    household_id: uuid.UUID,
    mother: uuid.UUID,
    day: datetime.date,
    followed: list[list[Any]],
    pregnancy: Any,
    last_seen: dict[uuid.UUID, datetime.date],
) -> None:
    chw = community.chw
    visit_id = new_id(rng)
    writer.add(
        Visit,
        id=visit_id,
        **stamp,
        created_by_id=chw.pk,
        household_id=household_id,
        chw_id=chw.pk,
        date=day,
        notes="",
        fingerprint="",
    )
    seen = []
    for case in followed:
        child, sex, birth, profile, _enrollment, enroll, ended, base_z, _ = case
        if day < enroll or (ended and day > ended):
            continue
        seen.append(child)
        age = (day - birth).days
        z = base_z + rng.gauss(0, 0.15)
        sick = profile == "sick" and rng.random() < 0.15
        if sick:
            z -= 1.2
        weight = _weight_at(sex, age, z)
        height = _height_at(sex, age, base_z * 0.7 + rng.gauss(0, 0.1))
        muac = None
        if age >= 183:
            muac = round(140 + 9 * z + rng.gauss(0, 3))
            muac = min(max(muac, 95), 180)
        weight_d = Decimal(f"{weight:.2f}") if weight else None
        height_d = Decimal(f"{height:.1f}") if height else None
        scores = growth.z_scores(
            sex=sex,
            age_days=age,
            weight_kg=float(weight_d) if weight_d else None,
            height_cm=float(height_d) if height_d else None,
        )
        danger = ["lethargic"] if sick and rng.random() < 0.3 else []
        band = growth.muac_band(muac)
        vaccines = [
            code for code, _l, due in schedules.VACCINES if due <= age and rng.random() < 0.93
        ]
        writer.add(
            ChildAssessment,
            id=new_id(rng),
            **stamp,
            created_by_id=chw.pk,
            visit_id=visit_id,
            person_id=child,
            age_days=age,
            weight_kg=weight_d,
            height_cm=height_d,
            measured_lying=age < growth.LYING_UNTIL_DAYS,
            muac_mm=muac,
            muac_band=band,
            oedema=False,
            waz=growth.as_decimal(scores.waz),
            haz=growth.as_decimal(scores.haz),
            whz=growth.as_decimal(scores.whz),
            danger_signs=danger,
            vaccines=vaccines if world.rich else [],
            vaccines_missing=schedules.vaccines_missing(age, set(vaccines)) if world.rich else [],
        )
        last_seen[child] = day
        if (band == "red" or danger) and world.rich and community.health_center_id:
            _referral(rng, community, world, writer, stamp, child, visit_id, day, danger, band)
    if pregnancy and world.rich:
        pregnancy_id, lmp, enrolled, delivered = pregnancy
        if enrolled <= day and (delivered is None or day < delivered):
            seen.append(mother)
            writer.add(
                PregnancyCheck,
                id=new_id(rng),
                **stamp,
                created_by_id=chw.pk,
                visit_id=visit_id,
                pregnancy_id=pregnancy_id,
                gestational_weeks=(day - lmp).days // 7,
                anc_since_last_visit=rng.random() < 0.4,
                danger_signs=[],
                birth_plan="this_cscom" if rng.random() < 0.7 else "undecided",
            )
            last_seen[mother] = day
    if not seen:
        seen.append(mother)
    for person in seen:
        writer.add_through(Visit.people.through._meta.db_table, visit_id=visit_id, person_id=person)
    if world.rich and rng.random() < 0.6:
        topic = rng.choices(
            ("nutrition", "hygiene", "budgeting", "other"), weights=(45, 35, 15, 5)
        )[0]
        writer.add(
            EducationSession,
            id=new_id(rng),
            **stamp,
            created_by_id=chw.pk,
            visit_id=visit_id,
            topic=topic,
            detail="",
        )


def _referral(
    rng: random.Random,
    community: Community,
    world: World,
    writer: Writer,
    stamp: dict[str, Any],
    child: uuid.UUID,
    visit_id: uuid.UUID,
    day: datetime.date,
    danger: list[str],
    band: str,
) -> None:
    reasons = [f"child:{code}" for code in danger] + (["muac_red"] if band == "red" else [])
    recent = (world.today - day).days < 6
    outcome = (
        "open"
        if recent and rng.random() < 0.6
        else rng.choices(("seen", "not_seen"), weights=(80, 20))[0]
    )
    closed = (
        None
        if outcome == "open"
        else min(day + datetime.timedelta(days=rng.randint(1, 4)), world.today)
    )
    writer.add(
        Referral,
        id=new_id(rng),
        **stamp,
        created_by_id=community.chw.pk,
        person_id=child,
        visit_id=visit_id,
        health_center_id=community.health_center_id,
        referred_on=day,
        reasons=reasons,
        reason_text="",
        urgency="urgent",
        status=outcome,
        seen_on=closed if outcome == "seen" else None,
        seen_by="Infirmier du CSCom" if outcome == "seen" else "",
        action_taken=rng.choice(
            ("ATPE (Plumpy'Nut)", "Traitement du paludisme", "Hospitalisé, revenu")
        )
        if outcome == "seen"
        else "",
        closed_on=closed,
        closed_via="" if outcome == "open" else rng.choice(("health_center", "followup_visit")),
    )


def _task(
    rng: random.Random,
    writer: Writer,
    stamp: dict[str, Any],
    contact: schedules.Contact,
    anchor: datetime.date,
    person: uuid.UUID,
    household_id: uuid.UUID,
    today: datetime.date,
    **links: Any,
) -> None:
    window_start, due, window_end = contact.dates(anchor)
    task_id = new_id(rng)
    writer.add(
        Task,
        id=task_id,
        **stamp,
        created_by_id=None,
        kind=contact.kind,
        person_id=person,
        household_id=household_id,
        enrollment_id=links.get("enrollment_id"),
        pregnancy_id=links.get("pregnancy_id"),
        referral_id=None,
        sequence=contact.sequence,
        due_date=due,
        window_start=window_start,
        window_end=window_end,
        state="open",
        resolved_by_id=None,
        resolved_on=None,
    )
    writer.add(
        TaskStateChange,
        task_id=task_id,
        at=stamp["created_at"],
        day=today,
        from_state="",
        to_state="open",
        visit_id=None,
        actor_id=None,
        note="",
    )


def _current_tasks(
    rng: random.Random,
    writer: Writer,
    stamp: dict[str, Any],
    household_id: uuid.UUID,
    mother: uuid.UUID,
    followed: list[list[Any]],
    pregnancy: Any,
    last_seen: dict[uuid.UUID, datetime.date],
    world: World,
) -> None:
    """What is due now: each followed child's next visit, the pregnancy contacts ahead."""
    today = world.today
    for child, _sex, _birth, _profile, enrollment_id, enroll, ended, _z, _ in followed:
        if ended:
            continue
        anchor = last_seen.get(child)
        contact = schedules.CHILD_NEXT if anchor else schedules.CHILD_FIRST
        anchor = anchor or enroll
        while contact.dates(anchor)[2] < today:
            anchor += datetime.timedelta(days=schedules.CHILD_INTERVAL_DAYS)
        _task(
            rng,
            writer,
            stamp,
            contact,
            anchor,
            child,
            household_id,
            today,
            enrollment_id=enrollment_id,
        )
    if pregnancy:
        pregnancy_id, lmp, _enrolled, delivered = pregnancy
        if delivered is None:
            for contact in schedules.PREGNANCY_CONTACTS:
                if contact.dates(lmp)[2] >= today:
                    _task(
                        rng,
                        writer,
                        stamp,
                        contact,
                        lmp,
                        mother,
                        household_id,
                        today,
                        pregnancy_id=pregnancy_id,
                    )
