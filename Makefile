# Gastgeber: `make run` to try it, `make test` to check it. Both install what they need.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
TEST_WORKERS ?= 2

.PHONY: run test check audit screenshots install install-test catalogues assets clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

## The catalogues compiled (the server also does it at start, where it may write the checkout).
catalogues: $(VENV)/.installed
	$(BIN)/python -c "from kiosk.web.i18n import compile_catalogues; compile_catalogues()"

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

## The browser's files built into dist/ (git-ignored): minified, named by content, with .br and
## .gz copies (tools/build_assets.mjs); remade when a file under static/ or the npm install changes.
dist/manifest.json: node_modules/.package-lock.json tools/build_assets.mjs $(shell find static -type f)
	node tools/build_assets.mjs

assets: dist/manifest.json

install: $(VENV)/.installed node_modules/.package-lock.json catalogues assets

install-test: $(VENV)/.installed-test node_modules/.package-lock.json assets

## Create the database and a demo site on first run (credentials printed once), then serve.
run: install
	$(BIN)/gastgeber init --demo
	$(BIN)/gastgeber serve --host $(HOST) --port $(PORT)

## Style (ruff), the architecture's import rules (import-linter, contracts in pyproject.toml),
## a security lint (bandit, [tool.bandit] in pyproject.toml) and no import cycle in the browser
## code (madge exits non-zero on one).
check: install-test
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/bandit --quiet --configfile pyproject.toml --recursive kiosk staffboard
	node_modules/.bin/madge --circular --extensions js static/js

## Known vulnerabilities of the installed packages (pip-audit); skipped with one line where the
## vulnerability service cannot be reached (.ci/audit.py says why), a finding fails.
audit: install-test
	$(BIN)/python .ci/audit.py

## Install what the tests need, check, and run the whole suite (tests/web/test_schemathesis.py
## fuzzes the live server against docs/openapi.json with every kind of credential). Two workers
## (TEST_WORKERS=0 runs it in one process): most of a test's time is spent waiting on a live
## server or Chromium, so two run side by side on two cores; a module stays on one worker, so its
## one server and browser are started once.
test: check
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

## Refresh the README's pictures in docs/: only the browser tests that take them, with Chromium.
screenshots: install-test
	GASTGEBER_DOC_SCREENSHOTS=1 CI=true $(BIN)/python -m pytest -q -p no:cacheprovider -m docs_screenshots tests/browser

clean:
	rm -rf $(VENV) node_modules dist .pytest_cache test-artifacts
