# kratom-pages: the two commands users need are `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
FRONTEND_PORT ?= 3000
FRONTEND := example_site/frontend
MANAGE := $(BIN)/python example_site/manage.py

.PHONY: demo test conformance faults newproject matrix lint format bench load types e2e install-example install-test install-bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files re-run the install only when the package metadata changes.
$(VENV)/.example-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[example]"
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[testing]"
	touch $@ $(VENV)/.example-installed

$(VENV)/.bench-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[bench]"
	touch $@ $(VENV)/.example-installed

# The sitemaps.org schema tests/test_sitemaps.py validates against, as the npm `sitemap`
# package ships it (its XHTML and XML schemas come from the xmlschema package, a testing
# extra). Where npm cannot fetch it, those tests skip and say so.
SITEMAP_XSD := $(VENV)/schemas/sitemap/schema/sitemap.xsd
$(SITEMAP_XSD): | $(BIN)/python
	mkdir -p $(VENV)/schemas
	-cd $(VENV)/schemas && npm pack --silent sitemap@9.0.1 >/dev/null && \
		tar xzf sitemap-9.0.1.tgz && rm -rf sitemap && mv package sitemap && rm sitemap-9.0.1.tgz

install-example: $(VENV)/.example-installed
install-bench: $(VENV)/.bench-installed
install-test: $(VENV)/.test-installed $(SITEMAP_XSD)

# The headless frontend runs beside Django; the admin's Preview opens drafts in it.
# KRATOM_DEMO_TASK_WORKER: tasks go to the database queue, which db_worker (started beside
# the server) runs, so publishing never waits for webhook receivers.
DEMO_ENV := FRONTEND_ORIGINS=http://127.0.0.1:$(FRONTEND_PORT),http://localhost:$(FRONTEND_PORT) \
	FRONTEND_PREVIEW_URL=http://127.0.0.1:$(FRONTEND_PORT)/preview PORT=$(PORT) \
	KRATOM_DEMO_TASK_WORKER=1

demo: install-example
	$(MANAGE) migrate --noinput
	$(DEMO_ENV) $(MANAGE) load_demo_content
	$(MANAGE) ensure_demo_admin
	@echo ""
	@echo "  Site (Django templates): http://127.0.0.1:$(PORT)/"
	@echo "  Frontend (API only):     http://127.0.0.1:$(FRONTEND_PORT)/"
	@echo "  Admin:                   http://127.0.0.1:$(PORT)/admin/"
	@echo "  API:                     http://127.0.0.1:$(PORT)/api/v2/pages/  (v3: /api/v3/docs/)"
	@echo "  WordPress sample export: example_site/wordpress/sample-export.xml (README: Importing"
	@echo "                           from WordPress; or upload it in Admin > Import from WordPress)"
	@echo ""
	FRONTEND_PORT=$(FRONTEND_PORT) API_URL=http://127.0.0.1:$(PORT) $(BIN)/python $(FRONTEND)/serve.py & \
	FRONTEND_PID=$$!; \
	$(DEMO_ENV) $(MANAGE) db_worker & \
	WORKER_PID=$$!; trap 'kill $$FRONTEND_PID $$WORKER_PID' EXIT INT TERM; \
	$(DEMO_ENV) $(MANAGE) runserver 127.0.0.1:$(PORT)

# Regenerate the frontend's TypeScript types from the API v3 schema.
types: install-example
	cd $(FRONTEND) && npm ci --no-audit --no-fund
	$(MANAGE) dump_openapi --output $(FRONTEND)/openapi.json
	cd $(FRONTEND) && npx --no-install openapi-typescript openapi.json -o api-types.d.ts

# The plugin's suite, then the demo's (example_site) under settings of its own; with
# PYTEST_ARGS only the first run, with those arguments.
# PYTEST_XDIST spreads the plugin's suite over every core (pytest-xdist); empty runs it in
# one process.
PYTEST_XDIST ?= -n auto
test: install-test
	$(BIN)/pytest $(PYTEST_XDIST) $(PYTEST_ARGS)
	$(if $(PYTEST_ARGS),,$(BIN)/pytest tests/demo --ds=tests.demo.settings -p no:cacheprovider)

# Wagtail core's own API v2 tests against our pages endpoint (tests/core_conformance).
conformance: install-test
	$(BIN)/pytest tests/core_conformance --ds=tests.core_conformance.settings -p no:cacheprovider $(PYTEST_ARGS)

# Fault injection (tests/faults/): the example site in production settings (two gunicorn
# servers, a db_worker, PostgreSQL, Redis, Varnish) while the tests break each of them.
faults: install-test
	$(BIN)/pytest -m faults tests/faults -p no:cacheprovider $(PYTEST_ARGS)

# A `wagtail start` project with the README's install steps applied literally, on Django
# 5.2 and 6.1 (tests/new_project/): every promise checked from outside.
newproject: install-test
	$(BIN)/pytest -m newproject tests/new_project -p no:cacheprovider $(PYTEST_ARGS)

# Python 3.11/3.12/3.13 x Django 5.2/6.0/6.1 with Wagtail 8 (noxfile.py): the newest pair
# runs the whole suite, the others the compatibility tests (CONTRIBUTING, "The version
# matrix"); pyenv's interpreters, a missing one reported and skipped. NOX_ARGS="-s ..."
matrix: install-test
	$(BIN)/nox $(NOX_ARGS)

# Benchmarks: a throwaway site, gunicorn on 127.0.0.1, a table of ratios (a few minutes).
bench: install-bench
	$(BIN)/python -m benchmarks.run
	$(BIN)/python -m benchmarks.images
	$(BIN)/python -m benchmarks.images --photo

# Load: 50 clients of mixed reads and reply posts for 60 s; fails on any 5xx or lost reply.
load: install-bench
	$(BIN)/python -m benchmarks.load

# Browser end-to-end tests against Debian's Chromium (installed here when missing and root).
e2e: install-test
	@test -x /usr/bin/chromium || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
		|| echo "No Chromium and cannot install it: the e2e tests will skip."; }
	@# The Nu HTML Checker (vnu.jar, from the testing extra) runs on Java.
	@command -v java >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless) \
		|| echo "No Java and cannot install it: the HTML checker test will skip."; }
	$(BIN)/pytest -m e2e tests/e2e $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) example_site/db.sqlite3 example_site/media .pytest_cache
