"""Build the bench database, run every benchmark, print the tables, write the JSON.

Nothing here may touch the developer's database: the environment is fixed before Django reads
its settings, and the database path is checked before anything is deleted or written.
"""

import datetime
import io
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
DATABASE = BENCH_DIR / "jigiya.sqlite3"
RESULTS = BENCH_DIR / "results.json"
SCALE = "district"
SEED = 2026


def _isolate() -> None:
    """Point Django at a database of its own under var/bench, with static files served."""
    os.environ["JIGIYA_VAR_DIR"] = str(BENCH_DIR)
    os.environ["DJANGO_SETTINGS_MODULE"] = "jigiya.settings"
    os.environ.pop("DATABASE_URL", None)  # it would win over JIGIYA_VAR_DIR
    # DEBUG serves static files through Django, so assets are fetched like any page.
    os.environ["DEBUG"] = "true"
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{DATABASE}{suffix}").unlink(missing_ok=True)


def main() -> int:
    started = time.monotonic()
    _isolate()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    name = Path(str(settings.DATABASES["default"]["NAME"])).resolve()
    if name != DATABASE.resolve():
        raise SystemExit(f"Refusing to run: the database is {name}, not {DATABASE}.")

    log = sys.stderr
    log.write(f"Bench database {DATABASE.relative_to(ROOT)}: migrate, generate --scale {SCALE}…\n")
    call_command("migrate", verbosity=0, interactive=False)
    generated = io.StringIO()
    call_command("generate", scale=SCALE, seed=SEED, no_progress=True, stdout=generated)
    log.write(generated.getvalue())

    from benchmarks.context import Context
    from benchmarks.report import render, write_json
    from benchmarks.suite import BENCHMARKS

    ctx = Context.build(scale=SCALE)
    sections = []
    for benchmark in BENCHMARKS:
        log.write(f"Running {benchmark.__module__}.{benchmark.__name__}…\n")
        sections.append(benchmark(ctx))

    print()
    print("\n\n".join(render(section) for section in sections))
    meta = {
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "scale": SCALE,
        "seed": SEED,
        "python": platform.python_version(),
        "django": django.get_version(),
        "machine": platform.platform(),
        "seconds": round(time.monotonic() - started, 1),
    }
    write_json(RESULTS, meta, sections)
    print(f"\nResults written to {RESULTS.relative_to(ROOT)} ({meta['seconds']} s in all).")
    return 0
