"""The graph lab: one page to pick an example graph, flip its switches and step its
backward pass. ``notebooks/app_graph_lab.ipynb`` shows it as a Voila app (``make app``)."""
from __future__ import annotations

import html

import ipywidgets as W

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
        self.stepper_note = W.HTML("<p>The output does not require grad: there is no backward pass.</p>")
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
        for box in self.explorer.checkboxes.values():
            box.observe(lambda _change: self._restep(), names="value")
        self._restep()

    def _restep(self) -> None:
        """A fresh backward pass for the switches as they are now."""
        root, params = self.example.build(**self.explorer.flags)
        if not root.requires_grad:
            view = self.stepper_note
        elif self.stepper is None:
            view = self.stepper = BackwardStepper(root, params)
        else:
            self.stepper.load(root, params)
            view = self.stepper
        if self.explorer_box.children != (self.explorer,):
            self.explorer_box.children = (self.explorer,)
        if self.stepper_box.children != (view,):
            self.stepper_box.children = (view,)


def graph_lab(examples: list[Example] = EXAMPLES) -> GraphLab:
    """The course's example graphs on one page: pick, switch, step."""
    return GraphLab(examples)
