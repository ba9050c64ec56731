# Two entry points for a fresh machine: `make run` and `make test`.
# Each creates .venv from the lock files on first use, then does its job.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint check bench messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.dev-installed: requirements-dev.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@ $(VENV)/.runtime-installed

## Set up and run the bot (reads .env; see .env.example).
run: $(VENV)/.runtime-installed
	$(BIN)/ldn-bot run

## Set up and run everything CI runs: lint, format check, type check, tests.
test: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest -q

## Benchmark the scheduler at 100k patients (~16 min; BENCH_ARGS=--quick for a 25 s smoke run).
bench: $(VENV)/.dev-installed
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

## Re-extract the bot's sentences and merge them into each catalog (then translate what is new).
messages: $(VENV)/.dev-installed
	$(BIN)/pybabel extract -F babel.cfg -k _ -k N_ -k ngettext:1,2 --no-location --sort-output \
		--project "LDN Companion" -o bot/locales/messages.pot .
	$(BIN)/pybabel update -i bot/locales/messages.pot -d bot/locales --width 100

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
