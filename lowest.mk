# Included by the main Makefile. `make lowest`: the helpers' fast unit tests (those of
# `make unit`) at the lowest versions that pyproject.toml's ranges allow, in a virtualenv of
# their own, .venv-lowest/ (made again from scratch whenever pyproject.toml, constraints.txt or
# the script change). It prints the versions it installed. Not part of `make test`: its first
# run installs everything anew (about a minute). It needs `make setup`'s .venv too:
# some unit tests run make targets (`make class-link`) that run .venv's python.
# torch stays at constraints.txt's 2.13.0, in the build `make setup` takes: its lower bound, 2.1,
# is not run. PyPI's torch wheels for Linux are CUDA builds (several GB of nvidia-* packages) and
# PyPI has no CPU-only torch 2.1; the bound comes from torch's release notes (pyproject.toml).
#   make lowest [LOWEST_ARGS="--pin ipywidgets==8.1.2 --fresh"]     (scripts/lowest_versions.py --help)

LOWEST_VENV ?= .venv-lowest
LOWEST_ARGS ?=

.PHONY: lowest clean-lowest

lowest: setup
	$(PYTHON) scripts/lowest_versions.py --venv $(LOWEST_VENV) $(LOWEST_ARGS)

clean-lowest:
	rm -rf $(LOWEST_VENV)
