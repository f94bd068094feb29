"""Autograd Lab's helpers: walk, draw and step through PyTorch's autograd graph.

    import helpers as h
    h.draw(d, params={"a": a, "b": b})
"""
from .app import GraphLab, Playground, graph_lab, playground
from .backward import BackwardStep, BackwardTrace, trace_backward
from .environment import check_environment
from .errors import DotNotFoundError, GraphFreedError, NoGraphError
from .expressions import evaluate
from .graph import Graph, GraphNode, autograd_graph, walk_graph
from .large import LargeGraphWarning, module_scopes
from .render import draw, draw_side_by_side, format_tensor, render, to_svg
from .static import draw_fx
from .widgets import (BackwardStepper, GanDetachLab, GraphExplorer, Quiz, backward_stepper,
                      gan_detach_lab, interact_graph, quiz)

__all__ = [
    # the graph and its pictures
    "Graph", "GraphNode", "autograd_graph", "walk_graph", "draw", "draw_side_by_side", "draw_fx",
    "render", "to_svg", "format_tensor", "module_scopes", "LargeGraphWarning",
    # the backward pass
    "BackwardStep", "BackwardTrace", "trace_backward",
    # widgets
    "GraphExplorer", "interact_graph", "BackwardStepper", "backward_stepper", "Quiz", "quiz",
    "GraphLab", "graph_lab", "Playground", "playground", "evaluate", "GanDetachLab", "gan_detach_lab",
    # set-up and errors
    "check_environment", "DotNotFoundError", "GraphFreedError", "NoGraphError",
]
