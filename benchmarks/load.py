"""Under load: the production server, as `jigiya serve --production` runs it, driven by 10 and
50 concurrent virtual users, each scenario beside `/healthz` measured in the same run.

`make bench-load` (and `make bench`) start `jigiya serve --production` on a free port of
127.0.0.1 against the bench database, with the production settings (DEBUG off, HTTPS
redirect on: each request carries `X-Forwarded-Proto: https` as the reverse proxy would), so
gunicorn runs 2 x cores + 1 sync workers and the task worker runs beside it. Virtual users are
asyncio tasks of one httpx process (see `load_cast.py` for who they are); each sends one
request after another for SECONDS after WARM_UP seconds not counted:

- `/healthz`: the baseline, what the server answers when the page costs nothing;
- the CHW worklist (`/followup/`), each user with her own session;
- posting a visit (API, the CHW's token, a fresh id: a real write);
- posting a savings meeting (API, a facilitator's token, a group per user, a new day each);
- the health-center dashboard (`/indicators/health-centers/<id>/`), as its staff.

Reported: requests, errors (anything but the expected status, or no answer), requests per
second, p50 and p95 latency, throughput as % of `/healthz`'s at the same concurrency, and
throughput against what the whole country would ask of it at its busiest hour (`NEED`). The
load generator shares the machine's cores with the server, as it would on a developer's
machine.

Last, `peak`: every scenario at once, requests arriving at random at twice what the whole
country would send at its busiest hour, as an open system (thousands of phones do not wait
for each other's answers): the latency people would see on the busiest morning.

The budget held (issue 11's closing notes): 0 errors; each scenario's closed-loop throughput at
≥ `HEADROOM` x the national peak need, on these two cores; p95 ≤ `P95_GOAL_S` at the peak.
A closed loop's latency is not judged: with N users sending without pause it is N divided by
the throughput (Little's law), a throughput figure in disguise. DESIGN.md's ratio (the
worklist at ≥ 50 % and a dashboard at ≥ 30 % of /healthz) is reported, not judged: /healthz is
answered by the first middleware before the session, the user and any template, so the ratio
measures Django's fixed cost of an authenticated page (a session and a user read, CSRF, a
template) against a static 200, not Jigiya's own work; no authenticated Django page reaches
50 % of it (see `NEED` for what the figure must serve instead).
"""

import asyncio
import datetime
import logging
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from django.conf import settings
from django.utils import timezone

from benchmarks import load_cast
from benchmarks.context import Context
from benchmarks.report import Column, Section, ms

ROOT = Path(__file__).resolve().parent.parent
LEVELS = (10, 50)
ROUNDS = 2  # each scenario measured twice, in turn with the others of its block
SECONDS = 3.0  # counted, each time
WARM_UP = 1.0  # not counted, each time: the users' queue fills
MEETING_DAYS = 120  # free days each savings group needs (meetings one virtual user may post)
START_TIMEOUT = 240  # collectstatic and gunicorn's start on a busy machine
PROXY = {"X-Forwarded-Proto": "https"}  # what nginx adds (docs/deploy.md)
DESIGN_SHARE = {"worklist": 50.0, "dashboard": 30.0}  # DESIGN.md: % of /healthz (reported)
P95_GOAL_S = 1.0  # at twice the national peak: a person waits under a second
HEADROOM = 2.0  # x the national peak need, on this machine's cores
PEAK_SECONDS = 10.0  # counted, in the open-arrival block at HEADROOM x the need
PEAK_WARM_UP = 2.0  # not counted
PEAK_SEED = 2026
PEAK = "peak x 2"  # the open-arrival block's label in the users column

# What the whole country asks at its busiest hour, in requests per second (DESIGN.md's national
# scale: 1 000 communities, 225 000 households). A CHW follows about 70 households, so about
# 3 200 CHWs; each visits ~10 families a day and opens her worklist before and after each
# visit (40 times a day counts refreshes), all in a 4-hour morning, at twice the average in the
# busiest hour. The dashboard: ~1 200 health-center staff, supervisors and managers, 10 views a
# day each over 8 hours, x 2. Meetings: ~5 000 savings groups meeting weekly in 4 hours, x 2.
NATIONAL_CHWS = 225_000 // 70
NEED = {
    "worklist": 2 * NATIONAL_CHWS * 40 / (4 * 3600),
    "visit": 2 * NATIONAL_CHWS * 10 / (4 * 3600),
    "dashboard": 2 * 1_200 * 10 / (8 * 3600),
    "meeting": 2 * 5_000 / 5 / (4 * 3600),
}

Call = Callable[[httpx.AsyncClient, int], Awaitable[httpx.Response]]


@dataclass
class Scenario:
    key: str
    label: str
    call: Call
    expected: int = 200


@dataclass
class Outcome:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


# (scenario, users or PEAK, outcome, /healthz's requests per second in its block or None)
Row = tuple[Scenario, int | str, Outcome, float | None]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server_env(log_dir: Path) -> dict[str, str]:
    return os.environ | {
        "DEBUG": "false",
        # The sessions made by load_cast are signed with the bench process's key.
        "SECRET_KEY": str(settings.SECRET_KEY),
        "ALLOWED_HOSTS": "127.0.0.1",
        "JIGIYA_DEMO": "false",
        "LOG_LEVEL": "WARNING",
        # A few virtual users send as fast as the server answers: far above the rate any
        # person or phone reaches, so the per-user API limit is raised (still counted).
        "API_RATE_LIMIT": "1000000/min",
        "GUNICORN_ACCESSLOG": str(log_dir / "load-access.log"),
    }


@contextmanager
def production_server(log_dir: Path) -> Iterator[str]:
    """`jigiya serve --production` on a free port; its base URL once /healthz answers. Stopped
    (gunicorn and the task worker) on the way out."""
    port = _free_port()
    command = [sys.executable, "-m", "jigiya.cli", "serve", "--production"]
    command += ["--bind", f"127.0.0.1:{port}"]
    with (log_dir / "load-server.log").open("w") as log:
        process = subprocess.Popen(  # noqa: S603 - our own command line
            command, cwd=ROOT, env=_server_env(log_dir), stdout=log, stderr=subprocess.STDOUT
        )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_for(base, process)
            yield base
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)


def _wait_for(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("The production server stopped; see var/bench/load-server.log.")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"The production server did not answer within {START_TIMEOUT} s.")


async def _send(scenario: Scenario, client: httpx.AsyncClient, index: int) -> str | None:
    """Send one request of `scenario`; what went wrong, or None."""
    try:
        response = await scenario.call(client, index)
    except httpx.HTTPError as exc:
        return f"{type(exc).__name__}: {exc}"
    if response.status_code != scenario.expected:
        return f"{response.status_code}: {response.text[:300]}"
    return None


async def drive(
    clients: list[httpx.AsyncClient], scenario: Scenario, users: int, outcome: Outcome
) -> None:
    """`users` virtual users (each with its client) sending `scenario` one request after
    another for WARM_UP + SECONDS; the requests answered within the last SECONDS count
    (throughput of a closed loop in its steady state: none of the start, none of the
    stragglers after the end)."""
    started = time.perf_counter()
    counted_from, end = started + WARM_UP, started + WARM_UP + SECONDS

    async def user(index: int) -> None:
        while (sent := time.perf_counter()) < end:
            problem = await _send(scenario, clients[index], index)
            answered = time.perf_counter()
            if problem:  # every error counts, whenever it happens
                outcome.errors.append(problem)
            if counted_from <= answered <= end:
                outcome.latencies.append(answered - sent)

    await asyncio.gather(*(user(index) for index in range(users)))
    outcome.seconds += SECONDS


async def peak(base: str, by_key: dict[str, Scenario]) -> dict[str, Outcome]:
    """The country's busiest hour, twice over: every scenario of `NEED` at once, each request
    arriving at its own time (Poisson arrivals at HEADROOM x its need, a seeded draw per
    scenario), whether or not earlier ones are answered: an open system, as thousands of
    phones are. Counted: the requests sent within PEAK_SECONDS after PEAK_WARM_UP, each
    waited for to its answer."""
    outcomes = {key: Outcome(seconds=PEAK_SECONDS) for key in NEED}
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=100)
    client = httpx.AsyncClient(
        base_url=base, headers=PROXY, timeout=60, trust_env=False, limits=limits
    )
    started = time.perf_counter()
    counted_from = started + PEAK_WARM_UP
    end = counted_from + PEAK_SECONDS
    sent: list[asyncio.Task[None]] = []

    async def one(key: str, index: int) -> None:
        at = time.perf_counter()
        problem = await _send(by_key[key], client, index)
        if problem:
            outcomes[key].errors.append(problem)
        if counted_from <= at < end:
            outcomes[key].latencies.append(time.perf_counter() - at)

    async def arrivals(key: str) -> None:
        draw = random.Random(f"{PEAK_SEED}-{key}")
        rate, at, index = HEADROOM * NEED[key], started, 0
        while (at := at + draw.expovariate(rate)) < end:
            await asyncio.sleep(max(0.0, at - time.perf_counter()))
            sent.append(asyncio.create_task(one(key, index)))
            index += 1

    await asyncio.gather(*(arrivals(key) for key in NEED))
    await asyncio.gather(*sent)
    await client.aclose()
    return outcomes


def scenarios(cast: load_cast.Cast) -> list[Scenario]:
    today = timezone.localdate().isoformat()

    def session(key: str) -> dict[str, str]:
        return {"Cookie": f"sessionid={key}"}

    def bearer(token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}

    async def healthz(client: httpx.AsyncClient, index: int) -> httpx.Response:
        return await client.get("/healthz")

    async def worklist(client: httpx.AsyncClient, index: int) -> httpx.Response:
        chw = cast.chws[index % len(cast.chws)]
        return await client.get("/followup/", headers=session(chw.session))

    async def dashboard(client: httpx.AsyncClient, index: int) -> httpx.Response:
        staff = cast.staff[index % len(cast.staff)]
        return await client.get(staff.dashboard, headers=session(staff.session))

    async def visit(client: httpx.AsyncClient, index: int) -> httpx.Response:
        chw = cast.chws[index % len(cast.chws)]
        household, person = chw.visits[chw.turn % len(chw.visits)]
        chw.turn += 1
        body = {"id": str(uuid.uuid4()), "date": today, "people": [person]}
        url = f"/api/v1/followup/households/{household}/visits"
        return await client.post(url, json=body, headers=bearer(chw.token))

    async def meeting(client: httpx.AsyncClient, index: int) -> httpx.Response:
        return await _post_meeting(client, cast.boxes[index])

    return [
        Scenario("healthz", "/healthz (baseline)", healthz),
        Scenario("worklist", "CHW worklist", worklist),
        Scenario("dashboard", "health-center dashboard", dashboard),
        Scenario("visit", "post a visit (API)", visit, expected=201),
        Scenario("meeting", "post a savings meeting (API)", meeting, expected=201),
    ]


async def _post_meeting(client: httpx.AsyncClient, box: load_cast.Box) -> httpx.Response:
    """The box's next meeting: every member buys one share and pays the health fund; the cash
    counted is what the box held plus that. The box moves on only if the meeting is taken."""
    if box.next_day > timezone.localdate():
        raise httpx.RequestError(f"group {box.group_id} has no free day left (setup)")
    shares = load_cast.MEMBERS * load_cast.SHARE_PRICE
    health = load_cast.MEMBERS * load_cast.HEALTH
    body = {
        "id": str(uuid.uuid4()),
        "held_on": box.next_day.isoformat(),
        "members": [
            {"membership_id": member, "presence": "present", "shares": 1,
             "health": load_cast.HEALTH}
            for member in box.members
        ],
        "counted_loan_fund": box.loan_fund + shares,
        "counted_health_fund": box.health_fund + health,
    }  # fmt: skip
    url = f"/api/v1/savings/groups/{box.group_id}/meetings"
    response = await client.post(url, json=body, headers={"Authorization": f"Bearer {box.token}"})
    box.next_day += datetime.timedelta(days=1)
    if response.status_code == 201:
        box.loan_fund += shares
        box.health_fund += health
    return response


def _row(
    scenario: Scenario, users: int | str, outcome: Outcome, baseline: float | None
) -> dict[str, Any]:
    """A closed-loop row is judged on its errors and its throughput against the need (its
    latency is users / throughput, Little's law: not judged); a row of the peak block on its
    errors and its p95 (its throughput is the rate offered: not judged)."""
    rate = outcome.rate
    latencies = sorted(outcome.latencies) or [0.0]
    share = 100 * rate / baseline if baseline else None
    p95 = (
        statistics.quantiles(latencies, n=20, method="inclusive")[18]
        if len(latencies) > 1
        else latencies[0]
    )
    need = NEED.get(scenario.key)
    headroom = rate / need if need and users != PEAK else None
    met = (
        not outcome.errors
        and (users != PEAK or p95 <= P95_GOAL_S)
        and (headroom is None or headroom >= HEADROOM)
    )
    design = DESIGN_SHARE.get(scenario.key)
    return {
        "scenario": scenario.label,
        "users": users,
        "requests": outcome.requests,
        "errors": len(outcome.errors),
        "rate": rate,
        "p50_s": statistics.median(latencies),
        "p95_s": p95,
        "share": share,
        "design": f"≥ {design:.0f} %" if design else "",
        "need": need,
        "headroom": headroom,
        "verdict": "OK" if met else "OVER",
        "first_error": outcome.errors[0] if outcome.errors else None,
    }


async def _measure(base: str, cast: load_cast.Cast) -> list[Row]:
    """First every page once by every worker (not counted), then reads at each level, then
    writes, each block beside its own /healthz, in ROUNDS rounds (a slow moment of the
    machine hits every scenario alike). Writes come after reads: the task worker refreshing
    what they change would otherwise weigh on the reads. Rows: (scenario, users, outcome,
    /healthz's requests per second in that block); last, the peak block's."""
    by_key = {scenario.key: scenario for scenario in scenarios(cast)}
    # A client per virtual user, made once: making one costs more than a request.
    clients = [
        httpx.AsyncClient(base_url=base, headers=PROXY, timeout=60, trust_env=False)
        for _user in range(max(LEVELS))
    ]
    for key in ("healthz", "worklist", "dashboard"):
        await drive(clients, by_key[key], min(LEVELS), Outcome())
    rows: list[Row] = []
    for keys in (("healthz", "worklist", "dashboard"), ("healthz", "visit", "meeting")):
        for users in LEVELS:
            sys.stderr.write(f"  {', '.join(keys)} with {users} users…\n")
            outcomes = {key: Outcome() for key in keys}
            for _round in range(ROUNDS):
                for key in keys:
                    await drive(clients, by_key[key], users, outcomes[key])
            baseline = outcomes["healthz"].rate
            rows += [(by_key[key], users, outcomes[key], baseline) for key in keys]
    for client in clients:
        await client.aclose()
    sys.stderr.write("  every scenario at once, at twice the national peak…\n")
    at_peak = await peak(base, by_key)
    rows += [(by_key[key], PEAK, outcome, None) for key, outcome in at_peak.items()]
    return rows


def load_scenario(ctx: Context) -> Section:
    section = Section(
        key="load",
        title=(
            f"Under load: jigiya serve --production at {ctx.scale} scale, "
            f"{' and '.join(map(str, LEVELS))} concurrent users, {ROUNDS} x {SECONDS:.0f} s "
            f"each, then twice the national peak for {PEAK_SECONDS:.0f} s"
        ),
        columns=[
            Column("scenario", "scenario", right=False),
            Column("users", "users"),
            Column("requests", "requests"),
            Column("errors", "errors"),
            Column("rate", "req/s", lambda rate: f"{rate:.1f}"),
            Column("p50_s", "p50 ms", ms),
            Column("p95_s", "p95 ms", ms),
            Column("share", "% of /healthz", lambda share: f"{share:.0f} %"),
            Column("design", "DESIGN's %", right=False),
            Column("need", "national need req/s", lambda need: f"{need:.1f}" if need else ""),
            Column("headroom", "x need", lambda x: f"{x:.0f} x" if x else ""),
            Column("verdict", "verdict", right=False),
        ],
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)  # not a line per request
    cast = load_cast.build(admin=ctx.admin, users=max(LEVELS), meeting_days=MEETING_DAYS)
    log_dir = Path(settings.VAR_DIR)
    with production_server(log_dir) as base:
        measured = asyncio.run(_measure(base, cast))
    section.rows += [_row(*row) for row in measured]
    from jigiya.gunicorn_conf import default_workers

    section.notes += [
        f"gunicorn with {default_workers()} sync workers (2 x {os.cpu_count()} cores + 1) and "
        "the task worker, DEBUG off, access log to var/bench/load-access.log; the httpx load "
        "generator on the same cores. Each virtual user sends its next request when the last "
        f"is answered; counted: the answers within {SECONDS:.0f} s after {WARM_UP} s of "
        f"warm-up, {ROUNDS} times in turn with the block's other scenarios. Page cache "
        f"(JIGIYA_PAGE_CACHE_SECONDS): {settings.JIGIYA_PAGE_CACHE_SECONDS} s.",
        "Reads (healthz, worklist, dashboard) at each level first, then writes (healthz again, "
        "visits, meetings) while the task worker refreshes the indicators they change; "
        "% of /healthz is against the /healthz row just above.",
        f"{PEAK}: worklists, visits, dashboards and meetings at once, each at {HEADROOM:.0f} x "
        "its national need, requests arriving at random (Poisson, seeded) whether or not the "
        f"last are answered; counted: those sent within {PEAK_SECONDS:.0f} s after "
        f"{PEAK_WARM_UP:.0f} s, each to its answer.",
        "Verdict: 0 errors anywhere; each scenario's throughput with "
        f"{' and '.join(map(str, LEVELS))} users sending without pause ≥ {HEADROOM:.0f} x the "
        "national peak need "
        f"(benchmarks/load.py, NEED: ~{NATIONAL_CHWS} CHWs at their busiest hour); at {PEAK}, "
        f"p95 ≤ {P95_GOAL_S * 1000:.0f} ms. DESIGN's % of /healthz is shown, not judged: "
        "/healthz is answered before the session, the user and any template.",
        *cast.notes,
    ]
    section.notes += [
        f"First error of {row['scenario']} at {row['users']} users: {row['first_error']}"
        for row in section.rows
        if row["first_error"]
    ]
    return section
