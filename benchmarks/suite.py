"""Every benchmark `make bench` runs, in order. Imported after Django is set up."""

from collections.abc import Callable

from benchmarks import pages, server_time
from benchmarks.context import Context
from benchmarks.report import Section

BENCHMARKS: list[Callable[[Context], Section]] = [
    pages.page_weight,
    server_time.home_server_time,
    __import__("benchmarks.indicators", fromlist=["_"]).dashboard_vs_group_by,
    __import__("benchmarks.interop", fromlist=["_"]).payload_build_time,
    __import__("benchmarks.followup", fromlist=["_"]).followup_server_time,
]
