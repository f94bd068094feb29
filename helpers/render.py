"""Turn a :class:`~helpers.graph.Graph` into a graphviz picture.

The colours follow torchviz, so the two pictures can be read side by side: leaves
light blue, the output green, backward ops grey. On top of that the picture shows
values and gradients, inputs that carry no gradient as grey dashed "no grad" stubs,
and (for the widgets) ghosts: grey outlines of what a switch removed.
"""
from __future__ import annotations

import warnings
from typing import Mapping

import graphviz
import torch

from .errors import DotNotFoundError
from .graph import Graph, GraphNode, autograd_graph
from .large import DEFAULT_MAX_NODES, LargeGraphWarning, depth_that_fits, within_depth
from .large import collapse as _collapse

FILL = {"leaf": "lightblue", "output": "darkolivegreen1", "op": "lightgrey"}
CUSTOM_FILL = "wheat"
GHOST = dict(style="dashed", color="grey70", fontcolor="grey60", fillcolor="white")
SMALL_TENSOR = 8  # tensors up to this many elements are written out in full


def format_number(x: float) -> str:
    text = f"{x:.4g}"
    return "0" if text == "-0" else text


def format_tensor(tensor: torch.Tensor | None) -> str:
    """Scalars as numbers, small tensors in full, bigger ones as shape and a summary."""
    if tensor is None:
        return "None"
    tensor = tensor.detach()
    if tensor.numel() == 1:
        return format_number(tensor.item()) if tensor.is_floating_point() else str(tensor.item())
    if 0 < tensor.numel() <= SMALL_TENSOR:
        return _nested(tensor.tolist())
    shape = "×".join(map(str, tensor.shape)) or "scalar"
    if tensor.numel() == 0 or not tensor.is_floating_point():
        return f"[{shape}]"
    return f"[{shape}] mean {format_number(tensor.mean().item())}, std {format_number(tensor.std().item())}"


def _nested(values) -> str:
    if isinstance(values, list):
        return "[" + ", ".join(_nested(v) for v in values) + "]"
    return format_number(values) if isinstance(values, float) else str(values)


def node_label(node: GraphNode, values: bool = True, grads: bool = True,
               grad: torch.Tensor | None = None) -> str:
    """The text in a node's box; `grad` overrides the gradient the node carries."""
    if node.kind == "cut":
        return "no grad"
    if node.group_size is not None:
        count = f"{node.group_size} node" + ("" if node.group_size == 1 else "s")
        return f"{node.name}\n{count}" if node.name else str(node.op)
    lines = []
    if node.name:
        lines.append(f"{node.name} = {format_tensor(node.value)}" if values and node.value is not None else node.name)
    elif node.kind == "leaf":
        lines.append(f"leaf = {format_tensor(node.value)}" if values else "leaf")
    if node.kind != "leaf":
        lines.append(f"{node.op} (custom)" if node.custom else str(node.op))
    grad = node.grad if grad is None else grad
    if grads and grad is not None:
        lines.append(f"grad {format_tensor(grad)}")
    for name, tensor in (node.saved or {}).items():
        lines.append(f"saved {name}: FREED" if tensor is None else f"saved {name} = {format_tensor(tensor)}")
    return "\n".join(lines)


class LabDigraph(graphviz.Digraph):
    """A Digraph that, when Graphviz's `dot` is missing, still shows itself in a
    notebook: as the install hint followed by its DOT source."""

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
        try:
            return super()._repr_mimebundle_(include, exclude, **kwargs)
        except graphviz.ExecutableNotFound:
            return {"text/plain": f"{DotNotFoundError()}\nThe graph as DOT text:\n\n{self.source}"}


def to_svg(dot: graphviz.Digraph) -> str:
    """Render to SVG text; a missing `dot` raises DotNotFoundError with the fix."""
    try:
        return dot.pipe(format="svg", encoding="utf-8")
    except graphviz.ExecutableNotFound:
        raise DotNotFoundError() from None


def new_digraph(title: str | None = None) -> LabDigraph:
    """An empty picture with the house style (torchviz's box nodes, monospace text)."""
    dot = LabDigraph(
        graph_attr={"rankdir": "TB", "size": "12,12", "ranksep": "0.25"},
        node_attr={"style": "filled", "shape": "box", "align": "left",
                   "fontsize": "10", "height": "0.2", "fontname": "monospace"},
        edge_attr={"fontsize": "10", "fontname": "monospace"},
    )
    if title:
        dot.attr(label=title, labelloc="t", fontsize="12", fontname="sans-serif")
    return dot


def render(graph: Graph, *, values: bool = True, grads: bool = True,
           ghost: Graph | None = None, title: str | None = None,
           trace=None, step: int | None = None) -> LabDigraph:
    """Draw an already walked graph.

    `ghost`: a graph whose nodes and edges missing from `graph` are drawn as grey
    dashed outlines. `trace` (from trace_backward): every node shows the gradient that
    reached it, not only the leaves. `step` (with trace): highlight that step, mark the
    steps before it done, and write on each edge the gradient the step sends back."""
    if step is not None and trace is None:
        raise ValueError("step needs trace: draw(root, trace=trace_backward(root), step=k).")
    if step is not None and not 0 <= step < len(trace.steps):
        raise ValueError(f"step must be between 0 and {len(trace.steps) - 1}, got {step}.")
    dot = new_digraph(title)
    _add_graph(dot, graph, values, grads, _Progress(trace, step))
    if ghost is not None:
        _draw_ghost(dot, graph, ghost)
    return dot


def _add_graph(dot, graph: Graph, values: bool, grads: bool, progress: "_Progress", prefix: str = "") -> None:
    for node in graph.nodes:
        label = node_label(node, values, grads and progress.shows_grad(node), progress.grad(node))
        dot.node(prefix + node.id, label, **_node_style(node), **progress.style(node))
    cut_ids = {node.id for node in graph.nodes if node.kind == "cut"}
    sent = progress.sent_labels()
    for src, dst in graph.edges:
        style = {"style": "dashed", "color": "grey60"} if src in cut_ids else {}
        labels = sent.get((src, dst))
        if labels:
            style = {**style, "color": CURRENT, "fontcolor": CURRENT, "penwidth": "2",
                     "label": " " + labels.pop(0)}
        dot.edge(prefix + src, prefix + dst, **style)


def draw_side_by_side(panels: Mapping[str, object], *, values: bool = True, grads: bool = True,
                      saved: bool = False) -> LabDigraph:
    """Several graphs in one picture, each in a titled frame, to compare them.

    `panels` maps a title to a tensor, or to a ``(tensor, params)`` pair."""
    if not panels:
        raise ValueError("draw_side_by_side needs at least one panel: {title: tensor}.")
    dot = new_digraph()
    for index, (title, panel) in enumerate(panels.items()):
        has_params = isinstance(panel, tuple) and len(panel) == 2 and isinstance(panel[1], Mapping)
        root, params = panel if has_params else (panel, None)
        graph = autograd_graph(root, params, saved=saved)
        with dot.subgraph(name=f"cluster_{index}") as frame:
            frame.attr(label=str(title), fontname="sans-serif", fontsize="12", color="grey70", style="rounded")
            _add_graph(frame, graph, values, grads, _Progress(None, None), prefix=f"p{index}_")
    return dot


def _draw_ghost(dot: LabDigraph, graph: Graph, ghost: Graph) -> None:
    present = {node.id for node in graph.nodes}
    ghost_nodes = [n for n in ghost.nodes if n.id not in present and n.kind != "cut"]
    for node in ghost_nodes:
        dot.node(node.id, node_label(node, values=False, grads=False), **GHOST)
    shown = present | {node.id for node in ghost_nodes}
    current = set(graph.edges)
    for edge in dict.fromkeys(ghost.edges):
        if edge not in current and edge[0] in shown and edge[1] in shown:
            dot.edge(*edge, style="dashed", color="grey70")


CURRENT, DONE = "#d50000", "#1b5e20"


class _Progress:
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

    def sent_labels(self) -> dict[tuple[str, str], list[str]]:
        """For the current step: the gradient sent along each edge into its node."""
        if self.step is None:
            return {}
        current = self.trace.steps[self.step]
        labels: dict[tuple[str, str], list[str]] = {}
        for source, grad in zip(self.trace.inputs_of(current.node_id), current.grad_inputs):
            if source is not None and grad is not None:
                labels.setdefault((source.id, current.node_id), []).append(format_tensor(grad))
        return labels


def _node_style(node: GraphNode) -> dict[str, str]:
    if node.group_size is not None:
        fill = FILL["output"] if node.kind == "output" else "thistle" if node.name else "white"
        return {"fillcolor": fill, "style": "filled,rounded" if node.name else "dashed"}
    if node.kind == "cut":
        return {"style": "dashed", "color": "grey60", "fontcolor": "grey40", "shape": "box"}
    if node.freed:
        return {"fillcolor": FILL[node.kind], "style": "filled,dashed", "color": "firebrick"}
    fill = CUSTOM_FILL if node.custom and node.kind == "op" else FILL[node.kind]
    return {"fillcolor": fill}


def draw(root, params=None, *, saved: bool = False, depth: int | None = None, collapse=None,
         max_nodes: int | None = DEFAULT_MAX_NODES, **options) -> LabDigraph:
    """The learner's picture of `root`'s graph, with values and gradients.

    Options: values=True, grads=True (show them in the boxes), ghost=Graph,
    title=str, trace=BackwardTrace (every node's gradient), step=int (with trace:
    that step highlighted), saved=True (the tensors each op keeps for backward, or
    FREED once backward has released them).
    For big graphs: depth=k keeps the nodes within k steps of the output;
    collapse=module_scopes(model) draws one box per module; past max_nodes nodes
    (400; None for no limit) a LargeGraphWarning is raised and only the nodes nearest
    the output are drawn. Shows inline in a notebook; ``.source`` is the DOT text."""
    graph = autograd_graph(root, params, saved=saved)
    if collapse is not None:
        graph = _collapse(graph, collapse.group_of if hasattr(collapse, "group_of") else collapse)
    if depth is None and max_nodes is not None and len(graph) > max_nodes:
        depth = depth_that_fits(graph, max_nodes)
        warnings.warn(
            f"this graph has {len(graph)} nodes, more than max_nodes={max_nodes}, so only the "
            f"nodes within {depth} steps of the output are drawn. Pass depth=..., "
            "collapse=h.module_scopes(model), or max_nodes=None to draw all of it "
            "(Graphviz may then take a long time).", LargeGraphWarning, stacklevel=2)
    if depth is not None:
        graph, _hidden = within_depth(graph, depth)
    return render(graph, **options)
