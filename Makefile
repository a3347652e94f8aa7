# The course kit's commands. Each target creates the virtual environment and
# installs the pinned packages first, so a fresh clone needs nothing else.
#
#   make course    open the course (student notebooks) in JupyterLab
#   make test      run the whole test suite
#   make lint      ruff

PYTHON ?= python3
VENV := .venv
BIN := $(abspath $(VENV))/bin
# nbgrader calls `alembic` by name: the venv's bin/ must be on PATH.
export PATH := $(BIN):$(PATH)
# Chromium for the browser tests; Debian's package, installed by `make browser`.
CHROMIUM ?= /usr/bin/chromium
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
PORT ?= 8888

.PHONY: install course test lint browser clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

course: install
	$(BIN)/jupyter lab --no-browser $(ROOT_FLAG) --port=$(PORT) --notebook-dir=notebooks

test: install browser
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .

# The browser tests drive Debian's chromium with Playwright (Playwright cannot
# download its own browsers here).
browser:
	@test -x $(CHROMIUM) || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
