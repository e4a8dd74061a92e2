"""Synthetic data for benchmarks: the scales, the ordered steps, and helpers the steps share.

`jigiya generate --scale district` loads the demo world, then runs every registered step in
order. Each app that has data to generate registers one step from its own `generate.py`
(discovered like `admin.py`; steps run in `INSTALLED_APPS` order, so a step runs after the
steps of the apps it depends on)::

    register_step(Step(name="places", generate=generate, size=size, reset=reset, count=count))

A step writes with `bulk_create` (never through the per-row services: too slow at national
scale), marks what it made so it can find it again (codes starting `GEN-`, usernames starting
`gen.`), and is idempotent: when its data is already there at this scale it creates nothing;
when data of another scale is there it raises `GenerateError` (the command's `--reset`
deletes generated data first, steps in reverse order).
"""

import datetime
import random
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib import import_module
from typing import Any, TypeVar

from django.apps import apps
from django.db import models
from django.utils.module_loading import module_has_submodule

CODE_PREFIX = "GEN-"
USERNAME_PREFIX = "gen."


@dataclass(frozen=True)
class Scale:
    """How much to generate. Children are spread as evenly as possible over their parents."""

    name: str
    regions: int
    cercles: int
    communes: int
    communities: int
    board_size: int = 5
    assemblies_per_asaco: int = 2

    @property
    def health_centers(self) -> int:
        """One partner CSCom per commune, so every community has one in its own commune."""
        return self.communes


SCALES = {
    # Only for tests: small enough to run in a second, uneven enough to catch off-by-ones.
    "tiny": Scale(name="tiny", regions=1, cercles=2, communes=3, communities=8),
    "district": Scale(name="district", regions=1, cercles=3, communes=10, communities=60),
    "national": Scale(name="national", regions=10, cercles=50, communes=100, communities=1000),
}
PUBLIC_SCALES = ["demo", "district", "national"]

Counts = dict[str, int]


class Progress:
    """What a step reports progress to: the command passes a tqdm bar (same two methods);
    this one is silent, for calling a step directly."""

    def update(self, n: int = 1) -> None:
        pass

    def set_description(self, desc: str) -> None:
        pass


class GenerateError(Exception):
    """The database holds generated data that this run cannot build on."""


@dataclass(frozen=True)
class Step:
    """One app's share of the generated world.

    - `generate(scale, rng, progress)` creates the app's rows and returns what it created
      (label → count); an empty dict when everything was already there.
    - `size(scale)` is the number of rows `generate` writes at that scale (the progress total).
    - `reset()` deletes the rows the step generated and returns what it deleted.
    - `count()` says how many generated rows are in the database now (for the summary).
    """

    name: str
    generate: Callable[[Scale, random.Random, Progress], Counts]
    size: Callable[[Scale], int]
    reset: Callable[[], Counts]
    count: Callable[[], Counts]


STEPS: list[Step] = []


def register_step(step: Step) -> Step:
    """Add `step` to the end of the run (a module imported twice registers once)."""
    if all(existing.name != step.name for existing in STEPS):
        STEPS.append(step)
    return step


def discover_steps() -> list[Step]:
    """Import `generate.py` of every Jigiya app; return the steps in `INSTALLED_APPS` order
    (whatever order the modules happened to be imported in)."""
    order: dict[str, int] = {}
    for index, config in enumerate(apps.get_app_configs()):
        order[config.name] = index
        if config.name.startswith("jigiya.") and module_has_submodule(config.module, "generate"):
            import_module(f"{config.name}.generate")

    def app_index(step: Step) -> int:
        module = step.generate.__module__
        owners = [name for name in order if module.startswith(f"{name}.")]
        return order[max(owners, key=len)] if owners else len(order)

    return sorted(STEPS, key=app_index)  # stable: an app's steps keep their own order


def step_rng(seed: int, step: Step) -> random.Random:
    """Each step draws from its own stream, so a step's output does not depend on whether
    the steps before it ran now or in an earlier run."""
    return random.Random(f"{seed}:{step.name}")  # noqa: S311 - reproducible, not secret


def new_id(rng: random.Random) -> uuid.UUID:
    """A version-4 UUID drawn from `rng`, so primary keys (and place paths) are reproducible."""
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def split(total: int, parts: int) -> list[int]:
    """`total` items over `parts` parents, the first taking one more: split(10, 3) == [4, 3, 3]."""
    if parts <= 0:
        raise ValueError("parts must be positive")
    size, extra = divmod(total, parts)
    return [size + (1 if index < extra else 0) for index in range(parts)]


M = TypeVar("M", bound=models.Model)

BATCH_SIZE = 500


def bulk_insert(
    model: type[M], objs: Sequence[M], progress: Progress, batch_size: int = BATCH_SIZE
) -> list[M]:
    """Insert `objs` in batches, advancing `progress` by each batch."""
    for start in range(0, len(objs), batch_size):
        batch = objs[start : start + batch_size]
        model._default_manager.bulk_create(batch, batch_size=batch_size)
        progress.update(len(batch))
    return list(objs)


def delete(queryset: "models.QuerySet[Any]") -> int:
    """Delete `queryset`; return how many of its own rows went (rows cascaded are not counted)."""
    _total, by_model = queryset.delete()
    return by_model.get(queryset.model._meta.label, 0)


# Common Malian names: enough variety that a list of 1 000 CHWs reads like a real one.
WOMEN_FIRST_NAMES = [
    "Aminata", "Fatoumata", "Mariam", "Awa", "Kadiatou", "Oumou", "Hawa", "Rokia", "Assitan",
    "Djénéba", "Salimata", "Aïssata", "Bintou", "Korotoumou", "Nana", "Sitan", "Safiatou",
    "Ramata", "Fanta", "Kadidia", "Maïmouna", "Adiaratou", "Tenin", "Nassira", "Coumba",
    "Mah", "Aïcha", "Sanata", "Niakalé", "Kani",
]  # fmt: skip
MEN_FIRST_NAMES = [
    "Moussa", "Ibrahim", "Seydou", "Boubacar", "Adama", "Sékou", "Mamadou", "Modibo",
    "Souleymane", "Bakary", "Amadou", "Oumar", "Issa", "Lassana", "Yacouba", "Drissa",
    "Abdoulaye", "Mahamadou", "Siaka", "Daouda", "Karim", "Cheick", "Tiémoko", "Fousseyni",
    "Bourama", "Alou", "Madou", "Zoumana",
]  # fmt: skip
FAMILY_NAMES = [
    "Traoré", "Diarra", "Keïta", "Coulibaly", "Diallo", "Sangaré", "Camara", "Sidibé", "Konaté",
    "Touré", "Dembélé", "Sissoko", "Bagayoko", "Doumbia", "Kanté", "Maïga", "Cissé", "Koné",
    "Sanogo", "Ballo", "Samaké", "Dicko", "Guindo", "Kouyaté", "Fofana", "Tangara", "Diakité",
    "Togola", "Berthé", "Haïdara", "Mariko", "Sacko",
]  # fmt: skip

# Place names are built from common roots and endings of Bambara place names.
PLACE_ROOTS = [
    "Kalaban", "Niama", "Sébéni", "Dialako", "Farako", "Banan", "Missa", "Kolo", "Dara",
    "Fala", "Kono", "Siby", "Souna", "Wolo", "Nafa", "Massa", "Diba", "Touma", "Kéni",
    "Sanan", "Ouéle", "Djéli", "Moriba", "Soro", "Tiéna", "Dogo", "Faga", "Nioumam",
    "Zanfi", "Kati", "Bamba", "Kassé", "Sirakoro", "Baguin", "Ségué", "Tono", "Dioula",
    "Konobou", "Mana", "Sinsi",
]  # fmt: skip
PLACE_ENDINGS = [
    "bougou", "koro", "dougou", "coura", "kan", "ba", "la", "ni", "so", "kin", "da", "fing",
]  # fmt: skip


def person_name(rng: random.Random, *, women_share: float = 0.5) -> tuple[str, str, str]:
    """(first name, family name, sex "F" or "M")."""
    if rng.random() < women_share:
        return rng.choice(WOMEN_FIRST_NAMES), rng.choice(FAMILY_NAMES), "F"
    return rng.choice(MEN_FIRST_NAMES), rng.choice(FAMILY_NAMES), "M"


def phone_number(rng: random.Random) -> str:
    """A Malian mobile number: +223 then 8 digits starting 6 or 7."""
    digits = f"{rng.choice('67')}{rng.randrange(10**7):07d}"
    return f"+223 {digits[0:2]} {digits[2:4]} {digits[4:6]} {digits[6:8]}"


def date_between(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randrange((end - start).days + 1))


class NameMaker:
    """Place names, never the same twice under one parent (the database refuses that)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: dict[Any, set[str]] = {}

    def place(self, parent: Any, taken: Iterable[str] = ()) -> str:
        used = self.used.setdefault(parent, set(taken))
        for _attempt in range(50):
            name = self.rng.choice(PLACE_ROOTS) + self.rng.choice(PLACE_ENDINGS)
            if name not in used:
                used.add(name)
                return name
        # Over 480 names under one parent: number them rather than loop.
        name = f"{self.rng.choice(PLACE_ROOTS)}{self.rng.choice(PLACE_ENDINGS)} {len(used) + 1}"
        used.add(name)
        return name
