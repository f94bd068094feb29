"""The living view: one anywidget that draws a graph in the browser, for every widget.

The kernel sends the DOT text it builds (node names are the stable ids) and a small
record per node; the browser lays the DOT out with Graphviz compiled to WebAssembly
(d3-graphviz), so no ``dot`` program is needed. Between two pictures the browser morphs
(nodes keyed by id move, removed ones fade into ghosts); a click on a node (or Enter, the
nodes being reached with Tab) opens a panel with its numbers; in the stepper the recorded
backward pass replays step by step. The picture is named for screen readers by the same
text alternative as the SVG (``alt_label``, ``alt_description``).
The JavaScript is built from ``js/`` (``make widget``): the drawing code, with d3-graphviz
and Graphviz's WebAssembly, is ``helpers/static/graph_runtime.js`` (about 0.9 MB), sent once
per kernel as the module of one ``GraphRuntime`` widget; each view's own module,
``graph_view.js``, is under 1 KB and waits for it. A page with many views receives the heavy
code once.
"""

from __future__ import annotations

import base64
import shutil
from pathlib import Path

import anywidget
import ipywidgets as W
import traitlets as T

from .chain_rule import explain_step
from .describe import Alternative
from .graph import Graph
from .render import LabDigraph, grad_line, prepare, render_graph, sent_along, to_png, to_svg
from .snapshots import NOTHING, Snapshot
from .text import describe_tensor, format_tensor

STATIC = Path(__file__).parent / "static"


def _shape_text(shape) -> str | None:
    return None if shape is None else ("×".join(map(str, shape)) or "scalar")


def node_details(
    graph: Graph, snapshot: Snapshot | None = None, trace=None, ghost: Graph | None = None
) -> dict[str, dict]:
    """What the inspector panel shows for each node, as plain JSON-ready records; the
    nodes of `ghost` missing from `graph` get a record too, marked as ghosts."""
    arrived = {} if trace is None else {step.node_id: step.grad for step in trace.steps}
    by_id = {node.id: node for node in graph.nodes}
    inputs: dict[str, list[dict]] = {}
    for edge in graph.edges:
        source = by_id.get(edge.src)
        label = edge.src if source is None else "no grad" if source.kind == "cut" else source.label
        inputs.setdefault(edge.dst, []).append({"slot": edge.slot, "node": edge.src, "label": label})
    records = {}
    for node in graph.nodes:
        numbers = snapshot.of(node) if snapshot is not None else NOTHING
        records[node.id] = _record(node, numbers, arrived.get(node.id, numbers.grad), inputs.get(node.id, []))
    for node in ghost.nodes if ghost is not None else ():
        if node.id not in records and node.kind != "cut":
            records[node.id] = {**_record(node, NOTHING, None, []), "ghost": True}
    return records


def _record(node, numbers, grad, inputs: list[dict]) -> dict:
    return {
        "label": node.label,
        "kind": node.kind,
        "op": node.op,
        "names": list(node.names),
        "shape": _shape_text(node.shape),
        "dtype": node.dtype,
        "value": describe_tensor(numbers.value),
        "grad": describe_tensor(grad),
        "grad_line": grad_line(grad) if grad is not None and node.kind != "cut" else None,
        "saved": [
            {"name": s.name, "state": s.state, "text": s.note if s.state == "modified" else describe_tensor(s.tensor)}
            for s in numbers.saved or ()
        ],
        "inputs": inputs,
        "ghost": False,
    }


def edge_details(trace, shown: set[str]) -> dict[str, dict]:
    """The gradient each edge on the picture carried back, keyed "src->dst" as Graphviz
    titles edges."""
    carried: dict[str, list[str]] = {}
    for step in trace.steps if trace is not None else ():
        for edge, grad in sent_along(trace, step):
            if edge.src in shown and edge.dst in shown:
                carried.setdefault(f"{edge.src}->{edge.dst}", []).append(format_tensor(grad))
    return {key: {"grad": " and ".join(texts)} for key, texts in carried.items()}


def step_records(trace, shown: set[str]) -> list[dict]:
    """The recorded backward pass for the replay: the steps of the nodes on the picture."""
    records = []
    for step in trace.steps:
        if step.node_id not in shown:
            continue
        sends = [
            {"edge": f"{edge.src}->{edge.dst}", "text": format_tensor(grad)}
            for edge, grad in sent_along(trace, step)
            if edge.src in shown
        ]
        records.append({"node": step.node_id, "title": "", "lines": explain_step(trace, step.index), "sends": sends})
    for number, record in enumerate(records, 1):  # the title counts the steps shown
        first, *rest = record["lines"]
        record["title"] = f"step {number} of {len(records)}: {first.split(': ', 1)[-1]}"
        record["lines"] = rest
    return records


# The traits that make up what a view shows (the rest is its wiring).
SCENE_TRAITS = (
    "dot", "details", "edges", "steps", "step", "mode", "message", "message_kind",
    "omitted", "stale", "title", "alt_label", "alt_description",
)  # fmt: skip


# A view with no picture (only a message, if one is given).
EMPTY_SCENE = {
    "dot": "", "details": {}, "edges": {}, "steps": [], "step": -1, "alt_label": "", "alt_description": "",
    "message": "", "message_kind": "info", "omitted": "", "stale": False, "title": "",
}  # fmt: skip


def scene(
    graph: Graph,
    snapshot: Snapshot | None = None,
    *,
    trace=None,
    ghost: Graph | None = None,
    values: bool = True,
    grads: bool = True,
    hidden: int = 0,
    title: str = "",
    message: str = "",
    message_kind: str = "",
    replay: bool = False,
) -> dict:
    """One state of a view as plain data: the DOT, each node's panel, what each edge carried,
    the recorded backward steps (with `replay`), the text alternative and the messages."""
    replay = replay and trace is not None
    picture = render_graph(graph, snapshot, values=values, grads=grads, ghost=ghost, trace=trace if replay else None)
    shown = {node.id for node in graph.nodes}
    steps = step_records(trace, shown) if replay else []
    alt = picture.alt.titled(title)
    return {
        "dot": picture.source,
        "details": node_details(graph, snapshot, trace, ghost),
        "alt_label": alt.label,
        "alt_description": alt.description,
        "edges": edge_details(trace, shown),
        "steps": steps,
        "step": 0 if steps else -1,
        "omitted": (
            f"{hidden:,} more nodes are not shown: pass depth=… or "
            "collapse=h.module_scopes(model) to choose what to see."
            if hidden
            else ""
        ),
        "title": title,
        "message": message,
        "message_kind": message_kind,
        "stale": False,
    }


def has_dot() -> bool:
    return shutil.which("dot") is not None


class GraphRuntime(anywidget.AnyWidget):
    """The view's drawing code and stylesheet, once per kernel: never shown, every
    GraphView refers to it."""

    _esm = STATIC / "graph_runtime.js"
    _css = STATIC / "graph_view.css"


_runtime: GraphRuntime | None = None


def graph_runtime() -> GraphRuntime:
    """The kernel's one GraphRuntime (made again if it was closed)."""
    global _runtime
    if _runtime is None or _runtime.comm is None:
        _runtime = GraphRuntime()
    return _runtime


class GraphView(anywidget.AnyWidget):
    """A graph picture drawn by the browser: morphs, replays, opens a panel per node."""

    _esm = STATIC / "graph_view.js"
    # Made before the view, so that its model reaches the browser first; a frame that shows
    # one output alone (Colab) asks for it by this reference.
    runtime = T.Instance(GraphRuntime).tag(sync=True, **W.widget_serialization)

    dot = T.Unicode("").tag(sync=True)
    details = T.Dict().tag(sync=True)
    edges = T.Dict().tag(sync=True)
    steps = T.List().tag(sync=True)
    step = T.Int(-1).tag(sync=True)
    mode = T.Unicode("graph").tag(sync=True)
    message = T.Unicode("").tag(sync=True)
    message_kind = T.Unicode("").tag(sync=True)
    omitted = T.Unicode("").tag(sync=True)
    stale = T.Bool(False).tag(sync=True)
    title = T.Unicode("").tag(sync=True)
    alt_label = T.Unicode("").tag(sync=True)  # the picture in one sentence, for screen readers
    alt_description = T.Unicode("").tag(sync=True)  # ... and node by node

    def __init__(self, **kwargs):
        super().__init__(runtime=kwargs.pop("runtime", None) or graph_runtime(), **kwargs)

    def __repr__(self) -> str:
        return f"GraphView(nodes={len(self.details)})"

    def show(self, graph: Graph, snapshot: Snapshot | None = None, **options) -> None:
        """Draw `graph` with its numbers (in one message to the browser); `options` are
        :func:`scene`'s (trace, ghost, values, grads, hidden, title, message, message_kind).
        In the stepper the trace's steps come along for the replay."""
        self.apply(scene(graph, snapshot, replay=self.mode == "stepper", **options))

    def apply(self, record: dict) -> None:
        """Show a scene (see :func:`scene`) in one message to the browser."""
        with self.hold_sync():
            for name in SCENE_TRAITS:
                if name in record:
                    setattr(self, name, record[name])

    def scene(self) -> dict:
        """What the view shows now, as plain JSON-ready data: what a page with no kernel
        needs to draw it (the course site), and what :meth:`apply` takes back."""
        return {name: getattr(self, name) for name in SCENE_TRAITS}

    def draw(
        self,
        root,
        params=None,
        *,
        saved: bool = False,
        values: bool = True,
        grads: bool = True,
        depth: int | None = None,
        collapse=None,
    ) -> None:
        """Show `root`'s graph, as h.draw would picture it; the view morphs from what it showed."""
        graph, snapshot, hidden, *_ = prepare(root, params, saved=saved, depth=depth, collapse=collapse, warn=False)
        self.show(graph, snapshot, values=values, grads=grads, hidden=hidden)

    def say(self, message: str, kind: str = "info", *, stale: bool = False) -> None:
        """Show a message below the picture; `stale` marks the picture out of date."""
        with self.hold_sync():
            self.message, self.message_kind, self.stale = message, kind, stale

    def clear(self, message: str = "", kind: str = "info") -> None:
        self.apply({**EMPTY_SCENE, "message": message, "message_kind": kind})

    def svg(self) -> str | None:
        """The picture as SVG made by the kernel's `dot`, with its text alternative (None
        without `dot` or without a graph)."""
        return None if self._source() is None else to_svg(self._source(), self._alternative())

    def png(self) -> bytes | None:
        """The picture as PNG made by the kernel's `dot` (None without `dot` or a graph)."""
        return None if self._source() is None else to_png(self._source())

    def _source(self):
        if not self.dot or not has_dot():
            return None
        import graphviz

        return graphviz.Source(self.dot)

    def _alternative(self) -> Alternative | None:
        return Alternative(self.alt_label, self.alt_description) if self.alt_label else None

    def live_record(self) -> dict:
        """What a page with no kernel (the course site) needs to draw this view."""
        return {"kind": "view", "view": self.scene()}

    def _repr_mimebundle_(self, **kwargs):
        data, metadata = super()._repr_mimebundle_(**kwargs)
        return with_static_picture(data, self), {**metadata, **live_metadata(self)}


def _browser_view(picture: LabDigraph) -> GraphView:
    """h.draw's picture as the browser view, where no `dot` draws it."""
    alt = picture.alt or Alternative("", "")
    graph, snapshot, trace = picture.parts or (Graph(), None, None)
    return GraphView(
        dot=picture.source,
        details=node_details(graph, snapshot, trace),
        alt_label=alt.label,
        alt_description=alt.description,
    )


LabDigraph.without_dot = _browser_view


class StaticPicture:
    """For a widget box that holds a view: its output carries the view's picture as SVG and
    PNG, and the record that brings it to life on a page with no kernel."""

    picture_view: GraphView

    def live_record(self) -> dict:
        return self.picture_view.live_record()

    def _repr_mimebundle_(self, **kwargs):
        return with_static_picture(super()._repr_mimebundle_(**kwargs), self.picture_view), live_metadata(self)


# Where a widget's output keeps its record for pages with no kernel (output metadata, which
# Jupyter shows nothing of and nbval does not compare).
LIVE_KEY = "autograd-lab"


def live_metadata(widget) -> dict:
    return {LIVE_KEY: widget.live_record()}


def with_static_picture(data: dict, view: GraphView) -> dict:
    """Add the picture as SVG and PNG to a widget's mime bundle, for viewers with no kernel:
    GitHub and trusted notebooks show the SVG, JupyterLab shows the PNG in a notebook not yet
    trusted (it renders no SVG there), and wherever widgets run the live view comes first."""
    svg = view.svg()
    if svg is not None:
        data = {**data, "image/svg+xml": svg, "image/png": base64.b64encode(view.png()).decode("ascii")}
    return data
