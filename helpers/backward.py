"""Record what the autograd engine does during a backward pass, one node at a time.

``trace_backward`` puts a pre-hook (runs when a node is about to execute, with the
gradient that arrived for its output) and a hook (runs right after, with the gradient
it sends to each input) on every node of the graph, runs the backward pass, and takes
every hook off again. The steps come out in the order the engine really ran them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

import torch

from .errors import FREED_HINT, GraphFreedError, NoGraphError, is_freed_error
from .graph import Graph, GraphNode, _as_roots, autograd_graph

Tensor = torch.Tensor


@dataclass(eq=False)
class BackwardStep:
    """One node's turn: ``grad_outputs`` is the gradient that arrived for each of the
    node's outputs (summed over every use of that output), ``grad_inputs`` the gradient
    it sent to each of its inputs, in ``next_functions`` order (None where an input needs
    none). A leaf's AccumulateGrad sends nothing on: it adds into ``.grad``."""

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

    def inputs_of(self, node_id: str) -> list[GraphNode | None]:
        """The node feeding each input slot of `node_id` (None for a cut input)."""
        node = self.graph.node(node_id)
        if node.fn is None:
            return []
        by_fn = {id(n.fn): n for n in self.graph.nodes if n.fn is not None}
        return [None if fn is None else by_fn[id(fn)] for fn, _ in node.fn.next_functions]


def _copies(grads) -> tuple[Tensor | None, ...]:
    return tuple(None if g is None else g.detach().clone() for g in grads)


def _seed_grads(roots: list[Tensor], grad) -> list[Tensor | None]:
    grads = list(grad) if isinstance(grad, (tuple, list)) else [grad] * len(roots)
    if len(grads) != len(roots):
        raise ValueError(f"got {len(grads)} gradients for {len(roots)} roots: give one per root.")
    for root, seed in zip(roots, grads):
        if seed is None and root.numel() != 1:
            raise ValueError(
                f"the root has shape {tuple(root.shape)}, so backward needs a gradient to start "
                "from: pass grad=torch.ones_like(root) (the gradient of root.sum()), or trace "
                "root.sum() instead."
            )
    return grads


def trace_backward(root, params: Mapping[str, Tensor] | None = None, grad=None,
                   retain_graph: bool = False) -> BackwardTrace:
    """Run the backward pass of `root` and record each step the engine takes.

    Like ``root.backward(grad, retain_graph=retain_graph)``, it adds the gradients into
    the leaves' ``.grad``. Afterwards no hook is left on any node, even if backward fails.
    """
    roots = _as_roots(root)
    if any(tensor.grad_fn is None for tensor in roots):
        raise NoGraphError("the root is a leaf: nothing computed it, so there is no backward pass to "
                           "trace (its gradient with respect to itself is simply 1).")
    graph = autograd_graph(roots if len(roots) > 1 else roots[0], params)
    seeds = _seed_grads(roots, grad)
    steps: list[BackwardStep] = []
    by_node: dict[str, BackwardStep] = {}
    handles = []

    def watch(node: GraphNode) -> None:
        def before(grad_outputs):
            step = BackwardStep(len(steps), node.id, node.op, node.name, _copies(grad_outputs))
            steps.append(step)
            by_node[node.id] = step

        def after(grad_inputs, grad_outputs):
            by_node[node.id].grad_inputs = _copies(grad_inputs)

        handles.append(node.fn.register_prehook(before))
        handles.append(node.fn.register_hook(after))

    try:
        for node in graph.nodes:
            if node.fn is not None:
                watch(node)
        torch.autograd.backward(roots, grad_tensors=seeds, retain_graph=retain_graph)
    except RuntimeError as error:
        if is_freed_error(error):
            raise GraphFreedError(FREED_HINT) from error
        raise
    finally:
        for handle in handles:
            handle.remove()
    return BackwardTrace(graph, steps)
