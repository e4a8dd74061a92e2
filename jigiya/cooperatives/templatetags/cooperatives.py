from django import template

from jigiya.core.money import format_fcfa

register = template.Library()


@register.filter
def fcfa(amount: int | None) -> str:
    """`1000` → `1 000 FCFA`."""
    return format_fcfa(amount)
