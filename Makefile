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
# Chromium for the browser tests; Debian's package, installed by `make browser`.
CHROMIUM ?= /usr/bin/chromium
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
PORT ?= 8888

.PHONY: install course test lint browser jail clean release autograde feedback grades

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
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

test: install browser jail
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .

# Debian packages: installed as root, or through sudo; without either, say the
# one command that needs root.
define apt_install
	@test -x $(2) || { \
	  echo "Installing Debian's $(1)"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq $(1) >/dev/null; \
	  elif command -v sudo >/dev/null; then \
	    sudo apt-get update -qq && sudo apt-get install -y -qq $(1) >/dev/null; \
	  else echo "$(1) is missing, and installing it needs root: as root, run" \
	    "apt-get install -y $(1)"; exit 1; fi; }
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
