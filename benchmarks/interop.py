"""DHIS2: time to build a month's `dataValueSets` payload and its ADX file, and its SQL count.

Every DHIS2 server of the database, the last complete month, as the command line builds it
(no scope). The payload reads stored indicator values only, so its cost should stay a handful
of queries whatever the number of records behind the values."""

import statistics
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

from benchmarks.context import PATH_PARAMS, Context
from benchmarks.report import Column, Section, ms
from jigiya.core.periods import Month
from jigiya.interop import adx, selectors
from jigiya.interop.models import DataElementMapping, Dhis2Push, Dhis2Server, OrgUnitMapping

RUNS = 20


def _push() -> Dhis2Push:
    """The demo never pushes (its server is a placeholder): a failed attempt stands in."""
    push = Dhis2Push.objects.first()
    if push is None:
        push = Dhis2Push.objects.create(
            server=Dhis2Server.objects.order_by("created_at")[0],
            period=Month.current().previous().dhis2,
            status="failed",
            error_code="unreachable",
            payload={},
            payload_hash="0" * 64,
            value_count=0,
        )
    return push


PATH_PARAMS.setdefault("dhis2_server_id", lambda: Dhis2Server.objects.first())
PATH_PARAMS.setdefault("dhis2_element_id", lambda: DataElementMapping.objects.first())
PATH_PARAMS.setdefault("dhis2_org_unit_id", lambda: OrgUnitMapping.objects.first())
PATH_PARAMS.setdefault("dhis2_push_id", _push)


def payload_build_time(ctx: Context) -> Section:
    section = Section(
        key="dhis2_payload",
        title="DHIS2 payload and ADX file for the last complete month",
        columns=[
            Column("server", "server", right=False),
            Column("values", "values"),
            Column("median_s", "payload median ms", ms),
            Column("adx_s", "ADX median ms", ms),
            Column("queries", "SQL"),
        ],
    )
    month = Month.current().previous()
    for server in Dhis2Server.objects.select_related("place"):
        times, adx_times = [], []
        with CaptureQueriesContext(connection) as queries:
            built = selectors.payload_build(user=None, server=server, month=month)
        for _ in range(RUNS):
            start = time.perf_counter()
            built = selectors.payload_build(user=None, server=server, month=month)
            times.append(time.perf_counter() - start)
            if server.data_set:
                start = time.perf_counter()
                adx.adx_document(built, month=month)
                adx_times.append(time.perf_counter() - start)
        section.rows.append(
            {
                "server": server.name,
                "values": len(built.data_values),
                "median_s": statistics.median(times),
                "adx_s": statistics.median(adx_times) if adx_times else 0.0,
                "queries": len(queries),
            }
        )
    if not section.rows:
        section.notes.append("No DHIS2 server configured (run `jigiya demo`).")
    return section
