"""The widgets, each built on the living view (:class:`helpers.view.GraphView`)."""

from .explorer import GraphExplorer, interact_graph
from .gan_lab import GanDetachLab, gan_detach_lab
from .lab import GraphLab, Playground, graph_lab, playground
from .quizzes import Quiz, quiz
from .row import ViewRow, views_side_by_side
from .stepper import BackwardStepper, backward_stepper

__all__ = [
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
    "GanDetachLab",
    "gan_detach_lab",
    "ViewRow",
    "views_side_by_side",
]
