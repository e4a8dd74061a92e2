"""The entry forms of the cooperative pages. Lines of a sale, an order or a delivery are one
number field per product (`qty_<product id>`): a thumb types a count beside each product."""

import datetime
import uuid
from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from jigiya.cooperatives import selectors, services
from jigiya.cooperatives.common import household_code
from jigiya.cooperatives.models import (
    Activity,
    BoardRole,
    Channel,
    Condition,
    CoopStatus,
    CustomerKind,
    MemberRole,
    PaidBy,
    PaymentMethod,
    PipelineStage,
    ProductKind,
    ShareRule,
    TrainingTopic,
    Unit,
)
from jigiya.core.money import format_fcfa
from jigiya.places.models import Place

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _number(**attrs: Any) -> forms.NumberInput:
    return forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, **attrs})


class _WithId(forms.Form):
    """A hidden client UUID made when the page is drawn: the same form posted twice (a double
    tap, a resend after a cut) records once."""

    id = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("id", uuid.uuid4())
        super().__init__(*args, **kwargs)


class _ProductLines(_WithId):
    """One whole-number field per product; `lines()` gives the products with a count."""

    def add_quantities(self, products: Any, prices: dict[Any, int] | None = None) -> None:
        self.products = list(products)
        for product in self.products:
            label = f"{product.name} ({product.get_unit_display()})"
            if prices and product.pk in prices:
                label += f" · {format_fcfa(prices[product.pk])}"
            self.fields[f"qty_{product.pk}"] = forms.IntegerField(
                label=label, min_value=0, required=False, widget=_number()
            )

    def lines(self) -> list[services.LineData]:
        return [
            services.LineData(product.pk, self.cleaned_data[f"qty_{product.pk}"])
            for product in self.products
            if self.cleaned_data.get(f"qty_{product.pk}")
        ]


class CooperativeForm(_WithId):
    name = forms.CharField(label=_("Name"), max_length=120)
    activity = forms.ChoiceField(label=_("Activity"), choices=Activity.choices)
    community: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Community"), queryset=Place.objects.none()
    )
    formed_on = forms.DateField(label=_("Formed on"), widget=DATE)

    def __init__(self, *args: Any, communities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities  # type: ignore[attr-defined]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=CoopStatus.choices)
    on = forms.DateField(label=_("From"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)
    registration_number = forms.CharField(
        label=_("Registration number"), max_length=60, required=False
    )
    registered_on = forms.DateField(label=_("Registered on"), widget=DATE, required=False)
    registration_authority = forms.CharField(
        label=_("Registration authority"), max_length=120, required=False
    )


class MemberForm(_WithId):
    person: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Person"), queryset=None)
    joined_on = forms.DateField(label=_("Joined on"), widget=DATE)
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices, initial="member")
    skills = forms.CharField(label=_("Skills"), max_length=200, required=False)
    share_capital = forms.IntegerField(
        label=_("Share capital (FCFA)"), min_value=0, initial=0, widget=_number()
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]


class ProductForm(_WithId):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=ProductKind.choices)
    unit = forms.ChoiceField(label=_("Unit"), choices=Unit.choices)


class PriceForm(forms.Form):
    product: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Product"), queryset=None)
    channel = forms.ChoiceField(label=_("Sales channel"), choices=Channel.choices)
    amount = forms.IntegerField(label=_("Unit price (FCFA)"), min_value=1, widget=_number())
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE)
    valid_until = forms.DateField(label=_("Valid until"), widget=DATE, required=False)

    def __init__(self, *args: Any, products: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products  # type: ignore[attr-defined]


class BatchForm(_WithId):
    product: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Product"), queryset=None)
    quantity = forms.IntegerField(label=_("Quantity made"), min_value=1, widget=_number(min=1))
    made_on = forms.DateField(label=_("Made on"), widget=DATE)
    workers: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Members who worked"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    hours = forms.IntegerField(
        label=_("Hours each worked (for sharing by hours)"),
        min_value=0,
        max_value=24,
        required=False,
        widget=_number(max=24),
    )

    def __init__(self, *args: Any, products: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products  # type: ignore[attr-defined]
        self.fields["workers"].queryset = members  # type: ignore[attr-defined]

    def data_out(self) -> services.BatchData:
        data = self.cleaned_data
        return services.BatchData(
            id=data["id"],
            product_id=data["product"].pk,
            quantity=data["quantity"],
            made_on=data["made_on"],
            workers=[
                services.WorkerLine(member_id=m.pk, hours=data.get("hours") or 0)
                for m in data["workers"]
            ],
        )


class PurchaseForm(_WithId):
    product: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Input"), queryset=None)
    quantity = forms.IntegerField(label=_("Quantity bought"), min_value=1, widget=_number(min=1))
    cost = forms.IntegerField(label=_("Cost (FCFA)"), min_value=0, widget=_number())
    bought_on = forms.DateField(label=_("Bought on"), widget=DATE)
    supplier = forms.CharField(label=_("Supplier"), max_length=120, required=False)
    funding: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Paid by the grant"), queryset=None, required=False
    )

    def __init__(self, *args: Any, products: Any, fundings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products  # type: ignore[attr-defined]
        self.fields["funding"].queryset = fundings  # type: ignore[attr-defined]

    def data_out(self) -> services.PurchaseData:
        data = self.cleaned_data
        return services.PurchaseData(
            id=data["id"],
            product_id=data["product"].pk,
            quantity=data["quantity"],
            cost=data["cost"],
            bought_on=data["bought_on"],
            supplier=data["supplier"],
            funding_id=data["funding"].pk if data["funding"] else None,
        )


class SaleForm(_ProductLines):
    sold_on = forms.DateField(label=_("Sold on"), widget=DATE)
    customer: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Customer (if known)"), queryset=None, required=False
    )
    paid = forms.IntegerField(
        label=_("Paid now (FCFA)"), min_value=0, initial=0, required=False, widget=_number()
    )
    method = forms.ChoiceField(label=_("Paid by"), choices=PaymentMethod.choices, initial="cash")
    reference = forms.CharField(label=_("Transaction reference"), max_length=60, required=False)

    def __init__(self, *args: Any, products: Any, prices: Any, customers: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["customer"].queryset = customers  # type: ignore[attr-defined]
        self.add_quantities(products, prices)
        self.order_fields(["id", *(f"qty_{p.pk}" for p in self.products)])

    def data_out(self) -> services.SaleData:
        data = self.cleaned_data
        return services.SaleData(
            id=data["id"],
            sold_on=data["sold_on"],
            lines=self.lines(),
            customer_id=data["customer"].pk if data["customer"] else None,
            paid=data["paid"] or 0,
            method=data["method"],
            reference=data["reference"],
        )


class OrderForm(_ProductLines):
    customer: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Customer"), queryset=None)
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[
            (Channel.NGO, Channel.NGO.label),
            (Channel.INSTITUTIONAL, Channel.INSTITUTIONAL.label),
        ],
    )
    ordered_on = forms.DateField(label=_("Ordered on"), widget=DATE)
    reference = forms.CharField(label=_("Customer's reference"), max_length=60, required=False)

    def __init__(self, *args: Any, products: Any, customers: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["customer"].queryset = customers  # type: ignore[attr-defined]
        self.add_quantities(products)

    def data_out(self) -> services.OrderData:
        data = self.cleaned_data
        return services.OrderData(
            id=data["id"],
            customer_id=data["customer"].pk,
            ordered_on=data["ordered_on"],
            lines=self.lines(),
            channel=data["channel"],
            reference=data["reference"],
        )


class DeliveryForm(_ProductLines):
    delivered_on = forms.DateField(label=_("Delivered on"), widget=DATE)
    health_center: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Health center"), queryset=None, required=False
    )
    received_by = forms.CharField(label=_("Received by"), max_length=120)

    def __init__(self, *args: Any, products: Any, centers: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["health_center"].queryset = centers  # type: ignore[attr-defined]
        self.add_quantities(products)

    def data_out(self) -> services.DeliveryData:
        data = self.cleaned_data
        return services.DeliveryData(
            id=data["id"],
            delivered_on=data["delivered_on"],
            received_by=data["received_by"],
            lines=self.lines(),
            health_center_id=data["health_center"].pk if data["health_center"] else None,
        )


class PaymentForm(_WithId):
    amount = forms.IntegerField(label=_("Amount (FCFA)"), min_value=1, widget=_number(min=1))
    method = forms.ChoiceField(label=_("Paid by"), choices=PaymentMethod.choices)
    reference = forms.CharField(label=_("Transaction reference"), max_length=60, required=False)
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE)


class DistributionForm(_WithId):
    product: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Product"), queryset=None)
    quantity = forms.IntegerField(label=_("Quantity given"), min_value=1, widget=_number(min=1))
    given_on = forms.DateField(label=_("Given on"), widget=DATE)
    health_center: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("To a health center"), queryset=None, required=False
    )
    household: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Or to a family"), queryset=None, required=False
    )
    received_by = forms.CharField(label=_("Received by"), max_length=120)
    paid_by = forms.ChoiceField(label=_("Paid by"), choices=PaidBy.choices)
    order: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("The NGO's order"), queryset=None, required=False
    )
    funding: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("The grant"), queryset=None, required=False
    )

    def __init__(
        self, *args: Any, choices: dict[str, Any], family_names: bool = False, **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        for name, queryset in choices.items():
            self.fields[name].queryset = queryset  # type: ignore[attr-defined]
        # A family's name is registry data: only a role that sees the registry reads it here;
        # the others choose the code written on the family's voucher (see `household_code`).
        self.fields["household"].label_from_instance = (  # type: ignore[attr-defined]
            (lambda h: f"{h.name} · {household_code(h.pk)}")
            if family_names
            else (lambda h: household_code(h.pk))
        )
        self.fields["household"].label = _("Or to a family (the code on its voucher)")

    def data_out(self) -> Any:
        data = self.cleaned_data

        def pk(name: str) -> Any:
            return data[name].pk if data.get(name) else None

        return services.DistributionData(
            id=data["id"],
            product_id=data["product"].pk,
            quantity=data["quantity"],
            given_on=data["given_on"],
            received_by=data["received_by"],
            paid_by=data["paid_by"],
            health_center_id=pk("health_center"),
            household_id=pk("household"),
            order_id=pk("order"),
            funding_id=pk("funding"),
        )


class CustomerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=CustomerKind.choices)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)


class CloseForm(forms.Form):
    ends_on = forms.DateField(label=_("Close the period up to"), widget=DATE)
    rule = forms.ChoiceField(label=_("Share the surplus"), choices=ShareRule.choices)


class ExpenseForm(forms.Form):
    amount = forms.IntegerField(label=_("Amount (FCFA)"), min_value=1, widget=_number(min=1))
    on = forms.DateField(label=_("Paid on"), widget=DATE)
    memo = forms.CharField(label=_("What for"), max_length=200)


class TrainingForm(_WithId):
    title = forms.CharField(label=_("Title"), max_length=160)
    topic = forms.ChoiceField(label=_("Topic"), choices=TrainingTopic.choices)
    partner = forms.CharField(label=_("Partner organisation"), max_length=160, required=False)
    starts_on = forms.DateField(label=_("From"), widget=DATE)
    ends_on = forms.DateField(label=_("To"), widget=DATE)
    attended: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Who attended"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    certified: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Who was certified"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attended"].queryset = members  # type: ignore[attr-defined]
        self.fields["certified"].queryset = members  # type: ignore[attr-defined]

    def data_out(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["attended"] = [m.pk for m in data["attended"]]
        data["certified"] = [m.pk for m in data["certified"]]
        return data


class CountForm(_WithId):
    """The count sheet: one field per product and input, what was found on the shelf. The books
    are not shown while counting (a blind count); the differences show on the count's page."""

    counted_on = forms.DateField(label=_("Counted on"), widget=DATE)

    def __init__(self, *args: Any, products: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.products = list(products)
        for product in self.products:
            self.fields[f"qty_{product.pk}"] = forms.IntegerField(
                label=f"{product.name} ({product.get_unit_display()})",
                min_value=0,
                required=False,
                widget=_number(),
            )

    def data_out(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "id": data["id"],
            "counted_on": data["counted_on"],
            "counts": {
                p.pk: data[f"qty_{p.pk}"]
                for p in self.products
                if data.get(f"qty_{p.pk}") is not None
            },
        }


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Why it is rejected"), max_length=200)


class PreparingGroupForm(_WithId):
    name = forms.CharField(label=_("Group name"), max_length=120)
    community: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Community"), queryset=Place.objects.none()
    )
    activity = forms.ChoiceField(label=_("Planned activity"), choices=Activity.choices)
    women = forms.IntegerField(label=_("Women in the group"), min_value=1, widget=_number(min=1))
    stage = forms.ChoiceField(
        label=_("Stage now"),
        choices=[c for c in PipelineStage.choices if c[0] not in ("formed", "dropped")],
    )
    since = forms.DateField(label=_("At this stage since"), widget=DATE)
    origin = forms.CharField(
        label=_("Grew out of (a savings group, say)"), max_length=160, required=False
    )
    contact = forms.CharField(label=_("Contact person"), max_length=120, required=False)

    def __init__(self, *args: Any, communities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities  # type: ignore[attr-defined]


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("New stage"), choices=PipelineStage.choices)
    on = forms.DateField(label=_("From"), widget=DATE)
    cooperative: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("The cooperative it became (when formed)"), queryset=None, required=False
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, cooperatives: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cooperative"].queryset = cooperatives  # type: ignore[attr-defined]


class UnionForm(_WithId):
    name = forms.CharField(label=_("Name"), max_length=160)
    place: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Area"), queryset=Place.objects.none()
    )
    formed_on = forms.DateField(label=_("Formed on"), widget=DATE)

    def __init__(self, *args: Any, places: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places  # type: ignore[attr-defined]


class UnionJoinForm(forms.Form):
    cooperative: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Cooperative"), queryset=None
    )
    joined_on = forms.DateField(label=_("Joined on"), widget=DATE)
    yearly_dues = forms.IntegerField(
        label=_("Yearly dues (FCFA)"), min_value=0, initial=0, widget=_number()
    )
    board_role = forms.CharField(label=_("Role on the board"), max_length=60, required=False)

    def __init__(self, *args: Any, cooperatives: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cooperative"].queryset = cooperatives  # type: ignore[attr-defined]


class MaintenanceForm(_WithId):
    on = forms.DateField(label=_("Date"), widget=DATE)
    description = forms.CharField(label=_("What was done"), max_length=200)
    cost = forms.IntegerField(
        label=_("Cost paid from the cash (FCFA)"), min_value=0, initial=0, widget=_number()
    )
    condition = forms.ChoiceField(label=_("Condition after"), choices=Condition.choices)


class DisposalForm(forms.Form):
    on = forms.DateField(label=_("Disposed of on"), widget=DATE)
    reason = forms.CharField(label=_("Why (sold, scrapped, stolen…)"), max_length=200)


class DuesForm(_WithId):
    """The cooperative pays (part of) its union dues for a year, from its cash."""

    membership: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Union"), queryset=None)
    year = forms.IntegerField(label=_("For the year"), widget=_number(min=2000))
    amount = forms.IntegerField(label=_("Amount (FCFA)"), min_value=1, widget=_number(min=1))
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE)

    def __init__(self, *args: Any, memberships: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["membership"]
        field.queryset = memberships  # type: ignore[attr-defined]
        field.label_from_instance = lambda m: (  # type: ignore[attr-defined]
            f"{m.union.name} · {format_fcfa(m.yearly_dues)}"
        )


class _MemberChoice(forms.ModelChoiceField):
    """A member of one of the union's cooperatives: her name and her cooperative."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.person} · {obj.cooperative.name}"


class BoardForm(_WithId):
    """The union's board elected on a day: one member per role, a president required."""

    held_on = forms.DateField(label=_("Elected on"), widget=DATE)

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for role, label in BoardRole.choices:
            self.fields[role] = _MemberChoice(
                label=label, queryset=candidates, required=role == BoardRole.PRESIDENT
            )

    def data_out(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "id": data["id"],
            "held_on": data["held_on"],
            "seats": {role: data[role].pk for role in BoardRole.values if data.get(role)},
        }


class TrainingDayForm(_WithId):
    """Who was present on one day of a training."""

    day = forms.TypedChoiceField(label=_("Day"), coerce=datetime.date.fromisoformat)
    present: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Who was present"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, days: list[datetime.date], members: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["day"].choices = [  # type: ignore[attr-defined]
            (day.isoformat(), date_format(day, "DATE_FORMAT")) for day in days
        ]
        self.fields["present"].queryset = members  # type: ignore[attr-defined]

    def data_out(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "id": data["id"],
            "day": data["day"],
            "present": [m.pk for m in data["present"]],
        }


class CertifyForm(forms.Form):
    """Who of the participants not yet certified gets the certificate (those are the boxes);
    any participant is accepted, so the same form sent twice (a double tap, the outbox) is
    the same answer. Certifying is the same however often it is sent: no id."""

    certified: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Who is certified"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, training: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["certified"]
        field.queryset = selectors.training_members(training)  # type: ignore[attr-defined]
        field.widget.choices = [
            (
                p.member_id,
                _("%(name)s · present %(count)s of %(days)s days")
                % {
                    "name": p.member.person,
                    "count": p.present,  # type: ignore[attr-defined]  # annotated
                    "days": len(training.days),
                },
            )
            for p in selectors.uncertified(training)
        ]

    def data_out(self) -> dict[str, Any]:
        return {"members": [m.pk for m in self.cleaned_data["certified"]]}
