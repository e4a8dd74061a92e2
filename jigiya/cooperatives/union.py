"""The union's money and its board.

Dues: a member cooperative owes its `yearly_dues` for every calendar year from the year it
joined to the year asked about. A payment (`dues_pay`) is for one year, never above what is
left owed for it, and goes out of the cooperative's cash (a `dues` cash entry, through the same
lock and checks as every cash posting: never below zero, never in a closed period). The union's
receipt (`DuesPayment`, append-only) is written with it, so the union's balance is the sum of
its receipts (the union spends nothing here yet).

Board: an election (`board_elect`) on a day names, per role, a member of a member cooperative;
it replaces the board of the election before it, which stays in the history.
"""

import datetime
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from jigiya.accounts.access import Actor, acting_user, require_perm_at
from jigiya.accounts.roles import Perm
from jigiya.cooperatives import cash
from jigiya.cooperatives.models import (
    BoardElection,
    BoardRole,
    BoardSeat,
    CashKind,
    DuesPayment,
    Member,
    Union,
    UnionMember,
)
from jigiya.cooperatives.stock import lock_cooperative
from jigiya.core.audit import create_audited
from jigiya.core.bounds import not_before, within_program
from jigiya.core.errors import Conflict
from jigiya.core.money import format_fcfa
from jigiya.core.retries import mark_replayed


@dataclass
class DuesYear:
    """A member cooperative's dues for one year: owed, paid, left."""

    member: UnionMember
    year: int
    owed: int
    paid: int

    @property
    def left(self) -> int:
        return self.owed - self.paid


def paid_for(member: UnionMember, year: int) -> int:
    total = DuesPayment.objects.filter(member=member, year=year).aggregate(t=Sum("amount"))["t"]
    return int(total or 0)


def dues(union: Union, *, until_year: int) -> list[DuesYear]:
    """Every member cooperative's dues, year by year from the year it joined to `until_year`."""
    paid = {
        (m, y): int(t)
        for m, y, t in DuesPayment.objects.filter(union=union)
        .values_list("member_id", "year")
        .annotate(t=Sum("amount"))
        .order_by()
    }  # fmt: skip
    rows = []
    for member in union.members.select_related("cooperative").order_by("joined_on", "pk"):
        for year in range(member.joined_on.year, until_year + 1):
            got = paid.get((member.pk, year), 0)
            rows.append(DuesYear(member, year, member.yearly_dues, got))
    return rows


def union_balance(union: Union) -> int:
    """What the union holds: the dues it received."""
    total = DuesPayment.objects.filter(union=union).aggregate(t=Sum("amount"))["t"]
    return int(total or 0)


def _replayed(
    id: uuid.UUID | None, member: UnionMember, year: int, amount: int
) -> DuesPayment | None:
    if id is None:
        return None
    existing = DuesPayment.objects.filter(pk=id).first()
    if existing is None:
        return None
    if (existing.member_id, existing.year, existing.amount) != (member.pk, year, amount):
        raise Conflict(_("A different union dues payment was already sent with this id."))
    mark_replayed(existing)
    return existing


@transaction.atomic
def dues_pay(
    *,
    actor: Actor,
    member: UnionMember,
    year: int,
    amount: int,
    paid_on: datetime.date,
    id: uuid.UUID | None = None,
) -> DuesPayment:
    """A member cooperative pays (part of) its dues of `year` from its cash to the union."""
    coop = member.cooperative
    require_perm_at(actor, Perm.COOPERATIVES_RECORD, coop.community)
    # Read under the cooperative lock: two devices sending one payment at once queue up here,
    # and the second finds the first's receipt (a replay), never a duplicate key.
    lock_cooperative(coop.pk)
    again = _replayed(id, member, year, amount)
    if again is not None:
        return again
    within_program("paid_on", paid_on)
    not_before("paid_on", paid_on, member.joined_on, floor_label=_("joining the union"))
    if type(year) is not int or not member.joined_on.year <= year <= paid_on.year:
        raise ValidationError(
            {
                "year": [
                    _("Dues are owed from %(first)s to %(last)s (got %(year)s).")
                    % {"first": member.joined_on.year, "last": paid_on.year, "year": year}
                ]
            }
        )
    if type(amount) is not int or amount <= 0:
        raise ValidationError({"amount": [_("Amounts are whole FCFA above zero.")]})
    left = member.yearly_dues - paid_for(member, year)
    if amount > left:
        raise ValidationError(
            {
                "amount": [
                    _("%(amount)s is more than the %(left)s left owed for %(year)s.")
                    % {"amount": format_fcfa(amount), "left": format_fcfa(left), "year": year}
                ]
            }
        )
    cash.check_open(coop.pk, paid_on, "paid_on")
    entry = cash.post(
        cooperative=coop, kind=CashKind.DUES, on=paid_on, amount=amount,
        memo=f"{member.union.name} {year}",
    )  # fmt: skip
    payment = DuesPayment(
        id=id or uuid.uuid4(), union=member.union, member=member, year=year, paid_on=paid_on,
        amount=amount, cash_entry=entry, created_by=acting_user(actor),
    )  # fmt: skip
    try:
        with transaction.atomic():
            payment.save(force_insert=True)
    except IntegrityError as exc:  # the same id sent at once for another cooperative's dues
        raise Conflict(_("A different union dues payment was already sent with this id.")) from exc
    return payment


# --- the board ------------------------------------------------------------------------------


def board(union: Union) -> BoardElection | None:
    """The board now: the latest election (its seats prefetched), or None."""
    return union.elections.prefetch_related("seats__member__person").order_by("-held_on").first()


def _seat_members(union: Union, held_on: datetime.date, seats: dict[str, uuid.UUID]) -> dict:
    """The members named per role: each a member on `held_on` of a cooperative of the union."""
    unknown = sorted(set(seats) - set(BoardRole.values))
    if unknown:
        raise ValidationError({"seats": [_("Unknown role: %(role)s.") % {"role": unknown[0]}]})
    if BoardRole.PRESIDENT not in seats:
        raise ValidationError({"seats": [_("Elect a president.")]})
    if len(set(seats.values())) != len(seats):
        raise ValidationError({"seats": [_("One woman holds one role on the board.")]})
    coops = union.members.filter(joined_on__lte=held_on).values("cooperative_id")
    members = Member.objects.filter(
        Q(left_on__isnull=True) | Q(left_on__gt=held_on),
        pk__in=seats.values(), cooperative_id__in=coops, joined_on__lte=held_on,
    )  # fmt: skip
    found = {m.pk: m for m in members}
    for role, member_id in seats.items():
        if member_id not in found:
            raise ValidationError(
                {
                    role: [
                        _("The %(role)s must be a member of a union cooperative on %(day)s.")
                        % {"role": BoardRole(role).label.lower(), "day": held_on}
                    ]
                }
            )
    return {role: found[member_id] for role, member_id in seats.items()}


@transaction.atomic
def board_elect(
    *,
    actor: Actor,
    union: Union,
    held_on: datetime.date,
    seats: dict[str, uuid.UUID],
    id: uuid.UUID | None = None,
) -> BoardElection:
    """The board elected on `held_on` (role → member): it replaces the board before it."""
    require_perm_at(actor, Perm.COOPERATIVES_RECORD, union.place)
    union = Union.objects.select_for_update().get(pk=union.pk)
    if id is not None and (existing := BoardElection.objects.filter(pk=id).first()):
        sent = {s.role: s.member_id for s in existing.seats.all()}
        if (existing.union_id, existing.held_on, sent) != (union.pk, held_on, dict(seats)):
            raise Conflict(_("A different board election was already sent with this id."))
        mark_replayed(existing)
        return existing
    within_program("held_on", held_on)
    not_before("held_on", held_on, union.formed_on, floor_label=_("the union's formation"))
    last = union.elections.order_by("-held_on").values_list("held_on", flat=True).first()
    if last is not None and held_on <= last:
        raise ValidationError(
            {
                "held_on": [
                    _("The last election was on %(last)s; a new one comes after it.")
                    % {"last": last}
                ]
            }
        )
    elected = _seat_members(union, held_on, seats)
    election = BoardElection(union=union, held_on=held_on, created_by=acting_user(actor))
    try:
        with transaction.atomic():
            create_audited(election, actor=actor, id=id)
    except IntegrityError as exc:  # the same id sent at once for another union's board
        raise Conflict(_("A different board election was already sent with this id.")) from exc
    BoardSeat.objects.bulk_create(
        BoardSeat(election=election, role=role, member=member) for role, member in elected.items()
    )
    return election
