from django import template

from jigiya.core.money import group_digits
from jigiya.indicators.catalog import Indicator
from jigiya.indicators.charts import format_value

register = template.Library()


@register.filter
def ivalue(value: float | None, indicator: Indicator) -> str:
    """A figure in its indicator's unit: `1 234`, `45,2 %`, `12 500 FCFA`, `—`."""
    return format_value(indicator.unit, value)


@register.filter
def digits(value: int | None) -> str:
    return "—" if value is None else group_digits(int(value))
