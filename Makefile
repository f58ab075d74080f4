# Newsroom: `make run` serves the demo, `make test` runs every test. Both start from a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed

CHROMIUM ?= /usr/bin/chromium
NODE_STAMP := node_modules/.installed

.PHONY: run test lint format venv node chromium clean bench bench-scale bench-webhooks

venv: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Newsroom needs Python 3.11 or newer (found " + sys.version.split()[0] + "); set PYTHON=python3.11")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

# The web server and, beside it, the background worker (webhook deliveries, the outbox relay);
# stopping one (Ctrl-C) stops both.
run: venv
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=1 $(BIN)/python manage.py load_demo --base-url http://$(HOST):$(PORT)
	@trap 'kill 0' EXIT INT TERM; \
	  DJANGO_DEBUG=1 $(BIN)/python manage.py run_worker & \
	  DJANGO_DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

# Browser tests drive Debian's Chromium and the Nu HTML Checker (npm's vnu-jar, on Java);
# the tool packages come from package.json / package-lock.json.
node: $(NODE_STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

chromium:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Browser tests need Chromium at $(CHROMIUM): sudo apt-get install chromium (they will fail without it)"; \
	  fi; \
	fi

test: venv node chromium
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Benchmarks (not part of `make test`): see README, "Benchmarks".
bench: venv
	$(BIN)/python -m bench.run

bench-scale: venv
	$(BIN)/python -m bench.scale

bench-webhooks: venv
	$(BIN)/python -m bench.webhooks

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache staticfiles
