"""Generated places: regions, cercles, communes and communities under Mali, one partner CSCom per
commune with its ASACO, board and general assemblies. Codes start with `GEN-`.

Rows are bulk-inserted, so `path` and `depth` are set here exactly as `services.place_create`
sets them; nothing here is audited (it is synthetic data, not anyone's change).
"""

import datetime
import random
import uuid
from decimal import Decimal

from django.db.models import Count

from jigiya.core.generate import (
    CODE_PREFIX,
    Counts,
    GenerateError,
    NameMaker,
    Progress,
    Scale,
    Step,
    bulk_insert,
    date_between,
    new_id,
    person_name,
    phone_number,
    register_step,
    split,
)
from jigiya.places.models import (
    Asaco,
    BoardMember,
    BoardRole,
    GeneralAssembly,
    HealthCenter,
    HealthCenterStatus,
    Place,
    PlaceKind,
)

COUNTRY_CODE = "ML"

# Regions of Mali other than the demo world's two (Bamako, Sikasso).
REGION_NAMES = [
    "Kayes", "Koulikoro", "Ségou", "Mopti", "Tombouctou", "Gao", "Kidal", "Taoudénit", "Ménaka",
    "Nioro", "Kita", "Dioïla", "Nara", "Bougouni", "Koutiala", "San", "Douentza", "Bandiagara",
]  # fmt: skip

# Board offices in the order they are filled; seats beyond these are ordinary members.
BOARD_OFFICES = [
    BoardRole.PRESIDENT,
    BoardRole.VICE_PRESIDENT,
    BoardRole.SECRETARY,
    BoardRole.TREASURER,
    BoardRole.AUDITOR,
]

DECISIONS = [
    "Rapport d'activités et rapport financier approuvés.",
    "Tarifs des consultations affichés à l'entrée du CSCom.",
    "Élection du bureau de l'ASACO.",
    "Plan de santé communautaire de l'année adopté.",
    "Recettes et dépenses présentées en public.",
    "Équipe d'amélioration de la qualité confirmée.",
    "Cotisations des membres fixées pour l'année.",
    "Campagne de sensibilisation sur les accouchements au CSCom.",
]

# The last general assembly is in this year, earlier ones one year apart: always in the past.
LAST_ASSEMBLY_YEAR = 2024


def _expected_places(scale: Scale) -> int:
    return scale.regions + scale.cercles + scale.communes + scale.communities


def size(scale: Scale) -> int:
    centers = scale.health_centers
    return (
        _expected_places(scale)
        + centers * (2 + scale.board_size + scale.assemblies_per_asaco)
        + scale.communities  # linking each community to its health center
    )


def _place(rng: random.Random, *, kind: str, name: str, code: str, parent: Place) -> Place:
    place = Place(id=new_id(rng), kind=kind, name=name, code=code, parent=parent)
    place.path = f"{parent.path}{place.pk.hex}/"  # as services.place_create does
    place.depth = parent.depth + 1
    return place


def _children(
    rng: random.Random,
    names: NameMaker,
    *,
    parents: list[Place],
    total: int,
    kind: str,
    code: str,
) -> list[Place]:
    """`total` places of `kind` spread over `parents`, coded `code` % running number."""
    places: list[Place] = []
    for parent, count in zip(parents, split(total, len(parents)), strict=True):
        for _index in range(count):
            places.append(
                _place(
                    rng,
                    kind=kind,
                    name=names.place(parent.pk),
                    code=code % (len(places) + 1),
                    parent=parent,
                )
            )
    return places


def _regions(rng: random.Random, country: Place, count: int) -> list[Place]:
    taken = set(Place.objects.filter(parent=country).values_list("name", flat=True))
    free = [name for name in REGION_NAMES if name not in taken]
    names = NameMaker(rng)
    chosen = rng.sample(free, min(count, len(free)))
    chosen += [names.place(country.pk, taken | set(chosen)) for _ in range(count - len(chosen))]
    return [
        _place(
            rng,
            kind=PlaceKind.REGION,
            name=name,
            code=f"{CODE_PREFIX}REG-{index:02d}",
            parent=country,
        )
        for index, name in enumerate(chosen, start=1)
    ]


def _coordinate(rng: random.Random, low: float, high: float) -> Decimal:
    return Decimal(f"{rng.uniform(low, high):.5f}")


def generate(scale: Scale, rng: random.Random, progress: Progress) -> Counts:
    """The places, health centers and ASACOs of `scale`; nothing when they are already there."""
    existing = Place.objects.filter(code__startswith=CODE_PREFIX).count()
    if existing == _expected_places(scale):
        return {}
    if existing:
        raise GenerateError(
            f"{existing} generated places of another scale are in the database "
            f"(the {scale.name} scale has {_expected_places(scale)}): run with --reset."
        )
    country = Place.objects.filter(code=COUNTRY_CODE, kind=PlaceKind.COUNTRY).first()
    if country is None:
        raise GenerateError(f"The country “{COUNTRY_CODE}” is missing: load the demo world first.")

    progress.set_description("places")
    names = NameMaker(rng)
    regions = _regions(rng, country, scale.regions)
    cercles = _children(
        rng, names, parents=regions, total=scale.cercles, kind=PlaceKind.CERCLE,
        code=f"{CODE_PREFIX}CER-%03d",
    )  # fmt: skip
    communes = _children(
        rng, names, parents=cercles, total=scale.communes, kind=PlaceKind.COMMUNE,
        code=f"{CODE_PREFIX}COM-%03d",
    )  # fmt: skip
    communities = _children(
        rng, names, parents=communes, total=scale.communities, kind=PlaceKind.COMMUNITY,
        code=f"{CODE_PREFIX}CTY-%04d",
    )  # fmt: skip
    for level in (regions, cercles, communes, communities):  # parents before children
        bulk_insert(Place, level, progress)

    progress.set_description("health centers")
    centers = _health_centers(rng, communes, communities)
    bulk_insert(HealthCenter, centers, progress)
    # Every community belongs to the health area of its commune's CSCom.
    center_of_commune = {center.place.parent_id: center for center in centers}
    for community in communities:
        community.health_center = center_of_commune[community.parent_id]
    Place.objects.bulk_update(communities, ["health_center"], batch_size=500)
    progress.update(len(communities))

    progress.set_description("ASACOs")
    asacos = [
        Asaco(
            id=new_id(rng),
            health_center=center,
            name=f"ASACO de {center.place.name}",
            registration_number=f"REC-{center.code}",
            registered_on=(center.partner_since or datetime.date(2012, 1, 1))
            - datetime.timedelta(days=rng.randint(200, 2000)),
            members_count=rng.randint(40, 220),
        )
        for center in centers
    ]
    bulk_insert(Asaco, asacos, progress)
    board, assemblies = _governance(rng, asacos, scale)
    bulk_insert(BoardMember, board, progress)
    bulk_insert(GeneralAssembly, assemblies, progress)
    return {
        "regions": len(regions),
        "cercles": len(cercles),
        "communes": len(communes),
        "communities": len(communities),
        "health centers": len(centers),
        "ASACOs": len(asacos),
        "board members": len(board),
        "general assemblies": len(assemblies),
    }


def _health_centers(
    rng: random.Random, communes: list[Place], communities: list[Place]
) -> list[HealthCenter]:
    """One CSCom per commune, in the commune's first community."""
    first_community: dict[object, Place] = {}
    for community in communities:
        first_community.setdefault(community.parent_id, community)
    centers = []
    for index, commune in enumerate(communes, start=1):
        community = first_community[commune.pk]
        centers.append(
            HealthCenter(
                id=new_id(rng),
                name=f"CSCom de {community.name}",
                code=f"{CODE_PREFIX}CSCOM-{index:03d}",
                place=community,
                health_area=f"Aire de santé de {community.name}",
                # Southern Mali, where most people live.
                latitude=_coordinate(rng, 11.0, 15.5),
                longitude=_coordinate(rng, -11.5, -4.0),
                partner_since=date_between(
                    rng, datetime.date(2012, 1, 1), datetime.date(2023, 12, 31)
                ),
                status=HealthCenterStatus.PARTNER,
            )
        )
    return centers


def _governance(
    rng: random.Random, asacos: list[Asaco], scale: Scale
) -> tuple[list[BoardMember], list[GeneralAssembly]]:
    """Each ASACO's general assemblies, one a year, and the board elected at the first one."""
    board = []
    assemblies = []
    for asaco in asacos:
        held = [
            datetime.date(LAST_ASSEMBLY_YEAR - years_ago, rng.randint(1, 3), rng.randint(1, 28))
            for years_ago in reversed(range(scale.assemblies_per_asaco))
        ]
        for held_on in held:
            attendance = rng.randint(40, 160)
            assemblies.append(
                GeneralAssembly(
                    id=new_id(rng),
                    asaco=asaco,
                    held_on=held_on,
                    attendance=attendance,
                    women_attending=rng.randint(attendance * 35 // 100, attendance * 65 // 100),
                    decisions=" ".join(rng.sample(DECISIONS, 2)),
                )
            )
        elected_on = held[0] if held else datetime.date(LAST_ASSEMBLY_YEAR, 1, 15)
        for seat in range(scale.board_size):
            first, last, sex = person_name(rng, women_share=0.4)
            board.append(
                BoardMember(
                    id=new_id(rng),
                    asaco=asaco,
                    full_name=f"{first} {last}",
                    role=BOARD_OFFICES[seat] if seat < len(BOARD_OFFICES) else BoardRole.MEMBER,
                    sex=sex,
                    phone=phone_number(rng),
                    term_start=elected_on,
                )
            )
    return board, assemblies


def reset() -> Counts:
    """Delete every generated place and what hangs on it, children before parents."""
    generated_asacos = Asaco.objects.filter(health_center__code__startswith=CODE_PREFIX)
    deleted = {
        "general assemblies": GeneralAssembly.objects.filter(asaco__in=generated_asacos).delete()[
            0
        ],
        "board members": BoardMember.objects.filter(asaco__in=generated_asacos).delete()[0],
        "ASACOs": generated_asacos.delete()[0],
    }
    Place.objects.filter(health_center__code__startswith=CODE_PREFIX).update(health_center=None)
    deleted["health centers"] = HealthCenter.objects.filter(code__startswith=CODE_PREFIX).delete()[
        0
    ]
    places = Place.objects.filter(code__startswith=CODE_PREFIX)
    deleted["places"] = 0
    for depth in sorted(set(places.values_list("depth", flat=True)), reverse=True):
        deleted["places"] += places.filter(depth=depth).delete()[0]
    return deleted


def count() -> Counts:
    """The generated rows now in the database."""
    by_kind = dict(
        Place.objects.filter(code__startswith=CODE_PREFIX)
        .values_list("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    centers = HealthCenter.objects.filter(code__startswith=CODE_PREFIX)
    return {
        "regions": by_kind.get(PlaceKind.REGION, 0),
        "cercles": by_kind.get(PlaceKind.CERCLE, 0),
        "communes": by_kind.get(PlaceKind.COMMUNE, 0),
        "communities": by_kind.get(PlaceKind.COMMUNITY, 0),
        "health centers": centers.count(),
        "ASACOs": Asaco.objects.filter(health_center__in=centers).count(),
        "board members": BoardMember.objects.filter(asaco__health_center__in=centers).count(),
        "general assemblies": GeneralAssembly.objects.filter(
            asaco__health_center__in=centers
        ).count(),
    }


STEP = register_step(Step(name="places", generate=generate, size=size, reset=reset, count=count))


def community_ids(*, generated: bool) -> frozenset[uuid.UUID]:
    """The ids of the communities `jigiya generate` made (`generated=True`: codes starting with
    CODE_PREFIX), or of the others (the demo world's)."""
    places = Place.objects.filter(kind=PlaceKind.COMMUNITY)
    marked = {"code__startswith": CODE_PREFIX}
    places = places.filter(**marked) if generated else places.exclude(**marked)
    return frozenset(places.values_list("pk", flat=True))
