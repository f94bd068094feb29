"""Predict, then reveal: before a switch's effect is shown, the learner says what will happen.

The widgets ask a few statements ("x gets a .grad"), each to be called true or false or left
unanswered, wait for *Run it*, run real autograd, and mark each answer right or wrong with a
one-line reason. What is left unanswered is not scored: "k of n answered, j right".
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

import ipywidgets as W

from .common import STYLE, close_with_parts

PROMPT = (
    "A switch changed. Before the picture does: say whether each statement will be true or false "
    "(or leave it), then press <b>Run it</b>."
)

WAIT_FOR_RUN = "Out of date: a switch changed. Predict, then press Run it."


class Outcome(NamedTuple):
    """What a statement turned out to be, and why."""

    true: bool
    reason: str


class Prediction(W.VBox):
    """The ask-then-mark row a widget puts above its picture.

    ``ask(statements)`` shows one checkbox per statement and the *Run it* button;
    ``score(outcomes)`` marks what was ticked against what autograd did."""

    def __init__(self, run: Callable[[], None], enabled: bool = True):
        self.enabled = W.Checkbox(
            value=enabled,
            description="predict before each change is shown",
            indent=False,
            layout=W.Layout(width="auto"),
        )
        self.prompt = W.HTML()
        self.ticks: dict[str, W.Checkbox] = {}
        self.tick_row = W.HBox(layout=W.Layout(flex_flow="row wrap"))
        self.run_button = W.Button(
            description="Run it", button_style="primary", icon="play", tooltip="Run autograd and mark the prediction"
        )
        self.marks = W.HTML()
        self.results: dict[str, bool] = {}  # statement → was the prediction right, after the last score
        self.run_button.on_click(lambda _button: run())
        super().__init__([self.enabled, self.prompt, self.tick_row, self.run_button, self.marks])
        self.add_class("autograd-lab-predict")
        # turning the asking off while a question waits shows its answer at once
        self.enabled.observe(lambda change: run() if self.pending and not change["new"] else None, names="value")
        self._show_question(False)

    @property
    def pending(self) -> bool:
        """A question is waiting for Run it."""
        return bool(self.ticks) and self.run_button.layout.display != "none"

    @property
    def guesses(self) -> dict[str, bool | None]:
        """Each statement asked, with the learner's answer: True, False, or None (left)."""
        return {statement: choice.value for statement, choice in self.ticks.items()}

    def ask(self, statements: Sequence[str]) -> None:
        """Show the statements to answer (a second flip before Run it keeps the answers given)."""
        statements = list(statements)
        if not (self.pending and list(self.ticks) == statements):
            for row in self.tick_row.children:
                for part in (*row.children, row):
                    close_with_parts(part)
            self.ticks = {s: _true_or_false() for s in statements}
            self.tick_row.children = tuple(
                W.HBox([W.HTML(f"<b>{html.escape(s)}</b>:"), choice], layout=W.Layout(margin="0 24px 0 0")).add_class(
                    "agl-guess"
                )
                for s, choice in self.ticks.items()
            )
        self.marks.value = ""
        self._show_question(True)

    def tick(self, guesses: Mapping[str, bool | None]) -> None:
        """Answer statements from Python, as a learner's clicks would (None leaves one)."""
        unknown = [s for s in guesses if s not in self.ticks]
        if unknown:
            raise KeyError(f"no statement {unknown[0]!r} is asked now; the statements are {list(self.ticks)}.")
        for statement, value in guesses.items():
            self.ticks[statement].value = None if value is None else bool(value)

    def score(self, outcomes: Mapping[str, Outcome]) -> None:
        """Mark each answered statement against what happened, and hide the question."""
        if not self.pending:
            return
        self.results, lines = {}, []
        for statement, said in self.guesses.items():
            outcome = outcomes.get(statement)
            if outcome is None:  # the new build has no such tensor
                lines.append(f"<li>· <b>{html.escape(statement)}</b>: not in this graph any more.</li>")
                continue
            verdict = "true" if outcome.true else "false"
            if said is None:
                mark = "<span class='agl-legend'>· not answered</span>"
            else:
                right = said == outcome.true
                self.results[statement] = right
                mark = (
                    "<span class='agl-right'>✓ right</span>"
                    if right
                    else f"<span class='agl-wrong'>✗ you said {'true' if said else 'false'}</span>"
                )
            lines.append(
                f"<li>{mark}: <b>{html.escape(statement)}</b> is {verdict}; {html.escape(outcome.reason)}</li>"
            )
        right = sum(self.results.values())
        self.marks.value = (
            f"{STYLE}<div class='agl-text'><b>Your prediction: {len(self.results)} of {len(self.guesses)} "
            f"answered, {right} right.</b><ul style='margin:2px 0'>{''.join(lines)}</ul></div>"
        )
        self._show_question(False)

    def cancel(self) -> None:
        """Drop the question unanswered (say, when the widget is rebuilt)."""
        self.marks.value = ""
        self._show_question(False)

    def _show_question(self, shown: bool) -> None:
        display = None if shown else "none"
        self.prompt.value = f"{STYLE}<p class='agl-text'>{PROMPT}</p>" if shown else ""
        self.tick_row.layout.display = display
        self.run_button.layout.display = display


def _true_or_false() -> W.ToggleButtons:
    """One statement's answer: true, false, or neither (nothing pressed)."""
    return W.ToggleButtons(
        options=[("true", True), ("false", False)],
        value=None,
        style={"button_width": "56px"},
        layout=W.Layout(width="auto"),
    )


def grad_statement(name: str) -> str:
    return f"{name} gets a .grad"


def grad_outcome(tensor, backward_failed: bool = False) -> Outcome:
    """Did `tensor` get a .grad from the backward pass just run, and the one-line why."""
    keeps_grad = tensor.is_leaf or tensor.retains_grad  # reading a plain non-leaf's .grad warns
    if keeps_grad and tensor.grad is not None:
        return Outcome(
            True,
            "a backward call reached it before the error."
            if backward_failed
            else "backward ran back along recorded operations to it and filled its .grad.",
        )
    if not tensor.requires_grad:
        return Outcome(False, "it does not require grad, so autograd computes nothing for it.")
    if not tensor.is_leaf:
        return Outcome(
            False,
            "it is the result of an operation (it has a grad_fn), and only leaves keep a "
            ".grad unless retain_grad() asks.",
        )
    if backward_failed:
        return Outcome(False, "backward failed before reaching it: the message under the picture says why.")
    return Outcome(
        False,
        "it requires grad, but no recorded operation leads back to it from the output: "
        "detach() or no_grad cut the path, or the output does not use it.",
    )
