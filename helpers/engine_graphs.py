"""Draw an autograd graph you built yourself, in the same pictures the course draws PyTorch's.

Notebook 08 builds a small engine: a ``Value`` that remembers its inputs and the op that made
it. :func:`engine_graph` walks such a graph into the helpers' own :class:`~helpers.graph.Graph`
and a :class:`~helpers.snapshots.Snapshot`, so that ``h.render_graph(graph, snapshot)`` draws it
and ``h.GraphView().show(graph, snapshot)`` shows it live, beside PyTorch's graph of the same
expression.

The protocol it expects of every node (a "Value-like" object):

- ``data``: its value, a number or a tensor;
- ``grad``: its gradient so far, a number, a tensor or None;
- ``_prev`` (micrograd's name) or ``inputs``: the Values it was computed from, in order (a
  tuple or list, empty for a leaf). A set is accepted too, as micrograd keeps one; it is put
  in a fixed order (by op, label and value) so the picture is the same on every run, and an
  input used twice by one op is drawn once, since a set holds it once;
- ``_op``: the name of the op that made it (``"+"``, ``"*"``, …), empty for a leaf;
- optionally ``label``: a name to show when `names` gives none.

Each Value becomes one box, as a tensor and the node that made it share one box in PyTorch's
picture: the root is the "output", a Value with inputs an "op" (its op name in the box), a
Value without inputs a "leaf". The ids are "e0", "e1", … in the order a depth-first walk from
the root meets the Values, inputs in order, so the same expression gets the same ids in any
process. The walk uses a stack, not recursion, so long chains do not hit Python's limit.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping

import torch

from .graph import Edge, Graph, GraphNode
from .snapshots import NodeNumbers, Snapshot

PROTOCOL = (
    "a Value-like object: anything with .data (a number or tensor), .grad, ._op (the op's "
    "name, '' for a leaf) and its inputs as ._prev or .inputs (a tuple or list, empty for a leaf)"
)


def _is_value_like(obj: object) -> bool:
    has_inputs = hasattr(obj, "_prev") or hasattr(obj, "inputs")
    return has_inputs and all(hasattr(obj, attribute) for attribute in ("data", "grad", "_op"))


def _check(obj: object, where: str) -> None:
    if _is_value_like(obj):
        return
    hint = ""
    if isinstance(obj, torch.Tensor):
        hint = " For a PyTorch tensor use h.draw(tensor) or h.autograd_graph(tensor) instead."
    raise TypeError(f"engine_graph takes {PROTOCOL}; it got {type(obj).__name__} for {where}.{hint}")


def _order_key(value: object) -> tuple[str, str, str]:
    return str(getattr(value, "_op", "")), str(getattr(value, "label", "")), repr(getattr(value, "data", ""))


def _inputs_of(value: object) -> list:
    found = value._prev if hasattr(value, "_prev") else value.inputs
    if found is None:
        return []
    if isinstance(found, (set, frozenset)):
        return sorted(found, key=_order_key)
    try:
        return list(found)
    except TypeError:
        raise TypeError(
            f"engine_graph: the inputs of a {type(value).__name__} (its ._prev or .inputs) must be a "
            f"tuple or list of Values, not {type(found).__name__}."
        ) from None


def _as_tensor(number: object, what: str) -> torch.Tensor:
    if isinstance(number, torch.Tensor):
        return number.detach().clone()
    if isinstance(number, numbers.Real):
        return torch.tensor(float(number), dtype=torch.float64)
    try:
        return torch.as_tensor(number).clone()
    except (TypeError, ValueError, RuntimeError):
        raise TypeError(f"engine_graph: {what} must be a number or a tensor, not {type(number).__name__}.") from None


def _names_by_value(names: Mapping[str, object] | None) -> dict[int, list[str]]:
    if names is None:
        return {}
    if not isinstance(names, Mapping):
        raise TypeError(f"names must be a dict of names to Values, e.g. {{'x': x}}, not {type(names).__name__}.")
    found: dict[int, list[str]] = {}
    for name, value in names.items():
        _check(value, f"names[{name!r}]")
        found.setdefault(id(value), []).append(str(name))
    return found


def engine_graph(root, names: Mapping[str, object] | None = None) -> tuple[Graph, Snapshot]:
    """Walk a Value graph (see this module's protocol) from `root` into a Graph and the
    Snapshot of its values and gradients, as tensors.

    `names` maps names to Values, like h.draw's params: a named Value shows its name (a
    Value's own ``label`` is used where `names` gives none). Draw the result with
    ``h.render_graph(*engine_graph(y, names))`` or ``h.GraphView().show(*engine_graph(y))``."""
    _check(root, "root")
    by_value = _names_by_value(names)
    ids: dict[int, str] = {}
    order: list = []
    stack = [(root, "root")]
    while stack:
        value, where = stack.pop()
        if id(value) in ids:
            continue
        _check(value, where)
        ids[id(value)] = f"e{len(order)}"
        order.append(value)
        op = getattr(value, "_op", "") or "op"
        inputs = [(source, f"input {slot} of a {op!r} node") for slot, source in enumerate(_inputs_of(value))]
        stack.extend(reversed(inputs))  # input 0 is visited first

    graph = Graph()
    snapshot = Snapshot(graph)
    for value in order:
        node_id = ids[id(value)]
        inputs = _inputs_of(value)
        kind = "leaf" if not inputs else "output" if value is root else "op"
        own = by_value.get(id(value))
        label = getattr(value, "label", None)
        node_names = tuple(own) if own else (label,) if isinstance(label, str) and label else ()
        data = _as_tensor(value.data, f"the .data of {node_names[0] if node_names else node_id}")
        grad = None if value.grad is None else _as_tensor(value.grad, f"the .grad of {node_id}")
        graph.nodes.append(
            GraphNode(
                id=node_id,
                kind=kind,
                op=None if kind == "leaf" else str(value._op or "op"),
                names=node_names,
                shape=tuple(data.shape),
                dtype=str(data.dtype).removeprefix("torch."),
            )
        )
        snapshot.numbers[node_id] = NodeNumbers(value=data, grad=grad)
        graph.edges.extend(Edge(ids[id(source)], node_id, slot) for slot, source in enumerate(inputs))
    return graph, snapshot
