# Included by the main Makefile. The course on a JupyterHub: class links and the load test.
#   make class-link HUB=https://hub.example.edu [REPO=https://github.com/you/autograd-lab] [BRANCH=main]
#                   [START=exercises/01_computational_graphs.ipynb]   (default: notebooks/00_start_here.ipynb)
#   make loadtest [N="1 5 10 20"] [FLIPS=6] [LIMIT=300]   → deploy/loadtest-results.md
#   make hub-setup     installs the local hub's packages (jupyterhub into .venv, the proxy into deploy/)

HUB ?=
REPO ?=
BRANCH ?=
START ?=
N ?= 1 5 10 20
FLIPS ?= 6
LIMIT ?= 300

.PHONY: class-link loadtest hub-setup

class-link:
	@test -n "$(HUB)" || { echo "usage: make class-link HUB=https://hub.example.edu [REPO=...] [BRANCH=...]" >&2; exit 2; }
	@$(BIN)/python deploy/class_link.py --hub "$(HUB)" --repo "$(REPO)" --branch "$(BRANCH)" --start "$(START)"

hub-setup: setup
	$(BIN)/python -c "import sys; sys.path.insert(0, 'deploy'); import hub; print(hub.ensure_installed() or 'already installed')"

# A real JupyterHub on 127.0.0.1 with N simulated students (Chromium): minutes, not a test.
loadtest: hub-setup
	$(BIN)/python deploy/loadtest.py --students $(N) --flips $(FLIPS) --limit $(LIMIT)
