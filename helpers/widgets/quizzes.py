"""A self-check question: ``quiz``."""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence

import ipywidgets as W

from ..view import LIVE_KEY
from .common import STYLE


def _normalise(text: object) -> str:
    return " ".join(str(text).strip().strip("`'\"").casefold().split())


def _as_number(text: object) -> float | None:
    try:
        return float(str(text).strip())
    except ValueError:
        return None


TRIES_BEFORE_REVEAL = 2  # wrong answers after which "Show the answer" is offered (the record tells the site)


class Quiz(W.VBox):
    """A self-check: with `options` the learner picks one, else types an answer.

    `answer` is the right answer (or a list of accepted ones); numbers are compared
    as numbers, text without regard to case. `explanation` is shown when right;
    `why` maps a wrong option to the reason it is wrong, and `hint` covers the rest.
    """

    def __init__(
        self,
        question: str,
        answer,
        options: Sequence[str] | None = None,
        *,
        explanation: str = "",
        hint: str = "",
        why: Mapping[str, str] | None = None,
    ):
        if not question:
            raise ValueError("quiz needs a question.")
        self.answers = list(answer) if isinstance(answer, (list, tuple, set)) else [answer]
        self.options = [str(option) for option in options] if options else None
        if self.options:
            missing = [a for a in self.answers if str(a) not in self.options]
            if missing:
                raise ValueError(f"answer {missing[0]!r} is not one of the options {self.options}.")
        self.question = question
        self.explanation, self.hint, self.why = explanation, hint, dict(why or {})
        if self.options:
            self.input = W.RadioButtons(options=self.options, value=None, layout=W.Layout(width="auto"))
        else:
            self.input = W.Text(placeholder="your answer", continuous_update=False)
        self.button = W.Button(description="Check", button_style="primary")
        # offered after a few wrong tries, so that a learner who is stuck can read on
        self.reveal_button = W.Button(description="Show the answer", layout=W.Layout(display="none"))
        self.feedback = W.HTML()
        self.correct: bool | None = None
        self.wrong_tries = 0
        self.button.on_click(lambda _button: self.check())
        self.reveal_button.on_click(lambda _button: self.reveal())
        super().__init__(
            [
                W.HTML(f"{STYLE}<div class='agl-text'><b>Quiz.</b> {question}</div>"),
                self.input,
                W.HBox([self.button, self.reveal_button]),
                self.feedback,
            ]
        )
        self.add_class("autograd-lab-quiz")

    def __repr__(self) -> str:
        return "Quiz()"

    def _repr_mimebundle_(self, **kwargs):
        """Besides the widget: the question as HTML, which JupyterLab shows in a notebook not
        yet trusted or run, and the whole quiz as a record for pages with no kernel."""
        data = super()._repr_mimebundle_(**kwargs)
        options = "".join(f"<li>{html.escape(option)}</li>" for option in self.options or ())
        data["text/html"] = (
            f"<div class='autograd-lab-quiz-text'><p><b>Quiz.</b> {self.question}</p>"
            + (f"<ul>{options}</ul>" if options else "")
            + "<p><i>Run the notebook to answer it here.</i></p></div>"
        )
        return data, {LIVE_KEY: self.live_record()}

    def live_record(self) -> dict:
        return {
            "kind": "quiz",
            "question": self.question,
            "options": self.options,
            "answers": [a if isinstance(a, (int, float, str)) else str(a) for a in self.answers],
            "explanation": self.explanation,
            "hint": self.hint,
            "why": self.why,
            "tries_before_reveal": TRIES_BEFORE_REVEAL,
        }

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
            if self.options and str(given) not in self.options:
                raise ValueError(f"{given!r} is not one of the options {self.options}.")
            self.input.value = str(given)
        given = self.input.value
        if given in (None, ""):
            self.feedback.value = "<p>Pick or type an answer first.</p>"
            self.correct = None
            return False
        self.correct = self.is_right(given)
        if self.correct:
            text = f"{STYLE}<p class='agl-right'><b>Right.</b> {self.explanation}</p>"
        else:
            reason = self.why.get(str(given)) or self.hint or "Have another go."
            text = f"{STYLE}<p class='agl-wrong'><b>Not quite.</b> {reason}</p>"
            self.wrong_tries += 1
            if self.wrong_tries >= TRIES_BEFORE_REVEAL:
                self.reveal_button.layout.display = None
        self.feedback.value = text
        return self.correct

    def reveal(self) -> None:
        """Show the right answer and why."""
        answers = " or ".join(str(answer) for answer in self.answers)
        self.feedback.value = (
            f"{STYLE}<p class='agl-text'><b>The answer:</b> {html.escape(answers)}. {self.explanation}</p>"
        )


# The name the notebooks call it by, like the helpers' other makers (h.quiz(...)).
quiz = Quiz
