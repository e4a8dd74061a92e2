"""The cooperative pages: thin, each parses one form, calls one service or selector, renders."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jigiya.accounts.access import (
    has_perm_anywhere,
    has_perm_at,
    require_perm_anywhere,
    require_perm_at,
)
from jigiya.accounts.roles import Perm
from jigiya.cooperatives import forms, selectors, services
from jigiya.cooperatives.models import Channel, Cooperative, Member, ProductKind
from jigiya.core.views import form_page

FORM = "cooperatives/form.html"


@login_required
def cooperative_list(request: HttpRequest) -> HttpResponse:
    require_perm_anywhere(request.user, Perm.COOPERATIVES_VIEW)
    search = request.GET.get("q", "").strip()
    context = {
        "cooperatives": selectors.cooperative_list(user=request.user, search=search)[:200],
        "search": search,
        "can_create": has_perm_anywhere(request.user, Perm.COOPERATIVES_RECORD),
    }
    return render(request, "cooperatives/list.html", context)


@login_required
def cooperative_create(request: HttpRequest) -> HttpResponse:
    require_perm_anywhere(request.user, Perm.COOPERATIVES_RECORD)
    form = forms.CooperativeForm(
        request.POST or None,
        communities=selectors.communities_to_record(user=request.user),
        initial={"formed_on": timezone.localdate()},
    )
    return form_page(
        request,
        form,
        save=lambda data: services.cooperative_create(actor=request.user, **data),
        template=FORM,
        context={"title": _("New cooperative")},
        done=lambda coop: coop.get_absolute_url(),
        message=_("Cooperative created."),
    )


@login_required
def cooperative_detail(request: HttpRequest, cooperative_id: str) -> HttpResponse:
    coop = selectors.cooperative_get(user=request.user, cooperative_id=cooperative_id)
    context = selectors.cooperative_page(user=request.user, cooperative=coop)
    return render(request, "cooperatives/detail.html", context)


def _recording(request: HttpRequest, cooperative_id: str) -> Cooperative:
    coop = selectors.cooperative_get(user=request.user, cooperative_id=cooperative_id)
    require_perm_at(request.user, Perm.COOPERATIVES_RECORD, coop.community)
    return coop


def _entry_page(
    request: HttpRequest,
    coop: Cooperative,
    form: Any,
    save: Callable[[dict[str, Any]], Any],
    title: str,
    message: str,
    done: Callable[[Any], str] | None = None,
) -> HttpResponse:
    return form_page(
        request,
        form,
        save=save,
        template=FORM,
        context={"title": title, "coop": coop},
        done=done or (lambda _result: coop.get_absolute_url()),
        message=message,
    )


@login_required
def status_change(request: HttpRequest, cooperative_id: str) -> HttpResponse:
    coop = _recording(request, cooperative_id)
    form = forms.StatusForm(request.POST or None, initial={"on": timezone.localdate()})
    return _entry_page(
        request, coop, form,
        lambda data: services.cooperative_status_change(
            actor=request.user, cooperative=coop, **data
        ),
        _("Status of %(coop)s") % {"coop": coop}, _("Status changed."),
    )  # fmt: skip


@login_required
def member_add(request: HttpRequest, cooperative_id: str) -> HttpResponse:
    coop = _recording(request, cooperative_id)
    form = forms.MemberForm(
        request.POST or None,
        people=selectors.people_to_add(coop),
        initial={"joined_on": timezone.localdate()},
    )
    return _entry_page(
        request, coop, form,
        lambda data: services.member_add(actor=request.user, cooperative=coop, **data),
        _("New member of %(coop)s") % {"coop": coop}, _("Member added."),
    )  # fmt: skip


@login_required
def product_add(request: HttpRequest, cooperative_id: str) -> HttpResponse:
    coop = _recording(request, cooperative_id)
    form = forms.ProductForm(request.POST or None)
    return _entry_page(
        request, coop, form,
        lambda data: services.product_create(actor=request.user, cooperative=coop, **data),
        _("New product"), _("Product added."),
    )  # fmt: skip


@login_required
def price_set(request: HttpRequest, cooperative_id: str) -> HttpResponse:
    coop = _recording(request, cooperative_id)
    form = forms.PriceForm(
        request.POST or None,
        products=selectors.products(coop),
        initial={"valid_from": timezone.localdate()},
    )
    return _entry_page(
        request, coop, form,
        lambda data: services.price_set(actor=request.user, **data),
        _("New price"), _("Price saved."),
    )  # fmt: skip


@login_required
def batch_new(request: HttpRequest, cooperative_id: str) -> HttpResponse:
    coop = _recording(request, cooperative_id)
    form = forms.BatchForm(
        request.POST or None,
        products=selectors.products(coop),
        members=selectors.active_members(coop),
        initial={"made_on": timezone.localdate()},
    )
    return _entry_page(
        request, coop, form,
        lambda _data: services.batch_record(
            actor=request.user, cooperative=coop, data=form.data_out()
        ),
        _("Production batch"), _("Batch recorded."),
    )  # fmt: skip


@login_required
def purchase_new(request: HttpRequest, cooperative_id: str) -> HttpResponse:
    coop = _recording(request, cooperative_id)
    form = forms.PurchaseForm(
        request.POST or None,
        products=selectors.products(coop, ProductKind.INPUT),
        fundings=selectors.fundings(),
        initial={"bought_on": timezone.localdate()},
    )
    return _entry_page(
        request, coop, form,
        lambda _data: services.purchase_record(
            actor=request.user, cooperative=coop, data=form.data_out()
        ),
        _("Input purchase"), _("Purchase recorded."),
    )  # fmt: skip


@login_required
def sale_new(request: HttpRequest, cooperative_id: str) -> HttpResponse:
    coop = _recording(request, cooperative_id)
    today = timezone.localdate()
    products = list(selectors.products(coop))
    prices = selectors.prices_on(products, Channel.WALK_IN, today)
    form = forms.SaleForm(
        request.POST or None,
        products=products,
        prices=prices,
        customers=selectors.customers(coop),
        initial={"sold_on": today},
    )
    return _entry_page(
        request, coop, form,
        lambda _data: services.sale_record(
            actor=request.user, cooperative=coop, data=form.data_out()
        ),
        _("Sale"), _("Sale recorded."),
        done=lambda sale: sale.get_absolute_url(),
    )  # fmt: skip


@login_required
def order_new(request: HttpRequest, cooperative_id: str) -> HttpResponse:
    coop = _recording(request, cooperative_id)
    form = forms.OrderForm(
        request.POST or None,
        products=selectors.products(coop),
        customers=selectors.customers(coop),
        initial={"ordered_on": timezone.localdate()},
    )
    return _entry_page(
        request, coop, form,
        lambda _data: services.order_create(
            actor=request.user, cooperative=coop, data=form.data_out()
        ),
        _("Order"), _("Order recorded."),
        done=lambda order: order.get_absolute_url(),
    )  # fmt: skip


@login_required
def customer_new(request: HttpRequest, cooperative_id: str) -> HttpResponse:
    coop = _recording(request, cooperative_id)
    form = forms.CustomerForm(request.POST or None)
    return _entry_page(
        request, coop, form,
        lambda data: services.customer_create(actor=request.user, cooperative=coop, **data),
        _("New customer"), _("Customer added."),
    )  # fmt: skip


@login_required
def distribution_new(request: HttpRequest, cooperative_id: str) -> HttpResponse:
    coop = _recording(request, cooperative_id)
    form = forms.DistributionForm(
        request.POST or None,
        choices={
            "product": selectors.products(coop),
            "health_center": selectors.health_centers(),
            "household": selectors.households(coop),
            "order": selectors.ngo_orders(coop),
            "funding": selectors.fundings(),
        },
        family_names=has_perm_at(request.user, Perm.HEALTH_VIEW, coop.community.path),
        initial={"given_on": timezone.localdate()},
    )
    return _entry_page(
        request, coop, form,
        lambda _data: services.distribution_record(
            actor=request.user, cooperative=coop, data=form.data_out()
        ),
        _("Distribution"), _("Distribution recorded."),
    )  # fmt: skip


@login_required
def sale_detail(request: HttpRequest, sale_id: str) -> HttpResponse:
    """The sale's receipt (printable)."""
    sale = selectors.sale_get(user=request.user, sale_id=sale_id)
    context = {
        "sale": sale,
        "coop": sale.cooperative,
        "lines": sale.lines.select_related("product"),
        "payments": sale.payments.all(),
        "owed": services.owed(sale=sale),
        # "Record a payment" only for whoever may record it (a manager would meet a 403).
        "can_record": has_perm_at(
            request.user, Perm.COOPERATIVES_RECORD, sale.cooperative.community.path
        ),
    }
    return render(request, "cooperatives/sale.html", context)


@login_required
def order_detail(request: HttpRequest, order_id: str) -> HttpResponse:
    """The order and its invoice (printable): what was delivered, paid and is owed."""
    order = selectors.order_get(user=request.user, order_id=order_id)
    context = selectors.order_detail(order)
    context["coop"] = order.cooperative
    # "Record a delivery" only for whoever may record it (a manager would meet a 403).
    context["can_record"] = has_perm_at(
        request.user, Perm.COOPERATIVES_RECORD, order.cooperative.community.path
    )
    return render(request, "cooperatives/order.html", context)


@login_required
def delivery_new(request: HttpRequest, order_id: str) -> HttpResponse:
    order = selectors.order_get(user=request.user, order_id=order_id)
    coop = order.cooperative
    require_perm_at(request.user, Perm.COOPERATIVES_RECORD, coop.community)
    remaining = services.order_remaining(order)
    form = forms.DeliveryForm(
        request.POST or None,
        products=selectors.products(coop).filter(pk__in=[k for k, v in remaining.items() if v]),
        centers=selectors.health_centers(),
        initial={"delivered_on": timezone.localdate()},
    )
    return _entry_page(
        request, coop, form,
        lambda _data: services.delivery_record(
            actor=request.user, order=order, data=form.data_out()
        ),
        _("Delivery of the order of %(customer)s") % {"customer": order.customer},
        _("Delivery recorded."),
        done=lambda delivery: delivery.get_absolute_url(),
    )  # fmt: skip


@login_required
def delivery_detail(request: HttpRequest, delivery_id: str) -> HttpResponse:
    """The delivery note (printable), to be signed by who received."""
    delivery = selectors.delivery_get(user=request.user, delivery_id=delivery_id)
    context = {
        "delivery": delivery,
        "order": delivery.order,
        "coop": delivery.order.cooperative,
        "lines": delivery.lines.select_related("product"),
    }
    return render(request, "cooperatives/delivery.html", context)


def _payment_page(request: HttpRequest, coop: Cooperative, target: dict[str, Any]) -> HttpResponse:
    require_perm_at(request.user, Perm.COOPERATIVES_RECORD, coop.community)
    record = target.get("sale") or target["order"]
    form = forms.PaymentForm(request.POST or None, initial={"paid_on": timezone.localdate()})
    return _entry_page(
        request, coop, form,
        lambda data: services.payment_record(
            actor=request.user, cooperative=coop, **target, **data
        ),
        _("Payment"), _("Payment recorded."),
        done=lambda _payment: record.get_absolute_url(),
    )  # fmt: skip


@login_required
def order_payment(request: HttpRequest, order_id: str) -> HttpResponse:
    order = selectors.order_get(user=request.user, order_id=order_id)
    return _payment_page(request, order.cooperative, {"order": order})


@login_required
def sale_payment(request: HttpRequest, sale_id: str) -> HttpResponse:
    sale = selectors.sale_get(user=request.user, sale_id=sale_id)
    return _payment_page(request, sale.cooperative, {"sale": sale})


@login_required
def close_new(request: HttpRequest, cooperative_id: str) -> HttpResponse:
    """Close a period: the surplus shared by the rule chosen, payouts out of the cash."""
    coop = _recording(request, cooperative_id)
    form = forms.CloseForm(
        request.POST or None, initial={"ends_on": timezone.localdate(), "rule": "pieces"}
    )
    return _entry_page(
        request, coop, form,
        lambda data: services.period_close(actor=request.user, cooperative=coop, **data),
        _("Close a period"), _("Period closed."),
        done=lambda close: close.get_absolute_url(),
    )  # fmt: skip


@login_required
def expense_new(request: HttpRequest, cooperative_id: str) -> HttpResponse:
    coop = _recording(request, cooperative_id)
    form = forms.ExpenseForm(request.POST or None, initial={"on": timezone.localdate()})
    return _entry_page(
        request, coop, form,
        lambda data: services.expense_record(actor=request.user, cooperative=coop, **data),
        _("Expense"), _("Expense recorded."),
    )  # fmt: skip


@login_required
def close_detail(request: HttpRequest, close_id: str) -> HttpResponse:
    """The close's sheet (printable): the period's money and each member's payout."""
    close = selectors.close_get(user=request.user, close_id=close_id)
    context = {
        "close": close,
        "coop": close.cooperative,
        "payouts": close.payouts.select_related("member__person").order_by("-amount"),
    }
    return render(request, "cooperatives/close.html", context)


@login_required
def training_new(request: HttpRequest, cooperative_id: str) -> HttpResponse:
    coop = _recording(request, cooperative_id)
    today = timezone.localdate()
    form = forms.TrainingForm(
        request.POST or None,
        members=selectors.active_members(coop),
        initial={"starts_on": today, "ends_on": today},
    )
    return _entry_page(
        request, coop, form,
        lambda _data: services.training_record(
            actor=request.user, cooperative=coop, **form.data_out()
        ),
        _("Training"), _("Training recorded."),
    )  # fmt: skip


# --- the physical count, with a second officer ---------------------------------------------


@login_required
def count_new(request: HttpRequest, cooperative_id: str) -> HttpResponse:
    """The count sheet: what was found of each product and input (the books are not shown)."""
    coop = _recording(request, cooperative_id)
    form = forms.CountForm(
        request.POST or None,
        products=[row.product for row in selectors.stock_rows(coop)],
        initial={"counted_on": timezone.localdate()},
    )
    return _entry_page(
        request, coop, form,
        lambda _data: services.stock_count_record(
            actor=request.user, cooperative=coop, **form.data_out()
        ),
        _("Stock count"), _("Count recorded: a second officer approves the differences."),
        done=lambda count: count.get_absolute_url(),
    )  # fmt: skip


@login_required
def count_detail(request: HttpRequest, count_id: str) -> HttpResponse:
    """The count's differences beside the books (printable), and the second officer's decision."""
    count = selectors.count_get(user=request.user, count_id=count_id)
    coop = count.cooperative
    can_decide = (
        count.status == "pending"
        and count.created_by_id != request.user.pk
        and has_perm_at(request.user, Perm.COOPERATIVES_APPROVE, coop.community.path)
    )
    context = {
        "count": count,
        "coop": coop,
        "lines": count.lines.select_related("product"),
        "can_decide": can_decide,
        "reject_form": forms.RejectForm(),
    }
    return render(request, "cooperatives/count.html", context)


@login_required
@require_POST
def count_approve(request: HttpRequest, count_id: str) -> HttpResponse:
    count = selectors.count_get(user=request.user, count_id=count_id)
    require_perm_at(request.user, Perm.COOPERATIVES_APPROVE, count.cooperative.community)
    return _decide(
        request,
        count,
        lambda: services.stock_count_approve(actor=request.user, count=count),
        _("Count approved: the differences are posted."),
    )


@login_required
@require_POST
def count_reject(request: HttpRequest, count_id: str) -> HttpResponse:
    count = selectors.count_get(user=request.user, count_id=count_id)
    require_perm_at(request.user, Perm.COOPERATIVES_APPROVE, count.cooperative.community)
    form = forms.RejectForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _decide(
        request,
        count,
        lambda: services.stock_count_reject(actor=request.user, count=count, reason=reason),
        _("Count rejected."),
    )


def _decide(request: HttpRequest, count: Any, act: Callable[[], Any], message: str) -> HttpResponse:
    try:
        act()
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.success(request, message)
    return redirect(count.get_absolute_url())


# --- customers' statements -------------------------------------------------------------------


@login_required
def customer_statement(request: HttpRequest, customer_id: str) -> HttpResponse:
    """A customer's statement (printable): invoiced, paid, and owed after each line."""
    customer = selectors.customer_get(user=request.user, customer_id=customer_id)
    lines = selectors.customer_statement(customer)
    context = {
        "customer": customer,
        "coop": customer.cooperative,
        "lines": lines,
        "owed": lines[-1].balance if lines else 0,
        "charged": sum(line.charged for line in lines),
        "paid": sum(line.paid for line in lines),
    }
    return render(request, "cooperatives/statement.html", context)


# --- the pipeline of groups preparing a cooperative ----------------------------------------


@login_required
def pipeline(request: HttpRequest) -> HttpResponse:
    require_perm_anywhere(request.user, Perm.COOPERATIVES_VIEW)
    context = {
        "stages": selectors.pipeline(user=request.user),
        "can_create": has_perm_anywhere(request.user, Perm.COOPERATIVES_RECORD),
    }
    return render(request, "cooperatives/pipeline.html", context)


@login_required
def pipeline_new(request: HttpRequest) -> HttpResponse:
    require_perm_anywhere(request.user, Perm.COOPERATIVES_RECORD)
    form = forms.PreparingGroupForm(
        request.POST or None,
        communities=selectors.communities_to_record(user=request.user),
        initial={"since": timezone.localdate()},
    )
    return form_page(
        request, form,
        save=lambda data: services.preparing_group_create(actor=request.user, **data),
        template=FORM, context={"title": _("A group preparing a cooperative")},
        done=lambda group: group.get_absolute_url(), message=_("Group added."),
    )  # fmt: skip


@login_required
def pipeline_group(request: HttpRequest, preparing_group_id: str) -> HttpResponse:
    """A group's stages so far and, for who records, the form to move it on."""
    group = selectors.preparing_group_get(user=request.user, group_id=preparing_group_id)
    can_record = has_perm_at(request.user, Perm.COOPERATIVES_RECORD, group.community.path)
    form = forms.StageForm(
        request.POST or None,
        cooperatives=Cooperative.objects.filter(community=group.community, preparing_group=None),
        initial={"on": timezone.localdate()},
    )
    if request.method == "POST":
        require_perm_at(request.user, Perm.COOPERATIVES_RECORD, group.community)
    return form_page(
        request, form,
        save=lambda data: services.preparing_group_advance(
            actor=request.user, group=group, **data
        ),
        template="cooperatives/pipeline_group.html",
        context={"group": group, "stages": group.stages.all(), "can_record": can_record},
        done=lambda g: g.get_absolute_url(), message=_("Stage saved."),
    )  # fmt: skip


# --- unions ----------------------------------------------------------------------------------


@login_required
def union_list(request: HttpRequest) -> HttpResponse:
    require_perm_anywhere(request.user, Perm.COOPERATIVES_VIEW)
    context = {
        "unions": selectors.unions(user=request.user),
        "can_create": has_perm_anywhere(request.user, Perm.COOPERATIVES_RECORD),
    }
    return render(request, "cooperatives/unions.html", context)


@login_required
def union_new(request: HttpRequest) -> HttpResponse:
    require_perm_anywhere(request.user, Perm.COOPERATIVES_RECORD)
    form = forms.UnionForm(
        request.POST or None,
        places=selectors.union_areas(user=request.user),
        initial={"formed_on": timezone.localdate()},
    )
    return form_page(
        request, form,
        save=lambda data: services.union_create(actor=request.user, **data),
        template=FORM, context={"title": _("New union of cooperatives")},
        done=lambda union: union.get_absolute_url(), message=_("Union created."),
    )  # fmt: skip


@login_required
def union_detail(request: HttpRequest, union_id: str) -> HttpResponse:
    """The union: its member cooperatives, their dues and board roles; a cooperative joins."""
    union = selectors.union_get(user=request.user, union_id=union_id)
    context = selectors.union_page(user=request.user, union=union)
    form = forms.UnionJoinForm(
        request.POST or None,
        cooperatives=context["joinable"],
        initial={"joined_on": timezone.localdate()},
    )
    if request.method == "POST":
        require_perm_anywhere(request.user, Perm.COOPERATIVES_RECORD)
    return form_page(
        request, form,
        save=lambda data: services.union_join(actor=request.user, union=union, **data),
        template="cooperatives/union.html", context=context,
        done=lambda _member: union.get_absolute_url(), message=_("The cooperative joined."),
    )  # fmt: skip


# --- equipment: its log, maintenance and disposal --------------------------------------------


@login_required
def equipment_detail(request: HttpRequest, equipment_id: str) -> HttpResponse:
    """An item of the register with its maintenance log."""
    item = selectors.equipment_get(user=request.user, equipment_id=equipment_id)
    context = {
        "item": item,
        "coop": item.cooperative,
        "log": item.maintenance.all(),
        "can_record": item.disposed_on is None
        and has_perm_at(request.user, Perm.COOPERATIVES_RECORD, item.cooperative.community.path),
    }
    return render(request, "cooperatives/equipment.html", context)


@login_required
def equipment_maintain(request: HttpRequest, equipment_id: str) -> HttpResponse:
    item = selectors.equipment_get(user=request.user, equipment_id=equipment_id)
    coop = _recording(request, str(item.cooperative_id))
    form = forms.MaintenanceForm(
        request.POST or None, initial={"on": timezone.localdate(), "condition": item.condition}
    )
    return _entry_page(
        request, coop, form,
        lambda data: services.equipment_maintain(actor=request.user, equipment=item, **data),
        _("Maintenance of %(item)s") % {"item": item.item}, _("Maintenance logged."),
        done=lambda _log: item.get_absolute_url(),
    )  # fmt: skip


@login_required
def equipment_dispose(request: HttpRequest, equipment_id: str) -> HttpResponse:
    item = selectors.equipment_get(user=request.user, equipment_id=equipment_id)
    coop = _recording(request, str(item.cooperative_id))
    form = forms.DisposalForm(request.POST or None, initial={"on": timezone.localdate()})
    return _entry_page(
        request, coop, form,
        lambda data: services.equipment_dispose(actor=request.user, equipment=item, **data),
        _("Dispose of %(item)s") % {"item": item.item}, _("Item disposed of."),
        done=lambda _item: item.get_absolute_url(),
    )  # fmt: skip


# --- union dues, the union's board, a training's days -----------------------------------------


def _dues_initial(request: HttpRequest, memberships: Any) -> dict[str, Any]:
    """The form's first values: the union asked for (`?union=`), else the first; the year asked
    for (`?year=`), else the first with dues left; the amount left for that year."""
    today = timezone.localdate()
    rows = list(memberships)
    wanted = request.GET.get("union", "")
    member = next((m for m in rows if str(m.union_id) == wanted), rows[0] if rows else None)
    initial: dict[str, Any] = {"paid_on": today, "year": today.year}
    if member is None:
        return initial
    left = {row.year: row.left for row in selectors.dues_rows([member], until_year=today.year)}
    asked = request.GET.get("year", "")
    year = int(asked) if asked.isdigit() and int(asked) in left else None
    if year is None:
        year = next((y for y, amount in sorted(left.items()) if amount > 0), today.year)
    initial.update(membership=member, year=year)
    if left.get(year):
        initial["amount"] = left[year]
    return initial


@login_required
def dues_new(request: HttpRequest, cooperative_id: str) -> HttpResponse:
    """The cooperative pays its union dues for a year, from its cash."""
    coop = _recording(request, cooperative_id)
    memberships = selectors.union_memberships(coop)
    form = forms.DuesForm(
        request.POST or None,
        memberships=memberships,
        initial=_dues_initial(request, memberships),
    )
    year = timezone.localdate().year
    owed = [row for row in selectors.dues_rows(memberships, until_year=year) if row.left]
    return form_page(
        request, form,
        save=lambda data: services.dues_pay(
            actor=request.user, member=data["membership"], year=data["year"],
            amount=data["amount"], paid_on=data["paid_on"], id=data["id"],
        ),
        template="cooperatives/dues_form.html",
        context={"title": _("Union dues of %(coop)s") % {"coop": coop}, "coop": coop,
                 "owed": owed},
        done=lambda payment: payment.union.get_absolute_url(), message=_("Dues paid."),
    )  # fmt: skip


@login_required
def board_new(request: HttpRequest, union_id: str) -> HttpResponse:
    """The union's board elected on a day, by who records for the union's whole area."""
    union = selectors.union_get(user=request.user, union_id=union_id)
    require_perm_at(request.user, Perm.COOPERATIVES_RECORD, union.place)
    form = forms.BoardForm(
        request.POST or None,
        candidates=selectors.board_candidates(union),
        initial={"held_on": timezone.localdate()},
    )
    return form_page(
        request, form,
        save=lambda _data: services.board_elect(
            actor=request.user, union=union, **form.data_out()
        ),
        template=FORM, context={"title": _("Board of %(union)s") % {"union": union},
                                "back": union.get_absolute_url()},
        done=lambda _election: union.get_absolute_url(), message=_("Board elected."),
    )  # fmt: skip


@login_required
def training_detail(request: HttpRequest, training_id: str) -> HttpResponse:
    """A training: who was present each day and who was certified."""
    training = selectors.training_get(user=request.user, training_id=training_id)
    coop = training.cooperative
    context = {
        "training": training,
        "coop": coop,
        "days": selectors.training_days(training),
        "participants": training.participants.select_related("member__person")
        .annotate(present=Count("attendance"))
        .order_by("member__person__family_name", "member__person__given_name"),
        "can_record": has_perm_at(request.user, Perm.COOPERATIVES_RECORD, coop.community.path),
    }
    return render(request, "cooperatives/training.html", context)


@login_required
def training_certify(request: HttpRequest, training_id: str) -> HttpResponse:
    """Certify participants who attended the days the certificate needs."""
    training = selectors.training_get(user=request.user, training_id=training_id)
    coop = _recording(request, str(training.cooperative_id))
    form = forms.CertifyForm(
        request.POST or None,
        training=training,
    )
    return form_page(
        request, form,
        save=lambda _data: services.training_certify(
            actor=request.user, training=training, **form.data_out()
        ),
        template=FORM,
        context={"title": _("Certificates of %(training)s") % {"training": training},
                 "coop": coop, "back": training.get_absolute_url()},
        done=lambda _count: training.get_absolute_url(), message=_("Certificates recorded."),
    )  # fmt: skip


@login_required
def training_day_new(request: HttpRequest, training_id: str) -> HttpResponse:
    """Who was present on one day of a training."""
    training = selectors.training_get(user=request.user, training_id=training_id)
    coop = _recording(request, str(training.cooperative_id))
    days = selectors.training_days(training)
    first_open = next((day for day, present in days if not present), training.starts_on)
    form = forms.TrainingDayForm(
        request.POST or None,
        days=training.days,
        members=Member.objects.filter(trainings__training=training)
        .select_related("person")
        .order_by("person__family_name", "person__given_name"),
        initial={"day": first_open.isoformat()},
    )
    return form_page(
        request, form,
        save=lambda _data: services.training_day(
            actor=request.user, training=training, **form.data_out()
        ),
        template=FORM,
        context={"title": _("Attendance of a day of %(training)s") % {"training": training},
                 "coop": coop, "back": training.get_absolute_url()},
        done=lambda _day: training.get_absolute_url(), message=_("Attendance recorded."),
    )  # fmt: skip
