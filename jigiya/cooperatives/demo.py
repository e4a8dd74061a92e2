"""The demo world's cooperatives, recorded through the services (the stock ledger is real).

- Jèkafo Muso (Sotuba), the mask-sewing cooperative of 30 women, formed in April 2020 when
  masks ran short; 5 sewing machines bought on one grant of the Fondation Santé pour Tous;
  adult masks at 1 000 FCFA and child masks at 600 FCFA; the NGO's order of 400 adult and 100
  child masks for the staff of its partner health centers in Bamako and Sikasso, delivered to
  the CSComs of Sotuba, Banconi and Yirimadio (Bamako) and Wayerma (Sikasso), paid by Orange
  Money.
- Sabunyuman (Banconi), soap makers: the NGO buys their unsold soap and gives it to the CSComs
  and to families in need of Banconi.
- Both: monthly batches and walk-in sales over the last 18 months, behind the dashboards, each
  finished month closed and its surplus paid to the members.
- The union of women's cooperatives of Bamako, forming, with both; a leadership and
  cooperative management training with the DRDSES for their officers.
- Three women's groups preparing a cooperative (Korofina Nord, Sotuba, Banconi), one grown out
  of a savings group; a stock count of Jèkafo Muso, two adult masks short, waiting for a
  second officer.

Idempotent: a cooperative already there is left as it is. Deterministic: the same every time.
"""

import datetime
import random
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from jigiya.accounts.models import User
from jigiya.cooperatives import services
from jigiya.cooperatives.models import (
    Channel,
    Cooperative,
    CoopStatus,
    Member,
    MemberRole,
    PreparingGroup,
    Product,
    StockLevel,
)
from jigiya.cooperatives.services import (
    BatchData,
    DeliveryData,
    DistributionData,
    LineData,
    OrderData,
    PurchaseData,
    SaleData,
    WorkerLine,
)
from jigiya.core.generate import FAMILY_NAMES, WOMEN_FIRST_NAMES
from jigiya.core.periods import Month
from jigiya.donors.models import Funding
from jigiya.places.models import HealthCenter, Place
from jigiya.registry.models import Household, Person

D = datetime.date
NAMESPACE = uuid.UUID("c0000000-0000-4000-8000-00000000c00b")
OFFICES = [MemberRole.PRESIDENT, MemberRole.TREASURER, MemberRole.SECRETARY]
HISTORY_MONTHS = 18


def _id(*parts: Any) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts))


def _women(coop: Cooperative, count: int, rng: random.Random, actor: User, skill: str) -> list:
    members = []
    for index in range(count):
        family = rng.choice(FAMILY_NAMES)
        household = Household(community=coop.community, name=f"Famille {family}")
        household.full_clean()
        household.save()
        person = Person(
            household=household, given_name=rng.choice(WOMEN_FIRST_NAMES), family_name=family,
            sex="F", relationship="spouse",
            birth_date=D(rng.randint(1968, 2000), rng.randint(1, 12), rng.randint(1, 28)),
        )  # fmt: skip
        person.full_clean()
        person.save()
        members.append(
            services.member_add(
                actor=actor, cooperative=coop, person=person, joined_on=coop.formed_on,
                role=OFFICES[index] if index < len(OFFICES) else MemberRole.MEMBER,
                skills=skill, share_capital=5000,
            )
        )  # fmt: skip
    return members


def _start(actor: User, code: str, name: str, activity: str, formed: D, number: str) -> Any:
    community = Place.objects.get(code=code)
    coop = services.cooperative_create(
        actor=actor, community=community, name=name, activity=activity, formed_on=formed,
        id=_id(name),
    )  # fmt: skip
    registered = formed + datetime.timedelta(days=75)
    services.cooperative_status_change(
        actor=actor, cooperative=coop, status=CoopStatus.INCORPORATED, on=registered,
        registration_number=number, registered_on=registered,
        registration_authority="DRDSES du District de Bamako",
    )  # fmt: skip
    return services.cooperative_status_change(
        actor=actor, cooperative=coop, status=CoopStatus.ACTIVE, on=registered
    )


def _products(actor: User, coop: Cooperative, spec: dict[str, Any]) -> dict[str, Product]:
    made = {}
    for name, kind, unit in spec["products"]:
        made[name] = services.product_create(
            actor=actor, cooperative=coop, name=name, kind=kind, unit=unit, id=_id(coop.pk, name)
        )
    for product, component, quantity, per in spec["materials"]:
        services.material_set(
            actor=actor, product=made[product], component=made[component], quantity=quantity,
            per=per,
        )  # fmt: skip
    for product, channel, amount in spec["prices"]:
        services.price_set(
            actor=actor, product=made[product], channel=channel, amount=amount,
            valid_from=coop.formed_on,
        )  # fmt: skip
    return made


MASKS = {
    "products": [
        ("Masque adulte", "product", "piece"), ("Masque enfant", "product", "piece"),
        ("Tissu wax", "input", "centimetre"), ("Élastique", "input", "centimetre"),
        ("Fil", "input", "spool"),
    ],
    "materials": [
        ("Masque adulte", "Tissu wax", 25, 1), ("Masque adulte", "Élastique", 40, 1),
        ("Masque adulte", "Fil", 1, 50), ("Masque enfant", "Tissu wax", 15, 1),
        ("Masque enfant", "Élastique", 30, 1), ("Masque enfant", "Fil", 1, 80),
    ],
    "prices": [
        ("Masque adulte", Channel.WALK_IN, 1000), ("Masque enfant", Channel.WALK_IN, 600),
        ("Masque adulte", Channel.NGO, 1000), ("Masque enfant", Channel.NGO, 600),
    ],
    # input → (quantity bought per piece to make, FCFA per piece); thread: a spool per 40
    "inputs": {"Tissu wax": (40, 150), "Élastique": (60, 50), "Fil": (0, 25)},
}  # fmt: skip
SOAP = {
    "products": [
        ("Savon (morceau)", "product", "bar"), ("Huile de palme", "input", "millilitre"),
        ("Soude", "input", "gram"), ("Parfum", "input", "millilitre"),
    ],
    "materials": [
        ("Savon (morceau)", "Huile de palme", 150, 1), ("Savon (morceau)", "Soude", 20, 1),
        ("Savon (morceau)", "Parfum", 2, 1),
    ],
    "prices": [("Savon (morceau)", Channel.WALK_IN, 250), ("Savon (morceau)", Channel.NGO, 225)],
    "inputs": {"Huile de palme": (150, 90), "Soude": (20, 15), "Parfum": (2, 10)},
}  # fmt: skip


def _buy_for(actor: User, coop: Cooperative, made: dict, spec: dict, units: int, day: D,
             funding: Funding | None = None) -> None:  # fmt: skip
    """Buy the inputs for `units` pieces (rounded up), on `day`."""
    for name, (per_unit, cost) in spec["inputs"].items():
        quantity = units * per_unit if per_unit else units // 40 + 1
        services.purchase_record(
            actor=actor, cooperative=coop,
            data=PurchaseData(
                id=_id(coop.pk, "buy", name, day), product_id=made[name].pk, quantity=quantity,
                cost=units * cost, bought_on=day, supplier="Marché de Médine",
                funding_id=funding.pk if funding else None,
            ),
        )  # fmt: skip


def _batch(actor: User, coop: Any, product: Product, units: int, day: D, workers: list) -> None:
    share, extra = divmod(units, len(workers))
    services.batch_record(
        actor=actor, cooperative=coop,
        data=BatchData(
            id=_id(coop.pk, "batch", product.pk, day), product_id=product.pk, quantity=units,
            made_on=day,
            workers=[
                WorkerLine(w.pk, share + (1 if i < extra else 0)) for i, w in enumerate(workers)
            ],
        ),
    )  # fmt: skip


def _masks_story(actor: User, coop: Cooperative, made: dict, women: list) -> None:
    """April to June 2020: the machines, the first masks, the NGO's order for CSCom staff."""
    funding = Funding.objects.filter(program="cooperatives", place__code="BKO").first()
    services.equipment_add(
        actor=actor, cooperative=coop, item="Machine à coudre Butterfly", quantity=5,
        acquired_on=D(2020, 4, 20), cost=5 * 85000, funding=funding, holder="Atelier de Sotuba",
        id=_id(coop.pk, "machines"),
    )  # fmt: skip
    adult, child = made["Masque adulte"], made["Masque enfant"]
    _buy_for(actor, coop, made, MASKS, 700, D(2020, 4, 22), funding)
    _batch(actor, coop, adult, 450, D(2020, 5, 8), women[:15])
    _batch(actor, coop, child, 150, D(2020, 5, 15), women[15:])
    ngo = services.customer_create(
        actor=actor, cooperative=coop, name="ONG Jigiya", kind="ngo", phone="+223 20 21 00 00"
    )
    order = services.order_create(
        actor=actor, cooperative=coop,
        data=OrderData(
            id=_id(coop.pk, "order-cscom"), customer_id=ngo.pk, ordered_on=D(2020, 5, 4),
            channel=Channel.NGO, reference="BC-2020-017 (masques du personnel des CSCom)",
            lines=[LineData(adult.pk, 400), LineData(child.pk, 100)],
        ),
    )  # fmt: skip
    deliveries = [
        ("CSCOM-SOT", "Dr Awa Diarra, médecin-chef", 120, 40, D(2020, 5, 18)),
        ("CSCOM-BAN", "Mme Kadia Traoré, sage-femme", 100, 20, D(2020, 5, 19)),
        ("CSCOM-YIR", "M. Issa Coulibaly, gestionnaire", 80, 20, D(2020, 5, 20)),
        ("CSCOM-WAY", "Dr Salif Sanogo, médecin-chef (Sikasso)", 100, 20, D(2020, 5, 25)),
    ]
    for code, who, adults, children, day in deliveries:
        center = HealthCenter.objects.filter(code=code).first()
        services.delivery_record(
            actor=actor, order=order,
            data=DeliveryData(
                id=_id(order.pk, code), delivered_on=day, received_by=who,
                health_center_id=center.pk if center else None,
                lines=[LineData(adult.pk, adults), LineData(child.pk, children)],
            ),
        )  # fmt: skip
    services.payment_record(
        actor=actor, cooperative=coop, order=order, amount=460000, method="orange_money",
        reference="OM200602.1044.C77120", paid_on=D(2020, 6, 2), id=_id(order.pk, "paid"),
    )  # fmt: skip


def _soap_story(actor: User, coop: Cooperative, made: dict, women: list, day: D) -> None:
    """The NGO buys unsold soap and gives it to the CSComs and to families in need."""
    soap = made["Savon (morceau)"]
    _buy_for(actor, coop, made, SOAP, 300, day)
    _batch(actor, coop, soap, 300, day, women[:6])
    ngo = services.customer_create(actor=actor, cooperative=coop, name="ONG Jigiya", kind="ngo")
    order = services.order_create(
        actor=actor, cooperative=coop,
        data=OrderData(
            id=_id(coop.pk, "order-soap"), customer_id=ngo.pk, ordered_on=day, channel=Channel.NGO,
            reference="BC-savon-hygiène", lines=[LineData(soap.pk, 240)],
        ),
    )  # fmt: skip
    given = day + datetime.timedelta(days=3)
    for code, who in (("CSCOM-BAN", "Major du CSCom de Banconi"), ("CSCOM-SOT", "Dr Awa Diarra")):
        center = HealthCenter.objects.filter(code=code).first()
        if center is not None:
            services.delivery_record(
                actor=actor, order=order,
                data=DeliveryData(
                    id=_id(order.pk, code), delivered_on=given, received_by=who,
                    health_center_id=center.pk, lines=[LineData(soap.pk, 80)],
                ),
            )  # fmt: skip
    families = Household.objects.filter(community=coop.community).order_by("name")[:8]
    for household in families:
        services.distribution_record(
            actor=actor, cooperative=coop,
            data=DistributionData(
                id=_id(order.pk, household.pk), product_id=soap.pk, quantity=10, given_on=given,
                received_by=f"Mère de la {household.name}", paid_by="ngo_purchase",
                household_id=household.pk, order_id=order.pk,
            ),
        )  # fmt: skip


def _history(actor: User, coop: Cooperative, made: dict, spec: dict, women: list,
             rng: random.Random) -> None:  # fmt: skip
    """A batch at the start of each of the last 18 months and walk-in sales through it."""
    today = timezone.localdate()
    products = [p for p in made.values() if p.kind == "product"]
    walk_in = {name: amount for name, channel, amount in spec["prices"] if channel == "walk_in"}
    prices = {p.pk: walk_in[p.name] for p in products}
    month = Month.current().shift(1 - HISTORY_MONTHS)
    while month.first_day <= today:
        day = month.first_day + datetime.timedelta(days=2)
        if day > today:
            break
        units = {p.pk: rng.randint(60, 120) for p in products}
        _buy_for(actor, coop, made, spec, sum(units.values()), day)
        for product in products:
            _batch(actor, coop, product, units[product.pk], day, rng.sample(women, 6))
        for sale_day in range(5, 28, 4):
            on = month.first_day + datetime.timedelta(days=sale_day)
            if on > today:
                break
            lines = [LineData(p.pk, rng.randint(3, max(4, units[p.pk] // 8))) for p in products]
            total = sum(line.quantity * prices[line.product_id] for line in lines)
            services.sale_record(
                actor=actor, cooperative=coop,
                data=SaleData(
                    id=_id(coop.pk, "sale", on), sold_on=on, lines=lines,
                    # Most pay at once; a neighbour now and then pays half and owes the rest.
                    paid=total if rng.random() < 0.85 else total // 2,
                ),
            )  # fmt: skip
        month = month.next()


def _close_months(actor: User, coop: Cooperative, rule: str) -> None:
    """Close every finished month of the history, in order: the surplus paid to the members."""
    month = Month.current().shift(1 - HISTORY_MONTHS)
    while month < Month.current():
        services.period_close(actor=actor, cooperative=coop, ends_on=month.last_day, rule=rule)
        month = month.next()


def _union_and_training(actor: User) -> None:
    """The union forming in Bamako with both cooperatives; a leadership and management training
    with the regional directorate (DRDSES) for their officers."""
    from jigiya.cooperatives.models import Union

    if Union.objects.filter(pk=_id("union")).exists():
        return
    union = services.union_create(
        actor=actor, place=Place.objects.get(code="BKO"), formed_on=D(2025, 11, 15),
        name="Union des coopératives de femmes de Bamako", id=_id("union"),
    )  # fmt: skip
    roles = {"Jèkafo Muso": "Présidente", "Sabunyuman": "Trésorière"}
    for coop in Cooperative.objects.filter(pk__in=[_id("Jèkafo Muso"), _id("Sabunyuman")]):
        services.union_join(
            actor=actor, union=union, cooperative=coop, joined_on=D(2025, 11, 15),
            yearly_dues=25000, board_role=roles[coop.name],
        )  # fmt: skip
        officers = list(coop.members.exclude(role="member").values_list("pk", flat=True))
        services.training_record(
            actor=actor, cooperative=coop, title="Leadership et gestion coopérative",
            topic="leadership", partner="DRDSES du District de Bamako",
            starts_on=D(2025, 10, 6), ends_on=D(2025, 10, 10), attended=officers,
            certified=officers[:2], id=_id(coop.pk, "training"),
        )  # fmt: skip
    _union_board(actor, union)


def _union_board(actor: User, union: Any) -> None:
    """The union's first board, elected at its formation: Jèkafo Muso's president presides,
    Sabunyuman's treasurer keeps the union's money."""
    seats = {
        "president": Member.objects.get(
            cooperative_id=_id("Jèkafo Muso"), role=MemberRole.PRESIDENT
        ),
        "treasurer": Member.objects.get(
            cooperative_id=_id("Sabunyuman"), role=MemberRole.TREASURER
        ),
    }
    services.board_elect(
        actor=actor, union=union, held_on=D(2025, 11, 15),
        seats={role: m.pk for role, m in seats.items()}, id=_id("union board"),
    )  # fmt: skip


PIPELINE = [
    ("BKO-C1-KOR", "Muso Jɛ", "peanut_butter", 16, "trained", D(2026, 9, 14),
     "Groupe d'épargne Benkadi de Korofina"),
    ("BKO-C1-SOT", "Sigida Muso", "soap", 11, "statutes", D(2026, 10, 20), ""),
    ("BKO-C1-BAN", "Danaya", "other", 9, "interest", D(2026, 11, 5), ""),
]  # fmt: skip


def _pipeline_and_count(actor: User) -> None:
    """Groups preparing a cooperative, and a count of the mask stock waiting for approval."""
    for code, name, activity, women, stage, since, origin in PIPELINE:
        services.preparing_group_create(
            actor=actor, community=Place.objects.get(code=code), name=name, activity=activity,
            women=women, stage=stage, since=since, origin=origin, id=_id("pipeline", name),
        )  # fmt: skip
    masks = Cooperative.objects.get(pk=_id("Jèkafo Muso"))
    adult = masks.products.get(name="Masque adulte")
    fabric = masks.products.get(name="Tissu wax")
    level = {
        p.product_id: p.quantity for p in StockLevel.objects.filter(product__in=[adult, fabric])
    }
    services.stock_count_record(
        actor=actor, cooperative=masks, counted_on=timezone.localdate(),
        counts={adult.pk: max(level[adult.pk] - 2, 0), fabric.pk: level[fabric.pk]},
        id=_id(masks.pk, "count"),
    )  # fmt: skip


@transaction.atomic
def load(*, admin: User) -> None:
    """The two cooperatives and their history, if missing (idempotent)."""
    actor = User.objects.filter(username="cooperative").first() or admin
    rng = random.Random(2020)  # noqa: S311 - demo data, not secret
    if not Cooperative.objects.filter(pk=_id("Jèkafo Muso")).exists():
        coop = _start(
            actor, "BKO-C1-SOT", "Jèkafo Muso", "masks", D(2020, 4, 15), "SCOOPS-BKO-2020-031"
        )
        made = _products(actor, coop, MASKS)
        women = _women(coop, 30, rng, actor, "couture")
        _masks_story(actor, coop, made, women)
        _history(actor, coop, made, MASKS, women, rng)
        _close_months(actor, coop, "pieces")
    if not Cooperative.objects.filter(pk=_id("Sabunyuman")).exists():
        coop = _start(
            actor, "BKO-C1-BAN", "Sabunyuman", "soap", D(2021, 2, 1), "SCOOPS-BKO-2021-007"
        )
        made = _products(actor, coop, SOAP)
        women = _women(coop, 12, rng, actor, "saponification")
        _history(actor, coop, made, SOAP, women, rng)
        _soap_story(actor, coop, made, women, timezone.localdate() - datetime.timedelta(days=20))
        _close_months(actor, coop, "equal")
    _union_and_training(actor)
    if not PreparingGroup.objects.filter(pk=_id("pipeline", PIPELINE[0][1])).exists():
        _pipeline_and_count(actor)
