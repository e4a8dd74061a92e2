"""The cooperative pages: thin, each parses one form, calls one service or selector, renders."""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from jigiya.accounts.access import (
    has_perm_anywhere,
    has_perm_at,
    require_perm_anywhere,
    require_perm_at,
)
from jigiya.accounts.roles import Perm
from jigiya.cooperatives import forms, selectors, services
from jigiya.cooperatives.models import Channel, Cooperative, ProductKind
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
