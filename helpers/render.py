"""Turn a :class:`~helpers.graph.Graph` (and the numbers on it) into a graphviz picture.

The colours follow torchviz, so the two pictures can be read side by side: leaves
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

from .describe import Alternative, Shown, describe, into_svg, side_by_side
from .errors import DotNotFoundError
from .graph import Edge, Graph, GraphNode, walk
from .large import DEFAULT_MAX_NODES, MORE, shorten
from .large import collapse as collapse_groups
from .snapshots import NOTHING, NodeNumbers, Snapshot, take_snapshot
from .text import format_tensor

FILL = {"leaf": "lightblue", "output": "darkolivegreen1", "op": "lightgrey"}
CUSTOM_FILL = "wheat"
GHOST = dict(style="dashed", color="grey70", fontcolor="grey60", fillcolor="white")
CURRENT, DONE = "#d50000", "#1b5e20"


def node_label(
    node: GraphNode, numbers: NodeNumbers = NOTHING, values: bool = True, grads: bool = True, grad=None
) -> str:
    """The text in a node's box; `grad` overrides the gradient the numbers carry."""
    return "\n".join(in_box(node, numbers, values, grads, grad).lines)


def grad_line(grad) -> str:
    return f"grad {format_tensor(grad)}"


def in_box(
    node: GraphNode, numbers: NodeNumbers = NOTHING, values: bool = True, grads: bool = True, grad=None
) -> Shown:
    """What a node's box shows: its lines, and the value and gradient among them (which
    the picture's text alternative repeats)."""
    if node.kind == "cut":
        return Shown(lines=("no grad",))
    if node.group_size is not None:
        count = f"{node.group_size} node" + ("" if node.group_size == 1 else "s")
        return Shown(lines=(node.name, count) if node.name else (str(node.op),))
    value = None
    if values and numbers.value is not None and (node.names or node.kind == "leaf"):
        value = format_tensor(numbers.value)
    lines = []
    if node.names:
        lines.append(node.name if value is None else f"{node.name} = {value}")
    elif node.kind == "leaf":
        lines.append("leaf" if value is None else f"leaf = {value}")
    if node.kind != "leaf":
        lines.append(f"{node.op} (custom)" if node.custom else str(node.op))
    grad = numbers.grad if grad is None else grad
    grad_text = format_tensor(grad) if grads and grad is not None else None
    if grad_text is not None:
        lines.append(grad_line(grad))
    for saved in numbers.saved or ():
        if saved.state == "freed":
            lines.append(f"saved {saved.name}: FREED")
        elif saved.state == "modified":
            lines.append(f"saved {saved.name}: {saved.note}")
        else:
            lines.append(f"saved {saved.name} = {format_tensor(saved.tensor)}")
    return Shown(value, grad_text, tuple(lines))


class LabDigraph(graphviz.Digraph):
    """A Digraph that, when Graphviz's `dot` is missing, still shows itself in a
    notebook: as the browser view, which lays the graph out itself. Its SVG carries a
    text alternative (`alt`) for screen readers."""

    parts: tuple | None = None  # (graph, snapshot, trace) it was drawn from, for the view's panel
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
    step: int | None = None,
) -> LabDigraph:
    """Draw an already walked graph, with the numbers of `snapshot`.

    `ghost`: a graph whose nodes and edges missing from `graph` are drawn as grey
    dashed outlines. `trace` (from trace_backward): every node shows the gradient that
    reached it, not only the leaves. `step` (with trace): highlight that step, mark the
    steps before it done, and write on each edge the gradient the step sends back."""
    if not isinstance(graph, Graph):
        raise TypeError(f"render_graph takes a Graph (from h.autograd_graph), not {type(graph).__name__}.")
    if step is not None and trace is None:
        raise ValueError("step needs trace: draw(root, trace=trace_backward(root), step=k).")
    if step is not None and not 0 <= step < len(trace.steps):
        raise ValueError(f"step must be between 0 and {len(trace.steps) - 1}, got {step}.")
    dot = new_digraph(title)
    shown = add_graph(dot, graph, snapshot, values, grads, Progress(trace, step))
    ghosts = add_ghost(dot, graph, ghost) if ghost is not None else []
    dot.alt = describe(graph, shown, ghosts, title)
    return dot


def add_graph(
    dot, graph: Graph, snapshot: Snapshot | None, values: bool, grads: bool, progress: Progress, prefix: str = ""
) -> dict[str, Shown]:
    """Add the nodes and edges; returns what each node's box shows, by node id."""
    shown = {}
    for node in graph.nodes:
        numbers = snapshot.of(node) if snapshot is not None else NOTHING
        box = shown[node.id] = in_box(node, numbers, values, grads and progress.shows_grad(node), progress.grad(node))
        dot.node(prefix + node.id, "\n".join(box.lines), **node_style(node, numbers), **progress.style(node))
    cut_ids = {node.id for node in graph.nodes if node.kind == "cut"}
    sent = progress.sent_labels()
    for edge in graph.edges:
        style = {"style": "dashed", "color": "grey60", "class": "agl-edge-cut"} if edge.src in cut_ids else {}
        label = sent.get(edge)
        if label:
            style = {**style, "color": CURRENT, "fontcolor": CURRENT, "penwidth": "2", "label": " " + label}
        dot.edge(prefix + edge.src, prefix + edge.dst, **style)
    return shown


def add_ghost(dot: LabDigraph, graph: Graph, ghost: Graph) -> list[GraphNode]:
    """Add what `ghost` has and `graph` lacks as outlines; returns the ghost nodes."""
    present = {node.id for node in graph.nodes}
    ghost_nodes = [n for n in ghost.nodes if n.id not in present and n.kind != "cut"]
    for node in ghost_nodes:
        dot.node(node.id, node_label(node, values=False, grads=False), **GHOST, **{"class": "agl-ghost"})
    shown = present | {node.id for node in ghost_nodes}
    current = {(e.src, e.dst) for e in graph.edges}
    for src, dst in dict.fromkeys((e.src, e.dst) for e in ghost.edges):
        if (src, dst) not in current and src in shown and dst in shown:
            dot.edge(src, dst, style="dashed", color="grey70", **{"class": "agl-ghost"})
    return ghost_nodes


class Progress:
    """Which gradients a picture shows: all of them, or those of the steps so far."""

    def __init__(self, trace, step: int | None):
        self.trace, self.step = trace, step
        self.steps = {} if trace is None else {s.node_id: s for s in trace.steps}

    def grad(self, node: GraphNode):
        found = self.steps.get(node.id)
        return None if found is None else found.grad

    def shows_grad(self, node: GraphNode) -> bool:
        if self.step is None:
            return True
        found = self.steps.get(node.id)
        return found is not None and found.index <= self.step

    def style(self, node: GraphNode) -> dict[str, str]:
        found = self.steps.get(node.id)
        if self.step is None or found is None or found.index > self.step:
            return {}
        if found.index == self.step:
            return {"color": CURRENT, "penwidth": "3"}
        return {"color": DONE, "penwidth": "2"}

    def sent_labels(self) -> dict[Edge, str]:
        """For the current step: the gradient sent along each edge into its node."""
        if self.step is None:
            return {}
        return {edge: format_tensor(grad) for edge, grad in sent_along(self.trace, self.trace.steps[self.step])}


def sent_along(trace, step) -> list[tuple[Edge, object]]:
    """The edges a step sends its gradients back along, with each gradient."""
    into = trace.edges_into(step.node_id)
    found = []
    for slot, grad in enumerate(step.grad_inputs):
        edge = into.get(slot)
        if edge is not None and grad is not None:
            found.append((edge, grad))
    return found


def node_classes(node: GraphNode, numbers: NodeNumbers = NOTHING) -> str:
    classes = [f"agl-{node.kind}"]
    if node.custom:
        classes.append("agl-custom")
    if node.group_size is not None:
        classes.append("agl-more" if node.id == MORE else "agl-group")
    if numbers.freed or numbers.modified:
        classes.append("agl-freed")
    return " ".join(classes)


def node_style(node: GraphNode, numbers: NodeNumbers = NOTHING) -> dict[str, str]:
    classes = {"class": node_classes(node, numbers)}
    if node.group_size is not None:
        fill = FILL["output"] if node.kind == "output" else "thistle" if node.name else "white"
        return {"fillcolor": fill, "style": "filled,rounded" if node.name else "dashed", **classes}
    if node.kind == "cut":
        return {"style": "dashed", "color": "grey60", "fontcolor": "grey40", **classes}
    if numbers.freed or numbers.modified:
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
    step: int | None = None,
) -> LabDigraph:
    """The learner's picture of `root`'s graph, with values and gradients.

    values=True, grads=True: show them in the boxes; ghost=Graph: draw its missing parts
    as outlines; title=str; trace=BackwardTrace: every node's gradient; step=int (with
    trace): that step highlighted; saved=True: the tensors each op keeps for backward, or
    FREED once backward has released them.
    For big graphs: depth=k keeps the nodes within k steps of the output;
    collapse=module_scopes(model) draws one box per module; past max_nodes nodes
    (400; None for no limit) a LargeGraphWarning is raised and only the nodes nearest
    the output are drawn. Shows inline in a notebook; ``.source`` is the DOT text."""
    graph, snapshot, *_ = prepare(root, params, saved=saved, depth=depth, collapse=collapse, max_nodes=max_nodes)
    picture = render_graph(
        graph, snapshot, values=values, grads=grads, ghost=ghost, title=title, trace=trace, step=step
    )
    picture.parts = (graph, snapshot, trace)
    return picture


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
            shown = add_graph(frame, graph, snapshot, values, grads, Progress(None, None), prefix=f"p{index}_")
        described.append((str(title), describe(graph, shown)))
    dot.alt = side_by_side(described)
    return dot
