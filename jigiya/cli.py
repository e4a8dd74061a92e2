"""The `jigiya` command: Django's management commands, with a few friendly names.

jigiya demo                       load the demo world (idempotent)
jigiya generate --scale district  synthetic data for benchmarks
jigiya worker                     run background tasks
jigiya serve [addr:port]          development server on 127.0.0.1:8000
jigiya serve --production         gunicorn (2 x cores + 1 workers) on 127.0.0.1:8000 and the
                                  task worker, after collectstatic (docs/deploy.md);
                                  --bind ADDR:PORT, --workers N, --no-worker
jigiya backup [--output PATH]     back up the whole database (docs/backup.md)
jigiya restore PATH [--replace]   restore a backup, then check ledgers, places, indicators
jigiya <any manage.py command>    e.g. jigiya migrate, jigiya createsuperuser
"""

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType

ALIASES = {
    "serve": ["runserver"],
    "verify-places": ["verify_places"],
    "dhis2-push": ["dhis2_push"],
    "verify-ledgers": ["verify_ledgers"],
    "verify-stock": ["verify_stock"],
    "verify-care-ledger": ["verify_care_ledger"],
}
GUNICORN_CONF = Path(__file__).with_name("gunicorn_conf.py")
STOP_GRACE_SECONDS = 35  # a little over gunicorn's graceful_timeout


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jigiya.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    if not args or (args[0] in {"-h", "--help", "help"} and len(args) == 1):
        print(__doc__)
        return
    command, rest = args[0], args[1:]
    if command == "serve" and "--production" in rest:
        raise SystemExit(serve_production(rest))
    if command == "serve" and not rest:
        rest = ["127.0.0.1:8000"]
    execute_from_command_line(["jigiya", *ALIASES.get(command, [command]), *rest])


def production_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jigiya serve --production",
        description="gunicorn and the task worker, after collectstatic (docs/deploy.md).",
    )
    parser.add_argument("--production", action="store_true", required=True)
    parser.add_argument("--bind", default="127.0.0.1:8000", help="ADDR:PORT (127.0.0.1:8000)")
    parser.add_argument(
        "--workers", type=int, default=None, help="web workers (default 2 x cores + 1)"
    )
    parser.add_argument(
        "--no-worker",
        action="store_true",
        help="serve only; the task worker runs as its own service (jigiya worker --no-reload)",
    )
    return parser


def gunicorn_command(*, bind: str, workers: int | None) -> list[str]:
    """The gunicorn command line: the package's config file, then the bind address and the
    number of workers (2 x cores + 1 unless given), which win over the file."""
    from jigiya.gunicorn_conf import default_workers

    count = default_workers() if workers is None else workers
    if count < 1:
        raise SystemExit("--workers must be at least 1.")
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        str(GUNICORN_CONF),
        "--bind",
        bind,
        "--workers",
        str(count),
        "jigiya.wsgi:application",
    ]


def worker_command() -> list[str]:
    return [sys.executable, "-m", "jigiya.cli", "worker", "--no-reload"]


def serve_production(argv: list[str]) -> int:
    """Collect static files (whitenoise serves them, compressed and cache-busted), then run
    gunicorn; with the task worker unless --no-worker. Both stop together: a signal stops
    both, and either one exiting stops the other, so systemd (or a person) sees one service."""
    options = production_parser().parse_args(argv)
    command = gunicorn_command(bind=options.bind, workers=options.workers)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["jigiya", "collectstatic", "--no-input", "--verbosity", "0"])
    if options.no_worker:
        # gunicorn becomes the service's main process; our own fixed command line.
        os.execv(command[0], command)  # noqa: S606
    return supervise([command, worker_command()])


def supervise(commands: list[list[str]]) -> int:
    """Start every command; return when the first exits (its code), after stopping the rest
    (SIGTERM, then SIGKILL after the grace period). SIGTERM or SIGINT here stops them all."""
    processes = [subprocess.Popen(command) for command in commands]  # noqa: S603 - ours
    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        code = None
        while code is None and not stopping:
            code = next((p.returncode for p in processes if p.poll() is not None), None)
            time.sleep(0.2)
        _stop_all(processes)
        return 0 if code is None else code
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _stop_all(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for process in processes:
        try:
            process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


if __name__ == "__main__":
    main()
