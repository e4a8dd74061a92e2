"""`{% colon %}` after a label: "Nom :" in French and Bambara, "Name:" in English.

A builtin (settings.TEMPLATES), so no template needs `{% load %}`: `{% colon %}` replaces ":".
"""

from django import template

from jigiya.core import typography

register = template.Library()


@register.simple_tag
def colon() -> str:
    return typography.colon()
