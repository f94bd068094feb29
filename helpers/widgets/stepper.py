"""Replay a recorded backward pass, one engine step at a time: ``backward_stepper``.

The view draws the graph once and replays in the browser (Play, Pause, Back, Next, a
scrubber): the node running lights up and its gradient travels along each input edge,
with the chain-rule line beside it. Python can drive it too (``stepper.go(3)``).
"""

from __future__ import annotations

import ipywidgets as W

from ..backward import BackwardTrace, record_backward
from ..chain_rule import explain_step
from ..large import shorten
from ..render import prepare
from ..snapshots import Snapshot
from ..view import GraphView, StaticPicture
from .common import legend

LEGEND = (
    "Red: the node running now, with the gradient it sends back along each input edge · "
    "green outline: done · grad: what reached the node. Back and Next step, Play replays, the slider "
    "scrubs, ← and → step when the picture has the focus. Click a box to inspect it."
)


class BackwardStepper(StaticPicture, W.VBox):
    """Steps through a backward pass: see :func:`backward_stepper`."""

    def __init__(
        self,
        root=None,
        params=None,
        *,
        grad=None,
        retain_graph: bool = False,
        trace: BackwardTrace | None = None,
        snapshot: Snapshot | None = None,
    ):
        self.view = GraphView(mode="stepper")
        self.trace: BackwardTrace | None = None
        self.visible = True  # a stepper on a hidden tab waits until it is seen (see set_visible)
        self._pending: tuple | None = None
        super().__init__([self.view, W.HTML(legend(LEGEND))])
        self.add_class("autograd-lab-stepper")
        if trace is not None:
            self.show_trace(trace, snapshot)
        elif root is not None:
            self.load(root, params, grad=grad, retain_graph=retain_graph)

    def __repr__(self) -> str:
        return f"BackwardStepper(steps={len(self.trace.steps) if self.trace else 0})"

    @property
    def picture_view(self) -> GraphView:
        return self.view

    def load(self, root, params=None, *, grad=None, retain_graph: bool = False) -> None:
        """Run and show another backward pass in the same widget, from its first step."""
        prepared = prepare(
            root,
            params,
            backward=lambda graph, live: record_backward(graph, live, grad, retain_graph=retain_graph),
            warn=False,  # the view says what it left out
        )
        self.show_trace(prepared.trace, prepared.snapshot)

    def show_trace(self, trace: BackwardTrace, snapshot: Snapshot | None = None) -> None:
        """Show a backward pass already recorded (by trace_backward or an explorer)."""
        if not isinstance(trace, BackwardTrace):
            raise TypeError(f"show_trace takes what h.trace_backward returns, not {type(trace).__name__}.")
        self.trace = trace
        if self.visible:
            self._draw(trace, snapshot)
        else:
            self._pending = (trace, snapshot)

    def _draw(self, trace: BackwardTrace, snapshot: Snapshot | None) -> None:
        shown, hidden = shorten(trace.graph, warn=False)  # the 400-node rule of every picture
        self.view.show(shown, snapshot, trace=trace, hidden=hidden)

    def set_visible(self, visible: bool) -> None:
        """Draw only while seen: a hidden stepper keeps the last pass and draws it when shown."""
        self.visible = visible
        if visible and self._pending is not None:
            pending, self._pending = self._pending, None
            self._draw(*pending)

    def mark_stale(self, message: str) -> None:
        self.view.say(message, "error", stale=True)

    # The view's traits keep the browser's names: `steps` (the step records) and `step`
    # (the index of the step shown).
    @property
    def step_index(self) -> int:
        """The index of the step shown (0 before the replay starts)."""
        return max(self.view.step, 0)

    @property
    def step_count(self) -> int:
        """How many steps the replay has (those of the nodes on the picture)."""
        return len(self.view.steps)

    def go(self, index: int) -> None:
        """Show step `index` (clamped to the first and last step)."""
        if not isinstance(index, int) or isinstance(index, bool):
            raise TypeError(f"go takes a step index (a whole number), got {index!r}.")
        self.view.step = max(0, min(index, self.step_count - 1))

    def text(self, index: int | None = None) -> str:
        """The chain-rule lines for a step of the trace (the current one by default)."""
        return "\n".join(explain_step(self.trace, self.step_index if index is None else index))


def backward_stepper(root, params=None, *, grad=None, retain_graph: bool = False) -> BackwardStepper:
    """Step through `root`'s backward pass, one engine step at a time.

    Runs the backward pass once (so the leaves' .grad fill in, as with root.backward())
    and replays each step: the node highlighted, the gradient that arrived, and
    arrived × local derivative = the gradient sent to each input."""
    if root is None:
        raise TypeError(
            "backward_stepper needs the output tensor whose backward pass to replay, e.g. "
            "backward_stepper(loss, {'w': w})."
        )
    return BackwardStepper(root, params, grad=grad, retain_graph=retain_graph)
