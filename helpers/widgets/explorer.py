"""Flip a switch and watch the graph change: ``interact_graph``.

One switch flip does each piece of work once: build → walk the graph → run and record
backward → snapshot the numbers → send the picture to the view.
"""

from __future__ import annotations

import contextlib
import inspect
import io
import itertools
import warnings
from collections.abc import Callable, Mapping
from typing import NamedTuple

import ipywidgets as W
import torch

from ..backward import record_backward, seed_gradients
from ..errors import explain_backward_error
from ..graph import Graph, display_names
from ..render import prepare
from ..view import EMPTY_SCENE, GraphView, StaticPicture, scene
from .common import STYLE, close_with_parts, error_text, gradient_table, legend
from .ghosts import GhostMemory
from .predict import WAIT_FOR_RUN, Prediction, grad_outcome, grad_statement

LEGEND = (
    "Light blue: leaves · green: the output · grey: backward ops · dashed <i>no grad</i>: an "
    "input that carries no gradient · faint dashed: removed by a switch. Click a box to inspect it; "
    "drag to pan, Ctrl + wheel or the buttons to zoom."
)
RECORD_AT_MOST = 4  # switches whose every setting is recorded for the site: 2**4 = 16 builds


def _operations(root: torch.Tensor, limit: int = 10_000) -> set[int]:
    """The ids of the recorded operations (not leaves' AccumulateGrad) behind `root`."""
    seen, stack = set(), [root.grad_fn]
    while stack and len(seen) < limit:
        node = stack.pop()
        if node is None or id(node) in seen or type(node).__name__ == "AccumulateGrad":
            continue
        seen.add(id(node))
        stack.extend(next_node for next_node, _ in node.next_functions)
    return seen


def _picture(run: _Run, ghost: Graph | None, replay: bool = False) -> dict:
    """What the view shows for a run: its graph with ghosts, or only its message."""
    if run.shown is None:
        return {**EMPTY_SCENE, "message": run.message, "message_kind": run.message_kind}
    return scene(
        run.shown, run.snapshot, ghost=ghost, hidden=run.hidden, trace=run.trace, replay=replay,
        message=run.message, message_kind=run.message_kind,
    )  # fmt: skip


def setting_key(switches: Mapping[str, bool]) -> str:
    """A setting as the site's player keys it: one digit per switch, in order ("1,0")."""
    return ",".join("1" if value else "0" for value in switches.values())


def _check_switches(build: Callable, switches: Mapping[str, object]) -> None:
    """Fail at once, as ipywidgets' interact does, when the switches do not fit build."""
    try:
        parameters = inspect.signature(build).parameters
    except (TypeError, ValueError):  # a builtin without a signature: let the call tell
        return
    if any(p.kind is p.VAR_KEYWORD for p in parameters.values()):
        return
    by_keyword = [name for name, p in parameters.items() if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    unknown = [name for name in switches if name not in by_keyword]
    if unknown:
        raise TypeError(
            f"build has no parameter {unknown[0]!r}, so that switch could not reach it; "
            f"build's parameters are {by_keyword or 'none'}. Rename the switch, or add the "
            "parameter to build."
        )
    needed = [
        name
        for name, p in parameters.items()
        if p.default is p.empty and name not in switches and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    ]
    if needed:
        raise TypeError(
            f"build needs {needed[0]!r}, which no switch gives: add {needed[0]}=False (or True) to the switches."
        )


def _as_output(result) -> tuple[torch.Tensor, dict]:
    """build's result as (output, params), or a clear error about what it returned."""
    if isinstance(result, torch.Tensor):
        return result, {}
    if (
        isinstance(result, tuple)
        and len(result) == 2
        and isinstance(result[0], torch.Tensor)
        and isinstance(result[1], (Mapping, type(None)))
    ):
        return result[0], dict(result[1] or {})
    shape = (
        f"a tuple of {len(result)} ({', '.join(type(r).__name__ for r in result)})"
        if isinstance(result, tuple)
        else type(result).__name__
    )
    raise TypeError(
        f"build must return the output tensor, or (output, params) with params a dict "
        f"of names to tensors; it returned {shape}. For several outputs, return their sum."
    )


class _Run(NamedTuple):
    """One build with one setting of the switches, run and pictured."""

    message: str  # said under the picture (backward's error, or a note)
    message_kind: str  # "info" or "error"
    hidden: int  # nodes left out of the picture
    graph: Graph
    shown: Graph | None  # the graph as drawn (shortened), None without a graph
    snapshot: object
    trace: object
    backward_failed: bool
    leaves: list
    named: dict[str, torch.Tensor]  # the tensors the gradient table and the prediction name
    table: str  # the gradient table's HTML
    outcomes: dict  # statement → Outcome, for the prediction


class GraphExplorer(StaticPicture, W.VBox):
    """Checkboxes that rebuild a graph: see :func:`interact_graph`."""

    def __init__(
        self,
        build: Callable,
        switches: Mapping[str, bool],
        *,
        backward: Callable | None = None,
        saved: bool = False,
        predict: bool = True,
        record: bool = True,
    ):
        if backward is not None and not callable(backward):
            raise TypeError(f"backward must be a function, got {type(backward).__name__}.")
        self._backward, self._saved, self._record = backward, saved, record
        self.view = GraphView()
        self.switch_row = W.HBox(layout=W.Layout(flex_flow="row wrap"))
        self.table = W.HTML()
        self._table_html = ""
        self.gradients: dict[str, torch.Tensor | None] = {}
        self._named: dict[str, torch.Tensor] = {}  # the tensors the gradient table and prediction name
        self.graph: Graph | None = None
        self.snapshot = None
        self.trace = None  # the last backward pass, when the explorer ran it itself
        self._ghosts = GhostMemory()
        self._listeners: list[Callable[[], None]] = []
        self._holding = False  # set() flips several boxes, then redraws once
        self._leaves: list[torch.Tensor] = []
        self._backward_failed = False
        self.prediction = Prediction(self.update, enabled=predict)
        super().__init__([self.switch_row, self.prediction, self.view, self.table, W.HTML(legend(LEGEND))])
        self.add_class("autograd-lab-explorer")
        self.rebuild(build, switches)

    def __repr__(self) -> str:
        return f"GraphExplorer(switches={list(self.checkboxes)})"

    @property
    def picture_view(self) -> GraphView:
        return self.view

    def rebuild(self, build: Callable, switches: Mapping[str, bool]) -> None:
        """Explore another build function in the same widget (its ghosts start afresh)."""
        if not callable(build):
            raise TypeError(f"build must be a function, got {type(build).__name__}.")
        for name, value in switches.items():
            if not isinstance(value, bool):
                raise TypeError(f"switch {name!r} must start as True or False, got {value!r}.")
        _check_switches(build, switches)
        for box in getattr(self, "checkboxes", {}).values():
            close_with_parts(box)
        self._build = build
        self.checkboxes = {
            name: W.Checkbox(
                value=value,
                description=name.replace("_", " "),
                indent=False,
                layout=W.Layout(width="auto", margin="0 24px 0 0"),
            )
            for name, value in switches.items()
        }
        for box in self.checkboxes.values():
            box.observe(self._switch_flipped, names="value")
        self.switch_row.children = tuple(self.checkboxes.values())
        self._ghosts.forget()
        self.prediction.cancel()
        self.recorded = self._record_every_setting()
        self.update()

    def _record_every_setting(self) -> dict | None:
        """Every setting of a few switches, run and pictured now, so that a page with no
        kernel (the course site) can flip between them: None past RECORD_AT_MOST switches.
        Each picture's ghosts are what the other settings draw and it does not."""
        names = list(self.checkboxes)
        if not self._record or len(names) > RECORD_AT_MOST:
            return None
        settings = [dict(zip(names, bits)) for bits in itertools.product((False, True), repeat=len(names))]
        runs = {}
        # What build prints or warns belongs to the setting the learner runs, not to these.
        with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if not self._builds_fresh_graphs():
                return None
            for setting in settings:
                try:
                    runs[setting_key(setting)] = self._run(setting)
                except Exception as error:  # as update() shows it
                    runs[setting_key(setting)] = error
        drawn = [run.shown for run in runs.values() if isinstance(run, _Run) and run.shown is not None]
        ghost = Graph(
            list({node.id: node for graph in drawn for node in graph.nodes}.values()),
            list(dict.fromkeys(edge for graph in drawn for edge in graph.edges)),
        )
        states = {}
        for key, run in runs.items():
            if isinstance(run, Exception):
                states[key] = {"view": {**EMPTY_SCENE, "message": error_text(run), "message_kind": "error"}}
                continue
            picture = _picture(run, ghost, replay=True)  # with the backward steps, which the site replays
            if picture["steps"]:
                picture["mode"] = "stepper"
            states[key] = {
                "view": picture,
                "table": run.table,
                "outcomes": {s: {"true": o.true, "reason": o.reason} for s, o in run.outcomes.items()},
            }
        return {
            "kind": "explorer",
            "order": names,  # a notebook stores objects with sorted keys: the switches' order is kept here
            "switches": self.switches,
            "labels": {name: box.description for name, box in self.checkboxes.items()},
            "legend": legend(LEGEND),
            "predict": self.prediction.enabled.value,
            "states": states,
        }

    def _builds_fresh_graphs(self) -> bool:
        """Whether two builds share no recorded operation: a build that extends a graph made
        outside it would find that graph freed by the recording's backward passes."""
        try:
            first, second = (_as_output(self._build(**self.switches))[0] for _ in range(2))
        except Exception:
            return True  # each setting's run will show build's error
        return not (_operations(first) & _operations(second))

    def live_record(self) -> dict:
        """What the course site needs to bring this explorer to life without a kernel."""
        if self.recorded is None:
            why = (
                "Its settings were not recorded"
                if not self._record
                else f"It has more than {RECORD_AT_MOST} switches"
                if len(self.checkboxes) > RECORD_AT_MOST
                else "Its build extends a graph made outside it"
            )
            return {**super().live_record(), "note": f"{why}, so flipping them needs a kernel."}
        return {**self.recorded, "switches": self.switches}

    def _switch_flipped(self, _change) -> None:
        if self._holding:
            return
        if self.prediction.enabled.value and self.gradients:
            self.prediction.ask([grad_statement(name) for name in self.gradients])
            self.view.say(WAIT_FOR_RUN, "info", stale=bool(self.view.dot))
        else:
            self.update()

    def predict(self, **gets_grad: bool) -> None:
        """Tick the prediction from Python, as a learner would: ``predict(x=True, w=False)``
        says x will get a .grad and w will not. ``run()`` then reveals and marks it."""
        self.prediction.tick({grad_statement(name): value for name, value in gets_grad.items()})

    def run(self) -> None:
        """What *Run it* does: rebuild with the switches now, and mark the prediction."""
        self.update()

    def on_update(self, callback: Callable[[], None]) -> None:
        """Call `callback()` after every successful redraw."""
        self._listeners.append(callback)

    @property
    def switches(self) -> dict[str, bool]:
        """Each switch by name, with its value now."""
        return {name: box.value for name, box in self.checkboxes.items()}

    @property
    def message(self) -> str:
        """The message under the picture ("" when all went well)."""
        return self.view.message

    @property
    def dot(self) -> str:
        """The DOT text of the picture shown."""
        return self.view.dot

    def forget_ghosts(self) -> None:
        self._ghosts.forget()

    def set(self, **values: bool) -> None:
        """Flip switches from Python and show the result at once (a prediction ticked
        is marked); the picture is redrawn once."""
        unknown = set(values) - set(self.checkboxes)
        if unknown:
            raise KeyError(f"no switch named {sorted(unknown)}; the switches are {list(self.checkboxes)}")
        for name, value in values.items():
            if not isinstance(value, bool):
                raise TypeError(f"switch {name!r} takes True or False, got {value!r}.")
        self._holding = True
        try:
            for name, value in values.items():
                self.checkboxes[name].value = value
        finally:
            self._holding = False
        self.update()

    def update(self) -> None:
        """Rebuild with the current switches, run backward, redraw."""
        try:
            run = self._run(self.switches)
        except Exception as error:  # the widget must stay usable whatever build does
            self.trace = None
            self.prediction.cancel()
            self.view.say(error_text(error), "error", stale=bool(self.view.dot))
            if self._table_html:  # the last run's numbers stay readable, marked as old
                self.table.value = (
                    f"{STYLE}<p class='agl-legend'>Out of date: the last run's gradients.</p>"
                    f"<div style='opacity:0.45'>{self._table_html}</div>"
                )
            return
        self.trace, self._backward_failed, self._leaves = run.trace, run.backward_failed, run.leaves
        self.graph, self.snapshot, self._named = run.graph, run.snapshot, run.named
        self.gradients = {name: t.grad if t.is_leaf else None for name, t in run.named.items()}
        self.table.value = self._table_html = run.table
        self.view.apply(_picture(run, self._ghosts.ghost()))
        if run.shown is not None:
            self._ghosts.remember(tuple(self.switches.items()), run.shown)
        self.prediction.score(run.outcomes)
        for callback in self._listeners:
            callback()

    def _run(self, switches: dict[str, bool]) -> _Run:
        """Build with these switches, run backward, and take everything a picture of the
        result needs; build's own errors propagate, backward's are shown in the picture."""
        root, params = _as_output(self._build(**switches))
        trace, leaves, by_name, hidden = None, [], {}, 0
        said = {"message": "", "kind": "info"}
        tensors = {k: v for k, v in params.items() if isinstance(v, torch.Tensor)}
        for tensor in tensors.values():  # a named leaf outside this graph must not show an old .grad
            if tensor.is_leaf:
                tensor.grad = None
        if not root.requires_grad:
            graph, snapshot, shown = Graph(), None, None
            said["message"] = "The output does not require grad: there is no graph."
        else:

            def backward(graph, live):
                # Start from empty .grad so the table shows this build's gradients even
                # when build reuses leaves made outside it.
                for leaf in live.leaf_tensors(graph):
                    leaf.grad = None
                try:
                    trace, said["message"] = self._run_backward(root, graph, live, switches)
                    return trace
                except Exception as error:  # shown under the picture; the graph is still drawn
                    said.update(message=error_text(explain_backward_error(error)), kind="error")
                    return None

            shown, snapshot, hidden, trace, graph, live = prepare(
                root, params, backward=backward, saved=self._saved, warn=False
            )
            leaves = live.leaf_tensors(graph)
            names = display_names(graph)  # the leaves as the picture calls them
            by_name = {
                names[node.id]: live.tensors[node.id] for node in graph.of_kind("leaf") if node.id in live.tensors
            }
        failed = said["kind"] == "error"
        if not tensors:  # no names given: list the graph's leaves
            tensors = by_name
        outcomes = {grad_statement(name): grad_outcome(tensor, failed) for name, tensor in tensors.items()}
        return _Run(
            said["message"], said["kind"], hidden, graph, shown, snapshot, trace, failed, leaves, tensors,
            gradient_table(tensors), outcomes,
        )  # fmt: skip

    def _run_backward(self, root: torch.Tensor, graph: Graph, live, switches: dict[str, bool]) -> tuple[object, str]:
        """The backward pass for this build; returns the trace (if recorded) and a note."""
        if self._backward is not None:
            self._backward(root, **switches)
            return None, ""
        if root.grad_fn is None:  # a bare leaf: nothing to trace, backward just fills .grad
            seeds, _made_up = seed_gradients([root], ones_for_nonscalar=True)
            torch.autograd.backward([root], seeds)
            return None, ""
        trace = record_backward(graph, live, ones_for_nonscalar=True)
        note = (
            f"The output has shape {tuple(root.shape)}, so backward started from ones: the gradient of output.sum()."
            if trace.seeded_with_ones
            else ""
        )
        return trace, note


def interact_graph(
    build: Callable, *, backward: Callable | None = None, saved: bool = False, predict: bool = True, **switches: bool
) -> GraphExplorer:
    """Like ``ipywidgets.interact`` for graphs: one checkbox per switch.

    ``build(**switches)`` returns the output tensor, or ``(output, params)`` with params a
    dict of names to tensors. Each change rebuilds, runs backward, redraws the graph
    with gradients (the view morphs from the old picture to the new), lists the named
    tensors' gradients, and keeps what the switch removed as a grey ghost. If build
    raises, the message shows under the picture.

    ``backward(output, **switches)``, if given, replaces the plain ``output.backward()``
    (say, to call it twice); what it raises is shown under the picture. ``saved=True``
    lists the tensors each op keeps for backward, and marks them once freed.

    With ``predict=True`` (the default) a flipped switch first asks the learner which
    named tensors will get a .grad; *Run it* then shows the graph and marks each guess
    with its reason. A checkbox in the widget turns the asking off.
    (``backward``, ``saved`` and ``predict`` are therefore not available as switch names.)
    """
    if not callable(build):
        raise TypeError(f"build must be a function, got {type(build).__name__}.")
    if not switches:
        raise ValueError("interact_graph needs at least one switch, e.g. detach_d=False.")
    return GraphExplorer(build, switches, backward=backward, saved=saved, predict=predict)
