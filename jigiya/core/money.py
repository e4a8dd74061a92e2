"""Money is an integer number of FCFA (XOF has no minor unit), shown as `1 000 FCFA`."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# French grouping uses a narrow no-break space; a plain no-break space prints everywhere.
GROUP_SEPARATOR = "\u00a0"


def group_digits(amount: int) -> str:
    """`1234567` → `1 234 567` (no-break spaces), negative amounts keep their sign."""
    sign = "-" if amount < 0 else ""
    return sign + f"{abs(amount):,}".replace(",", GROUP_SEPARATOR)


def format_fcfa(amount: int | None, *, with_usd: bool = False) -> str:
    """`1000` → `1 000 FCFA`; with a configured rate and `with_usd`, `1 000 FCFA (≈ 1.67 USD)`."""
    if amount is None:
        return "—"
    text = f"{group_digits(int(amount))}{GROUP_SEPARATOR}FCFA"
    rate = settings.JIGIYA_FCFA_PER_USD
    if with_usd and rate:
        text += f" (≈ {amount / rate:,.2f} USD)"
    return text


def parse_fcfa(text: str | int, *, field: str = "amount") -> int:
    """Read an amount typed by a person: `1 000`, `1000 FCFA`, `1.000`. Refuses fractions, junk."""
    if isinstance(text, bool):
        raise ValidationError({field: _("Enter a whole number of FCFA.")})
    if isinstance(text, int):
        return text
    cleaned = (
        text.upper()
        .replace("FCFA", "")
        .replace("F", "")
        .replace(GROUP_SEPARATOR, "")
        .replace("\u202f", "")
        .replace(" ", "")
        .replace(".", "")
    )
    sign = -1 if cleaned.startswith("-") else 1
    digits = cleaned.lstrip("-")
    if not digits.isdigit():
        raise ValidationError(
            {field: _("“%(value)s” is not a whole number of FCFA.") % {"value": text.strip()}}
        )
    return sign * int(digits)
