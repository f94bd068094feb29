"""The graph lab: one page to pick an example graph, flip its switches and step its
backward pass; and the playground, the same for an expression of your own.
``notebooks/app_graph_lab.ipynb`` shows both as a Voila app (``make app``)."""

from __future__ import annotations

import html
from collections.abc import Mapping

import ipywidgets as W
import torch

from ..examples import EXAMPLES, Example
from ..view import StaticPicture
from .common import STYLE
from .explorer import GraphExplorer
from .stepper import BackwardStepper

TAB_TITLES = ("Switches", "Backward pass")
NO_PASS = "No backward pass to step through: the output does not require grad, or is a leaf itself."
SLIDER_RANGE = 5.0  # a leaf's slider runs from -5 to 5


class GraphLab(StaticPicture, W.VBox):
    """One explorer and one stepper, reused for every example picked (no widget piles up)."""

    def __init__(self, examples: list[Example] = EXAMPLES):
        if not isinstance(examples, (list, tuple)) or not all(isinstance(e, Example) for e in examples):
            raise TypeError("graph_lab takes a list of helpers.examples.Example, e.g. helpers.examples.EXAMPLES.")
        if not examples:
            raise ValueError("the graph lab needs at least one example.")
        self.examples = list(examples)
        self.picker = W.Dropdown(
            options=[(e.title, i) for i, e in enumerate(self.examples)],
            description="graph",
            layout=W.Layout(width="auto", max_width="480px"),
        )
        self.about = W.HTML()
        first = self.examples[0]
        # A page of its own, always with a kernel: nothing to record for a page without one.
        self.explorer = GraphExplorer(first.build, first.switches, record=False)
        self.stepper = BackwardStepper()  # filled by _restep after each explorer update
        self.stepper_note = W.HTML(f"{STYLE}<p class='agl-text'>{NO_PASS}</p>")
        self.stepper_box = W.VBox([self.stepper])
        self.tabs = W.Tab(children=(self.explorer, self.stepper_box))
        self.tabs.titles = TAB_TITLES
        super().__init__([self.picker, self.about, self.tabs])
        self.add_class("autograd-lab-app")
        self.explorer.on_update(self._restep)
        self.tabs.observe(lambda _change: self._tab_changed(), names="selected_index")
        self.picker.observe(lambda _change: self._load(), names="value")
        self._tab_changed()
        self._show_about()
        self._restep()  # the explorer has drawn the first example already

    def __repr__(self) -> str:
        return f"GraphLab(examples={len(self.examples)})"

    @property
    def picture_view(self):
        return self.explorer.view

    @property
    def example(self) -> Example:
        return self.examples[self.picker.value]

    def pick(self, title: str) -> None:
        """Choose an example by (the start of) its title."""
        for index, example in enumerate(self.examples):
            if example.title.startswith(title):
                self.picker.value = index
                return
        raise KeyError(f"no example titled {title!r}; the examples are {[e.title for e in self.examples]}")

    def _show_about(self) -> None:
        self.about.value = f"{STYLE}<p class='agl-text'>{html.escape(self.example.about)}</p>"

    def _load(self) -> None:
        self._show_about()
        self.explorer.rebuild(self.example.build, self.example.switches)  # runs _restep through on_update

    def _tab_changed(self) -> None:
        self.stepper.set_visible(self.tabs.selected_index == 1)

    def _restep(self) -> None:
        """Step through the backward pass the explorer has just run and recorded."""
        trace = self.explorer.trace
        if trace is None:
            self.stepper_box.children = (self.stepper_note,)
            return
        self.stepper.show_trace(trace, self.explorer.snapshot)
        if self.stepper_box.children != (self.stepper,):
            self.stepper_box.children = (self.stepper,)


def graph_lab(examples: list[Example] = EXAMPLES) -> GraphLab:
    """The course's example graphs on one page: pick, switch, step."""
    return GraphLab(examples)


class Playground(StaticPicture, W.VBox):
    """Your own expression, with a slider per leaf, on the graph lab's two tabs."""

    def __init__(self, expression: str, leaves: Mapping[str, float]):
        from ..expressions import evaluate

        self._evaluate = evaluate
        self.expression = W.Text(
            value=expression,
            description="expression",
            continuous_update=False,
            layout=W.Layout(width="auto", max_width="520px"),
        )
        self.sliders = {
            name: W.FloatSlider(value=float(value), min=-SLIDER_RANGE, max=SLIDER_RANGE, step=0.1, description=name)
            for name, value in leaves.items()
        }
        switches = {}
        for name in leaves:
            switches[f"{name}_requires_grad"] = True
            switches[f"detach_{name}"] = False
        self.lab = GraphLab([Example("your expression", "", self._build, switches)])
        self.lab.picker.layout.display = "none"  # a single example: nothing to pick
        self._last_expression = expression
        for control in [self.expression, *self.sliders.values()]:
            control.observe(lambda _change: self.refresh(), names="value")
        super().__init__(
            [self.expression, W.HBox(list(self.sliders.values()), layout=W.Layout(flex_flow="row wrap")), self.lab]
        )
        self.add_class("autograd-lab-playground")

    def __repr__(self) -> str:
        return f"Playground(leaves={list(self.sliders)})"

    @property
    def picture_view(self):
        return self.lab.explorer.view

    def _build(self, **switches):
        leaves = {
            name: torch.tensor(slider.value, requires_grad=switches[f"{name}_requires_grad"])
            for name, slider in self.sliders.items()
        }
        used = {name: leaf.detach() if switches[f"detach_{name}"] else leaf for name, leaf in leaves.items()}
        output = self._evaluate(self.expression.value, used)
        return output, {**leaves, "output": output}

    def refresh(self) -> None:
        """Rebuild after the expression or a slider changed (the backward pass follows)."""
        explorer = self.lab.explorer
        if self.expression.value != self._last_expression:
            self._last_expression = self.expression.value
            explorer.forget_ghosts()  # ghosts are what a switch removed, not earlier expressions
        explorer.update()
        if explorer.view.stale:  # refused: the stepper's pass is of the old expression too
            self.lab.stepper.mark_stale("Out of date: the expression above was refused.")


def playground(expression: str = "(z * (x + y**2))**2", leaves: Mapping[str, float] | None = None) -> Playground:
    """Type an expression over a few scalar leaves (default x = 1, y = 2, z = 4), set each
    leaf with a slider and its requires_grad/detach with a switch; see the graph, the
    gradients and the backward pass. Only a safe allow-list of syntax is accepted."""
    if not isinstance(expression, str):
        raise TypeError(f"expression must be text such as 'x * y', got {type(expression).__name__}.")
    leaves = {"x": 1.0, "y": 2.0, "z": 4.0} if leaves is None else leaves
    if not isinstance(leaves, Mapping):
        raise TypeError("leaves must be a dict of names to numbers, e.g. {'x': 1.0}.")
    if not leaves:
        raise ValueError("the playground needs at least one leaf, e.g. {'x': 1.0}.")
    for name, value in leaves.items():
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise TypeError(f"leaf {name!r} must start at a number, got {value!r}.")
        if not -SLIDER_RANGE <= value <= SLIDER_RANGE:
            raise ValueError(
                f"leaf {name!r} starts at {value}, outside the slider's range "
                f"{-SLIDER_RANGE:g} to {SLIDER_RANGE:g}: pick a start inside it."
            )
    return Playground(expression, leaves)
