# Two commands do all set-up: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py

.PHONY: run test lint fmt typecheck migrations-check pytest bench bench-district bench-national bench-load bench-load-postgres demo worker messages clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The worker keeps indicators fresh while the server runs; both stop together.
run: $(STAMP)
	$(MANAGE) migrate --no-input
	$(BIN)/jigiya demo
	$(BIN)/jigiya worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/jigiya serve

test: lint typecheck migrations-check pytest

# Style, then architecture: the apps' layers (import-linter, pyproject.toml) and functions a
# reader can hold (no function over 80 lines outside migrations, tests and generators).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python tools/function_length.py jigiya benchmarks tools

fmt: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck: $(STAMP)
	$(BIN)/mypy jigiya/ benchmarks/

migrations-check: $(STAMP)
	$(MANAGE) makemigrations --check --dry-run

pytest: $(STAMP)
	$(BIN)/pytest -n 2 -m "not browser" $(PYTEST_ARGS)

# Every figure: district scale on SQLite (a few minutes; its last benchmark is the load
# scenario), then national scale on PostgreSQL.
bench: bench-district bench-national

bench-district: $(STAMP)
	$(BIN)/python -m benchmarks --scale district

# The load scenario alone: the production server (jigiya serve --production) on 127.0.0.1
# driven by 10 and 50 concurrent users, on the district database (kept if there, about 3 min).
bench-load: $(STAMP)
	$(BIN)/python -m benchmarks --scale district --keep --only load_scenario

# The load scenario on PostgreSQL, the production database (jigiya_bench_district, kept).
bench-load-postgres: $(STAMP)
	$(BIN)/python -m benchmarks --scale district --postgres --only load_scenario

# National scale on PostgreSQL (BENCH_DATABASE_URL, default jigiya_bench_national on 127.0.0.1).
# The first run generates ~10 M visits (about 70 minutes); the database is kept for later runs.
bench-national: $(STAMP)
	$(BIN)/python -m benchmarks --scale national

demo: $(STAMP)
	$(MANAGE) migrate --no-input
	$(BIN)/jigiya demo

worker: $(STAMP)
	$(BIN)/jigiya worker

# Extract new strings (needs GNU gettext), then compile every catalogue (pure Python, polib).
messages: $(STAMP)
	$(MANAGE) makemessages --locale fr --locale en --locale bm --no-obsolete --add-location file \
		--ignore '.venv/*' --ignore 'var/*' --ignore 'benchmarks/*' --ignore 'tests/*'
	$(MANAGE) compilemessages_py

clean:
	rm -rf $(VENV) var staticfiles
