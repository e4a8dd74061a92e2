"""Every benchmark `make bench` runs, in order. Imported after Django is set up.

A benchmark module may add the URL parameters of its app's pages to `context.PATH_PARAMS` when
imported (the page-weight benchmark needs a real object for each)."""

from collections.abc import Callable

from benchmarks import followup, indicators, interop, pages, savings, server_time
from benchmarks.context import Context
from benchmarks.report import Section

BENCHMARKS: list[Callable[[Context], Section]] = [
    pages.page_weight,
    server_time.home_server_time,
    indicators.dashboard_vs_group_by,
    interop.payload_build_time,
    followup.followup_server_time,
    savings.savings_figures,
]
