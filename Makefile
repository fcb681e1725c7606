# Gastgeber: `make run` to try it, `make test` to check it. Both install what they need.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test install install-test check-js clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

install: $(VENV)/.installed node_modules/.package-lock.json

install-test: $(VENV)/.installed-test node_modules/.package-lock.json

## Create the database and a demo site on first run (credentials printed once), then serve.
run: install
	$(BIN)/gastgeber init --demo
	$(BIN)/gastgeber serve --host $(HOST) --port $(PORT)

## The browser modules import each other without a cycle (madge exits non-zero on one).
check-js: node_modules/.package-lock.json
	node_modules/.bin/madge --circular --extensions js static/js

## Install what the tests need and run the whole suite.
test: install-test check-js
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) node_modules .pytest_cache test-artifacts
