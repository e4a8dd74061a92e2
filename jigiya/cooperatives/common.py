"""What every cooperatives service shares: the change sources it declares (so the indicator
engine refreshes the figures a write touches) and the months a change touches."""

import datetime
import uuid

from jigiya.core.changes import declare_source, records_changed
from jigiya.core.periods import Month, month_range

SOURCE_MEMBERS = declare_source("cooperatives.membership")  # cooperatives, statuses, members
SOURCE_STOCK = declare_source("cooperatives.stock")  # production, sales, distributions
SOURCE_ORDERS = declare_source("cooperatives.order")  # orders and what was delivered of them


def changed(community_id: uuid.UUID, day: datetime.date, *, source: str, lasting: bool) -> None:
    """Mark the community's month of `day` stale (and, for what lasts — members, open orders —
    every month from it to this one)."""
    months = month_range(Month.of(day), Month.current()) if lasting else [Month.of(day)]
    records_changed(source=source, cells=[(community_id, m.first_day) for m in months])


def household_code(household_id: uuid.UUID) -> str:
    """The code a family in need is known by on the cooperatives' pages: its name is registry
    data, seen by the health roles only. The CHW reads the code on the household page and
    writes it on the family's voucher; the cooperative records the code it was handed."""
    return "F-" + household_id.hex[:6].upper()
