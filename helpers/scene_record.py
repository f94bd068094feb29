"""One record per node and per edge of a picture: what every writer says about it.

A state of a graph is written out three ways: the boxes of the DOT picture
(:mod:`helpers.render`), the inspector panel's JSON (:mod:`helpers.view`) and the text
alternative a screen reader speaks (:mod:`helpers.describe`). All three read the records
built here, once per state, from the graph, the snapshot's numbers and the gradients of the
recorded backward pass, so that they say the same things in the same words.
"""

from __future__ import annotations

from dataclasses import dataclass

from .graph import Edge, Graph, GraphNode, display_name, display_names
from .large import MORE
from .snapshots import NOTHING, NodeNumbers, Snapshot
from .text import format_tensor, format_tensor_long


@dataclass(frozen=True)
class TensorText:
    """A tensor as text: `short` for a box or a sentence, `long` for the inspector panel."""

    short: str
    long: str

    @classmethod
    def of(cls, tensor) -> TensorText | None:
        return None if tensor is None else cls(format_tensor(tensor), format_tensor_long(tensor))


@dataclass(frozen=True)
class SavedRecord:
    """A tensor an op keeps for backward: "kept" (with its text), "freed" by an earlier
    backward() (no text), or "modified" in place since it was saved (the text says how)."""

    name: str
    state: str
    text: TensorText | None


@dataclass(frozen=True)
class InputRecord:
    """What feeds one input slot of a node: that node's id and display name."""

    slot: int
    node: str
    name: str


@dataclass(frozen=True)
class NodeRecord:
    """Everything a box, its panel and its sentence say about one node.

    `name` is how every text refers to the node (:func:`helpers.graph.display_name`);
    `label` heads its box (all its names, "leaf" for an unnamed leaf; None for an unnamed
    op, whose box starts with the op). `held_grad` is the ``.grad`` its tensor holds (a leaf,
    or a result that retains its gradient); `arrived_grad` is what reached it in the recorded
    backward pass, at step `step_index`."""

    id: str
    kind: str
    name: str
    label: str | None
    names: tuple[str, ...] = ()
    op: str | None = None
    custom: bool = False
    group_size: int | None = None
    shape: str | None = None
    dtype: str | None = None
    value: TensorText | None = None
    held_grad: TensorText | None = None
    arrived_grad: TensorText | None = None
    step_index: int | None = None
    saved: tuple[SavedRecord, ...] | None = None  # None: not asked for
    inputs: tuple[InputRecord, ...] = ()
    ghost: bool = False  # removed by the last switch, drawn as an outline

    @property
    def grad(self) -> TensorText | None:
        """The gradient the panel shows: what arrived in the backward pass, else ``.grad``."""
        return self.arrived_grad or self.held_grad

    @property
    def op_line(self) -> str | None:
        """The op as its box writes it (None for a leaf, whose op is always AccumulateGrad)."""
        if self.kind in ("leaf", "cut") or self.op is None:
            return None
        return f"{self.op} (custom)" if self.custom else self.op

    @property
    def more(self) -> bool:
        """The box standing for the nodes a shortened graph leaves out (helpers.large)."""
        return self.id == MORE

    @property
    def freed(self) -> bool:
        """A saved tensor of it is freed or modified: backward could not run through it."""
        return any(saved.state != "kept" for saved in self.saved or ())


@dataclass(frozen=True)
class Sent:
    """A gradient the backward pass sent along an edge, at step `step_index`."""

    step_index: int
    text: str


@dataclass(frozen=True)
class EdgeRecord:
    """One arrow of the picture (src's result is input `slot` of dst) and the gradients
    the backward pass carried back along it."""

    src: str
    dst: str
    slot: int
    cut: bool = False  # from an input that carries no gradient
    ghost: bool = False
    carried: tuple[Sent, ...] = ()

    @property
    def key(self) -> str:
        """The edge as Graphviz titles it, and the browser knows it."""
        return f"{self.src}->{self.dst}"


@dataclass(frozen=True)
class SceneRecord:
    """The records of one picture: the graph's nodes and edges in its order, then the
    ghosts (what a switch removed) after them."""

    nodes: tuple[NodeRecord, ...]
    edges: tuple[EdgeRecord, ...]
    ghost_nodes: tuple[NodeRecord, ...] = ()
    ghost_edges: tuple[EdgeRecord, ...] = ()

    def of_kind(self, kind: str) -> list[NodeRecord]:
        return [node for node in self.nodes if node.kind == kind]

    @property
    def hidden(self) -> int:
        """How many nodes the picture leaves out (the "… N more nodes" box stands for them)."""
        return sum(node.group_size or 0 for node in self.nodes if node.more)


def _shape_text(shape) -> str | None:
    return None if shape is None else ("×".join(map(str, shape)) or "scalar")


def _saved(numbers: NodeNumbers) -> tuple[SavedRecord, ...] | None:
    if numbers.saved is None:
        return None
    return tuple(
        SavedRecord(s.name, s.state, TensorText(s.note, s.note) if s.state == "modified" else TensorText.of(s.tensor))
        for s in numbers.saved
    )


def _box_label(node: GraphNode) -> str | None:
    """What heads a node's box: all its names; for an unnamed leaf or a cut input the words
    every text calls it by (not numbered: the box shows no number); None for an unnamed op,
    whose box starts with its op."""
    if node.names:
        return ", ".join(node.names)
    return display_name(node) if node.kind in ("leaf", "cut") else None


def node_record(
    node: GraphNode,
    numbers: NodeNumbers = NOTHING,
    arrived=None,
    *,
    name: str | None = None,
    step_index: int | None = None,
    inputs: tuple[InputRecord, ...] = (),
    ghost: bool = False,
) -> NodeRecord:
    """The record of one node, from its numbers and the gradient that `arrived` for it in
    the recorded backward pass (None if none was recorded)."""
    return NodeRecord(
        id=node.id,
        kind=node.kind,
        name=name or display_name(node),
        label=_box_label(node),
        names=node.names,
        op=node.op,
        custom=node.custom,
        group_size=node.group_size,
        shape=_shape_text(node.shape),
        dtype=node.dtype,
        value=TensorText.of(numbers.value),
        held_grad=TensorText.of(numbers.grad),
        arrived_grad=TensorText.of(arrived),
        step_index=step_index,
        saved=_saved(numbers),
        inputs=inputs,
        ghost=ghost,
    )


def _carried(trace, shown: set[str]) -> dict[Edge, tuple[Sent, ...]]:
    """The gradients each edge between drawn nodes carried, in the order the steps ran."""
    carried: dict[Edge, list[Sent]] = {}
    for step in trace.steps if trace is not None else ():
        for edge, grad in trace.sent_by(step):
            if edge.src in shown and edge.dst in shown:
                carried.setdefault(edge, []).append(Sent(step.index, format_tensor(grad)))
    return {edge: tuple(sent) for edge, sent in carried.items()}


def _ghosts(graph: Graph, ghost: Graph) -> tuple[tuple[NodeRecord, ...], tuple[EdgeRecord, ...]]:
    """What `ghost` has and `graph` lacks (inputs with no gradient aside), as outlines."""
    present = {node.id for node in graph.nodes}
    nodes = tuple(node_record(n, ghost=True) for n in ghost.nodes if n.id not in present and n.kind != "cut")
    drawn = present | {node.id for node in nodes}
    current = {(edge.src, edge.dst) for edge in graph.edges}
    first = {}
    for edge in ghost.edges:
        first.setdefault((edge.src, edge.dst), edge)
    edges = tuple(
        EdgeRecord(src, dst, edge.slot, ghost=True)
        for (src, dst), edge in first.items()
        if (src, dst) not in current and src in drawn and dst in drawn
    )
    return nodes, edges


def record_scene(graph: Graph, snapshot: Snapshot | None = None, trace=None, ghost: Graph | None = None) -> SceneRecord:
    """The records of a picture of `graph`: its numbers from `snapshot`, the gradients that
    arrived and were sent from `trace` (a BackwardTrace), and the outlines of what `ghost`
    has and `graph` lacks."""
    names = display_names(graph)
    step_of = {} if trace is None else {step.node_id: step for step in trace.steps}
    inputs: dict[str, list[InputRecord]] = {}
    for edge in graph.edges:
        inputs.setdefault(edge.dst, []).append(InputRecord(edge.slot, edge.src, names.get(edge.src, edge.src)))
    nodes = []
    for node in graph.nodes:
        step = step_of.get(node.id)
        nodes.append(
            node_record(
                node,
                snapshot.of(node) if snapshot is not None else NOTHING,
                None if step is None else step.grad,
                name=names[node.id],
                step_index=None if step is None else step.index,
                inputs=tuple(inputs.get(node.id, ())),
            )
        )
    cut = {node.id for node in graph.nodes if node.kind == "cut"}
    carried = _carried(trace, set(names))
    edges = tuple(
        EdgeRecord(edge.src, edge.dst, edge.slot, cut=edge.src in cut, carried=carried.get(edge, ()))
        for edge in graph.edges
    )
    ghost_nodes, ghost_edges = _ghosts(graph, ghost) if ghost is not None else ((), ())
    return SceneRecord(tuple(nodes), edges, ghost_nodes, ghost_edges)


@dataclass(frozen=True)
class Box:
    """What a node's box shows: its value and gradient as written there (None where the box
    does not show one) and all its lines."""

    value: str | None = None
    grad: str | None = None
    lines: tuple[str, ...] = ()


def grad_line(grad: TensorText) -> str:
    """A gradient's line in a box; the browser hides it by this text until its step."""
    return f"grad {grad.short}"


def in_box(record: NodeRecord, values: bool = True, grads: bool = True, with_trace: bool = False) -> Box:
    """What `record`'s box shows. `values`, `grads`: whether the picture shows them at all;
    `with_trace`: the picture shows the recorded backward pass, so every node's gradient
    (what arrived), not only the ``.grad`` a tensor holds."""
    if record.kind == "cut":
        return Box(lines=(record.label,))
    if record.group_size is not None:
        count = f"{record.group_size} node" + ("" if record.group_size == 1 else "s")
        return Box(lines=(record.label, count) if record.names else (str(record.op),))
    value = record.value.short if values and record.value is not None and record.label is not None else None
    lines = []
    if record.label is not None:
        lines.append(record.label if value is None else f"{record.label} = {value}")
    if record.op_line is not None:
        lines.append(record.op_line)
    grad = record.grad if with_trace else record.held_grad
    if grads and grad is not None:
        lines.append(grad_line(grad))
    for saved in record.saved or ():
        if saved.state == "freed":
            lines.append(f"saved {saved.name}: FREED")
        elif saved.state == "modified":
            lines.append(f"saved {saved.name}: {saved.text.short}")
        else:
            lines.append(f"saved {saved.name} = {saved.text.short}")
    return Box(value, None if not grads or grad is None else grad.short, tuple(lines))
