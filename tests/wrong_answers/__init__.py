"""One deliberately wrong answer per exercise notebook: QUESTION, ANSWER (the code that replaces
that question's answer cell) and HINT (what its check must say), in NN_<lesson>.py."""

import importlib
from types import ModuleType


def load(name: str) -> ModuleType:
    """The wrong answer for exercise notebook `name`, e.g. "01_computational_graphs"."""
    return importlib.import_module(f"{__name__}.{name}")
