"""The cooperatives' JSON API: every write a device makes, idempotent per client UUID
(`core.retries`: the same request again → 200 and nothing written; the same id with other
content → 409). Bodies are read only once the object in the path is known to be the caller's
(outside: 404, never 422)."""

import uuid
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Status
from ninja.pagination import paginate

from jigiya.accounts.access import get_in_scope, require_perm_at
from jigiya.accounts.roles import Perm
from jigiya.cooperatives import selectors, services
from jigiya.cooperatives.models import Cooperative, Equipment, UnionMember
from jigiya.cooperatives.schemas import (
    CoopBatchIn,
    CoopBatchOut,
    CoopBoardIn,
    CoopBoardOut,
    CoopCashOut,
    CoopCertifyIn,
    CoopCertifyOut,
    CoopCloseIn,
    CoopCloseOut,
    CoopCountIn,
    CoopCountOut,
    CoopDeliveryIn,
    CoopDeliveryOut,
    CoopDisposalIn,
    CoopDistributionIn,
    CoopDistributionOut,
    CoopDuesIn,
    CoopDuesOut,
    CoopEquipmentIn,
    CoopEquipmentOut,
    CooperativeDetailOut,
    CooperativeIn,
    CooperativeOut,
    CoopExpenseIn,
    CoopLossIn,
    CoopLossOut,
    CoopMaintenanceIn,
    CoopMaintenanceOut,
    CoopMemberIn,
    CoopMemberOut,
    CoopOrderIn,
    CoopOrderOut,
    CoopPaymentIn,
    CoopPaymentOut,
    CoopPreparingGroupIn,
    CoopPreparingGroupOut,
    CoopPurchaseIn,
    CoopPurchaseOut,
    CoopRejectIn,
    CoopSaleIn,
    CoopSaleOut,
    CoopStageIn,
    CoopTrainingDayIn,
    CoopTrainingDayOut,
    CoopTrainingIn,
    CoopTrainingOut,
)
from jigiya.core.api import Pagination, body_doc, parse_body
from jigiya.core.retries import created_or_replayed
from jigiya.donors.models import Funding
from jigiya.places.models import Place
from jigiya.registry.models import Person

router = Router(tags=["cooperatives"])


def _recording(request: HttpRequest, cooperative_id: uuid.UUID) -> Cooperative:
    coop = selectors.cooperative_get(user=request.user, cooperative_id=cooperative_id)
    require_perm_at(request.user, Perm.COOPERATIVES_RECORD, coop.community)
    return coop


@router.get("/cooperatives", response=list[CooperativeOut])
@paginate(Pagination)
def cooperative_list(request: HttpRequest) -> Any:
    return selectors.cooperative_list(user=request.user)


@router.get("/cooperatives/{cooperative_id}", response=CooperativeDetailOut)
def cooperative_detail(request: HttpRequest, cooperative_id: uuid.UUID) -> dict[str, Any]:
    coop = selectors.cooperative_get(user=request.user, cooperative_id=cooperative_id)
    return {
        **{name: getattr(coop, name) for name in CooperativeOut.model_fields},
        "stock": [
            {
                "product_id": row.product.pk,
                "name": row.product.name,
                "kind": row.product.kind,
                "unit": row.product.unit,
                "quantity": row.quantity,
            }
            for row in selectors.stock_rows(coop)
        ],
        "cash_received": selectors.cash(coop)["received"],
        "open_orders_value": selectors.open_orders_value(coop),
    }


@router.post(
    "/places/{place_id}/cooperatives",
    response={200: CooperativeOut, 201: CooperativeOut},
    openapi_extra=body_doc(CooperativeIn),
)
def cooperative_create(request: HttpRequest, place_id: uuid.UUID) -> Status:
    """A new cooperative in the community `place_id` (body: `CooperativeIn`)."""
    place = get_in_scope(
        Place.objects.all(), request.user, Perm.COOPERATIVES_RECORD, "path", pk=place_id
    )
    data = parse_body(CooperativeIn, request)
    coop = services.cooperative_create(
        actor=request.user, community=place, name=data.name, activity=data.activity,
        formed_on=data.formed_on, id=data.id,
    )  # fmt: skip
    return created_or_replayed(coop)


@router.post(
    "/cooperatives/{cooperative_id}/members",
    response={200: CoopMemberOut, 201: CoopMemberOut},
    openapi_extra=body_doc(CoopMemberIn),
)
def member_add(request: HttpRequest, cooperative_id: uuid.UUID) -> Status:
    """A woman of the registry joins (body: `CoopMemberIn`); a member added twice: 400."""
    coop = _recording(request, cooperative_id)
    data = parse_body(CoopMemberIn, request)
    person = get_in_scope(
        Person.objects.select_related("household__community"), request.user,
        Perm.COOPERATIVES_RECORD, "household__community__path", pk=data.person_id,
    )  # fmt: skip
    member = services.member_add(
        actor=request.user, cooperative=coop, person=person, joined_on=data.joined_on,
        role=data.role, skills=data.skills, share_capital=data.share_capital, id=data.id,
    )  # fmt: skip
    return created_or_replayed(member)


@router.post(
    "/cooperatives/{cooperative_id}/batches",
    response={200: CoopBatchOut, 201: CoopBatchOut},
    openapi_extra=body_doc(CoopBatchIn),
)
def batch_record(request: HttpRequest, cooperative_id: uuid.UUID) -> Status:
    """A production batch (body: `CoopBatchIn`): inputs out and output in, in one stock entry."""
    coop = _recording(request, cooperative_id)
    data = parse_body(CoopBatchIn, request)
    batch = services.batch_record(
        actor=request.user,
        cooperative=coop,
        data=services.BatchData(
            id=data.id, product_id=data.product_id, quantity=data.quantity,
            made_on=data.made_on,
            workers=[services.WorkerLine(w.member_id, w.pieces, w.hours) for w in data.workers],
            inputs=None if data.inputs is None
            else {line.product_id: line.quantity for line in data.inputs},
        ),
    )  # fmt: skip
    return created_or_replayed(batch)


@router.post(
    "/cooperatives/{cooperative_id}/purchases",
    response={200: CoopPurchaseOut, 201: CoopPurchaseOut},
    openapi_extra=body_doc(CoopPurchaseIn),
)
def purchase_record(request: HttpRequest, cooperative_id: uuid.UUID) -> Status:
    coop = _recording(request, cooperative_id)
    data = parse_body(CoopPurchaseIn, request)
    purchase = services.purchase_record(
        actor=request.user, cooperative=coop, data=services.PurchaseData(**data.model_dump())
    )
    return created_or_replayed(purchase)


def _lines(lines: list[Any]) -> list[services.LineData]:
    return [services.LineData(line.product_id, line.quantity) for line in lines]


@router.post(
    "/cooperatives/{cooperative_id}/sales",
    response={200: CoopSaleOut, 201: CoopSaleOut},
    openapi_extra=body_doc(CoopSaleIn),
)
def sale_record(request: HttpRequest, cooperative_id: uuid.UUID) -> Status:
    """A walk-in sale (body: `CoopSaleIn`) at the walk-in prices of its day."""
    coop = _recording(request, cooperative_id)
    data = parse_body(CoopSaleIn, request)
    sale = services.sale_record(
        actor=request.user,
        cooperative=coop,
        data=services.SaleData(**{**data.model_dump(), "lines": _lines(data.lines)}),
    )
    body = {"id": sale.pk, "sold_on": sale.sold_on, "total": sale.total}
    return created_or_replayed(sale, {**body, "owed": services.owed(sale=sale)})


def _order_out(order: Any) -> dict[str, Any]:
    return {
        "id": order.pk, "customer_id": order.customer_id, "ordered_on": order.ordered_on,
        "channel": order.channel, "status": order.status, "total": order.total,
        "invoiced": services.order_invoiced(order), "owed": services.owed(order=order),
    }  # fmt: skip


@router.post(
    "/cooperatives/{cooperative_id}/orders",
    response={200: CoopOrderOut, 201: CoopOrderOut},
    openapi_extra=body_doc(CoopOrderIn),
)
def order_create(request: HttpRequest, cooperative_id: uuid.UUID) -> Status:
    coop = _recording(request, cooperative_id)
    data = parse_body(CoopOrderIn, request)
    order = services.order_create(
        actor=request.user,
        cooperative=coop,
        data=services.OrderData(**{**data.model_dump(), "lines": _lines(data.lines)}),
    )
    return created_or_replayed(order, _order_out(order))


@router.get("/cooperatives/orders/{order_id}", response=CoopOrderOut)
def order_detail(request: HttpRequest, order_id: uuid.UUID) -> dict[str, Any]:
    return _order_out(selectors.order_get(user=request.user, order_id=order_id))


@router.post(
    "/cooperatives/orders/{order_id}/deliveries",
    response={200: CoopDeliveryOut, 201: CoopDeliveryOut},
    openapi_extra=body_doc(CoopDeliveryIn),
)
def delivery_record(request: HttpRequest, order_id: uuid.UUID) -> Status:
    order = selectors.order_get(user=request.user, order_id=order_id)
    require_perm_at(request.user, Perm.COOPERATIVES_RECORD, order.cooperative.community)
    data = parse_body(CoopDeliveryIn, request)
    delivery = services.delivery_record(
        actor=request.user,
        order=order,
        data=services.DeliveryData(**{**data.model_dump(), "lines": _lines(data.lines)}),
    )
    return created_or_replayed(delivery)


@router.post(
    "/cooperatives/{cooperative_id}/payments",
    response={200: CoopPaymentOut, 201: CoopPaymentOut},
    openapi_extra=body_doc(CoopPaymentIn),
)
def payment_record(request: HttpRequest, cooperative_id: uuid.UUID) -> Status:
    """A payment for a sale or an order of this cooperative, never above what it owes."""
    coop = _recording(request, cooperative_id)
    data = parse_body(CoopPaymentIn, request)
    sale = coop.sales.filter(pk=data.sale_id).first() if data.sale_id else None
    order = coop.orders.filter(pk=data.order_id).first() if data.order_id else None
    payment = services.payment_record(
        actor=request.user, cooperative=coop, amount=data.amount, method=data.method,
        paid_on=data.paid_on, reference=data.reference, sale=sale, order=order, id=data.id,
    )  # fmt: skip
    return created_or_replayed(payment)


@router.post(
    "/cooperatives/{cooperative_id}/distributions",
    response={200: CoopDistributionOut, 201: CoopDistributionOut},
    openapi_extra=body_doc(CoopDistributionIn),
)
def distribution_record(request: HttpRequest, cooperative_id: uuid.UUID) -> Status:
    coop = _recording(request, cooperative_id)
    data = parse_body(CoopDistributionIn, request)
    given = services.distribution_record(
        actor=request.user, cooperative=coop, data=services.DistributionData(**data.model_dump())
    )
    return created_or_replayed(given)


@router.post(
    "/cooperatives/{cooperative_id}/losses",
    response={200: CoopLossOut, 201: CoopLossOut},
    openapi_extra=body_doc(CoopLossIn),
)
def loss_record(request: HttpRequest, cooperative_id: uuid.UUID) -> Status:
    """Units lost, with the reason (body: `CoopLossIn`): stock out."""
    coop = _recording(request, cooperative_id)
    data = parse_body(CoopLossIn, request)
    entry = services.loss_record(actor=request.user, cooperative=coop, **data.model_dump())
    return created_or_replayed(entry)


@router.post(
    "/cooperatives/{cooperative_id}/expenses",
    response={200: CoopCashOut, 201: CoopCashOut},
    openapi_extra=body_doc(CoopExpenseIn),
)
def expense_record(request: HttpRequest, cooperative_id: uuid.UUID) -> Status:
    """An expense paid from the cash (body: `CoopExpenseIn`); never more than the cash holds."""
    coop = _recording(request, cooperative_id)
    data = parse_body(CoopExpenseIn, request)
    entry = services.expense_record(actor=request.user, cooperative=coop, **data.model_dump())
    return created_or_replayed(entry)


@router.post(
    "/cooperatives/{cooperative_id}/closes",
    response={200: CoopCloseOut, 201: CoopCloseOut},
    openapi_extra=body_doc(CoopCloseIn),
)
def period_close(request: HttpRequest, cooperative_id: uuid.UUID) -> Status:
    """Close the period up to `ends_on` (body: `CoopCloseIn`): the surplus shared by the rule, to
    the franc. The same close again: 200; the same period with another rule: 409."""
    coop = _recording(request, cooperative_id)
    data = parse_body(CoopCloseIn, request)
    close = services.period_close(
        actor=request.user, cooperative=coop, ends_on=data.ends_on, rule=data.rule
    )
    body = {
        **{name: getattr(close, name) for name in CoopCloseOut.model_fields if name != "payouts"},
        "payouts": list(close.payouts.values("member_id", "basis", "amount")),
    }
    return created_or_replayed(close, body)


@router.post(
    "/cooperatives/{cooperative_id}/trainings",
    response={200: CoopTrainingOut, 201: CoopTrainingOut},
    openapi_extra=body_doc(CoopTrainingIn),
)
def training_record(request: HttpRequest, cooperative_id: uuid.UUID) -> Status:
    """A training with who attended and who was certified (body: `CoopTrainingIn`)."""
    coop = _recording(request, cooperative_id)
    data = parse_body(CoopTrainingIn, request)
    training = services.training_record(actor=request.user, cooperative=coop, **data.model_dump())
    return created_or_replayed(training)


@router.post(
    "/cooperatives/{cooperative_id}/union-dues",
    response={200: CoopDuesOut, 201: CoopDuesOut},
    openapi_extra=body_doc(CoopDuesIn),
)
def dues_pay(request: HttpRequest, cooperative_id: uuid.UUID) -> Status:
    """The cooperative pays (part of) its union dues for a year from its cash (body:
    `CoopDuesIn`)."""
    coop = _recording(request, cooperative_id)
    data = parse_body(CoopDuesIn, request)
    member = get_object_or_404(UnionMember, union_id=data.union_id, cooperative=coop)
    payment = services.dues_pay(
        actor=request.user, member=member, year=data.year, amount=data.amount,
        paid_on=data.paid_on, id=data.id,
    )  # fmt: skip
    return created_or_replayed(payment)


@router.post(
    "/cooperatives/unions/{union_id}/board",
    response={200: CoopBoardOut, 201: CoopBoardOut},
    openapi_extra=body_doc(CoopBoardIn),
)
def board_elect(request: HttpRequest, union_id: uuid.UUID) -> Status:
    """The union's board elected on a day (body: `CoopBoardIn`), by who records for the union's
    whole area: it replaces the board before it. The same election again: 200; other content
    under its id: 409."""
    union = selectors.union_get(user=request.user, union_id=union_id)
    require_perm_at(request.user, Perm.COOPERATIVES_RECORD, union.place)
    data = parse_body(CoopBoardIn, request)
    election = services.board_elect(
        actor=request.user, union=union, held_on=data.held_on, seats=data.seats, id=data.id
    )
    body = {
        "id": election.pk, "union_id": election.union_id, "held_on": election.held_on,
        "seats": {seat.role: seat.member_id for seat in election.seats.all()},
    }  # fmt: skip
    return created_or_replayed(election, body)


@router.post(
    "/cooperatives/trainings/{training_id}/days",
    response={200: CoopTrainingDayOut, 201: CoopTrainingDayOut},
    openapi_extra=body_doc(CoopTrainingDayIn),
)
def training_day(request: HttpRequest, training_id: uuid.UUID) -> Status:
    """Who was present on one day of the training (body: `CoopTrainingDayIn`), once a day. The
    same day again (same women): 200; other content under its id: 409; other women for a day
    already recorded: 400."""
    training = selectors.training_get(user=request.user, training_id=training_id)
    require_perm_at(request.user, Perm.COOPERATIVES_RECORD, training.cooperative.community)
    data = parse_body(CoopTrainingDayIn, request)
    record = services.training_day(
        actor=request.user, training=training, day=data.day, present=data.present, id=data.id
    )
    body = {
        "id": record.pk, "training_id": training.pk, "day": record.day,
        "present": record.present(),
    }  # fmt: skip
    return created_or_replayed(record, body)


@router.post(
    "/cooperatives/{cooperative_id}/equipment",
    response={200: CoopEquipmentOut, 201: CoopEquipmentOut},
    openapi_extra=body_doc(CoopEquipmentIn),
)
def equipment_add(request: HttpRequest, cooperative_id: uuid.UUID) -> Status:
    """An item of the equipment register, maybe paid by a grant (body: `CoopEquipmentIn`)."""
    coop = _recording(request, cooperative_id)
    data = parse_body(CoopEquipmentIn, request).model_dump()
    funding_id = data.pop("funding_id")
    funding = Funding.objects.filter(pk=funding_id).first() if funding_id else None
    equipment = services.equipment_add(
        actor=request.user, cooperative=coop, funding=funding, **data
    )
    return created_or_replayed(equipment)


def _equipment(request: HttpRequest, equipment_id: uuid.UUID) -> Equipment:
    equipment = selectors.equipment_get(user=request.user, equipment_id=equipment_id)
    require_perm_at(request.user, Perm.COOPERATIVES_RECORD, equipment.cooperative.community)
    return equipment


@router.post(
    "/cooperatives/equipment/{equipment_id}/maintenance",
    response={200: CoopMaintenanceOut, 201: CoopMaintenanceOut},
    openapi_extra=body_doc(CoopMaintenanceIn),
)
def equipment_maintain(request: HttpRequest, equipment_id: uuid.UUID) -> Status:
    """Log maintenance of an item and its condition after; a cost is paid from the cash."""
    equipment = _equipment(request, equipment_id)
    data = parse_body(CoopMaintenanceIn, request)
    log = services.equipment_maintain(actor=request.user, equipment=equipment, **data.model_dump())
    return created_or_replayed(log)


@router.post(
    "/cooperatives/equipment/{equipment_id}/disposal",
    response=CoopEquipmentOut,
    openapi_extra=body_doc(CoopDisposalIn),
)
def equipment_dispose(request: HttpRequest, equipment_id: uuid.UUID) -> Equipment:
    """The item leaves the register, with why (body: `CoopDisposalIn`); the same again: 200."""
    equipment = _equipment(request, equipment_id)
    data = parse_body(CoopDisposalIn, request)
    return services.equipment_dispose(actor=request.user, equipment=equipment, **data.model_dump())


def _count_out(count: Any) -> dict[str, Any]:
    return {
        "id": count.pk,
        "counted_on": count.counted_on,
        "status": count.status,
        "entry_id": count.entry_id,
        "lines": [
            {"product_id": line.product_id, "expected": line.expected, "counted": line.counted,
             "difference": line.difference}
            for line in count.lines.all()
        ],
    }  # fmt: skip


@router.post(
    "/cooperatives/{cooperative_id}/counts",
    response={200: CoopCountOut, 201: CoopCountOut},
    openapi_extra=body_doc(CoopCountIn),
)
def stock_count_record(request: HttpRequest, cooperative_id: uuid.UUID) -> Status:
    """A physical count (body: `CoopCountIn`), kept beside the books; nothing is posted."""
    coop = _recording(request, cooperative_id)
    data = parse_body(CoopCountIn, request)
    count = services.stock_count_record(
        actor=request.user, cooperative=coop, counted_on=data.counted_on, id=data.id,
        counts={line.product_id: line.counted for line in data.lines},
    )  # fmt: skip
    return created_or_replayed(count, _count_out(count))


def _count(request: HttpRequest, count_id: uuid.UUID) -> Any:
    count = selectors.count_get(user=request.user, count_id=count_id)
    require_perm_at(request.user, Perm.COOPERATIVES_APPROVE, count.cooperative.community)
    return count


@router.post("/cooperatives/counts/{count_id}/approve", response=CoopCountOut)
def stock_count_approve(request: HttpRequest, count_id: uuid.UUID) -> dict[str, Any]:
    """A second officer approves the count: its differences posted as one adjustment. The
    officer who counted: 400; sent again by the one who approved: 200, nothing more posted."""
    count = services.stock_count_approve(actor=request.user, count=_count(request, count_id))
    return _count_out(count)


@router.post(
    "/cooperatives/counts/{count_id}/reject",
    response=CoopCountOut,
    openapi_extra=body_doc(CoopRejectIn),
)
def stock_count_reject(request: HttpRequest, count_id: uuid.UUID) -> dict[str, Any]:
    """A second officer rejects the count, with why (body: `CoopRejectIn`): nothing posted."""
    count = _count(request, count_id)
    data = parse_body(CoopRejectIn, request)
    count = services.stock_count_reject(actor=request.user, count=count, reason=data.reason)
    return _count_out(count)


@router.post(
    "/places/{place_id}/preparing-groups",
    response={200: CoopPreparingGroupOut, 201: CoopPreparingGroupOut},
    openapi_extra=body_doc(CoopPreparingGroupIn),
)
def preparing_group_create(request: HttpRequest, place_id: uuid.UUID) -> Status:
    """A women's group preparing a cooperative in the community `place_id`."""
    place = get_in_scope(
        Place.objects.all(), request.user, Perm.COOPERATIVES_RECORD, "path", pk=place_id
    )
    data = parse_body(CoopPreparingGroupIn, request)
    group = services.preparing_group_create(
        actor=request.user, community=place, **data.model_dump()
    )
    return created_or_replayed(group)


@router.post(
    "/cooperatives/preparing-groups/{preparing_group_id}/stages",
    response=CoopPreparingGroupOut,
    openapi_extra=body_doc(CoopStageIn),
)
def preparing_group_advance(request: HttpRequest, preparing_group_id: uuid.UUID) -> Any:
    """The group reaches a later stage (or drops out); "formed" names its cooperative."""
    group = selectors.preparing_group_get(user=request.user, group_id=preparing_group_id)
    require_perm_at(request.user, Perm.COOPERATIVES_RECORD, group.community)
    data = parse_body(CoopStageIn, request).model_dump()
    coop_id = data.pop("cooperative_id")
    coop = selectors.cooperative_get(user=request.user, cooperative_id=coop_id) if coop_id else None
    return services.preparing_group_advance(
        actor=request.user, group=group, cooperative=coop, **data
    )


@router.post(
    "/cooperatives/trainings/{training_id}/certificates",
    response={200: CoopCertifyOut},
    openapi_extra=body_doc(CoopCertifyIn),
)
def training_certify(request: HttpRequest, training_id: uuid.UUID) -> dict[str, Any]:
    """Certify members who attended the days the certificate needs (body: `CoopCertifyIn`):
    all refused (400, naming her) if one did not. Sent again: the same answer, nothing
    written."""
    training = selectors.training_get(user=request.user, training_id=training_id)
    require_perm_at(request.user, Perm.COOPERATIVES_RECORD, training.cooperative.community)
    data = parse_body(CoopCertifyIn, request)
    newly = services.training_certify(actor=request.user, training=training, members=data.certified)
    return {
        "training_id": training.pk, "newly_certified": newly,
        "certified": selectors.certified_ids(training),
    }  # fmt: skip
