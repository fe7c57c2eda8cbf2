# Newsroom: `make run` serves the demo newsroom, `make test` runs the suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
FLASK  := FLASK_DEBUG=1 $(BIN)/flask --app wsgi

.PHONY: install run test test-postgres db demo bench clean

$(STAMP): setup.cfg pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Byte-compiled once here, so a machine with PYTHONDONTWRITEBYTECODE set does not compile the
# app's modules on every command (a third of `flask --help`); only changed files are redone.
install: $(STAMP)
	@$(BIN)/python -m compileall -q newsroom wsgi.py

db: install
	$(FLASK) db upgrade

demo: db
	$(FLASK) demo

# The development server with a job worker beside it (mail, fetches, periodic jobs); Ctrl-C
# stops the server and the trap stops the worker.
run: demo
	@$(FLASK) worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port 5000

test: install
	$(BIN)/python -m pytest

# The same suite against PostgreSQL: make test-postgres DATABASE=postgresql+psycopg://…
test-postgres: install
	NEWSROOM_TEST_DATABASE_URL='$(DATABASE)' $(BIN)/python -m pytest

# Every figure of the performance table in one run (benchmarks/results/*.md). Needs wrk and
# nginx from Debian (apt-get install wrk nginx); this target installs neither. Options go in
# BENCH_ARGS, e.g. make bench BENCH_ARGS='--duration 5s --note "machine shared"'.
bench: install
	@command -v wrk >/dev/null || { echo "make bench: wrk is missing (apt-get install wrk)" >&2; exit 1; }
	@test -x /usr/sbin/nginx || { echo "make bench: nginx is missing (apt-get install nginx)" >&2; exit 1; }
	$(BIN)/python -m benchmarks $(BENCH_ARGS)

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
