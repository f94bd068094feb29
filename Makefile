# Autograd Lab. `make lab` opens the notebooks, `make test` runs every test.
# Both create .venv and install the pinned dependencies the first time.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
JUPYTER_ARGS ?=
ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)

VOILA_ARGS ?=

.PHONY: lab test unit js-unit js-lint lint format app bench notebooks notebooks-elsewhere masters-elsewhere assignments grade widget setup dot clean

# Served from the repository's root, so that the exercises (exercises/) open beside the lessons.
lab: setup
	$(BIN)/jupyter lab notebooks/00_start_here.ipynb $(ROOT_FLAG) $(JUPYTER_ARGS)

# The notebooks and the exercises' masters run side by side at the end (one kernel each).
test: setup lint js-unit
	$(BIN)/python -m pytest
	$(MAKE) --no-print-directory -j2 --output-sync=target notebooks-elsewhere masters-elsewhere

# The view's pure JavaScript (js/test/, node's own test runner): node comes with make widget's
# tools; without it these few tests are left out, and the browser tests still drive the view.
js-unit:
	@if command -v node >/dev/null 2>&1; then node --test js/test/; \
	else echo "node not found: js/test/ is left out (the browser tests still drive the view)"; fi

# The notebooks under nbval, with torch's plainest CPU kernels and another thread count, as on
# another machine: a stored output that holds only where it was made fails here. (`make notebooks`
# stores the outputs of this machine's own kernels, so a second run with them would add nothing.)
ELSEWHERE := ATEN_CPU_CAPABILITY=default AUTOGRAD_LAB_THREADS=2
notebooks-elsewhere: setup
	$(ELSEWHERE) $(BIN)/python -m pytest notebooks -p no:cacheprovider -q

# The exercises' masters the same way: every solution against its own checks, in a plain kernel.
masters-elsewhere: setup
	$(ELSEWHERE) $(BIN)/python -m pytest exercises/masters -p no:cacheprovider -q

# The helpers' unit tests alone (no notebooks, no browser, no servers) and js/test/: the quick
# loop, within 15 s. Tests marked slow (pyproject.toml: servers, other processes, training,
# thousands of nodes) run in `make test` only.
unit: setup js-unit
	$(BIN)/python -m pytest tests -m "not slow" --ignore=tests/browser

# ruff, with the settings in pyproject.toml, and eslint on the view's JavaScript (js/eslint.config.js,
# pinned in js/package.json). `make format` rewrites what `make lint` finds unformatted.
lint: setup js-lint
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# eslint needs js/'s npm packages (installed once, from the lockfile); without node it is left out.
js-lint:
	@if command -v npm >/dev/null 2>&1; then \
	  [ -x js/node_modules/.bin/eslint ] || (cd js && npm ci --no-audit --no-fund --loglevel=error); \
	  cd js && ./node_modules/.bin/eslint .; \
	else echo "npm not found: eslint on js/ is left out"; fi

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The graph lab as a widget-only page, for a lecture or a room (settings and why: app/voila.py).
# By default on this machine only, http://127.0.0.1:8866, with 4 preheated kernels. For a room:
#   make app ADDRESS=0.0.0.0 TOKEN=a-word POOL=4 MAX_KERNELS=40 [PORT=8866] [HOSTS="name.local"]
# ADDRESS: where it listens; TOKEN: asked once per browser (?token=...), made up and printed if
# ADDRESS is not a loopback one and none is given; POOL: kernels kept ready; MAX_KERNELS: kernels
# at once (about 300 MiB each), past which a page says the lab is full; HOSTS: more names, besides
# the machine's own name and addresses, under which students may open it (others are refused);
# THEME: light or dark, for every page (one theme for all, so that the preheated kernels fit).
ADDRESS ?= 127.0.0.1
PORT ?= 8866
TOKEN ?=
POOL ?= 4
MAX_KERNELS ?= 20
HOSTS ?=
THEME ?= light
APP_ARGS = --Voila.config_file_paths=$(CURDIR)/app --Voila.ip=$(ADDRESS) --port=$(PORT) --theme=$(THEME) \
  --pool_size=$(POOL) --CappedKernelManager.max_kernels=$(MAX_KERNELS) \
  $(if $(TOKEN),--token=$(TOKEN),$(if $(filter 127.0.0.1 localhost ::1,$(ADDRESS)),,--token)) \
  $(foreach name,$(HOSTS),--ClassroomIdentityProvider.allowed_hosts=$(name))

app: setup
	$(BIN)/voila notebooks/app_graph_lab.ipynb $(APP_ARGS) $(VOILA_ARGS)

# Speed and memory measurements (not tests): writes benchmarks/results.md.
bench: setup
	$(BIN)/python benchmarks/run.py

# Re-run every notebook top to bottom in a fresh kernel and store its outputs.
# Widget state is not kept (JupyterLab 4 does not restore it in a notebook not yet trusted),
# so strip_widget_state.py drops it; each widget output keeps an SVG and a PNG picture for
# viewers without a kernel instead, and a record the course site brings to life. (nbconvert must still track it while running: with store_widget_state
# off, nbclient fails on an Output widget, the one ipywidgets.interact shows its result in.)
notebooks: setup
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	  --ExecutePreprocessor.timeout=600 notebooks/*.ipynb
	$(BIN)/python scripts/strip_widget_state.py notebooks/*.ipynb

# The exercises' two versions from their masters (exercises/masters/, otter-grader's format):
# the learners' notebooks and public checks in exercises/ (committed), the teachers' versions
# with solutions, hidden checks and the autograder zip in exercises/dist/ (scripts/assignments.py).
# Give LESSONS=01 (or several) to build only those.
LESSONS ?=
assignments: setup
	$(BIN)/python scripts/assignments.py $(LESSONS)

# A class's submissions of one exercise, graded with otter-grader's `otter run` (no Docker):
#   make grade LESSON=03 SUBMISSIONS=path/to/folder   → grades/03/grades.csv and each one's feedback
LESSON ?=
SUBMISSIONS ?=
grade: setup
	@test -n "$(LESSON)" -a -n "$(SUBMISSIONS)" || { echo "usage: make grade LESSON=03 SUBMISSIONS=path/to/folder" >&2; exit 2; }
	$(BIN)/python scripts/grade_class.py $(LESSON) $(SUBMISSIONS)

# Rebuild the view's JavaScript (helpers/static/graph_runtime.js, graph_view.js and
# graph_player.js) from js/ with the pinned npm packages. Only needed after changing js/: the
# built modules are committed.
widget:
	cd js && npm ci --no-audit --no-fund && npm run build

setup: dot $(INSTALLED)

# The course and its tests: the ranges in pyproject.toml, held to the exact versions of
# constraints.txt (those the stored outputs were made with); again whenever either changes.
$(INSTALLED): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[course,test]"
	touch $@

# Graphviz's `dot` draws the pictures; it is a system program, not a Python package.
dot:
	@command -v dot >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Graphviz (dot) with apt-get"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz; \
	  else \
	    echo "Graphviz's dot is missing: install it with 'sudo apt-get install graphviz', 'brew install graphviz' or 'conda install -c conda-forge graphviz', then run make again." >&2; \
	    exit 1; \
	  fi; }

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts

# JupyterHub: the course on a hub (deploy/), its load test and class links.
-include deploy/deploy.mk

# The course as a static site (book/).
-include book/book.mk

# The unit tests at the lowest versions the package's ranges allow.
-include lowest.mk
