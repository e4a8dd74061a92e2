"""`make bench`: Jigiya's performance figures, measured against the budgets in DESIGN.md.

    python -m benchmarks --scale district   # make bench-district
    python -m benchmarks --scale national   # make bench-national

District scale builds its own SQLite database under `var/bench/` (never the developer's
`var/jigiya.sqlite3`), migrates it, runs `jigiya generate --scale district`, then runs every
benchmark listed in `benchmarks.suite.BENCHMARKS`, prints one table per benchmark and writes
`var/bench/results.json`. National scale runs `benchmarks.suite.NATIONAL` on a PostgreSQL
database kept between runs (see `runner.py`) and writes `var/bench/results-national.json`.

To add figures, write a module here with a function `(ctx: Context) -> Section` and add it to
`BENCHMARKS` in `suite.py`. `ctx` gives signed-in clients, the demo users and real ids for URL
parameters; `Section` is a titled table (see `report.py`).
"""
