"""Record what the autograd engine does during a backward pass, one node at a time.

``trace_backward`` puts a pre-hook (runs when a node is about to execute, with the
gradient that arrived for its output) and a hook (runs right after, with the gradient
it sends to each input) on every node of the graph, runs the backward pass, and takes
every hook off again. The steps come out in the order the engine really ran them.

How a backward pass is seeded lives here too, once for every caller (``seed_gradients``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import torch

from .errors import NoGraphError, explain_backward_error
from .graph import Edge, Graph, GraphNode, Live, as_roots, display_names, inputs_by_slot, walk

Tensor = torch.Tensor


@dataclass(eq=False)
class BackwardStep:
    """One node's turn: ``grad_outputs`` is the gradient that arrived for each of the
    node's outputs (summed over every use of that output), ``grad_inputs`` the gradient
    it sent to each of its input slots (None where an input needs none). A leaf's
    AccumulateGrad sends nothing on: it adds into ``.grad``."""

    index: int
    node_id: str
    op: str
    name: str | None = None
    grad_outputs: tuple[Tensor | None, ...] = field(default=(), repr=False)
    grad_inputs: tuple[Tensor | None, ...] = field(default=(), repr=False)

    @property
    def grad(self) -> Tensor | None:
        """The gradient of the loss with respect to this node's (first) output."""
        return self.grad_outputs[0] if self.grad_outputs else None


@dataclass(eq=False)
class BackwardTrace:
    graph: Graph
    steps: list[BackwardStep]
    seeded_with_ones: bool = False  # a non-scalar output started from torch.ones_like
    _into: dict | None = field(default=None, repr=False)
    _nodes: dict | None = field(default=None, repr=False)
    _names: dict | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.steps)

    def step_of(self, node_id: str) -> BackwardStep:
        for step in self.steps:
            if step.node_id == node_id:
                return step
        raise KeyError(f"node {node_id!r} did not run in this backward pass")

    def grad_of(self, name: str) -> Tensor | None:
        """The gradient that reached the node named `name` (see Graph.named)."""
        return self.step_of(self.graph.named(name).id).grad

    def edges_into(self, node_id: str) -> dict[int, Edge]:
        """The edges into `node_id` by input slot (indexed once: a trace's graph is final)."""
        if self._into is None:
            self._into = {}
            for edge in self.graph.edges:
                self._into.setdefault(edge.dst, {})[edge.slot] = edge
        return self._into.get(node_id, {})

    def _by_id(self) -> dict[str, GraphNode]:
        if self._nodes is None:
            self._nodes = {node.id: node for node in self.graph.nodes}
        return self._nodes

    def node(self, node_id: str) -> GraphNode:
        return self._by_id()[node_id]

    def name_of(self, node_id: str) -> str:
        """The display name of node `node_id` (see helpers.graph.display_name)."""
        if self._names is None:
            self._names = display_names(self.graph)
        return self._names[node_id]

    def inputs_of(self, node_id: str) -> list[GraphNode | None]:
        """The node feeding each input slot of `node_id` (None for a cut input)."""
        return inputs_by_slot(self.edges_into(node_id), self._by_id())

    def sent_by(self, step: BackwardStep) -> list[tuple[Edge, Tensor]]:
        """The edges `step` sent its gradients back along, each with the gradient it sent."""
        into = self.edges_into(step.node_id)
        return [(into[slot], grad) for slot, grad in enumerate(step.grad_inputs) if slot in into and grad is not None]


def _copies(grads) -> tuple[Tensor | None, ...]:
    return tuple(None if g is None else g.detach().clone() for g in grads)


def seed_gradients(
    roots: list[Tensor], grad=None, *, ones_for_nonscalar: bool = False
) -> tuple[list[Tensor | None], bool]:
    """The gradients backward starts from, one per root, and whether any was made up.

    The one rule for the whole package: a given `grad` must match its root's shape; a
    scalar root starts from 1, as ``backward()`` does; a bigger root needs `grad`, unless
    the caller (a widget, which then says so) asks for ones: the gradient of root.sum()."""
    grads = list(grad) if isinstance(grad, (tuple, list)) else [grad] * len(roots)
    if len(grads) != len(roots):
        raise ValueError(f"got {len(grads)} gradients for {len(roots)} roots: give one per root.")
    made_up = False
    for i, (root, seed) in enumerate(zip(roots, grads)):
        if seed is not None:
            if not isinstance(seed, Tensor):
                raise TypeError(f"grad must be a tensor shaped like the root, got {type(seed).__name__}.")
            if seed.shape != root.shape:
                raise ValueError(
                    f"grad has shape {tuple(seed.shape)} but the root has shape "
                    f"{tuple(root.shape)}: pass a gradient of the root's shape, "
                    "e.g. grad=torch.ones_like(root)."
                )
            continue
        if root.is_complex():
            raise ValueError(
                "the root is complex, so backward needs a gradient to start from: pass "
                "grad=torch.ones_like(root), or trace a real number such as root.abs().sum()."
            )
        if root.numel() != 1:
            if not ones_for_nonscalar:
                raise ValueError(
                    f"the root has shape {tuple(root.shape)}, so backward needs a gradient to start "
                    "from: pass grad=torch.ones_like(root) (the gradient of root.sum()), or trace "
                    "root.sum() instead."
                )
            grads[i], made_up = torch.ones_like(root), True
    return grads, made_up


def record_backward(
    graph: Graph, live: Live, grad=None, *, retain_graph: bool = False, ones_for_nonscalar: bool = False
) -> BackwardTrace:
    """Run backward through an already walked graph and record every step."""
    roots = live.roots
    if any(tensor.grad_fn is None for tensor in roots):
        raise NoGraphError(
            "the root is a leaf: nothing computed it, so there is no backward pass to "
            "trace (its gradient with respect to itself is simply 1)."
        )
    seeds, made_up = seed_gradients(roots, grad, ones_for_nonscalar=ones_for_nonscalar)
    steps: list[BackwardStep] = []
    by_node: dict[str, BackwardStep] = {}
    handles = []

    def watch(node: GraphNode, fn) -> None:
        def before(grad_outputs):
            step = BackwardStep(len(steps), node.id, node.op, node.name, _copies(grad_outputs))
            steps.append(step)
            by_node[node.id] = step

        def after(grad_inputs, grad_outputs):
            by_node[node.id].grad_inputs = _copies(grad_inputs)

        handles.append(fn.register_prehook(before))
        handles.append(fn.register_hook(after))

    try:
        for node in graph.nodes:
            if node.id in live.fns:
                watch(node, live.fns[node.id])
        torch.autograd.backward(roots, grad_tensors=seeds, retain_graph=retain_graph)
    except RuntimeError as error:
        explained = explain_backward_error(error)
        if explained is error:
            raise
        raise explained from error
    finally:
        for handle in handles:
            handle.remove()
    return BackwardTrace(graph, steps, made_up)


def trace_backward(
    root, params: Mapping[str, Tensor] | None = None, *, grad=None, retain_graph: bool = False
) -> BackwardTrace:
    """Run the backward pass of `root` and record each step the engine takes.

    Like ``root.backward(grad, retain_graph=retain_graph)``, it adds the gradients into
    the leaves' ``.grad``. Afterwards no hook is left on any node, even if backward fails.
    """
    roots = as_roots(root)
    graph, live = walk(roots if len(roots) > 1 else roots[0], params)
    return record_backward(graph, live, grad, retain_graph=retain_graph)
