# Policy Builder: `make run` serves the app, `make test` runs the whole suite.
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PYTHON ?= python3

.PHONY: run test install system-deps bench soak lint clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q -U pip
	$(VENV)/bin/pip install -q -e ".[test]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

# A development SECRET_KEY and RATELIMIT_LOCAL_ONLY=1 (never DEBUG), so the README's commands work without exporting
# anything. Git-ignored; written once; variables set in the environment win over it.
.env:
	@umask 077 && $(PYTHON) -c 'import secrets; print("# Development key written by make install. Never use it in production."); print("SECRET_KEY=" + secrets.token_urlsafe(50)); print("# One process on this machine: rate limits may live in local memory."); print("RATELIMIT_LOCAL_ONLY=1")' > $@
	@echo "Wrote a development SECRET_KEY to $@"

install: $(VENV)/.installed node_modules/.installed .env

## Install into .venv, migrate, load the clause library, start the task worker (site scans, PDFs),
## serve on http://127.0.0.1:$(PORT)/. Ctrl-C stops both.
run: install
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py load_library
	@command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || echo "Note: Chromium is not installed, so 'Scan my website' will say it cannot scan. Install it with: apt-get install chromium"
	DEBUG=1 $(PY) manage.py db_worker --interval 0.2 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

## The whole test suite (SQLite by default; PostgreSQL when DATABASE_URL is set)
test: install system-deps
	$(VENV)/bin/pytest $(PYTEST_ARGS)

## Chromium (browser tests) and poppler-utils (PDF text), from Debian, when missing
system-deps:
	@bash .ci/system-deps

## Benchmarks: prints figures and same-run ratios, keeps them in docs/performance.md.
## bench and soak are developer tools (policybuilder/devtools/), installed only with DEBUG=1.
bench: install
	@bash .ci/system-deps --bench
	DEBUG=1 $(PY) manage.py migrate --noinput -v0
	DEBUG=1 $(PY) manage.py bench --output docs/performance.md

## Soak test: simulated users against gunicorn; exits 1 if an answer is lost (SOAK_ARGS to change)
SOAK_ARGS ?= --users 8 --seconds 30
soak: install
	DEBUG=1 $(PY) manage.py soak $(SOAK_ARGS)

## Lint (ruff), type checks (mypy with django-stubs) and Django's system checks
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	DEBUG=1 $(PY) manage.py check

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis test-artifacts
