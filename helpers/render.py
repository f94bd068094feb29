"""Turn a :class:`~helpers.graph.Graph` (and the numbers on it) into a graphviz picture.

The boxes are written from the scene's records (:mod:`helpers.scene_record`), as the
inspector panel and the text alternative are. The colours follow torchviz, so the two pictures can be read side by side: leaves
light blue, the output green, backward ops grey. On top of that the picture shows
values and gradients, inputs that carry no gradient as grey dashed "no grad" stubs,
and (for the widgets) ghosts: grey outlines of what a switch removed. Every node and
edge also gets a ``class`` (``agl-leaf``, ``agl-ghost``, …) that the browser view styles
for the theme; the node names are the graph's stable ids, which the view keys its
morphs on.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping
from typing import NamedTuple

import graphviz

from .describe import Alternative, into_svg, side_by_side, text_alternative
from .errors import DotNotFoundError
from .graph import Graph, walk
from .large import DEFAULT_MAX_NODES, shorten
from .large import collapse as collapse_groups
from .scene_record import Box, EdgeRecord, NodeRecord, SceneRecord, in_box, record_scene
from .snapshots import Snapshot, take_snapshot

FILL = {"leaf": "lightblue", "output": "darkolivegreen1", "op": "lightgrey"}
CUSTOM_FILL = "wheat"
GHOST = dict(style="dashed", color="grey70", fontcolor="grey60", fillcolor="white")
CURRENT, DONE = "#d50000", "#1b5e20"


class LabDigraph(graphviz.Digraph):
    """A Digraph that, when Graphviz's `dot` is missing, still shows itself in a
    notebook: as the browser view, which lays the graph out itself. Its SVG carries a
    text alternative (`alt`) for screen readers."""

    scene: SceneRecord | None = None  # the records it was drawn from, for the view's panel
    alt: Alternative | None = None  # what the picture says, in words
    # How to show it without `dot`: set by helpers.view (the browser view brings its own
    # Graphviz), so that this module needs nothing from the view.
    without_dot = None

    def _repr_image_svg_xml(self) -> str:
        svg = super()._repr_image_svg_xml()
        return svg if self.alt is None else into_svg(svg, self.alt)

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
        try:
            data = super()._repr_mimebundle_(include, exclude, **kwargs)
            if "image/svg+xml" in data and (exclude is None or "image/png" not in exclude):
                # JupyterLab renders no SVG in a notebook not yet trusted (a fresh clone): the
                # PNG beside it is what a learner sees there before running anything.
                data["image/png"] = base64.b64encode(to_png(self)).decode("ascii")
            return data
        except graphviz.ExecutableNotFound:
            if LabDigraph.without_dot is None:
                raise DotNotFoundError() from None
            return LabDigraph.without_dot(self)._repr_mimebundle_(include=include, exclude=exclude)


def to_svg(dot, alt: Alternative | None = None) -> str:
    """Render to SVG text, with the picture's text alternative (or `alt`) in it; a missing
    `dot` raises DotNotFoundError with the fix."""
    if not isinstance(dot, (graphviz.Digraph, graphviz.Source)):
        raise TypeError(f"to_svg takes a picture made by h.draw (a graphviz Digraph), not {type(dot).__name__}.")
    try:
        svg = dot.pipe(format="svg", encoding="utf-8")
    except graphviz.ExecutableNotFound:
        raise DotNotFoundError() from None
    alt = alt or getattr(dot, "alt", None)
    return svg if alt is None else into_svg(svg, alt)


PNG_COLOURS = 32  # a graph picture has a few flat colours: a palette makes its PNG 4x smaller


def to_png(dot) -> bytes:
    """Render to PNG bytes (96 dpi, with a palette where Pillow is installed, as it is with
    matplotlib); a missing `dot` raises DotNotFoundError with the fix."""
    try:
        png = dot.pipe(format="png")
    except graphviz.ExecutableNotFound:
        raise DotNotFoundError() from None
    try:
        from PIL import Image
    except ImportError:
        return png
    smaller = io.BytesIO()
    Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=PNG_COLOURS).save(smaller, format="PNG", optimize=True)
    return smaller.getvalue()


def new_digraph(title: str | None = None) -> LabDigraph:
    """An empty picture with the house style (torchviz's box nodes, monospace text)."""
    dot = LabDigraph(
        # At most 9.5 inches wide (a notebook's output column): Graphviz shrinks wider
        # pictures to fit, and lets tall ones be tall. The view fits to width by itself.
        graph_attr={"rankdir": "TB", "ranksep": "0.25", "size": "9.5,1000"},
        node_attr={"style": "filled", "shape": "box", "fontsize": "10", "height": "0.2", "fontname": "monospace"},
        edge_attr={"fontsize": "10", "fontname": "monospace"},
    )
    if title:
        dot.attr(label=title, labelloc="t", fontsize="12", fontname="sans-serif")
    return dot


def render_graph(
    graph: Graph,
    snapshot: Snapshot | None = None,
    *,
    values: bool = True,
    grads: bool = True,
    ghost: Graph | None = None,
    title: str | None = None,
    trace=None,
    step_index: int | None = None,
) -> LabDigraph:
    """Draw an already walked graph, with the numbers of `snapshot`.

    `ghost`: a graph whose nodes and edges missing from `graph` are drawn as grey
    dashed outlines. `trace` (from trace_backward): every node shows the gradient that
    reached it, not only the leaves. `step_index` (with trace): highlight that step, mark
    the steps before it done, and write on each edge the gradient the step sends back."""
    if not isinstance(graph, Graph):
        raise TypeError(f"render_graph takes a Graph (from h.autograd_graph), not {type(graph).__name__}.")
    if step_index is not None and trace is None:
        raise ValueError("step_index needs trace: draw(root, trace=trace_backward(root), step_index=k).")
    if step_index is not None and not 0 <= step_index < len(trace.steps):
        raise ValueError(f"step_index must be between 0 and {len(trace.steps) - 1}, got {step_index}.")
    scene = record_scene(graph, snapshot, trace, ghost)
    return draw_scene(
        scene, values=values, grads=grads, with_trace=trace is not None, step_index=step_index, title=title
    )


def draw_scene(
    scene: SceneRecord,
    *,
    values: bool = True,
    grads: bool = True,
    with_trace: bool = False,
    step_index: int | None = None,
    title: str | None = None,
) -> LabDigraph:
    """The picture of a scene's records, with its text alternative. `with_trace`: the boxes
    show the gradients of the recorded backward pass; `step_index`: that step highlighted."""
    dot = new_digraph(title)
    boxes = add_scene(dot, scene, values, grads, with_trace, step_index)
    add_ghosts(dot, scene)
    dot.alt = text_alternative(scene, boxes, title)
    dot.scene = scene
    return dot


def add_scene(
    dot,
    scene: SceneRecord,
    values: bool,
    grads: bool,
    with_trace: bool = False,
    step_index: int | None = None,
    prefix: str = "",
) -> dict[str, Box]:
    """Add the nodes and edges; returns what each node's box shows, by node id."""
    boxes = {}
    for node in scene.nodes:
        box = boxes[node.id] = in_box(node, values, grads and _reached(node, step_index), with_trace)
        dot.node(prefix + node.id, "\n".join(box.lines), **node_style(node), **_step_style(node, step_index))
    for edge in scene.edges:
        dot.edge(prefix + edge.src, prefix + edge.dst, **edge_style(edge, step_index))
    return boxes


def add_ghosts(dot, scene: SceneRecord) -> None:
    """Add what a switch removed as grey dashed outlines."""
    for node in scene.ghost_nodes:
        dot.node(node.id, "\n".join(in_box(node, values=False, grads=False).lines), **GHOST, **{"class": "agl-ghost"})
    for edge in scene.ghost_edges:
        dot.edge(edge.src, edge.dst, style="dashed", color="grey70", **{"class": "agl-ghost"})


def _reached(node: NodeRecord, step_index: int | None) -> bool:
    """Whether the picture shows `node`'s gradient: always, or once the backward pass
    reached it by step `step_index`."""
    return step_index is None or (node.step_index is not None and node.step_index <= step_index)


def _step_style(node: NodeRecord, step_index: int | None) -> dict[str, str]:
    """The step running drawn red, the steps before it green."""
    if step_index is None or node.step_index is None or node.step_index > step_index:
        return {}
    if node.step_index == step_index:
        return {"color": CURRENT, "penwidth": "3"}
    return {"color": DONE, "penwidth": "2"}


def edge_style(edge: EdgeRecord, step_index: int | None = None) -> dict[str, str]:
    """A cut input's edge dashed; at a step, the gradient it sends written on it in red."""
    style = {"style": "dashed", "color": "grey60", "class": "agl-edge-cut"} if edge.cut else {}
    sent = [s.text for s in edge.carried if s.step_index == step_index] if step_index is not None else []
    if sent:
        style = {**style, "color": CURRENT, "fontcolor": CURRENT, "penwidth": "2", "label": " " + sent[0]}
    return style


def node_classes(node: NodeRecord) -> str:
    classes = [f"agl-{node.kind}"]
    if node.custom:
        classes.append("agl-custom")
    if node.group_size is not None:
        classes.append("agl-more" if node.more else "agl-group")
    if node.freed:
        classes.append("agl-freed")
    return " ".join(classes)


def node_style(node: NodeRecord) -> dict[str, str]:
    classes = {"class": node_classes(node)}
    if node.group_size is not None:
        fill = FILL["output"] if node.kind == "output" else "thistle" if node.names else "white"
        return {"fillcolor": fill, "style": "filled,rounded" if node.names else "dashed", **classes}
    if node.kind == "cut":
        return {"style": "dashed", "color": "grey60", "fontcolor": "grey40", **classes}
    if node.freed:
        return {"fillcolor": FILL[node.kind], "style": "filled,dashed", "color": "firebrick", **classes}
    fill = CUSTOM_FILL if node.custom and node.kind == "op" else FILL[node.kind]
    return {"fillcolor": fill, **classes}


class Prepared(NamedTuple):
    """One run of a graph, ready to picture: what h.draw and every widget show."""

    shown: Graph  # the graph as drawn: collapsed, and cut to the node budget
    snapshot: Snapshot  # the numbers, by node
    hidden: int  # nodes left out of `shown`
    trace: object = None  # the backward pass, when `backward` recorded one
    graph: Graph | None = None  # the whole graph walked
    live: object = None  # its live autograd objects (the leaf tensors among them)


def prepare(
    root,
    params=None,
    *,
    backward=None,
    saved: bool = False,
    depth: int | None = None,
    collapse=None,
    max_nodes: int | None = DEFAULT_MAX_NODES,
    stacklevel: int = 3,
    warn: bool = True,
) -> Prepared:
    """The one way from a tensor to a picture: walk, run backward (``backward(graph, live)``,
    which may return a trace, or None), snapshot the numbers, collapse and shorten (the
    node budget of every picture)."""
    if collapse is not None and not (hasattr(collapse, "grouping") or callable(collapse)):
        raise TypeError(
            "collapse takes h.module_scopes(model) (used as a with-block around the forward "
            f"pass) or a function from a node to a group name, not {type(collapse).__name__}."
        )
    whole, live = walk(root, params)
    trace = backward(whole, live) if backward is not None else None
    snapshot = take_snapshot(whole, live, saved=saved)
    graph = whole
    if collapse is not None:
        graph = collapse_groups(graph, collapse.grouping(live) if hasattr(collapse, "grouping") else collapse)
    graph, hidden = shorten(graph, depth=depth, max_nodes=max_nodes, stacklevel=stacklevel + 1, warn=warn)
    return Prepared(graph, Snapshot(graph, snapshot.numbers), hidden, trace, whole, live)


def draw(
    root,
    params=None,
    *,
    saved: bool = False,
    depth: int | None = None,
    collapse=None,
    max_nodes: int | None = DEFAULT_MAX_NODES,
    values: bool = True,
    grads: bool = True,
    ghost: Graph | None = None,
    title: str | None = None,
    trace=None,
    step_index: int | None = None,
) -> LabDigraph:
    """The learner's picture of `root`'s graph, with values and gradients.

    values=True, grads=True: show them in the boxes; ghost=Graph: draw its missing parts
    as outlines; title=str; trace=BackwardTrace: every node's gradient; step_index=int
    (with trace): that step highlighted; saved=True: the tensors each op keeps for backward, or
    FREED once backward has released them.
    For big graphs: depth=k keeps the nodes within k steps of the output;
    collapse=module_scopes(model) draws one box per module; past max_nodes nodes
    (400; None for no limit) a LargeGraphWarning is raised and only the nodes nearest
    the output are drawn. Shows inline in a notebook; ``.source`` is the DOT text."""
    graph, snapshot, *_ = prepare(root, params, saved=saved, depth=depth, collapse=collapse, max_nodes=max_nodes)
    return render_graph(
        graph, snapshot, values=values, grads=grads, ghost=ghost, title=title, trace=trace, step_index=step_index
    )


def draw_side_by_side(
    panels: Mapping[str, object], *, values: bool = True, grads: bool = True, saved: bool = False
) -> LabDigraph:
    """Several graphs in one picture, each in a titled frame, to compare them.

    `panels` maps a title to a tensor, or to a ``(tensor, params)`` pair."""
    if not isinstance(panels, Mapping):
        raise TypeError(
            "draw_side_by_side takes a dict of titles to tensors, e.g. "
            f"{{'before': y1, 'after': y2}}, not {type(panels).__name__}."
        )
    if not panels:
        raise ValueError("draw_side_by_side needs at least one panel: {title: tensor}.")
    prepared = []
    for title, panel in panels.items():
        has_params = isinstance(panel, tuple) and len(panel) == 2 and isinstance(panel[1], Mapping)
        root, params = panel if has_params else (panel, None)
        graph, snapshot, *_ = prepare(root, params, saved=saved, stacklevel=3)
        prepared.append((str(title), graph, snapshot))
    return graphs_side_by_side(prepared, values=values, grads=grads)


def graphs_side_by_side(panels, *, values: bool = True, grads: bool = True) -> LabDigraph:
    """One picture of several graphs already walked, each a ``(title, graph, snapshot)``, in
    titled frames (their node ids kept apart)."""
    dot = new_digraph()
    described = []
    for index, (title, graph, snapshot) in enumerate(panels):
        with dot.subgraph(name=f"cluster_{index}") as frame:
            frame.attr(label=str(title), fontname="sans-serif", fontsize="12", color="grey70", style="rounded")
            scene = record_scene(graph, snapshot)
            boxes = add_scene(frame, scene, values, grads, prefix=f"p{index}_")
        described.append((str(title), text_alternative(scene, boxes)))
    dot.alt = side_by_side(described)
    return dot
