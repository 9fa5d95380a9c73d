# The two commands a user needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
DEMO_ENV := DJANGO_DEBUG=1
# Tests run with production-like settings (debug off), so they need a key and hosts.
TEST_ENV := DJANGO_SECRET_KEY=test-only-secret-key-not-for-production \
	DJANGO_ALLOWED_HOSTS=testserver,localhost,127.0.0.1

.PHONY: demo test install browser lint serve clean benchmark benchmark-quick wrk

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

# Browser tests drive Debian's chromium; install it once if it is missing.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

demo: install
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py load_demo
	$(DEMO_ENV) $(PY) manage.py create_demo_editors
	@echo "Serving on http://127.0.0.1:8000 (admin: http://127.0.0.1:8000/admin/)"
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:8000

test: install browser
	$(TEST_ENV) $(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .pytest_cache .cache

# Benchmarks: a fresh database per engine, a synthetic corpus, then every measure.
# Results land in benchmarks/out/ (JSON + Markdown per engine).
BENCH_ENV := DJANGO_SECRET_KEY=benchmark-only-secret-key \
	DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost,testserver
BENCH_SQLITE_URL ?= sqlite:///$(CURDIR)/benchmarks/out/benchmark.sqlite3
BENCH_PG_URL ?= postgres://postgres@127.0.0.1:5432/portal_benchmark
BENCH_ARTICLES ?= 100000
BENCH_SEED ?= 1
# PostgreSQL builds the corpus's search index in this many processes (SQLite: one writer).
BENCH_PG_JOBS ?= 2

# The load generator: Debian's wrk, installed once if missing.
wrk:
	@command -v wrk >/dev/null 2>&1 || { \
		echo "Installing Debian's wrk for the benchmark..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

# $(1) database URL, $(2) number of articles, $(3) output folder, $(4) benchmark flags,
# $(5) generate_corpus flags
define bench_engine
$(PY) -m benchmarks.fresh_db "$(1)"
DATABASE_URL="$(1)" $(BENCH_ENV) $(PY) manage.py migrate --noinput -v0
DATABASE_URL="$(1)" $(BENCH_ENV) $(PY) manage.py generate_corpus --articles $(2) --seed $(BENCH_SEED) $(5)
DATABASE_URL="$(1)" $(BENCH_ENV) $(PY) manage.py benchmark --output $(3) $(4)
endef

benchmark: install wrk
	$(call bench_engine,$(BENCH_SQLITE_URL),$(BENCH_ARTICLES),benchmarks/out)
	$(call bench_engine,$(BENCH_PG_URL),$(BENCH_ARTICLES),benchmarks/out,,--jobs $(BENCH_PG_JOBS))

benchmark-quick: install wrk
	$(call bench_engine,$(BENCH_SQLITE_URL),10000,benchmarks/out/quick,--quick)
	$(call bench_engine,$(BENCH_PG_URL),10000,benchmarks/out/quick,--quick,--jobs $(BENCH_PG_JOBS))
