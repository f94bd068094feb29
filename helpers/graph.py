"""The graph model: the structure of PyTorch's autograd graph as plain Python objects.

Every tensor computed from a tensor that requires grad points, through ``grad_fn``, at
the node that will compute its gradient; every node points at its inputs' nodes through
``next_functions``, one entry per input slot. A leaf's node is an ``AccumulateGrad`` (it
adds the gradient into ``leaf.grad``), and an input that needs no gradient shows up as
``None``.

``autograd_graph`` walks that structure once, with an explicit stack (a 5,000-op chain
would overflow Python's recursion limit), into a :class:`Graph`: nodes and edges only,
no numbers and no live torch objects. The numbers live in a snapshot
(:mod:`helpers.snapshots`); the live objects stay in a :class:`Live` that only the modules
which must touch autograd (the snapshot, the backward tracer, module scopes) receive.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

import torch

from .errors import check_tensor

Tensor = torch.Tensor
KINDS = ("output", "op", "leaf", "cut")


class Edge(NamedTuple):
    """src's result is input number `slot` of dst (the forward direction)."""

    src: str
    dst: str
    slot: int


@dataclass(eq=False)
class GraphNode:
    """One box of the picture.

    ``kind`` is "output" (the node that made a root tensor), "op" (any other backward
    function), "leaf" (a tensor created by the user with requires_grad=True) or "cut"
    (an input that carries no gradient: detached, a constant, or requires_grad=False).
    ``names`` are the names `params` gave it (several tensors of one op share a node).
    """

    id: str
    kind: str
    op: str | None = None
    names: tuple[str, ...] = ()
    shape: tuple[int, ...] | None = None
    dtype: str | None = None
    custom: bool = False  # made by a user-defined torch.autograd.Function
    group_size: int | None = None  # a box standing for this many nodes (see helpers.large)

    @property
    def name(self) -> str | None:
        """The names joined by commas, or None for an unnamed node."""
        return ", ".join(self.names) or None


@dataclass(eq=False)
class Graph:
    """Nodes in depth-first order from the output, and edges in the forward direction."""

    nodes: list[GraphNode] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)

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
            if name in node.names:
                return node
        names = sorted(n for node in self.nodes for n in node.names)
        raise KeyError(f"no node named {name!r}; the named nodes are {names}")

    def of_kind(self, kind: str) -> list[GraphNode]:
        return [node for node in self.nodes if node.kind == kind]

    def inputs_of(self, node_id: str) -> list[GraphNode | None]:
        """The node feeding each input slot of `node_id`; None where that input is cut."""
        into = {edge.slot: edge for edge in self.edges if edge.dst == node_id}
        return inputs_by_slot(into, {node.id: node for node in self.nodes})


def inputs_by_slot(into: dict[int, Edge], nodes: dict[str, GraphNode]) -> list[GraphNode | None]:
    """The nodes at the ends of `into` (a node's incoming edges by slot), in slot order;
    None for a slot fed by a cut input."""
    found = [nodes.get(into[slot].src) if slot in into else None for slot in range(len(into))]
    return [None if node is None or node.kind == "cut" else node for node in found]


def display_name(node: GraphNode, leaf_number: int | None = None) -> str:
    """The one name a node goes by in every picture, panel and text: its first name; "no
    grad" for an input that carries no gradient; "leaf" for an unnamed leaf ("leaf 2" when
    several are told apart by `leaf_number`); otherwise its op."""
    if node.kind == "cut":
        return "no grad"
    if node.names:
        return node.names[0]
    if node.kind == "leaf":
        return "leaf" if leaf_number is None else f"leaf {leaf_number}"
    return node.op or node.kind


def display_names(graph: Graph) -> dict[str, str]:
    """Every node's :func:`display_name`, by id; unnamed leaves are numbered in the graph's
    order (leaf 1, leaf 2, …) when there is more than one."""
    unnamed = [node.id for node in graph.nodes if node.kind == "leaf" and not node.names]
    numbers = {node_id: i for i, node_id in enumerate(unnamed, 1)} if len(unnamed) > 1 else {}
    return {node.id: display_name(node, numbers.get(node.id)) for node in graph.nodes}


class Live:
    """The torch objects behind a walked graph, by node id: kept apart from the
    structure so that nothing but the walk, the snapshot and the tracer touches them."""

    def __init__(self, roots: list[Tensor]):
        self.roots = roots
        self.fns: dict[str, object] = {}  # node id -> autograd node
        self.tensors: dict[str, Tensor] = {}  # node id -> leaf, named result or root

    def leaf_tensors(self, graph: Graph) -> list[Tensor]:
        return [self.tensors[n.id] for n in graph.of_kind("leaf") if n.id in self.tensors]


def _stable_id(*parts: object) -> str:
    """A short id that depends only on the graph's structure, never on memory
    addresses, so the same graph gets the same ids in any process."""
    digest = hashlib.sha1("\x1f".join(map(str, parts)).encode()).hexdigest()
    return "n" + digest[:10]


def as_roots(root: object) -> list[Tensor]:
    roots = list(root) if isinstance(root, (tuple, list)) else [root]
    if not roots:
        raise ValueError("root is an empty tuple: pass at least one tensor.")
    for i, tensor in enumerate(roots):
        check_tensor(tensor, "root" if len(roots) == 1 else f"root[{i}]")
    return roots


class _Names:
    """Looks up the names `params` gives an autograd node, and the tensor behind them."""

    def __init__(self, params: Mapping[str, object] | None):
        if params is not None and not isinstance(params, Mapping):
            raise TypeError(f"params must be a dict of names to tensors, got {type(params).__name__}.")
        self._by_leaf: dict[int, str] = {}
        self._by_fn: dict[int, list[tuple[str, Tensor]]] = {}
        self._keep: list[object] = []  # holds grad_fn objects so their ids stay valid
        for name, tensor in (params or {}).items():
            if not isinstance(tensor, Tensor):
                raise TypeError(f"params[{name!r}] must be a tensor, got {type(tensor).__name__}.")
            if tensor.grad_fn is None:
                self._by_leaf[id(tensor)] = str(name)
            else:
                self._keep.append(tensor.grad_fn)
                self._by_fn.setdefault(id(tensor.grad_fn), []).append((str(name), tensor))

    def of_fn(self, fn: object) -> tuple[tuple[str, ...], Tensor | None]:
        entries = self._by_fn.get(id(fn), [])
        return tuple(name for name, _ in entries), (entries[0][1] if entries else None)

    def of_leaf(self, leaf: Tensor) -> tuple[str, ...]:
        name = self._by_leaf.get(id(leaf))
        return (name,) if name else ()


def _dtype(tensor: Tensor) -> str:
    return str(tensor.dtype).removeprefix("torch.")


def _tensor_node(
    node_id: str, kind: str, op: str, names: tuple[str, ...], tensor: Tensor | None, custom: bool = False
) -> GraphNode:
    return GraphNode(
        id=node_id,
        kind=kind,
        op=op,
        names=names,
        custom=custom,
        shape=None if tensor is None else tuple(tensor.shape),
        dtype=None if tensor is None else _dtype(tensor),
    )


def _identity(fn: object, parent_id: str, slot: int, names: _Names) -> str:
    """Named nodes are identified by their names, the rest by where they hang."""
    own = names.of_leaf(fn.variable) if type(fn).__name__ == "AccumulateGrad" else names.of_fn(fn)[0]
    return _stable_id("named", ", ".join(own)) if own else _stable_id(parent_id, slot, type(fn).__name__)


def walk(root, params: Mapping[str, Tensor] | None = None) -> tuple[Graph, Live]:
    """Walk the autograd graph behind `root` once: its structure, and the live objects."""
    roots = as_roots(root)
    names = _Names(params)
    graph, live = Graph(), Live(roots)
    seen: dict[int, GraphNode] = {}  # id(fn) -> node; the graph holds every fn alive
    taken: set[str] = set()

    def add(node: GraphNode, fn: object = None, tensor: Tensor | None = None) -> GraphNode:
        base, n = node.id, 2
        while node.id in taken:  # two structurally identical spots: keep ids unique
            node.id, n = f"{base}-{n}", n + 1
        taken.add(node.id)
        graph.nodes.append(node)
        if fn is not None:
            live.fns[node.id] = fn
        if tensor is not None:
            live.tensors[node.id] = tensor
        return node

    stack: list[tuple[object, str, int, str | None]] = []  # (fn, parent id, slot, consumer)
    for index, tensor in reversed(list(enumerate(roots))):
        if tensor.grad_fn is None:  # the root itself is a leaf
            node = _tensor_node(
                _stable_id("root", index, "leaf"), "leaf", "AccumulateGrad", names.of_leaf(tensor), tensor
            )
            add(node, tensor=tensor)
        else:
            stack.append((tensor.grad_fn, "root", index, None))

    while stack:
        fn, parent_id, slot, consumer = stack.pop()
        if fn is None:  # an input that needs no gradient: its own stub for each use
            cut = add(GraphNode(id=_stable_id(parent_id, slot, "cut"), kind="cut"))
            graph.edges.append(Edge(cut.id, consumer, slot))
            continue
        node = seen.get(id(fn))
        if node is None:
            node_id = _identity(fn, parent_id, slot, names)
            if type(fn).__name__ == "AccumulateGrad":
                leaf = fn.variable
                node = add(_tensor_node(node_id, "leaf", "AccumulateGrad", names.of_leaf(leaf), leaf), fn, leaf)
            else:
                own, tensor = names.of_fn(fn)
                custom = isinstance(fn, torch.autograd.function.BackwardCFunction)
                node = add(_tensor_node(node_id, "op", type(fn).__name__, own, tensor, custom), fn, tensor)
            seen[id(fn)] = node
            inputs = [(next_fn, node.id, i, node.id) for i, (next_fn, _) in enumerate(fn.next_functions)]
            stack.extend(reversed(inputs))  # input 0 is visited first
        if consumer is not None:
            graph.edges.append(Edge(node.id, consumer, slot))

    for tensor in roots:
        if tensor.grad_fn is not None:
            out = seen[id(tensor.grad_fn)]
            out.kind = "output"
            if out.id not in live.tensors:  # an unnamed output still shows its value
                out.shape, out.dtype = tuple(tensor.shape), _dtype(tensor)
                live.tensors[out.id] = tensor
    # Edges were added when each input was reached; list them in a fixed order.
    position = {node.id: i for i, node in enumerate(graph.nodes)}
    graph.edges.sort(key=lambda edge: (position[edge.dst], edge.slot))
    return graph, live


def autograd_graph(root, params: Mapping[str, Tensor] | None = None) -> Graph:
    """The structure of the autograd graph behind `root` (a tensor or a tuple of them).

    `params` maps names to tensors: a named leaf shows its name; a named intermediate
    result names the op node that produced it. For the values and gradients on the
    nodes, see :func:`helpers.snapshot`."""
    return walk(root, params)[0]


WALK_MAX_LINES = 2000  # the source's format prints a node once per path: bound it
WALK_MAX_INDENT = 40
WALK_COUNT_LIMIT = 100_000  # lines counted past the cap before giving up counting


def walk_graph(fn_or_tensor, depth: int = 0, *, max_lines: int | None = WALK_MAX_LINES) -> None:
    """Print the graph below a ``grad_fn`` depth-first, one line per visit, as
    ``print(depth, depth * '   ', type(node))`` does; a node reached along two paths is
    printed twice. Iterative, so deep graphs do not hit the recursion limit; past
    `max_lines` lines (None: no limit) it stops with "… N more lines", and the indentation
    stops growing past 40 levels."""
    if not isinstance(depth, int) or isinstance(depth, bool):
        raise TypeError(f"depth must be a whole number, got {depth!r}.")
    start = fn_or_tensor
    if isinstance(fn_or_tensor, Tensor):
        check_tensor(fn_or_tensor, "walk_graph's argument")
        start = fn_or_tensor.grad_fn
        if start is None:
            raise ValueError(
                "walk_graph got a leaf tensor: a leaf has no grad_fn, so there is "
                "nothing below it. Pass a tensor computed from it, e.g. walk_graph(d)."
            )
    elif start is None:
        raise TypeError(
            "walk_graph got None: pass a tensor that has a graph, or its grad_fn "
            "(e.g. walk_graph(d) or walk_graph(d.grad_fn))."
        )
    elif not hasattr(start, "next_functions"):
        raise TypeError(f"walk_graph takes a tensor or its grad_fn (e.g. d or d.grad_fn), not {type(start).__name__}.")
    stack, printed, skipped = [(start, depth)], 0, 0
    while stack:
        fn, level = stack.pop()
        if fn is None:
            continue
        if max_lines is None or printed < max_lines:
            print(level, min(level, WALK_MAX_INDENT) * "   ", type(fn))
            printed += 1
        elif skipped >= WALK_COUNT_LIMIT:  # paths can grow exponentially: stop counting
            print(f"… more than {skipped} more lines (pass max_lines=None to print them all)")
            return
        else:
            skipped += 1
        stack.extend((next_fn, level + 1) for next_fn, _ in reversed(fn.next_functions))
    if skipped:
        print(f"… {skipped} more lines (pass max_lines=None to print them all)")
