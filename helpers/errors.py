"""The errors the helpers raise, each with a message that says what to do next.

A learner who passes the wrong thing should read one plain sentence, not a traceback
from deep inside PyTorch or graphviz.
"""

from __future__ import annotations

import re

import torch

DOT_INSTALL_HINT = (
    "Install Graphviz and restart the kernel: "
    "'sudo apt-get install graphviz' (Debian/Ubuntu), "
    "'brew install graphviz' (macOS) or "
    "'conda install -c conda-forge graphviz' (conda)."
)


class NoGraphError(ValueError):
    """The tensor has no autograd graph to walk, draw or run backward through."""


class GraphFreedError(RuntimeError):
    """An earlier backward() already freed the graph's saved tensors."""


class DotNotFoundError(RuntimeError):
    """Graphviz's `dot` program is not on PATH."""

    def __init__(self) -> None:
        super().__init__(
            "Graphviz's 'dot' program was not found on PATH, so the graph cannot be "
            "drawn as a picture. " + DOT_INSTALL_HINT
        )


def kind_of(obj: object) -> str:
    """A short name for what the caller passed, for error messages."""
    if isinstance(obj, torch.Tensor):
        return f"a tensor of shape {tuple(obj.shape)}"
    return f"{type(obj).__name__} {obj!r}"[:80]


def check_tensor(obj: object, what: str = "root") -> torch.Tensor:
    """Return `obj` if it is a tensor with a graph, else raise a clear error."""
    if not isinstance(obj, torch.Tensor):
        raise TypeError(f"{what} must be a torch.Tensor (or a tuple of tensors), but got {kind_of(obj)}.")
    if not obj.requires_grad:
        raise NoGraphError(
            f"{what} ({kind_of(obj)}) has no autograd graph: it does not require "
            "grad. Create at least one of its inputs with requires_grad=True, e.g. "
            "torch.tensor(1.0, requires_grad=True), and compute it outside "
            "torch.no_grad()."
        )
    return obj


FREED_HINT = (
    "The graph's saved tensors were already freed by an earlier backward(). "
    "Run the cells that build the tensor again to get a fresh graph, or pass "
    "retain_graph=True to the first backward() to keep the graph."
)


class GraphModifiedError(RuntimeError):
    """A tensor saved for backward was changed in place after it was saved."""


def is_freed_error(error: BaseException) -> bool:
    """True for PyTorch's error about a graph freed by an earlier backward()."""
    return isinstance(error, RuntimeError) and "second time" in str(error)


def is_inplace_error(error: BaseException) -> bool:
    """True for PyTorch's error about a saved tensor modified by an in-place operation."""
    return isinstance(error, RuntimeError) and "modified by an inplace operation" in str(error)


def inplace_version_note(error: BaseException) -> str:
    """'modified in place (version N, expected M)': how many in-place changes happened
    since the tensor was saved, read from PyTorch's 'is at version N; expected version M'."""
    match = re.search(r"is at version (\d+); expected version (\d+)", str(error))
    return f"modified in place (version {match[1]}, expected {match[2]})" if match else "modified in place"


def explain_backward_error(error: BaseException) -> BaseException:
    """The one translation of backward()'s failures into helpers errors, with PyTorch's
    own first sentence kept (it is what a learner will meet outside the course)."""
    if isinstance(error, (GraphFreedError, GraphModifiedError)):  # translated already
        return error
    said = str(error).split("\n")[0]
    if is_freed_error(error):
        return GraphFreedError(f"{FREED_HINT} (PyTorch: {said.split('. ')[0]}.)")
    if is_inplace_error(error):
        return GraphModifiedError(
            f"A tensor the backward pass needs was {inplace_version_note(error)} after it was saved. "
            "Compute it without the in-place operation (x = x * 2 instead of x.mul_(2)), "
            f"or clone it before changing it. (PyTorch: {said.split(': [')[0]}.)"
        )
    return error
