"""The graph model: walk PyTorch's autograd graph into plain Python objects.

Every tensor computed from a tensor that requires grad points, through ``grad_fn``, at
the node that will compute its gradient; every node points at its inputs' nodes through
``next_functions``. A leaf's node is an ``AccumulateGrad`` (it adds the gradient into
``leaf.grad``), and an input that needs no gradient shows up as ``None``.

``autograd_graph`` walks that structure once, with an explicit stack (a 5,000-op chain
would overflow Python's recursion limit), and returns a :class:`Graph` of
:class:`GraphNode` objects that the renderer, the backward tracer and the widgets share.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Iterator, Mapping

import torch

from .errors import check_tensor

Tensor = torch.Tensor
KINDS = ("output", "op", "leaf", "cut")


@dataclass(eq=False)
class GraphNode:
    """One box of the picture.

    ``kind`` is "output" (the node that made a root tensor), "op" (any other backward
    function), "leaf" (a tensor created by the user with requires_grad=True) or "cut"
    (an input that carries no gradient: detached, a constant, or requires_grad=False).
    ``value`` and ``grad`` are copies taken when the graph was walked.
    """

    id: str
    kind: str
    op: str | None = None
    name: str | None = None
    shape: tuple[int, ...] | None = None
    value: Tensor | None = field(default=None, repr=False)
    grad: Tensor | None = field(default=None, repr=False)
    custom: bool = False  # made by a user-defined torch.autograd.Function
    fn: object | None = field(default=None, repr=False)  # the autograd node itself
    # Tensors the op keeps for its backward, by name; None marks one already freed.
    # Filled only when asked for (autograd_graph(..., saved=True)).
    saved: dict[str, Tensor | None] | None = field(default=None, repr=False)
    group_size: int | None = None  # a box standing for this many nodes (see helpers.large)

    @property
    def freed(self) -> bool:
        """True when backward() has already freed this node's saved tensors."""
        return bool(self.saved) and any(t is None for t in self.saved.values())

    @property
    def label(self) -> str:
        """The name if the node has one, else the op."""
        return self.name or self.op or self.kind


@dataclass(eq=False)
class Graph:
    """Nodes in depth-first order from the output, and edges in the forward
    direction: ``(src_id, dst_id)`` means src's result is an input of dst."""

    nodes: list[GraphNode] = field(default_factory=list)
    edges: list[tuple[str, str]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.nodes)

    def __iter__(self) -> Iterator[GraphNode]:
        return iter(self.nodes)

    def node(self, node_id: str) -> GraphNode:
        for node in self.nodes:
            if node.id == node_id:
                return node
        raise KeyError(f"no node with id {node_id!r} in this graph")

    def named(self, name: str) -> GraphNode:
        """The node that carries `name` (a leaf, or the op that made that tensor)."""
        for node in self.nodes:
            if node.name is not None and name in node.name.split(", "):
                return node
        names = sorted(n.name for n in self.nodes if n.name)
        raise KeyError(f"no node named {name!r}; the named nodes are {names}")

    def of_kind(self, kind: str) -> list[GraphNode]:
        return [node for node in self.nodes if node.kind == kind]


def saved_tensors(fn: object) -> dict[str, Tensor | None]:
    """The tensors an autograd node keeps for backward (None once freed).

    Built-in nodes expose them as ``_saved_<name>`` attributes; custom Functions as
    ``saved_tensors``. Reading one after backward() raises, which is how a freed
    tensor is told apart from a kept one."""
    names = ["saved_tensors"] if isinstance(fn, torch.autograd.function.BackwardCFunction) else [
        name for name in dir(fn) if name.startswith("_saved_")]
    found: dict[str, Tensor | None] = {}
    for name in names:
        try:
            value = getattr(fn, name)
        except RuntimeError as error:
            if "freed" in str(error) or "second time" in str(error):
                found[name.removeprefix("_saved_")] = None
                continue
            raise
        values = value if isinstance(value, tuple) else (value,)
        tensors = [v for v in values if isinstance(v, Tensor)]
        for i, tensor in enumerate(tensors):
            label = name.removeprefix("_saved_") if len(tensors) == 1 else f"{name.removeprefix('_saved_')}[{i}]"
            found[label] = _copy(tensor)
    return found


def _stable_id(*parts: object) -> str:
    """A short id that depends only on the graph's structure, never on memory
    addresses, so the same graph gets the same ids in any process."""
    digest = hashlib.sha1("\x1f".join(map(str, parts)).encode()).hexdigest()
    return "n" + digest[:10]


def _as_roots(root: object) -> list[Tensor]:
    roots = list(root) if isinstance(root, (tuple, list)) else [root]
    if not roots:
        raise ValueError("root is an empty tuple: pass at least one tensor.")
    for i, tensor in enumerate(roots):
        check_tensor(tensor, "root" if len(roots) == 1 else f"root[{i}]")
    return roots


def _copy(tensor: Tensor | None) -> Tensor | None:
    return None if tensor is None else tensor.detach().clone()


def _grad_of(tensor: Tensor) -> Tensor | None:
    # Reading .grad of a non-leaf that does not retain it makes PyTorch warn.
    if tensor.is_leaf or tensor.retains_grad:
        return _copy(tensor.grad)
    return None


class _Names:
    """Looks up the name, value and gradient that `params` gives an autograd node."""

    def __init__(self, params: Mapping[str, object] | None):
        if params is not None and not isinstance(params, Mapping):
            raise TypeError(
                f"params must be a dict of names to tensors, got {type(params).__name__}."
            )
        self._by_leaf: dict[int, tuple[str, Tensor]] = {}
        self._by_fn: dict[int, list[tuple[str, Tensor]]] = {}
        self._keep: list[object] = []  # holds grad_fn objects so their ids stay valid
        for name, tensor in (params or {}).items():
            if not isinstance(tensor, Tensor):
                raise TypeError(
                    f"params[{name!r}] must be a tensor, got {type(tensor).__name__}."
                )
            if tensor.grad_fn is None:
                self._by_leaf[id(tensor)] = (str(name), tensor)
            else:
                self._keep.append(tensor.grad_fn)
                self._by_fn.setdefault(id(tensor.grad_fn), []).append((str(name), tensor))

    def for_fn(self, fn: object) -> tuple[str | None, Tensor | None]:
        """Name and tensor for an op node (several tensors of one op share a node)."""
        entries = self._by_fn.get(id(fn), [])
        if not entries:
            return None, None
        return ", ".join(name for name, _ in entries), entries[0][1]

    def for_leaf(self, leaf: Tensor) -> str | None:
        entry = self._by_leaf.get(id(leaf))
        return entry[0] if entry else None


def _make_node(fn: object, node_id: str, names: _Names) -> GraphNode:
    op = type(fn).__name__
    if op == "AccumulateGrad":
        leaf = fn.variable
        return GraphNode(
            id=node_id, kind="leaf", op=op, name=names.for_leaf(leaf),
            shape=tuple(leaf.shape), value=_copy(leaf), grad=_grad_of(leaf), fn=fn,
        )
    name, tensor = names.for_fn(fn)
    return GraphNode(
        id=node_id, kind="op", op=op, name=name,
        shape=None if tensor is None else tuple(tensor.shape),
        value=None if tensor is None else _copy(tensor),
        grad=None if tensor is None else _grad_of(tensor),
        custom=isinstance(fn, torch.autograd.function.BackwardCFunction), fn=fn,
    )


def _identity(fn: object, parent_id: str, slot: int, names: _Names) -> str:
    """Named nodes are identified by their name, the rest by where they hang."""
    op = type(fn).__name__
    name = names.for_leaf(fn.variable) if op == "AccumulateGrad" else names.for_fn(fn)[0]
    return _stable_id("named", name) if name else _stable_id(parent_id, slot, op)


def autograd_graph(root, params: Mapping[str, Tensor] | None = None, *, saved: bool = False) -> Graph:
    """Walk the autograd graph behind `root` (a tensor or a tuple of tensors).

    `params` maps names to tensors: a named leaf shows its name; a named intermediate
    result names the op node that produced it and lends it its value. With
    `saved=True` each op node also lists the tensors it keeps for backward.
    """
    roots = _as_roots(root)
    names = _Names(params)
    graph = Graph()
    seen: dict[int, GraphNode] = {}  # id(fn) -> node; the graph holds every fn alive
    taken: set[str] = set()

    def add(node: GraphNode) -> GraphNode:
        base, n = node.id, 2
        while node.id in taken:  # two structurally identical spots: keep ids unique
            node.id, n = f"{base}-{n}", n + 1
        taken.add(node.id)
        graph.nodes.append(node)
        return node

    stack: list[tuple[object, str, int, str | None]] = []  # (fn, parent id, slot, consumer)
    for index, tensor in reversed(list(enumerate(roots))):
        if tensor.grad_fn is None:  # the root itself is a leaf
            leaf_id = _stable_id("root", index, "leaf")
            add(GraphNode(
                id=leaf_id, kind="leaf", op="AccumulateGrad",
                name=names.for_leaf(tensor), shape=tuple(tensor.shape),
                value=_copy(tensor), grad=_grad_of(tensor),
            ))
        else:
            stack.append((tensor.grad_fn, "root", index, None))

    while stack:
        fn, parent_id, slot, consumer = stack.pop()
        if fn is None:  # an input that needs no gradient: its own stub for each use
            cut = add(GraphNode(id=_stable_id(parent_id, slot, "cut"), kind="cut"))
            graph.edges.append((cut.id, consumer))
            continue
        node = seen.get(id(fn))
        if node is None:
            node = add(_make_node(fn, _identity(fn, parent_id, slot, names), names))
            if saved and node.kind == "op":
                node.saved = saved_tensors(fn)
            seen[id(fn)] = node
            inputs = [(next_fn, node.id, i, node.id) for i, (next_fn, _) in enumerate(fn.next_functions)]
            stack.extend(reversed(inputs))  # input 0 is visited first
        if consumer is not None:
            graph.edges.append((node.id, consumer))

    for tensor in roots:
        if tensor.grad_fn is not None:
            out = seen[id(tensor.grad_fn)]
            out.kind = "output"
            if out.value is None:
                out.shape, out.value, out.grad = tuple(tensor.shape), _copy(tensor), _grad_of(tensor)
    # Edges were added when each input was reached; list them in a fixed order.
    graph.edges.sort(key=_edge_order({node.id: i for i, node in enumerate(graph.nodes)}))
    return graph


def _edge_order(position: dict[str, int]):
    return lambda edge: (position[edge[1]], position[edge[0]])


def walk_graph(fn_or_tensor, step: int = 0) -> None:
    """Print the graph below a ``grad_fn`` depth-first, one line per visit, as
    ``print(step, step * '   ', type(node))`` does; a node reached along two paths is
    printed twice. Iterative, so deep graphs do not hit the recursion limit."""
    start = fn_or_tensor
    if isinstance(fn_or_tensor, Tensor):
        check_tensor(fn_or_tensor, "walk_graph's argument")
        start = fn_or_tensor.grad_fn
        if start is None:
            raise ValueError(
                "walk_graph got a leaf tensor: a leaf has no grad_fn, so there is "
                "nothing below it. Pass a tensor computed from it, e.g. walk_graph(d)."
            )
    elif start is not None and not hasattr(start, "next_functions"):
        raise TypeError(
            "walk_graph takes a tensor or its grad_fn (e.g. d or d.grad_fn), "
            f"not {type(start).__name__}."
        )
    stack = [(start, step)]
    while stack:
        fn, depth = stack.pop()
        if fn is None:
            continue
        print(depth, depth * "   ", type(fn))
        stack.extend((next_fn, depth + 1) for next_fn, _ in reversed(fn.next_functions))
