"""The ipywidgets front ends: flip a switch and watch the graph change; check yourself.

Each widget is an ordinary ipywidgets box, so it shows in JupyterLab, in Voila and on
Binder, and can be driven from Python (``explorer.set(detach_d=True)``,
``quiz.check("4")``), which is how the tests and the notebooks' assert cells use them.
"""
from __future__ import annotations

import html
import math
from dataclasses import replace
from typing import Callable, Mapping, Sequence

import ipywidgets as W
import torch

from .backward import trace_backward
from .chain_rule import explain_step
from .errors import DotNotFoundError, FREED_HINT, is_freed_error
from .graph import Graph, autograd_graph
from .render import format_tensor, render, to_svg

ERROR_STYLE = "color:#b00020"
LEGEND = ("<small>Light blue: leaves · green: the output · grey: backward ops · "
          "dashed <i>no grad</i>: an input that carries no gradient · "
          "faint dashed: removed by a switch.</small>")
TABLE_STYLE = ("<style>.autograd-lab-grads td, .autograd-lab-grads th "
               "{padding: 2px 10px; text-align: left}</style>")


def run_backward(root: torch.Tensor) -> None:
    """backward() on a scalar root, or of root.sum() on a bigger one."""
    grad = None if root.numel() == 1 else torch.ones_like(root)
    try:
        root.backward(grad)
    except RuntimeError as error:
        if is_freed_error(error):
            raise RuntimeError(FREED_HINT) from error
        raise


def svg_or_text(dot) -> str:
    """HTML for a picture: the SVG, or the DOT text and install hint without `dot`."""
    try:
        return to_svg(dot)
    except DotNotFoundError as error:
        return (f"<p style='{ERROR_STYLE}'>{html.escape(str(error))}</p>"
                f"<pre>{html.escape(dot.source)}</pre>")


def gradient_table(rows: Sequence[tuple[str, str, str]]) -> str:
    cells = "".join(
        f"<tr><td><b>{html.escape(name)}</b></td><td>{html.escape(value)}</td>"
        f"<td>{html.escape(grad)}</td></tr>" for name, value, grad in rows
    )
    return (TABLE_STYLE + "<table class='autograd-lab-grads'><thead><tr><th>tensor</th><th>value</th>"
            f"<th>.grad</th></tr></thead><tbody>{cells}</tbody></table>")


def _grad_text(tensor: torch.Tensor) -> str:
    if not tensor.requires_grad:
        return "— (requires_grad=False)"
    if not tensor.is_leaf:
        return "— (not a leaf)"
    return format_tensor(tensor.grad)


class GhostMemory:
    """Every node and edge drawn so far, kept as outlines (no tensors), so that what a
    switch removes can still be drawn as a ghost."""

    def __init__(self):
        self._nodes: dict[str, object] = {}
        self._edges: dict[tuple[str, str], None] = {}

    def ghost(self) -> Graph:
        return Graph(list(self._nodes.values()), list(self._edges))

    def remember(self, graph: Graph) -> None:
        for node in graph.nodes:
            self._nodes[node.id] = replace(node, value=None, grad=None, fn=None, saved=None)
        self._edges.update(dict.fromkeys(graph.edges))

    def render(self, graph: Graph, **options) -> str:
        """The picture of `graph` with the ghosts of earlier ones, as SVG (or text)."""
        picture = svg_or_text(render(graph, ghost=self.ghost(), **options))
        self.remember(graph)
        return picture


class GraphExplorer(W.VBox):
    """Checkboxes that rebuild a graph: see :func:`interact_graph`."""

    def __init__(self, build: Callable, switches: Mapping[str, bool],
                 backward: Callable | None = None, saved: bool = False):
        for name, function in (("build", build), ("backward", backward or run_backward)):
            if not callable(function):
                raise TypeError(f"{name} must be a function, got {type(function).__name__}.")
        for name, value in switches.items():
            if not isinstance(value, bool):
                raise TypeError(
                    f"switch {name!r} must start as True or False, got {value!r}."
                )
        self._build, self._backward, self._saved = build, backward, saved
        self.checkboxes = {
            name: W.Checkbox(value=value, description=name.replace("_", " "), indent=False,
                             layout=W.Layout(width="auto", margin="0 24px 0 0"))
            for name, value in switches.items()
        }
        self.picture = W.HTML(layout=W.Layout(overflow="auto"))
        self.table = W.HTML()
        self.message = W.HTML()
        self.gradients: dict[str, torch.Tensor | None] = {}
        self.graph: Graph | None = None
        self.trace = None  # the last backward pass, when the explorer ran it itself
        self._ghosts = GhostMemory()
        self._listeners: list[Callable[[], None]] = []
        self._holding = False  # set() flips several boxes, then redraws once
        super().__init__([
            W.HBox(list(self.checkboxes.values())),
            W.HBox([self.picture, W.VBox([self.table, self.message])]),
            W.HTML(LEGEND),
        ])
        self.add_class("autograd-lab-explorer")
        for box in self.checkboxes.values():
            box.observe(self._switch_flipped, names="value")
        self.update()

    def __repr__(self) -> str:
        return f"GraphExplorer(switches={list(self.checkboxes)})"

    def _switch_flipped(self, _change) -> None:
        if not self._holding:
            self.update()

    def on_update(self, callback: Callable[[], None]) -> None:
        """Call `callback()` after every successful redraw."""
        self._listeners.append(callback)

    @property
    def flags(self) -> dict[str, bool]:
        return {name: box.value for name, box in self.checkboxes.items()}

    def set(self, **flags: bool) -> None:
        """Flip switches from Python, as a click would."""
        unknown = set(flags) - set(self.checkboxes)
        if unknown:
            raise KeyError(f"no switch named {sorted(unknown)}; the switches are {list(self.checkboxes)}")
        self._holding = True
        try:
            for name, value in flags.items():
                self.checkboxes[name].value = value
        finally:
            self._holding = False
        self.update()

    def update(self) -> None:
        """Rebuild with the current switches, run backward, redraw."""
        try:
            root, params = self._call_build()
            self._show(root, params)
            self.message.value = ""
        except Exception as error:  # the widget must stay usable whatever build does
            self.message.value = (f"<p style='{ERROR_STYLE}'><b>{type(error).__name__}:</b> "
                                  f"{html.escape(str(error))}</p>")
            return
        for callback in self._listeners:
            callback()

    def _call_build(self):
        result = self._build(**self.flags)
        root, params = result if isinstance(result, tuple) else (result, {})
        if not isinstance(root, torch.Tensor):
            raise TypeError(f"build must return a tensor (or a tensor and a params dict), "
                            f"got {type(root).__name__}.")
        return root, dict(params or {})

    def _show(self, root: torch.Tensor, params: dict) -> None:
        title, failure, self.trace = None, None, None
        if root.requires_grad:
            # Start from empty .grad so the table shows this build's gradients even
            # when build reuses leaves made outside it.
            for leaf in autograd_graph(root).of_kind("leaf"):
                if leaf.fn is not None:
                    leaf.fn.variable.grad = None
            try:
                if self._backward is not None:
                    self._backward(root, **self.flags)
                elif root.grad_fn is None:  # a bare leaf: nothing to trace
                    run_backward(root)
                else:  # recorded, so a stepper can replay this very pass (see helpers.app)
                    seed = None if root.numel() == 1 else torch.ones_like(root)
                    self.trace = trace_backward(root, params, grad=seed)
            except Exception as error:  # shown beside the picture; the graph is still drawn
                failure = error
            graph = autograd_graph(root, params, saved=self._saved)
        else:
            graph, title = Graph(), "the output does not require grad: there is no graph"
        self.picture.value = self._ghosts.render(graph, title=title)
        self.graph = graph
        tensors = {k: v for k, v in params.items() if isinstance(v, torch.Tensor)}
        if not tensors:  # no names given: list the graph's leaves
            tensors = {f"leaf {i}": n.fn.variable for i, n in enumerate(graph.of_kind("leaf"), 1) if n.fn}
        self.gradients = {name: t.grad if t.is_leaf else None for name, t in tensors.items()}
        self.table.value = gradient_table(
            [(name, format_tensor(t), _grad_text(t)) for name, t in tensors.items()]
        )
        if failure is not None:
            raise failure


def interact_graph(build: Callable, *, backward: Callable | None = None, saved: bool = False,
                   **switches: bool) -> GraphExplorer:
    """Like ``ipywidgets.interact`` for graphs: one checkbox per switch.

    ``build(**flags)`` returns the output tensor, or ``(output, params)`` with params a
    dict of names to tensors. Each change rebuilds, runs backward, redraws the graph
    with gradients, lists the named tensors' gradients, and keeps what the switch
    removed as a grey ghost. If build raises, the message shows in the widget.

    ``backward(output, **flags)``, if given, replaces the plain ``output.backward()``
    (say, to call it twice); what it raises is shown beside the picture. ``saved=True``
    lists the tensors each op keeps for backward, and marks them once freed.
    (``backward`` and ``saved`` are therefore not available as switch names.)
    """
    if not switches:
        raise ValueError("interact_graph needs at least one switch, e.g. detach_d=False.")
    return GraphExplorer(build, switches, backward, saved)


class BackwardStepper(W.VBox):
    """Next/Back/slider through a backward pass: see :func:`backward_stepper`."""

    def __init__(self, root=None, params=None, grad=None, *, trace=None):
        self.slider = W.IntSlider(value=0, min=0, max=0, description="step", readout=False,
                                  continuous_update=True, layout=W.Layout(width="320px"))
        self.back = W.Button(description="◀ Back", layout=W.Layout(width="90px"))
        self.next = W.Button(description="Next ▶", layout=W.Layout(width="90px"))
        self.picture = W.HTML(layout=W.Layout(overflow="auto"))
        self.explanation = W.HTML(layout=W.Layout(min_width="360px"))
        self.back.on_click(lambda _b: self.go(self.step - 1))
        self.next.on_click(lambda _b: self.go(self.step + 1))
        if trace is None:
            self.load(root, params, grad)
        else:
            self.show_trace(trace)
        self.slider.observe(lambda _change: self._show(), names="value")
        super().__init__([
            W.HBox([self.back, self.next, self.slider]),
            W.HBox([self.picture, self.explanation]),
            W.HTML("<small>Red: the node running now, with the gradient it sends along each "
                   "edge · dark green: done · grad: what reached the node so far.</small>"),
        ])
        self.add_class("autograd-lab-stepper")

    def load(self, root, params=None, grad=None) -> None:
        """Run and show another backward pass in the same widget, from its first step."""
        self.show_trace(trace_backward(root, params, grad=grad))

    def show_trace(self, trace) -> None:
        """Show a backward pass already recorded by trace_backward, from its first step."""
        self.trace, self._svgs = trace, {}
        with self.slider.hold_trait_notifications():
            self.slider.value = 0
            self.slider.max = len(trace.steps) - 1
        self._show()

    def __repr__(self) -> str:
        return f"BackwardStepper(steps={len(self.trace.steps)})"

    @property
    def step(self) -> int:
        return self.slider.value

    def go(self, index: int) -> None:
        """Show step `index` (clamped to the first and last step)."""
        self.slider.value = max(0, min(index, self.slider.max))

    def text(self, index: int | None = None) -> str:
        """The chain-rule lines for a step (the current one by default)."""
        return "\n".join(explain_step(self.trace, self.step if index is None else index))

    def _show(self) -> None:
        index = self.step
        if index not in self._svgs:
            self._svgs[index] = svg_or_text(render(self.trace.graph, trace=self.trace, step=index))
        self.picture.value = self._svgs[index]
        self.explanation.value = f"<pre style='font-size:12px'>{html.escape(self.text(index))}</pre>"
        self.back.disabled = index == 0
        self.next.disabled = index == self.slider.max


def backward_stepper(root, params=None, grad=None) -> BackwardStepper:
    """Step through `root`'s backward pass, one engine step at a time.

    Runs the backward pass once (so the leaves' .grad fill in, as with root.backward())
    and shows each step: the node highlighted, the gradient that arrived, and
    arrived × local derivative = the gradient sent to each input."""
    return BackwardStepper(root, params, grad)


def _normalise(text: object) -> str:
    return " ".join(str(text).strip().strip("`'\"").casefold().split())


def _as_number(text: object) -> float | None:
    try:
        return float(str(text).strip())
    except ValueError:
        return None


class Quiz(W.VBox):
    """A self-check question: see :func:`quiz`."""

    def __init__(self, question: str, answer, options: Sequence[str] | None = None,
                 explanation: str = "", hint: str = "", why: Mapping[str, str] | None = None):
        if not question:
            raise ValueError("quiz needs a question.")
        self.answers = list(answer) if isinstance(answer, (list, tuple, set)) else [answer]
        self.options = list(options) if options else None
        if self.options:
            missing = [a for a in self.answers if str(a) not in self.options]
            if missing:
                raise ValueError(f"answer {missing[0]!r} is not one of the options {self.options}.")
        self.explanation, self.hint, self.why = explanation, hint, dict(why or {})
        if self.options:
            self.input = W.RadioButtons(options=self.options, value=None, layout=W.Layout(width="auto"))
        else:
            self.input = W.Text(placeholder="your answer", continuous_update=False)
        self.button = W.Button(description="Check", button_style="primary")
        self.feedback = W.HTML()
        self.correct: bool | None = None
        self.button.on_click(lambda _button: self.check())
        super().__init__([W.HTML(f"<b>Quiz.</b> {question}"), self.input, self.button, self.feedback])
        self.add_class("autograd-lab-quiz")

    def __repr__(self) -> str:
        return "Quiz()"

    def is_right(self, given) -> bool:
        if given is None:
            return False
        for answer in self.answers:
            if isinstance(answer, (int, float)) and not isinstance(answer, bool):
                number = _as_number(given)
                if number is not None and math.isclose(number, answer, rel_tol=1e-6, abs_tol=1e-9):
                    return True
            elif _normalise(given) == _normalise(answer):
                return True
        return False

    def check(self, given=None) -> bool:
        """Mark the answer given (or the one in the input) and say why."""
        if given is not None:
            self.input.value = str(given)
        given = self.input.value
        if given in (None, ""):
            self.feedback.value = "<p>Pick or type an answer first.</p>"
            self.correct = None
            return False
        self.correct = self.is_right(given)
        if self.correct:
            text = f"<p style='color:#1b5e20'><b>Right.</b> {self.explanation}</p>"
        else:
            reason = self.why.get(str(given)) or self.hint or "Have another go."
            text = f"<p style='{ERROR_STYLE}'><b>Not quite.</b> {reason}</p>"
        self.feedback.value = text
        return self.correct


def quiz(question: str, answer, options: Sequence[str] | None = None, *,
         explanation: str = "", hint: str = "", why: Mapping[str, str] | None = None) -> Quiz:
    """A self-check: with `options` the learner picks one, else types an answer.

    `answer` is the right answer (or a list of accepted ones); numbers are compared
    as numbers, text without regard to case. `explanation` is shown when right;
    `why` maps a wrong option to the reason it is wrong, and `hint` covers the rest.
    """
    return Quiz(question, answer, options, explanation, hint, why)


NO_REMEDY, RETAIN = "no remedy", "retain_graph=True"


def _norm_text(norm: float | None) -> str:
    return "None: no gradient" if norm is None else f"{norm:.4f}"


class GanDetachLab(W.VBox):
    """The detach() question of GAN training, answered by running it: see :func:`gan_detach_lab`."""

    def __init__(self, gan, real: torch.Tensor, noise: torch.Tensor, measure: bool = True):
        from . import gan as gan_module  # the GAN code is only needed by this widget

        self._gan_module, self.gan, self.real, self.noise, self._measure = gan_module, gan, real, noise, measure
        self.detach = W.Checkbox(value=True, description="detach() the generated points in the D step",
                                 indent=False, layout=W.Layout(width="auto"))
        self.remedy = W.ToggleButtons(options=[NO_REMEDY, RETAIN], value=NO_REMEDY,
                                      description="without detach:", style={"description_width": "initial"})
        self.picture = W.HTML(layout=W.Layout(overflow="auto", max_height="520px"))
        self.report = W.HTML(layout=W.Layout(min_width="420px"))
        self.outcome = None
        self._ghosts = GhostMemory()
        super().__init__([
            W.HBox([self.detach, self.remedy]),
            W.HBox([self.picture, self.report]),
            W.HTML("<small>The picture is d_loss's graph: G's layers (G.*) sit above the generated "
                   "points; faint dashed boxes are what detach() cut away.</small>"),
        ])
        self.add_class("autograd-lab-gan")
        for control in (self.detach, self.remedy):
            control.observe(lambda _change: self.update(), names="value")
        self.update()

    def __repr__(self) -> str:
        return "GanDetachLab()"

    @property
    def retain_graph(self) -> bool:
        return not self.detach.value and self.remedy.value == RETAIN

    def update(self) -> None:
        self.remedy.disabled = self.detach.value
        gm = self._gan_module
        outcome = gm.d_then_g_step(self.gan, self.real, self.noise, self.detach.value, self.retain_graph)
        self.outcome = outcome
        params = {**self.gan.named_parameters(), "generated points": outcome.fake, "d_loss": outcome.d_loss}
        graph = autograd_graph(outcome.d_loss, params)
        self.picture.value = self._ghosts.render(graph, values=False, grads=False)
        rows = [
            ("G's gradient after d_loss.backward()", _norm_text(outcome.g_grad_after_d_step)),
            ("D's gradient after d_loss.backward()", _norm_text(outcome.d_grad_after_d_step)),
            ("G step: g_loss.backward()", "works" if outcome.g_step_error is None
             else "RuntimeError: " + outcome.g_step_error.split(" (")[0]),
            ("G's gradient after the G step", _norm_text(outcome.g_grad_after_g_step)),
        ]
        if self._measure:
            cost = gm.measure_d_step(self.gan, self.real, self.noise, self.detach.value, self.retain_graph)
            rows += [("D step time (median of 20)", f"{cost.median_ms:.2f} ms"),
                     ("tensor memory at the D step's peak", f"{cost.peak_bytes / 2**20:.2f} MiB"),
                     ("still held after the D step", f"{cost.kept_bytes / 2**20:.2f} MiB")]
        cells = "".join(f"<tr><td>{html.escape(k)}</td><td><b>{html.escape(v)}</b></td></tr>" for k, v in rows)
        self.report.value = TABLE_STYLE + f"<table class='autograd-lab-grads'>{cells}</table>"


def gan_detach_lab(gan, real: torch.Tensor, noise: torch.Tensor, measure: bool = True) -> GanDetachLab:
    """One D step and one G step of `gan` (a helpers.gan.TinyGAN) on a real batch and a
    noise batch, with a switch for detach() in the D step and, without it, a choice of
    remedy. Shows d_loss's graph, the gradient norms, whether the G step works, and
    (with measure=True) the D step's time and tensor memory. The models are not updated."""
    return GanDetachLab(gan, real, noise, measure)
