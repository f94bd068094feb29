"""The graph lab: one page to pick an example graph, flip its switches and step its
backward pass. ``notebooks/app_graph_lab.ipynb`` shows it as a Voila app (``make app``)."""
from __future__ import annotations

import html

import ipywidgets as W
import torch

from .examples import EXAMPLES, Example
from .widgets import BackwardStepper, GraphExplorer, interact_graph


TAB_TITLES = ("Switches", "Backward pass")


class GraphLab(W.VBox):
    def __init__(self, examples: list[Example] = EXAMPLES):
        if not examples:
            raise ValueError("the graph lab needs at least one example.")
        self.examples = list(examples)
        self.picker = W.Dropdown(options=[(e.title, i) for i, e in enumerate(self.examples)],
                                 description="graph", layout=W.Layout(width="420px"))
        self.about = W.HTML()
        self.explorer: GraphExplorer | None = None
        self.stepper: BackwardStepper | None = None
        self.stepper_note = W.HTML("<p>No backward pass to step through: the output does not require "
                                   "grad, or is a leaf itself.</p>")
        # The tabs keep the same two boxes; only the boxes' contents change, so the
        # page keeps the tab the learner is on.
        self.explorer_box, self.stepper_box = W.VBox(), W.VBox()
        self.tabs = W.Tab(children=(self.explorer_box, self.stepper_box))
        self.tabs.titles = TAB_TITLES
        super().__init__([self.picker, self.about, self.tabs])
        self.add_class("autograd-lab-app")
        self.picker.observe(lambda _change: self._load(), names="value")
        self._load()

    def __repr__(self) -> str:
        return f"GraphLab(examples={len(self.examples)})"

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

    def _load(self) -> None:
        example = self.example
        self.about.value = f"<p>{html.escape(example.about)}</p>"
        self.explorer = interact_graph(example.build, **example.switches)
        self.explorer.on_update(self._restep)
        self._restep()

    def _restep(self) -> None:
        """Step through the backward pass the explorer has just run and recorded."""
        trace = self.explorer.trace
        if trace is None:  # no graph, or a bare leaf
            view = self.stepper_note
        elif self.stepper is None:
            view = self.stepper = BackwardStepper(trace=trace)
        else:
            self.stepper.show_trace(trace)
            view = self.stepper
        if self.explorer_box.children != (self.explorer,):
            self.explorer_box.children = (self.explorer,)
        if self.stepper_box.children != (view,):
            self.stepper_box.children = (view,)


def graph_lab(examples: list[Example] = EXAMPLES) -> GraphLab:
    """The course's example graphs on one page: pick, switch, step."""
    return GraphLab(examples)


class Playground(W.VBox):
    """Your own expression, with a slider per leaf, on the graph lab's two tabs."""

    def __init__(self, expression: str, leaves: dict[str, float]):
        from .expressions import evaluate

        self._evaluate = evaluate
        self.expression = W.Text(value=expression, description="expression", continuous_update=False,
                                 layout=W.Layout(width="480px"))
        self.sliders = {name: W.FloatSlider(value=float(value), min=-5.0, max=5.0, step=0.1, description=name)
                        for name, value in leaves.items()}
        switches = {}
        for name in leaves:
            switches[f"{name}_requires_grad"] = True
            switches[f"detach_{name}"] = False
        example = Example("your expression", "", self._build, switches)
        self.lab = GraphLab([example])
        self.lab.picker.layout.display = "none"  # a single example: nothing to pick
        for control in [self.expression, *self.sliders.values()]:
            control.observe(lambda _change: self.refresh(), names="value")
        super().__init__([self.expression, W.HBox(list(self.sliders.values())), self.lab])
        self.add_class("autograd-lab-playground")

    def __repr__(self) -> str:
        return f"Playground(leaves={list(self.sliders)})"

    def _build(self, **flags):
        leaves = {name: torch.tensor(slider.value, requires_grad=flags[f"{name}_requires_grad"])
                  for name, slider in self.sliders.items()}
        used = {name: leaf.detach() if flags[f"detach_{name}"] else leaf for name, leaf in leaves.items()}
        output = self._evaluate(self.expression.value, used)
        if output.numel() != 1:
            output = output.sum()  # backward starts from one number
        return output, {**leaves, "output": output}

    def refresh(self) -> None:
        """Rebuild after the expression or a slider changed (the backward pass follows)."""
        self.lab.explorer.update()


def playground(expression: str = "(z * (x + y**2))**2", leaves: dict[str, float] | None = None) -> Playground:
    """Type an expression over a few scalar leaves (default x = 1, y = 2, z = 4), set each
    leaf with a slider and its requires_grad/detach with a switch; see the graph, the
    gradients and the backward pass. Only a safe allow-list of syntax is accepted."""
    leaves = {"x": 1.0, "y": 2.0, "z": 4.0} if leaves is None else leaves
    if not leaves:
        raise ValueError("the playground needs at least one leaf, e.g. {'x': 1.0}.")
    return Playground(expression, leaves)
