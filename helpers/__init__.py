"""Autograd Lab's helpers: walk, draw and step through PyTorch's autograd graph.

    import helpers as h
    h.draw(d, params={"a": a, "b": b})
"""
from .app import GraphLab, Playground, graph_lab, playground
from .expressions import evaluate
from .backward import BackwardStep, BackwardTrace, trace_backward
from .environment import check_environment
from .errors import DotNotFoundError, GraphFreedError, NoGraphError
from .graph import Graph, GraphNode, autograd_graph, walk_graph
from .large import LargeGraphWarning, module_scopes
from .static import draw_fx
from .render import draw, draw_side_by_side, format_tensor, render, to_svg
from .widgets import (BackwardStepper, GanDetachLab, GraphExplorer, Quiz, backward_stepper,
                      gan_detach_lab, interact_graph, quiz)

__all__ = [
    "GraphLab", "graph_lab", "Playground", "playground", "evaluate", "LargeGraphWarning", "module_scopes", "GanDetachLab", "gan_detach_lab",
    "BackwardStep", "BackwardStepper", "BackwardTrace", "backward_stepper", "trace_backward",
    "DotNotFoundError", "Graph", "GraphExplorer", "GraphFreedError", "GraphNode",
    "NoGraphError", "Quiz", "autograd_graph", "check_environment", "draw", "draw_fx", "draw_side_by_side",
    "format_tensor", "interact_graph", "quiz", "render", "to_svg", "walk_graph",
]
