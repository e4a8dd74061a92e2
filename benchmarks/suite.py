"""Every benchmark `make bench` runs, in order. Imported after Django is set up.

A benchmark module may add the URL parameters of its app's pages to `context.PATH_PARAMS` when
imported (the page-weight benchmark needs a real object for each)."""

from collections.abc import Callable

from benchmarks import (
    care,
    cooperatives,
    followup,
    freshness,
    indicators,
    interop,
    load,
    offline,
    pages,
    quality,
    savings,
    server_time,
)
from benchmarks.context import Context
from benchmarks.report import Section

BENCHMARKS: list[Callable[[Context], Section]] = [
    pages.page_weight,
    server_time.home_server_time,
    indicators.dashboard_vs_group_by,
    interop.payload_build_time,
    followup.followup_server_time,
    followup.tasks_sweep_time,
    freshness.refresh_time,
    freshness.place_move_time,
    savings.savings_figures,
    quality.quality_server_time,
    cooperatives.cooperative_figures,
    care.care_upload,
    care.care_scheme_close,
    offline.offline_field_client,
    load.load_scenario,  # last: it writes visits and meetings through the production server
]

# `--scale national`: the benchmarks whose cost could grow with the data (page weight and the
# DHIS2 payload do not depend on it).
NATIONAL: list[Callable[[Context], Section]] = [
    server_time.home_server_time,
    followup.followup_server_time,
    followup.tasks_sweep_time,
    freshness.refresh_time,
    freshness.place_move_time,
    indicators.national_dashboard_vs_group_by,
    savings.savings_figures,
    quality.quality_server_time,
    cooperatives.cooperative_figures,
    care.care_scheme_close,
]
