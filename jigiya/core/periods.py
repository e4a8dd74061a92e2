"""Reporting periods are calendar months in Africa/Bamako; DHIS2 names them `yyyyMM`."""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

_DHIS2 = re.compile(r"^(\d{4})(\d{2})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12 or not 1900 <= self.year <= 9999:
            raise ValueError(f"not a month: {self.year}-{self.month}")

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @classmethod
    def of(cls, day: datetime.date) -> "Month":
        return cls(day.year, day.month)

    @classmethod
    def current(cls) -> "Month":
        return cls.of(timezone.localdate())

    @classmethod
    def parse(cls, text: str, *, field: str = "period") -> "Month":
        """Accept `2026-11` or DHIS2's `202611`; anything else is a validation error on `field`."""
        match = _ISO.match(text.strip()) or _DHIS2.match(text.strip())
        if match:
            try:
                return cls(int(match.group(1)), int(match.group(2)))
            except ValueError:
                pass
        raise ValidationError(
            {field: _("“%(value)s” is not a month (expected YYYY-MM).") % {"value": text}}
        )

    @property
    def dhis2(self) -> str:
        return f"{self.year:04d}{self.month:02d}"

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)

    @property
    def last_day(self) -> datetime.date:
        return self.next().first_day - datetime.timedelta(days=1)

    def next(self) -> "Month":
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> "Month":
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def shift(self, months: int) -> "Month":
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)

    def is_future(self) -> bool:
        return self > Month.current()


def month_range(start: Month, end: Month) -> list[Month]:
    """Every month from `start` to `end`, both included."""
    months = []
    current = start
    while current <= end:
        months.append(current)
        current = current.next()
    return months
