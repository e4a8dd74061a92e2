"""French typography: a no-break space before ":" in French and in Bambara (written like French),
none in English. Templates write `{% colon %}` (core/templatetags/typography.py); Python code that
builds a sentence from pieces calls `colon()`."""

from django.utils.translation import get_language

NO_BREAK_SPACE = "\u00a0"


def colon_for(language: str | None) -> str:
    """The colon of `language`: ":" in English, " :" (no-break space) in French and Bambara."""
    return ":" if (language or "").startswith("en") else f"{NO_BREAK_SPACE}:"


def colon() -> str:
    """The colon of the active language."""
    return colon_for(get_language())
