# kipp: two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_PASSWORD ?= kipp-demo-2023
PYTEST_ARGS ?=
BENCH_ARGS ?=

.PHONY: install run serve test lint format messages bench db-stop clean screenshots debian-run debian-test

# Debian packages a fresh machine may lack, as "command:package" pairs: installed with apt-get when missing (as
# root), otherwise make stops at once with the one command to run.
DEBIAN_RUN := msgfmt:gettext
DEBIAN_TEST := $(DEBIAN_RUN) $(if $(and $(KIPP_CHROMIUM),$(wildcard $(KIPP_CHROMIUM))),,chromium:chromium)
define debian_packages
	@missing=""; for pair in $(1); do command -v "$${pair%%:*}" >/dev/null 2>&1 || missing="$$missing $${pair#*:}"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian packages:$$missing"; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get install -y -qq $$missing >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq $$missing; }; \
	  else \
	    echo "Missing Debian packages:$$missing. Install them with:"; echo "  sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi
endef

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found):"; echo "  sudo apt-get install -y python3.11 python3.11-venv"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check --upgrade pip
	$(PIP) install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

debian-run:
	$(call debian_packages,$(DEBIAN_RUN))

debian-test:
	$(call debian_packages,$(DEBIAN_TEST))

messages: debian-run install
	$(PY) manage.py compilemessages --ignore=.venv --ignore=var -v 0

run: debian-run install messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --password "$(DEMO_PASSWORD)"
	$(PY) manage.py run_portal $(HOST):$(PORT)

# Production-like: gunicorn with persistent connections and collected static files.
serve: debian-run install messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v 0
	$(VENV)/bin/gunicorn kipp.wsgi --config gunicorn.conf.py --bind $(HOST):$(PORT) --access-logfile -

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: debian-test install messages lint
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(VENV)/bin/pytest $(PYTEST_ARGS)

# `python -m bench`: seeds kipp_bench (never the demo database) and writes docs/benchmarks.md. Needs wrk (Debian
# package) for throughput. Options through BENCH_ARGS, e.g. make bench BENCH_ARGS="--only catalogue --output ''".
bench: install messages
	@command -v wrk >/dev/null 2>&1 || { echo "Installing wrk (Debian package)"; apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk; }; }
	$(PY) -m bench $(BENCH_ARGS)

screenshots: debian-test install messages
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(VENV)/bin/pytest tests/e2e/test_screenshots.py -m screenshots -p no:randomly

db-stop:
	$(PY) -c "import sys; sys.path.insert(0, '.'); from kipp import embedded_db; print('stopped' if embedded_db.stop('.') else 'not running')"

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
