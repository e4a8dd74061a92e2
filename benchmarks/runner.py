"""Build the bench database, run every benchmark, print the tables, write the JSON.

Two scales:

- `python -m benchmarks` (`make bench`): district scale on a SQLite database of its own under
  `var/bench/`, deleted and rebuilt every run (about two minutes), every benchmark.
- `python -m benchmarks --postgres --only load_scenario` (`make bench-load-postgres`): the
  district scale on PostgreSQL, the production database (`jigiya_bench_district`, kept).
- `python -m benchmarks --scale national` (`make bench-national`): national scale (1 000
  communities, ~1 M people, ~10 M visits, ~2 M ledger entries) on PostgreSQL, in the database
  named by `BENCH_DATABASE_URL` (default `jigiya_bench_national` on 127.0.0.1). Generating it
  takes about 70 minutes, so the database is kept between runs: `jigiya generate` is idempotent
  and only adds what is missing (a few seconds when nothing is). The benchmarks whose cost could
  grow with the data run there.

Nothing here may touch the developer's database: the environment is fixed before Django reads
its settings, and the database is checked before anything is deleted or written.
"""

import argparse
import datetime
import io
import os
import platform
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
DATABASE = BENCH_DIR / "jigiya.sqlite3"
NATIONAL_URL = "postgres://postgres@127.0.0.1:5432/jigiya_bench_national"
DISTRICT_URL = "postgres://postgres@127.0.0.1:5432/jigiya_bench_district"  # with --postgres
NATIONAL_PREFIX = "jigiya_bench"  # a national bench database's name must start with it
SEED = 2026


def _isolate(scale: str, *, keep: bool = False, postgres: bool = False) -> str:
    """Point Django at the bench database of `scale`, with static files served; returns a
    description of the database for the log. `keep`: reuse the district database if it is
    there (generate only adds what is missing). `postgres`: the district scale on PostgreSQL
    (`BENCH_DISTRICT_DATABASE_URL`, kept between runs like the national one)."""
    os.environ["JIGIYA_VAR_DIR"] = str(BENCH_DIR)
    os.environ["DJANGO_SETTINGS_MODULE"] = "jigiya.settings"
    # DEBUG serves static files through Django, so assets are fetched like any page.
    os.environ["DEBUG"] = "true"
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    if scale == "national" or postgres:
        url = (
            os.environ.get("BENCH_DATABASE_URL", NATIONAL_URL)
            if scale == "national"
            else os.environ.get("BENCH_DISTRICT_DATABASE_URL", DISTRICT_URL)
        )
        name = urlsplit(url).path.lstrip("/")
        if not name.startswith(NATIONAL_PREFIX):
            raise SystemExit(
                f"Refusing to run: BENCH_DATABASE_URL names database “{name}”; a bench database's "
                f"name starts with {NATIONAL_PREFIX} (it is written to and kept)."
            )
        os.environ["DATABASE_URL"] = url
        _create_database(url, name)
        return f"PostgreSQL database {name}"
    os.environ.pop("DATABASE_URL", None)  # it would win over JIGIYA_VAR_DIR
    if keep and DATABASE.exists():
        return f"SQLite database {DATABASE.relative_to(ROOT)} (kept)"
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{DATABASE}{suffix}").unlink(missing_ok=True)
    return f"SQLite database {DATABASE.relative_to(ROOT)}"


def _create_database(url: str, name: str) -> None:
    """Create the PostgreSQL database `name` if it is not there (kept when it is)."""
    import psycopg
    from psycopg import sql

    server = urlsplit(url)._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--scale", choices=["district", "national"], default="district")
    parser.add_argument(
        "--only",
        action="append",
        metavar="NAME",
        help="run only this benchmark (a function name in benchmarks/suite.py); repeatable",
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="district: reuse var/bench/jigiya.sqlite3 if it is there instead of rebuilding it",
    )
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="district: on PostgreSQL, the production database (BENCH_DISTRICT_DATABASE_URL, "
        "default jigiya_bench_district on 127.0.0.1, kept between runs)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    arguments = _arguments(argv)
    scale = arguments.scale
    started = time.monotonic()
    where = _isolate(scale, keep=arguments.keep, postgres=arguments.postgres)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    name = Path(str(settings.DATABASES["default"]["NAME"]))
    on_postgres = scale == "national" or arguments.postgres
    if not on_postgres and name.resolve() != DATABASE.resolve():
        raise SystemExit(f"Refusing to run: the database is {name}, not {DATABASE}.")
    if on_postgres and not str(name).startswith(NATIONAL_PREFIX):
        raise SystemExit(f"Refusing to run: the database is {name}.")

    log = sys.stderr
    log.write(f"Bench {where}: migrate, generate --scale {scale}…\n")
    call_command("migrate", verbosity=0, interactive=False)
    generated = io.StringIO()
    generate_started = time.monotonic()
    call_command("generate", scale=scale, seed=SEED, no_progress=True, stdout=generated)
    generate_s = time.monotonic() - generate_started
    log.write(generated.getvalue())

    from benchmarks.context import Context
    from benchmarks.report import render, write_json
    from benchmarks.suite import BENCHMARKS, NATIONAL

    chosen = NATIONAL if scale == "national" else BENCHMARKS
    if arguments.only:
        unknown = set(arguments.only) - {b.__name__ for b in chosen}
        if unknown:
            raise SystemExit(f"No {scale} benchmark named {', '.join(sorted(unknown))}.")
        chosen = [b for b in chosen if b.__name__ in arguments.only]
    ctx = Context.build(scale=scale)
    sections = []
    for benchmark in chosen:
        log.write(f"Running {benchmark.__module__}.{benchmark.__name__}…\n")
        sections.append(benchmark(ctx))

    print()
    print("\n\n".join(render(section) for section in sections))
    meta = {
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "scale": scale,
        "seed": SEED,
        "database": where,
        "generate_seconds": round(generate_s, 1),
        "python": platform.python_version(),
        "django": django.get_version(),
        "machine": platform.platform(),
        "seconds": round(time.monotonic() - started, 1),
    }
    stem = {"national": "results-national", "district": "results-district-postgres"}[scale]
    results = BENCH_DIR / f"{stem if on_postgres else 'results'}.json"
    if arguments.only:  # a partial run does not overwrite the full results
        results = results.with_name(f"{results.stem}-only.json")
    write_json(results, meta, sections)
    print(f"\nResults written to {results.relative_to(ROOT)} ({meta['seconds']} s in all).")
    return 0
