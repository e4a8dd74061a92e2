"""Generated families and follow-up history for benchmarks: in every generated community, with
its generated CHW, households followed twice a month for 25 months (`bulk.py`).

| scale    | households | people (≈5 a household) | visits (≈50 a household) |
|----------|-----------:|------------------------:|-------------------------:|
| tiny     |         24 |                    ~120 |                   ~1 200 |
| district |      4 200 |                 ~20 000 |                 ~200 000 |
| national |    225 000 |                ~1.08 M  |                ~10.3 M  |

Households are named `GEN-Famille …` (the marker reset and count look for)."""

import datetime
import random

from django.apps import apps
from django.db.models import Q
from django.utils import timezone

from jigiya.accounts.models import Assignment
from jigiya.accounts.roles import Role
from jigiya.core import appendonly
from jigiya.core.generate import (
    CODE_PREFIX,
    Counts,
    GenerateError,
    Progress,
    Scale,
    Step,
    register_step,
)
from jigiya.followup import bulk
from jigiya.followup.models import (
    ChildAssessment,
    EducationSession,
    PregnancyCheck,
    Referral,
    Task,
    TaskStateChange,
    Visit,
)
from jigiya.places.models import Place, PlaceKind
from jigiya.registry.models import AncContact, Enrollment, Household, Person, Pregnancy

HOUSEHOLDS_PER_COMMUNITY = {
    "tiny": 3,
    "district": 70,
    "national": 225,
}  # 210 gave 9.59 M visits: 225 passes 10 M
MONTHS = 25
# Household names start with it (the savings step makes households of its own, named otherwise).
PREFIX = f"{CODE_PREFIX}Famille "
NAME_PREFIX = CODE_PREFIX


def _households(scale: Scale) -> int:
    return HOUSEHOLDS_PER_COMMUNITY.get(scale.name, 10) * scale.communities


def size(scale: Scale) -> int:
    return _households(scale) * 160  # rows written, roughly, for the progress bar


def generate(scale: Scale, rng: random.Random, progress: Progress) -> Counts:
    """The families of `scale`; nothing when they are already there."""
    expected = _households(scale)
    existing = Household.objects.filter(name__startswith=PREFIX).count()
    if existing == expected:
        return {}
    if existing:
        raise GenerateError(
            f"{existing} generated households of another scale are in the database "
            f"(the {scale.name} scale has {expected}): run with --reset."
        )
    progress.set_description("families and visits")
    communities = list(
        Place.objects.filter(code__startswith=CODE_PREFIX, kind=PlaceKind.COMMUNITY).order_by(
            "code"
        )
    )
    chws = {
        a.place_id: a.user
        for a in Assignment.objects.filter(role=Role.CHW, place__in=communities).select_related(
            "user"
        )
    }
    if len(chws) != len(communities):
        raise GenerateError("Every generated community needs its generated CHW: run with --reset.")
    today = timezone.localdate()
    world = bulk.World(
        start=today - datetime.timedelta(days=round(MONTHS * 30.4375)),
        today=today,
        rich=scale.name != "national",
        name_prefix=NAME_PREFIX,
    )
    writer = bulk.Writer(progress=progress.update)
    per_community = HOUSEHOLDS_PER_COMMUNITY.get(scale.name, 10)
    loaded = [
        *apps.get_app_config("registry").get_models(include_auto_created=True),
        *apps.get_app_config("followup").get_models(include_auto_created=True),
    ]
    with bulk.foreign_keys_checked_after(loaded):
        bulk.build(
            rng,
            (
                bulk.Community(
                    place=place,
                    chw=chws[place.pk],
                    health_center_id=place.health_center_id,
                    households=per_community,
                    code=place.code,
                )
                for place in communities
            ),
            world,
            writer,
        )
    return dict(writer.counts)


def _generated() -> Q:
    return Q(name__startswith=PREFIX)


def reset() -> Counts:
    """Delete every generated family and its history (children before parents)."""
    households = Household.objects.filter(_generated())
    people = Person.objects.filter(household__in=households)
    deleted: Counts = {}
    tasks = Task.objects.filter(household__in=households)
    with appendonly.suspended("followup_taskstatechange"):
        history = TaskStateChange.objects.filter(task__in=tasks)
        deleted["task history"] = history._raw_delete("default")
    deleted["tasks"] = tasks._raw_delete("default")
    visits = Visit.objects.filter(household__in=households)
    Visit.people.through.objects.filter(visit__in=visits)._raw_delete("default")
    for model in (ChildAssessment, PregnancyCheck):
        deleted[str(model._meta.model_name)] = model.objects.filter(visit__in=visits)._raw_delete(
            "default"
        )
    sessions = EducationSession.objects.filter(visit__in=visits)
    EducationSession.attendees.through.objects.filter(educationsession__in=sessions).delete()
    deleted["education sessions"] = sessions._raw_delete("default")
    deleted["referrals"] = Referral.objects.filter(person__in=people)._raw_delete("default")
    deleted["visits"] = visits._raw_delete("default")
    pregnancies = Pregnancy.objects.filter(woman__in=people)
    AncContact.objects.filter(pregnancy__in=pregnancies)._raw_delete("default")
    people.filter(born_of__isnull=False).update(born_of=None)  # newborns registered since
    deleted["pregnancies"] = pregnancies._raw_delete("default")
    deleted["enrollments"] = Enrollment.objects.filter(person__in=people)._raw_delete("default")
    households.update(head=None)
    deleted["people"] = people._raw_delete("default")
    deleted["households"] = households._raw_delete("default")
    return deleted


def count() -> Counts:
    households = Household.objects.filter(_generated())
    return {
        "households": households.count(),
        "people": Person.objects.filter(household__in=households).count(),
        "visits": Visit.objects.filter(household__in=households).count(),
    }


STEP = register_step(Step(name="followup", generate=generate, size=size, reset=reset, count=count))
