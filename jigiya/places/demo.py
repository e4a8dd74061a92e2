"""The demo world's places, retold from the field story: Bamako and Sikasso, Sotuba first."""

import datetime
from typing import Any

from django.db import transaction

from jigiya.places import services
from jigiya.places.models import Asaco, HealthCenter, Place, PlaceKind

# (code, kind, name, parent code)
PLACES = [
    ("ML", PlaceKind.COUNTRY, "Mali", None),
    ("ML-BKO", PlaceKind.REGION, "District de Bamako", "ML"),
    ("BKO", PlaceKind.CERCLE, "Bamako", "ML-BKO"),
    ("BKO-C1", PlaceKind.COMMUNE, "Commune I", "BKO"),
    ("BKO-C1-SOT", PlaceKind.COMMUNITY, "Sotuba", "BKO-C1"),
    ("BKO-C1-BAN", PlaceKind.COMMUNITY, "Banconi", "BKO-C1"),
    ("BKO-C1-KOR", PlaceKind.COMMUNITY, "Korofina Nord", "BKO-C1"),
    ("BKO-C6", PlaceKind.COMMUNE, "Commune VI", "BKO"),
    ("BKO-C6-YIR", PlaceKind.COMMUNITY, "Yirimadio", "BKO-C6"),
    ("BKO-C6-SOK", PlaceKind.COMMUNITY, "Sokorodji", "BKO-C6"),
    ("ML-SIK", PlaceKind.REGION, "Sikasso", "ML"),
    ("SIK", PlaceKind.CERCLE, "Sikasso", "ML-SIK"),
    ("SIK-CU", PlaceKind.COMMUNE, "Commune urbaine de Sikasso", "SIK"),
    ("SIK-CU-WAY", PlaceKind.COMMUNITY, "Wayerma", "SIK-CU"),
    ("SIK-CU-SAN", PlaceKind.COMMUNITY, "Sanoubougou", "SIK-CU"),
]

# (code, name, located in, health area, communities served, lat, lon, partner since, ASACO)
HEALTH_CENTERS = [
    (
        "CSCOM-SOT",
        "CSCom de Sotuba",
        "BKO-C1-SOT",
        "Aire de santé de Sotuba",
        ["BKO-C1-SOT"],
        "12.65710",
        "-7.93440",
        datetime.date(2014, 3, 1),
        "ASACOSO",
    ),
    (
        "CSCOM-BAN",
        "CSCom de Banconi",
        "BKO-C1-BAN",
        "Aire de santé de Banconi",
        ["BKO-C1-BAN", "BKO-C1-KOR"],
        "12.67250",
        "-7.97810",
        datetime.date(2016, 1, 15),
        "ASACOBA",
    ),
    (
        "CSCOM-YIR",
        "CSCom de Yirimadio",
        "BKO-C6-YIR",
        "Aire de santé de Yirimadio",
        ["BKO-C6-YIR", "BKO-C6-SOK"],
        "12.57980",
        "-7.93150",
        datetime.date(2017, 6, 1),
        "ASACOYIR",
    ),
    (
        "CSCOM-WAY",
        "CSCom de Wayerma",
        "SIK-CU-WAY",
        "Aire de santé de Wayerma",
        ["SIK-CU-WAY", "SIK-CU-SAN"],
        "11.32470",
        "-5.67530",
        datetime.date(2018, 9, 1),
        "ASACOWA",
    ),
]

SOTUBA_BOARD = [
    ("Moussa Coulibaly", "president", "M", datetime.date(2022, 1, 15)),
    ("Hawa Konaté", "vice_president", "F", datetime.date(2022, 1, 15)),
    ("Adama Sissoko", "secretary", "M", datetime.date(2022, 1, 15)),
    ("Rokia Touré", "treasurer", "F", datetime.date(2022, 1, 15)),
    ("Sékou Bagayoko", "auditor", "M", datetime.date(2022, 1, 15)),
]

SOTUBA_ASSEMBLIES = [
    (datetime.date(2022, 1, 15), 84, 37, "Élection du bureau; adoption du plan de santé 2022."),
    (datetime.date(2023, 1, 21), 96, 45, "Rapport financier approuvé; tarifs affichés au CSCom."),
    (datetime.date(2024, 1, 20), 112, 58, "Compte rendu public des recettes; équipe QI confirmée."),
    (datetime.date(2025, 1, 18), 121, 63, "Passation du programme QI à l'équipe locale votée."),
]


@transaction.atomic
def load(*, admin: Any) -> None:
    """Create the demo places, health centers and ASACOs that are missing (idempotent)."""
    by_code = {place.code: place for place in Place.objects.filter(code__in=[p[0] for p in PLACES])}
    for code, kind, name, parent_code in PLACES:
        if code not in by_code:
            by_code[code] = services.place_create(
                actor=admin,
                kind=kind,
                name=name,
                code=code,
                parent=by_code[parent_code] if parent_code else None,
            )
    for code, name, place_code, area, served, lat, lon, since, asaco_name in HEALTH_CENTERS:
        center = HealthCenter.objects.filter(code=code).first()
        if center is None:
            from decimal import Decimal

            center = services.health_center_create(
                actor=admin,
                name=name,
                code=code,
                place=by_code[place_code],
                health_area=area,
                latitude=Decimal(lat),
                longitude=Decimal(lon),
                partner_since=since,
            )
        for community_code in served:
            community = by_code[community_code]
            if community.health_center_id != center.pk:
                services.place_update(
                    actor=admin,
                    place=community,
                    name=community.name,
                    code=community.code,
                    health_center=center,
                )
        asaco = Asaco.objects.filter(health_center=center).first()
        if asaco is None:
            asaco = services.asaco_save(
                actor=admin,
                health_center=center,
                name=f"{asaco_name} — Association de santé communautaire",
                registration_number=f"REC-{asaco_name}",
                registered_on=since - datetime.timedelta(days=400),
                members_count=150 if code == "CSCOM-SOT" else 90,
            )
        if code == "CSCOM-SOT" and not asaco.board.exists():
            for full_name, role, sex, start in SOTUBA_BOARD:
                services.board_member_add(
                    actor=admin,
                    asaco=asaco,
                    full_name=full_name,
                    role=role,
                    sex=sex,
                    term_start=start,
                )
            for held_on, attendance, women, decisions in SOTUBA_ASSEMBLIES:
                services.assembly_record(
                    actor=admin,
                    asaco=asaco,
                    held_on=held_on,
                    attendance=attendance,
                    women_attending=women,
                    decisions=decisions,
                )
