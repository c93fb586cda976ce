# Two commands matter: `make demo` and `make test`. Both create .venv and install first.
# The interpreter .venv is made with: the system's Python 3.11 where it exists. Debian's
# package, like the image's python:3.11-slim, is built with profile-guided and link-time
# optimization; a pyenv or source build without --enable-optimizations runs the portal's pages
# about 10 % slower (plain Python loops 1.6x), so tests and benchmarks would measure an
# interpreter that is never shipped. PYTHON=... overrides; the locks are compiled with it.
PYTHON ?= $(firstword $(wildcard /usr/bin/python3.11) python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PYTEST_ARGS ?=
# Two pytest-xdist workers, one a core; each gets its own test database (test_<name>_gw0, _gw1).
PYTEST_WORKERS ?= 2

.PHONY: install demo test lint typecheck checks lock lock-check audit sim worker format clean messages
PIP_COMPILE = $(BIN)/pip-compile --quiet --no-header --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links

# Dependencies come from the locked, hashed set (make lock writes it from pyproject.toml).
$(STAMP): pyproject.toml requirements-dev.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	DEBUG=true $(BIN)/python manage.py demo

test: $(STAMP)
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=true $(BIN)/mypy lexware portal
	DEBUG=true $(BIN)/lint-imports

typecheck: $(STAMP)
	DEBUG=true $(BIN)/mypy lexware portal

# Deploy check with production-like settings, and no model change without a migration.
checks: $(STAMP)
	DEBUG=false SECRET_KEY=ci-only-$$(date +%s)-not-a-real-secret-but-long-enough-for-check \
	  PORTAL_ENCRYPTION_KEYS=$$($(BIN)/python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())") \
	  ALLOWED_HOSTS=portal.example.com LEXWARE_BASE_URL=https://api.lexware.io \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING
	DEBUG=true DATABASE_URL=sqlite://:memory: $(BIN)/python manage.py makemigrations --check --dry-run

# Re-lock after changing dependencies in pyproject.toml (pins kept where still allowed).
lock: $(STAMP)
	$(PIP_COMPILE) -o requirements.lock pyproject.toml
	$(PIP_COMPILE) --extra dev -o requirements-dev.lock pyproject.toml

# The committed locks match pyproject.toml (CI); then the locked set's known vulnerabilities.
lock-check: $(STAMP)
	tmp=$$(mktemp -d) && cp requirements.lock requirements-dev.lock $$tmp/ && \
	  $(PIP_COMPILE) -o $$tmp/requirements.lock pyproject.toml && \
	  $(PIP_COMPILE) --extra dev -o $$tmp/requirements-dev.lock pyproject.toml && \
	  diff -u requirements.lock $$tmp/requirements.lock && diff -u requirements-dev.lock $$tmp/requirements-dev.lock

audit: $(STAMP)
	$(BIN)/python .ci/audit.py

sim: $(STAMP)
	$(BIN)/python -m lexware.simulator --host 127.0.0.1 --port 8765 --seed demo

# German catalogue: collect the strings (needs GNU gettext's xgettext/msgfmt), then translate the
# new entries in locale/de/LC_MESSAGES/django.po and run this again to compile the .mo (README).
messages: $(STAMP)
	DEBUG=true $(BIN)/python manage.py makemessages -l de --no-obsolete --ignore=.venv --ignore=tests --ignore=benchmarks --ignore=lexware --ignore=var
	DEBUG=true $(BIN)/python manage.py compilemessages -l de --ignore=.venv

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
