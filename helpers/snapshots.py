"""The numbers on a graph, taken once per update: values, gradients and saved tensors.

The structure of a graph (:mod:`helpers.graph`) does not change when backward runs, but
the numbers on it do: leaves gain ``.grad`` and ops lose their saved tensors. A
:class:`Snapshot` copies them at one moment, by node id, so a picture or a panel can
show them after the tensors themselves have moved on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import torch

from .errors import inplace_version_note, is_freed_error, is_inplace_error
from .graph import Graph, GraphNode, Live, walk

Tensor = torch.Tensor


@dataclass(frozen=True)
class SavedTensor:
    """A tensor an op keeps for its backward: kept (with a copy), freed by an earlier
    backward(), or modified in place since it was saved (then backward would fail)."""

    name: str
    tensor: Tensor | None = field(default=None, repr=False)
    state: str = "kept"  # "kept", "freed" or "modified"
    note: str = ""  # for "modified": "is at version N; expected version M"


@dataclass(frozen=True)
class NodeNumbers:
    value: Tensor | None = field(default=None, repr=False)
    grad: Tensor | None = field(default=None, repr=False)
    saved: tuple[SavedTensor, ...] | None = None  # None: not asked for

    @property
    def freed(self) -> bool:
        """True when backward() has already freed this node's saved tensors."""
        return any(s.state == "freed" for s in self.saved or ())

    @property
    def modified(self) -> bool:
        return any(s.state == "modified" for s in self.saved or ())


NOTHING = NodeNumbers()


@dataclass(eq=False)
class Snapshot:
    """Numbers by node id, with the graph they belong to."""

    graph: Graph
    numbers: dict[str, NodeNumbers] = field(default_factory=dict)

    def of(self, node: GraphNode | str) -> NodeNumbers:
        return self.numbers.get(node if isinstance(node, str) else node.id, NOTHING)

    def named(self, name: str) -> NodeNumbers:
        """The numbers of the node that carries `name` (see Graph.named)."""
        return self.of(self.graph.named(name))


def _copy(tensor: Tensor | None) -> Tensor | None:
    return None if tensor is None else tensor.detach().clone()


def _grad_of(tensor: Tensor) -> Tensor | None:
    # Reading .grad of a non-leaf that does not retain it makes PyTorch warn.
    if tensor.is_leaf or tensor.retains_grad:
        return _copy(tensor.grad)
    return None


def saved_tensors(fn: object) -> tuple[SavedTensor, ...]:
    """The tensors an autograd node keeps for backward.

    Built-in nodes expose them as ``_saved_<name>`` attributes, custom Functions as
    ``saved_tensors``. Reading one after backward() raises, and so does reading one that
    was modified in place: that is how freed and modified tensors are told apart."""
    custom = isinstance(fn, torch.autograd.function.BackwardCFunction)
    attributes = ["saved_tensors"] if custom else [name for name in dir(fn) if name.startswith("_saved_")]
    found: list[SavedTensor] = []
    for attribute in attributes:
        name = attribute.removeprefix("_saved_")
        try:
            value = getattr(fn, attribute)
        except RuntimeError as error:
            if is_freed_error(error) or "freed" in str(error):
                found.append(SavedTensor(name, state="freed"))
            elif is_inplace_error(error):
                found.append(SavedTensor(name, state="modified", note=inplace_version_note(error)))
            else:
                raise
            continue
        values = value if isinstance(value, tuple) else (value,)
        tensors = [v for v in values if isinstance(v, Tensor)]
        for i, tensor in enumerate(tensors):
            found.append(SavedTensor(name if len(tensors) == 1 else f"{name}[{i}]", _copy(tensor)))
    return tuple(found)


def take_snapshot(graph: Graph, live: Live, *, saved: bool = False) -> Snapshot:
    """Copy the numbers of every node of a walked graph, now."""
    snapshot = Snapshot(graph)
    for node in graph.nodes:
        tensor = live.tensors.get(node.id)
        fn = live.fns.get(node.id)
        kept = saved_tensors(fn) if saved and fn is not None and node.kind in ("op", "output") else None
        if tensor is None and kept is None:
            continue
        snapshot.numbers[node.id] = NodeNumbers(
            value=_copy(tensor), grad=None if tensor is None else _grad_of(tensor), saved=kept
        )
    return snapshot


def snapshot(root, params: Mapping[str, Tensor] | None = None, *, saved: bool = False) -> Snapshot:
    """The values and gradients on `root`'s graph as they are now (with `saved=True`,
    also the tensors each op keeps for backward). ``snapshot(d, params).named("a").grad``."""
    graph, live = walk(root, params)
    return take_snapshot(graph, live, saved=saved)
