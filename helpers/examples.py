"""The course's example graphs, each a build function with switches, for the graph lab.

Each build takes one True/False value per switch and returns the output tensor and the
named tensors, exactly what ``interact_graph`` and ``backward_stepper`` expect.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F


@dataclass(frozen=True)
class Example:
    title: str
    about: str
    build: Callable
    switches: dict[str, bool] = field(default_factory=dict)


def leaf(value: float, requires_grad: bool = True) -> torch.Tensor:
    return torch.tensor(value, requires_grad=requires_grad)


def sum_times_a(a_requires_grad: bool, b_requires_grad: bool):
    a, b = leaf(1.0, a_requires_grad), leaf(2.0, b_requires_grad)
    c = a + b
    d = c * a
    return d, {"a": a, "b": b, "c": c, "d": d}


def relu_with_detach(detach_d: bool, a_requires_grad: bool):
    a, b, c = leaf(1.0, a_requires_grad), leaf(2.0), leaf(3.0)
    d = a + b
    f = F.relu(d.detach() if detach_d else d) + c
    return f, {"a": a, "b": b, "c": c, "d": d, "f": f}


def chain_rule(detach_v: bool, z_requires_grad: bool):
    x, y, z = leaf(1.0), leaf(2.0), leaf(4.0, z_requires_grad)
    v = x + y**2
    w = z * (v.detach() if detach_v else v)
    r = w**2
    return r, {"x": x, "y": y, "z": z, "v": v, "w": w, "r": r}


def no_grad_step(y_under_no_grad: bool):
    x, w = leaf(1.5), leaf(2.0)
    with torch.set_grad_enabled(not y_under_no_grad):
        y = 2 * x + 3
    z = (4 * y - 1) * w
    return z, {"x": x, "w": w, "y": y, "z": z}


EXAMPLES = [
    Example(
        "01 · d = (a + b) · a",
        "The first graph of deeplizard's Computational Graphs for Neural "
        "Networks demo: a is used twice, so its gradient "
        "collects two contributions (∂d/∂a = 2a + b = 4).",
        sum_times_a,
        {"a_requires_grad": True, "b_requires_grad": True},
    ),
    Example(
        "01 · f = relu(a + b) + c, with detach()",
        "Detaching d cuts a and b out of the graph; only c keeps a gradient.",
        relu_with_detach,
        {"detach_d": False, "a_requires_grad": True},
    ),
    Example(
        "02 · r = (z (x + y²))²",
        "The chain-rule example of notebook 02 (after Kwiatkowski's "
        "Backpropagation — Chain Rule and PyTorch in Action) at x = 1, y = 2, z = 4: "
        "∂r/∂z = 200, ∂r/∂y = 640, ∂r/∂x = 160.",
        chain_rule,
        {"detach_v": False, "z_requires_grad": True},
    ),
    Example(
        "03 · z = (4y − 1) · w with y = 2x + 3",
        "Computing y under torch.no_grad() hides x from the graph; w keeps its gradient 4y − 1 = 23.",
        no_grad_step,
        {"y_under_no_grad": False},
    ),
]
