# kratom-pages: the two commands users need are `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python example_site/manage.py

.PHONY: demo test lint format bench load install-example install-test install-bench clean

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

install-example: $(VENV)/.example-installed
install-bench: $(VENV)/.bench-installed
install-test: $(VENV)/.test-installed

demo: install-example
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo_content
	$(MANAGE) ensure_demo_admin
	@echo ""
	@echo "  Site:  http://127.0.0.1:$(PORT)/"
	@echo "  Admin: http://127.0.0.1:$(PORT)/admin/"
	@echo "  API:   http://127.0.0.1:$(PORT)/api/v2/pages/"
	@echo ""
	$(MANAGE) runserver 127.0.0.1:$(PORT)

test: install-test
	$(BIN)/pytest $(PYTEST_ARGS)

# Benchmarks: a throwaway site, gunicorn on 127.0.0.1, a table of ratios (a few minutes).
bench: install-bench
	$(BIN)/python -m benchmarks.run

# Load: 50 clients of mixed reads and reply posts for 60 s; fails on any 5xx or lost reply.
load: install-bench
	$(BIN)/python -m benchmarks.load

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) example_site/db.sqlite3 example_site/media .pytest_cache
