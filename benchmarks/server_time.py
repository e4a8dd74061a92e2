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


def timed(client: Client, url: str) -> float:
    """Seconds of one GET through the test client; anything but 200 stops the bench."""
    start = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}, not 200.")
    return elapsed


def stats(samples: list[float]) -> dict[str, float]:
    return {
        "median_s": statistics.median(samples),
        "p95_s": statistics.quantiles(samples, n=20, method="inclusive")[18],
    }


def alternate(
    client: Client, url: str, *, requests: int = REQUESTS, warm_up: int = WARM_UP
) -> tuple[list[float], list[float]]:
    """`url` and the baseline, each `requests` times in turn after `warm_up` of each, so a slow
    moment on the machine hits both alike: (page samples, baseline samples)."""
    for _ in range(warm_up):
        timed(client, url)
        timed(client, BASELINE)
    page: list[float] = []
    baseline: list[float] = []
    for _ in range(requests):
        page.append(timed(client, url))
        baseline.append(timed(client, BASELINE))
    return page, baseline


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
        home, baseline = alternate(client, HOME)
        counts = {}
        for url in (HOME, BASELINE):
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            counts[url] = len(queries)
        home_stats, base_stats = stats(home), stats(baseline)
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
