"""Keeping big graphs readable: show only what is near the output, or one box per module.

A picture of thousands of nodes takes Graphviz a long time to lay out and nobody can read
it. Two ways to shrink one: keep the nodes within a few steps of the output (the rest
becomes one "… N more nodes" marker), or merge every node a module created into a single
box per module.
"""

from __future__ import annotations

import warnings
from collections import deque
from collections.abc import Callable

import torch
from torch import nn

from .graph import Edge, Graph, GraphNode, Live, _stable_id

# The id of the box that stands for the nodes a shortened graph leaves out.
MORE = "more"

DEFAULT_MAX_NODES = 400


class LargeGraphWarning(UserWarning):
    """The graph was too big to draw whole, so a shortened picture was drawn."""


def levels(graph: Graph) -> dict[str, int]:
    """Each node's distance in edges from the nearest output (outputs are 0)."""
    inputs: dict[str, list[str]] = {}
    for edge in graph.edges:
        inputs.setdefault(edge.dst, []).append(edge.src)
    start = [n.id for n in graph.nodes if n.kind == "output"] or [graph.nodes[0].id]
    found = dict.fromkeys(start, 0)
    queue = deque(start)
    while queue:
        node = queue.popleft()
        for source in inputs.get(node, []):
            if source not in found:
                found[source] = found[node] + 1
                queue.append(source)
    return found


def within_depth(graph: Graph, depth: int) -> tuple[Graph, int]:
    """The part of `graph` at most `depth` edges from the output, plus a marker node
    "… N more nodes" fed by every kept node whose inputs were dropped."""
    if not isinstance(depth, int) or depth < 0:
        raise ValueError(f"depth must be a whole number of steps, 0 or more, got {depth!r}.")
    level = levels(graph)
    kept = {node_id for node_id, d in level.items() if d <= depth}
    hidden = len(graph.nodes) - len(kept)
    nodes = [node for node in graph.nodes if node.id in kept]
    edges = [e for e in graph.edges if e.src in kept and e.dst in kept]
    if hidden:
        marker = GraphNode(id=MORE, kind="op", op=f"… {hidden} more nodes", group_size=hidden)
        frontier = dict.fromkeys(e.dst for e in graph.edges if e.dst in kept and e.src not in kept)
        nodes.append(marker)
        edges += [Edge(marker.id, node_id, -1) for node_id in frontier]
    return Graph(nodes, edges), hidden


def depth_that_fits(graph: Graph, max_nodes: int) -> int:
    """The largest depth whose picture keeps at most `max_nodes` nodes."""
    counts: dict[int, int] = {}
    for d in levels(graph).values():
        counts[d] = counts.get(d, 0) + 1
    total, depth = 0, 0
    for d in sorted(counts):
        total += counts[d]
        if total > max_nodes:
            break
        depth = d
    return depth


def collapse(graph: Graph, group_of: Callable[[GraphNode], str | None]) -> Graph:
    """Merge the nodes that `group_of` puts in the same group into one box each."""
    boxes: dict[str, GraphNode] = {}
    target: dict[str, str] = {}
    nodes: list[GraphNode] = []
    for node in graph.nodes:
        group = group_of(node)
        if group is None:
            target[node.id] = node.id
            nodes.append(node)
            continue
        box = boxes.get(group)
        if box is None:
            box = boxes[group] = GraphNode(
                id=_stable_id("group", group), kind="op", names=(group,), op="", group_size=0
            )
            nodes.append(box)
        box.group_size += 1
        box.kind = "output" if node.kind == "output" else box.kind
        target[node.id] = box.id
    boxes_by_id = {box.id for box in boxes.values()}
    pairs = dict.fromkeys((target[e.src], target[e.dst]) for e in graph.edges if target[e.src] != target[e.dst])
    # A box stands for many nodes, so an edge into it has no one input slot (-1).
    slots = {(target[e.src], target[e.dst]): e.slot for e in reversed(graph.edges)}
    edges = [Edge(src, dst, slots[src, dst] if dst not in boxes_by_id else -1) for src, dst in pairs]
    return Graph(nodes, edges)


def shorten(
    graph: Graph,
    *,
    depth: int | None = None,
    max_nodes: int | None = DEFAULT_MAX_NODES,
    stacklevel: int = 2,
    warn: bool = True,
) -> tuple[Graph, int]:
    """The one rule every picture follows: keep the nodes within `depth` steps of the
    output, or, past `max_nodes` nodes, as many levels as fit (with a LargeGraphWarning).
    Returns the graph to show and how many nodes were left out."""
    if max_nodes is not None and (not isinstance(max_nodes, int) or max_nodes < 1):
        raise ValueError(f"max_nodes must be a whole number of 1 or more, or None, got {max_nodes!r}.")
    if depth is None and max_nodes is not None and len(graph) > max_nodes:
        depth = depth_that_fits(graph, max_nodes)
        if warn:  # a widget says it in its view instead
            warnings.warn(
                f"this graph has {len(graph)} nodes, more than max_nodes={max_nodes}, so only the "
                f"nodes within {depth} steps of the output are shown. Pass depth=..., "
                "collapse=h.module_scopes(model), or max_nodes=None to show all of it "
                "(the layout may then take a long time).",
                LargeGraphWarning,
                stacklevel=stacklevel + 1,
            )
    if depth is None:
        return graph, 0
    return within_depth(graph, depth)


class ModuleScopes:
    """Records which module created each autograd node during a forward pass.

    with h.module_scopes(model) as scopes:
        loss = model(x).sum()
    h.draw(loss, collapse=scopes)
    """

    def __init__(self, model: nn.Module):
        if not isinstance(model, nn.Module):
            raise TypeError(f"module_scopes takes a torch.nn.Module, got {type(model).__name__}.")
        self.model = model
        self._by_fn: dict[int, str] = {}
        self._keep: list[object] = []  # the nodes themselves, so their ids stay theirs
        self._by_leaf = {id(p): name.rsplit(".", 1)[0] if "." in name else name for name, p in model.named_parameters()}
        self._labels = {name: f"{name} ({type(m).__name__})" for name, m in model.named_modules()}
        self._handles: list = []
        self._stops: dict[str, set[int]] = {}

    def __enter__(self) -> ModuleScopes:
        for name, module in self.model.named_modules():
            if name and not any(True for _ in module.children()):  # one box per leaf module
                self._handles.append(module.register_forward_pre_hook(self._before(name)))
                self._handles.append(module.register_forward_hook(self._after(name)))
        return self

    def __exit__(self, *exc) -> None:
        for handle in self._handles:
            handle.remove()
        self._handles.clear()

    def _before(self, name: str):
        def hook(module, args):
            self._stops[name] = {id(t.grad_fn) for t in args if isinstance(t, torch.Tensor) and t.grad_fn}

        return hook

    def _after(self, name: str):
        def hook(module, args, output):
            outputs = output if isinstance(output, (tuple, list)) else (output,)
            stack = [t.grad_fn for t in outputs if isinstance(t, torch.Tensor) and t.grad_fn is not None]
            stop = self._stops.pop(name, set())
            while stack:
                fn = stack.pop()
                if fn is None or id(fn) in stop or id(fn) in self._by_fn or type(fn).__name__ == "AccumulateGrad":
                    continue
                self._by_fn[id(fn)] = name
                self._keep.append(fn)
                stack.extend(next_fn for next_fn, _ in fn.next_functions)

        return hook

    def grouping(self, live: Live) -> Callable[[GraphNode], str | None]:
        """For a walked graph: the label of the module that made each node, or None."""

        def group_of(node: GraphNode) -> str | None:
            if node.kind == "leaf":
                tensor = live.tensors.get(node.id)
                name = None if tensor is None else self._by_leaf.get(id(tensor))
            else:
                fn = live.fns.get(node.id)
                name = None if fn is None else self._by_fn.get(id(fn))
            return None if name is None else self._labels.get(name, name)

        return group_of


def module_scopes(model: nn.Module) -> ModuleScopes:
    """A context manager that notes which module made which node, for draw(collapse=...)."""
    return ModuleScopes(model)
