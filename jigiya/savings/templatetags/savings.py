from django import template

from jigiya.core.money import format_fcfa
from jigiya.savings.heads import Head, meeting_head, share_out_head
from jigiya.savings.models import Meeting, ShareOut

register = template.Library()


@register.filter
def fcfa(amount: int | None) -> str:
    """`1000` → `1 000 FCFA`."""
    return format_fcfa(amount)


@register.filter
def sub(amount: int, other: int) -> int:
    """`amount - other` (a difference shown on a page)."""
    return int(amount) - int(other)


@register.simple_tag
def chain_head(record: Meeting | ShareOut) -> Head | None:
    """The group's ledger chain head after this meeting or at this share-out, printed so a
    rewrite of the whole chain shows against the paper (`savings.heads`)."""
    if isinstance(record, ShareOut):
        return share_out_head(record)
    return meeting_head(record)
