from typing import Any

from django import template

from jigiya.cooperatives.common import household_code
from jigiya.core.money import format_fcfa

register = template.Library()


@register.filter
def fcfa(amount: int | None) -> str:
    """`1000` → `1 000 FCFA`."""
    return format_fcfa(amount)


@register.filter
def family_code(household_id: Any) -> str:
    """A household's id → its code on the cooperatives' pages (`F-3F2A9C`)."""
    return household_code(household_id) if household_id else ""
