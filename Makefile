# kipp: two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_PASSWORD ?= kipp-demo-2023
PYTEST_ARGS ?=

.PHONY: install run serve test lint format messages bench db-stop clean screenshots

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check --upgrade pip
	$(PIP) install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

messages: install
	$(PY) manage.py compilemessages --ignore=.venv --ignore=var -v 0

run: install messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --password "$(DEMO_PASSWORD)"
	$(PY) manage.py runserver $(HOST):$(PORT)

# Production-like: gunicorn with persistent connections and collected static files.
serve: install messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v 0
	$(VENV)/bin/gunicorn kipp.wsgi --config gunicorn.conf.py --bind $(HOST):$(PORT) --access-logfile -

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: install messages lint
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(VENV)/bin/pytest $(PYTEST_ARGS)

# Seeds kipp_bench (never the demo database) and writes docs/benchmarks.md. Needs wrk (Debian package) for throughput.
bench: install messages
	@command -v wrk >/dev/null 2>&1 || { echo "Installing wrk (Debian package)"; apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk; }; }
	$(PY) manage.py bench

screenshots: install messages
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(VENV)/bin/pytest tests/e2e/test_screenshots.py -m screenshots -p no:randomly

db-stop:
	$(PY) -c "import sys; sys.path.insert(0, '.'); from kipp import embedded_db; print('stopped' if embedded_db.stop('.') else 'not running')"

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
