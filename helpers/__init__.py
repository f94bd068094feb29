"""Autograd Lab's helpers: walk, draw and step through PyTorch's autograd graph.

    import helpers as h
    h.draw(d, params={"a": a, "b": b})

Data flows one way: torch graph → Graph (structure, helpers.graph) + Snapshot (numbers,
helpers.snapshots) + BackwardTrace (steps, helpers.backward) → one record per node and edge
(helpers.scene_record) → DOT (helpers.render), the panel's data (helpers.view) and the text
alternative (helpers.describe) → the view in the browser (helpers.view.GraphView), which
every widget uses.
"""

from .backward import BackwardStep, BackwardTrace, trace_backward
from .captured import draw_fx
from .engine_graphs import engine_graph
from .environment import check_environment
from .errors import DotNotFoundError, GraphFreedError, GraphModifiedError, NoGraphError
from .expressions import evaluate
from .graph import Edge, Graph, GraphNode, autograd_graph, walk_graph
from .large import LargeGraphWarning, module_scopes
from .pictures_untrusted import add_png_to_graphviz_pictures
from .render import draw, draw_side_by_side, render_graph, to_svg
from .snapshots import Snapshot, snapshot
from .text import format_tensor
from .threads import share_cores
from .view import GraphView
from .widgets import (
    BackwardStepper,
    GanDetachLab,
    GraphExplorer,
    GraphLab,
    Playground,
    Quiz,
    backward_stepper,
    gan_detach_lab,
    graph_lab,
    interact_graph,
    playground,
    quiz,
    views_side_by_side,
)

__all__ = [
    # the graph, its numbers and its pictures
    "Graph",
    "GraphNode",
    "Edge",
    "autograd_graph",
    "walk_graph",
    "Snapshot",
    "snapshot",
    "draw",
    "draw_side_by_side",
    "draw_fx",
    "engine_graph",
    "render_graph",
    "to_svg",
    "format_tensor",
    "module_scopes",
    "LargeGraphWarning",
    "GraphView",
    # the backward pass
    "BackwardStep",
    "BackwardTrace",
    "trace_backward",
    # widgets
    "GraphExplorer",
    "interact_graph",
    "BackwardStepper",
    "backward_stepper",
    "Quiz",
    "quiz",
    "GraphLab",
    "graph_lab",
    "Playground",
    "playground",
    "evaluate",
    "GanDetachLab",
    "gan_detach_lab",
    "views_side_by_side",
    # set-up and errors
    "check_environment",
    "DotNotFoundError",
    "GraphFreedError",
    "GraphModifiedError",
    "NoGraphError",
]

share_cores()  # a course kernel must not take every core of a shared machine: see helpers/threads.py
add_png_to_graphviz_pictures()  # torchviz's pictures too, for notebooks not yet trusted
