"""The living view: one anywidget that draws a graph in the browser, for every widget.

The kernel sends the DOT text it builds (node names are the stable ids) and a small JSON
record per node, both written from the same scene records (helpers.scene_record); the
browser lays the DOT out with Graphviz compiled to WebAssembly (d3-graphviz), so no ``dot``
program is needed. Between two pictures the browser morphs (nodes keyed by id move, removed
ones fade into ghosts); a click on a node (or Enter, the nodes being reached with Tab) opens
a panel with its numbers; in the stepper the recorded backward pass replays step by step. The picture is named for screen readers by the same
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
from .render import LabDigraph, draw_scene, prepare, to_png, to_svg
from .scene_record import NodeRecord, SceneRecord, grad_line, record_scene
from .snapshots import Snapshot

STATIC = Path(__file__).parent / "static"


def panel_record(node: NodeRecord) -> dict:
    """What the inspector panel shows for one node, as a plain JSON-ready record."""
    return {
        "label": node.name,
        "kind": node.kind,
        "op": node.op,
        "names": list(node.names),
        "shape": node.shape,
        "dtype": node.dtype,
        "value": None if node.value is None else node.value.long,
        "grad": None if node.grad is None else node.grad.long,
        # the gradient's line in the box, which the replay hides until the node's step
        "grad_line": grad_line(node.grad) if node.grad is not None and node.kind != "cut" else None,
        "saved": [
            {"name": s.name, "state": s.state, "text": None if s.text is None else s.text.long}
            for s in node.saved or ()
        ],
        "inputs": [{"slot": i.slot, "node": i.node, "label": i.name} for i in node.inputs],
        "ghost": node.ghost,
    }


def panel_records(scene: SceneRecord) -> dict[str, dict]:
    """The panel's record of every node, the ghosts (marked as such) after the graph's."""
    return {node.id: panel_record(node) for node in (*scene.nodes, *scene.ghost_nodes)}


def node_details(
    graph: Graph, snapshot: Snapshot | None = None, trace=None, ghost: Graph | None = None
) -> dict[str, dict]:
    """What the inspector panel shows for each node of `graph` (and of `ghost`, marked as
    ghosts), as plain JSON-ready records."""
    return panel_records(record_scene(graph, snapshot, trace, ghost))


def edge_records(scene: SceneRecord) -> dict[str, dict]:
    """The gradient each edge on the picture carried back, keyed "src->dst" as Graphviz
    titles edges (two edges between the same nodes, as in a * a, share one key)."""
    sent = sorted((s.step_index, edge.slot, edge.key, s.text) for edge in scene.edges for s in edge.carried)
    carried: dict[str, list[str]] = {}
    for _step_index, _slot, key, text in sent:  # in the order the backward pass sent them
        carried.setdefault(key, []).append(text)
    return {key: {"grad": " and ".join(texts)} for key, texts in carried.items()}


def step_records(trace, scene: SceneRecord) -> list[dict]:
    """The recorded backward pass for the replay: one record per step of a node on the
    picture, with the gradients it sent along the picture's edges."""
    sends: dict[int, list[tuple[int, dict]]] = {}
    for edge in scene.edges:
        for sent in edge.carried:
            sends.setdefault(sent.step_index, []).append((edge.slot, {"edge": edge.key, "text": sent.text}))
    shown = {node.id for node in scene.nodes}
    records = [
        {
            "node": step.node_id,
            "title": "",
            "lines": explain_step(trace, step.index),
            "sends": [send for _slot, send in sorted(sends.get(step.index, []), key=lambda pair: pair[0])],
        }
        for step in trace.steps
        if step.node_id in shown
    ]
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
    the recorded backward steps (with `replay`), the text alternative and the messages, all
    written from one record per node and edge."""
    replay = replay and trace is not None
    record = record_scene(graph, snapshot, trace, ghost)
    picture = draw_scene(record, values=values, grads=grads, with_trace=replay)
    replay_records = step_records(trace, record) if replay else []
    alt = picture.alt.titled(title)
    return {
        "dot": picture.source,
        "details": panel_records(record),
        "alt_label": alt.label,
        "alt_description": alt.description,
        "edges": edge_records(record),
        "steps": replay_records,
        "step": 0 if replay_records else -1,
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
    # The browser reads these two by name: the step records of the replay, and the index of
    # the step it shows (-1: none).
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
    return GraphView(
        dot=picture.source,
        details={} if picture.scene is None else panel_records(picture.scene),
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
