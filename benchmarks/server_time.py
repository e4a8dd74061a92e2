"""Server time of the home page, beside an empty view through the same middleware.

`/healthz` does nothing but return "ok", so `home / baseline` is what the page itself costs.
Requests alternate between the two, so a slow moment on the machine hits both alike. Time is
measured through Django's test client: the whole middleware stack and the view, no network.
"""

import statistics
import time
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from benchmarks.context import Context
from benchmarks.report import Column, Section, ms

WARM_UP = 20
REQUESTS = 200
HOME = "/"
BASELINE = "/healthz"


def _timed(client: Client, url: str) -> float:
    start = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}, not 200.")
    return elapsed


def _stats(samples: list[float]) -> dict[str, float]:
    return {
        "median_s": statistics.median(samples),
        "p95_s": statistics.quantiles(samples, n=20, method="inclusive")[18],
    }


def home_server_time(ctx: Context) -> Section:
    section = Section(
        key="server_time",
        title=f"Server time of the home page at {ctx.scale} scale ({REQUESTS} requests each)",
        columns=[
            Column("user", "user", right=False),
            Column("url", "page", right=False),
            Column("median_s", "median ms", ms),
            Column("p95_s", "p95 ms", ms),
            Column("ratio", "home/baseline", lambda ratio: f"{ratio:.1f}"),
            Column("queries", "SQL"),
        ],
    )
    for user in (ctx.admin, ctx.chw):
        client = ctx.client(user)
        for _ in range(WARM_UP):
            _timed(client, HOME)
            _timed(client, BASELINE)
        home: list[float] = []
        baseline: list[float] = []
        for _ in range(REQUESTS):
            home.append(_timed(client, HOME))
            baseline.append(_timed(client, BASELINE))
        counts = {}
        for url in (HOME, BASELINE):
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            counts[url] = len(queries)
        home_stats, base_stats = _stats(home), _stats(baseline)
        rows: list[dict[str, Any]] = [
            {
                "user": user.username,
                "url": HOME,
                **home_stats,
                "ratio": home_stats["median_s"] / base_stats["median_s"],
                "queries": counts[HOME],
            },
            {"user": user.username, "url": f"{BASELINE} (baseline)", **base_stats,
             "queries": counts[BASELINE]},
        ]  # fmt: skip
        section.rows += rows
    section.notes += [
        f"Warm-up {WARM_UP} requests each; home and baseline alternate; ratio = median ÷ median.",
        "SQL = queries of one request. Through the test client: no network, no WSGI server, "
        "DEBUG on (static files served by Django).",
    ]
    return section
