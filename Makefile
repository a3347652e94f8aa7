# The course kit's commands. Each target creates the virtual environment and
# installs the pinned packages first, so a fresh clone needs nothing else.
#
#   make course    open the course (student notebooks) in JupyterLab
#   make demo      serve the playground demo as a standalone page with Voila
#   make test      run the whole test suite
#   make lint      ruff
#   make jail      install Debian's bubblewrap, the jail student code is graded in
#
# Instructors (see the README; `dl-course` does the same from any folder):
#   make release                                   student versions into notebooks/release/
#   make autograde ASSIGNMENT=A SUBMISSIONS=DIR    grade a folder of submissions
#   make feedback ASSIGNMENT=A                     HTML feedback into feedback/
#   make grades                                    grades.csv

PYTHON ?= python3
VENV := .venv
BIN := $(abspath $(VENV))/bin
# nbgrader calls `alembic` by name: the venv's bin/ must be on PATH.
export PATH := $(BIN):$(PATH)
# One BLAS thread per kernel: on a shared two-core machine a second thread waits
# for a busy core, and thin matrix products slow down by an order of magnitude
# (bench/bench_notebooks.py: 02's 2-layer training cell 12 s with one, 31 s with two).
export OPENBLAS_NUM_THREADS := 1
export OMP_NUM_THREADS := 1
export MKL_NUM_THREADS := 1
# Chromium for the browser tests; Debian's package, installed by `make browser`.
CHROMIUM ?= /usr/bin/chromium
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
PORT ?= 8888

.PHONY: install install-dev course test lint browser jail clean release autograde feedback grades

# What the course needs (students, instructors, the demo); the test and lint
# tools only for `make test` and `make lint`.
install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev,hub]'
	touch $@

# The student versions (solutions stripped) are copied into student/, the
# learner's own folder: files already there are never overwritten.
course: install
	$(BIN)/dl-course student-copy --to student
	$(BIN)/jupyter lab $(ROOT_FLAG) --port=$(PORT) --notebook-dir=student

release: install
	$(BIN)/dl-course release

autograde: install jail
	@test -n "$(ASSIGNMENT)" || { echo "usage: make autograde ASSIGNMENT=name [SUBMISSIONS=folder]"; exit 2; }
	$(BIN)/dl-course autograde $(ASSIGNMENT) $(if $(SUBMISSIONS),--submissions $(abspath $(SUBMISSIONS)))

feedback: install
	@test -n "$(ASSIGNMENT)" || { echo "usage: make feedback ASSIGNMENT=name"; exit 2; }
	$(BIN)/dl-course feedback $(ASSIGNMENT) --to feedback

grades: install
	$(BIN)/dl-course export --to grades.csv

# As root (CI) every test runs; as a user who cannot install chromium or
# bubblewrap, the tests that need them are skipped and pytest's summary says
# which, and the one command (as root) that would let them run.
test: install-dev
	$(call apt_install,chromium,$(CHROMIUM),optional)
	$(call apt_install,bubblewrap,/usr/bin/bwrap,optional)
	$(BIN)/python -m pytest

lint: install-dev
	$(BIN)/ruff check .

# Debian packages: installed as root, or through sudo when it needs no password;
# otherwise say the one command that needs root, and stop (or go on, when the
# third argument is "optional").
define apt_install
	@test -x $(2) || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; \
	  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO=sudo; \
	  else echo "$(1) is missing, and installing it needs root: as root, run" \
	    "apt-get install -y $(1)"; [ "$(3)" = optional ]; exit; fi; \
	  echo "Installing Debian's $(1)"; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq $(1) >/dev/null; }
endef

# The browser tests drive Debian's chromium with Playwright (Playwright cannot
# download its own browsers here).
browser:
	$(call apt_install,chromium,$(CHROMIUM))

# Student code is graded in bubblewrap jails (dl-course autograde refuses to
# start without them).
jail:
	$(call apt_install,bubblewrap,/usr/bin/bwrap)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis

# The playground as a standalone page for the classroom projector:
# open http://127.0.0.1:$(PORT)/ (make demo PORT=8866 for another port).
.PHONY: demo
demo: install
	$(BIN)/voila notebooks/demos/playground.ipynb --no-browser --Voila.ip=127.0.0.1 --port=$(PORT)

# A shared environment for a JupyterHub on this machine (README, "On JupyterHub"):
# in a clone every user can read, on an interpreter every user can read, e.g.
# make hub-install PYTHON=/usr/bin/python3; then, as root,
# .venv/bin/jupyterhub -f jupyterhub_config.py
.PHONY: hub-install
hub-install: $(VENV)/.installed-hub hub/node_modules/.package-lock.json

$(VENV)/.installed-hub: pyproject.toml constraints.txt hub/nbgrader_config.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --no-compile -c constraints.txt -e '.[hub]'
	$(BIN)/python -m compileall -q -j0 $(VENV)/lib >/dev/null
	mkdir -p $(VENV)/etc/jupyter && cp hub/nbgrader_config.py $(VENV)/etc/jupyter/
	chmod -R a+rX $(CURDIR)
	touch $@

hub/node_modules/.package-lock.json: hub/package-lock.json
	npm ci --prefix hub --no-audit --no-fund
