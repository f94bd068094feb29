"""The detach() question of GAN training, answered by running it: ``gan_detach_lab``."""

from __future__ import annotations

import ipywidgets as W
import torch

from ..render import prepare
from ..view import GraphView, StaticPicture
from .common import legend, table_html
from .ghosts import GhostMemory
from .predict import WAIT_FOR_RUN, Outcome, Prediction

NO_REMEDY, RETAIN = "no remedy", "retain_graph=True"
G_GETS_GRAD = "G's parameters get a gradient from d_loss.backward()"
G_STEP_WORKS = "the G step's g_loss.backward() works"
LEGEND = (
    "The picture is d_loss's graph: G's layers (G.*) sit above the generated points; faint dashed "
    "boxes are what detach() cut away. Click a box to see its parameter's gradient."
)


def _norm_text(norm: float | None) -> str:
    return "None: no gradient" if norm is None else f"{norm:.4f}"


def _outcomes(detach: bool, retain_graph: bool, outcome) -> dict[str, Outcome]:
    """What the D step did to G, and whether the G step could run, each with its reason."""
    reached = outcome.g_grad_after_d_step is not None
    if detach:
        why_grad = "detach() cut the generated points from G, so d_loss's graph ends at them."
        why_step = "d_loss.backward() never ran through G's part of the graph, so its saved tensors are still there."
    else:
        why_grad = "without detach() the generated points stay linked to G, so d_loss's backward runs on into G."
        why_step = (
            "retain_graph=True kept the saved tensors of G's part for a second backward."
            if retain_graph
            else "d_loss.backward() already ran through G's part of the graph and freed its saved tensors."
        )
    return {G_GETS_GRAD: Outcome(reached, why_grad), G_STEP_WORKS: Outcome(outcome.g_step_error is None, why_step)}


def _check_batches(gan, real, noise) -> None:
    from ..gan import NOISE_SIZE, TinyGAN

    if not isinstance(gan, TinyGAN):
        raise TypeError(f"gan must be made by helpers.gan.make_gan(), got {type(gan).__name__}.")
    for name, batch, width in (("real", real, 2), ("noise", noise, NOISE_SIZE)):
        if not isinstance(batch, torch.Tensor) or batch.dim() != 2 or batch.shape[1] != width:
            got = tuple(batch.shape) if isinstance(batch, torch.Tensor) else type(batch).__name__
            raise ValueError(f"{name} must be a batch of shape (N, {width}), got {got}.")


class GanDetachLab(StaticPicture, W.VBox):
    """The D step with or without detach(): see :func:`gan_detach_lab`."""

    def __init__(self, gan, real: torch.Tensor, noise: torch.Tensor, measure: bool = True):
        from .. import gan as gan_module  # the GAN code is only needed by this widget

        _check_batches(gan, real, noise)
        self._gan_module, self.gan, self.real, self.noise, self._measure = gan_module, gan, real, noise, measure
        self.detach = W.Checkbox(
            value=True,
            description="detach() the generated points in the D step",
            indent=False,
            layout=W.Layout(width="auto"),
        )
        self.remedy = W.ToggleButtons(
            options=[NO_REMEDY, RETAIN],
            value=NO_REMEDY,
            description="without detach:",
            style={"description_width": "initial"},
            layout=W.Layout(margin="0 0 0 24px"),  # apart from the detach checkbox before it
        )
        self.view = GraphView()
        self.report = W.HTML()
        self.outcome = None
        self._ghosts = GhostMemory()
        self.prediction = Prediction(self.update)
        self._holding = False  # set() changes both controls, then shows the result once
        super().__init__(
            [
                W.HBox([self.detach, self.remedy], layout=W.Layout(flex_flow="row wrap")),
                self.prediction,
                self.view,
                self.report,
                W.HTML(legend(LEGEND)),
            ]
        )
        self.add_class("autograd-lab-gan")
        for control in (self.detach, self.remedy):
            control.observe(lambda _change: self._changed(), names="value")
        self.update()

    def __repr__(self) -> str:
        return "GanDetachLab()"

    @property
    def picture_view(self) -> GraphView:
        return self.view

    @property
    def retain_graph(self) -> bool:
        return not self.detach.value and self.remedy.value == RETAIN

    def _changed(self) -> None:
        self.remedy.disabled = self.detach.value
        if self._holding:
            return
        if self.prediction.enabled.value:
            self.prediction.ask([G_GETS_GRAD, G_STEP_WORKS])
            self.view.say(WAIT_FOR_RUN, "info", stale=True)
        else:
            self.update()

    def set(self, *, detach: bool | None = None, remedy: str | None = None) -> None:
        """Change the switches from Python and show the result at once (a prediction
        ticked is marked). ``remedy`` is "no remedy" or "retain_graph=True"."""
        if detach is not None and not isinstance(detach, bool):
            raise TypeError(f"detach takes True or False, got {detach!r}.")
        if remedy is not None and remedy not in (NO_REMEDY, RETAIN):
            raise ValueError(f"remedy must be {NO_REMEDY!r} or {RETAIN!r}, got {remedy!r}.")
        self._holding = True
        try:
            if detach is not None:
                self.detach.value = detach
            if remedy is not None:
                self.remedy.value = remedy
        finally:
            self._holding = False
        self.update()

    def predict(self, g_gets_grad: bool, g_step_works: bool) -> None:
        """Tick the prediction from Python, as a learner would; ``update()`` reveals it."""
        self.prediction.tick({G_GETS_GRAD: g_gets_grad, G_STEP_WORKS: g_step_works})

    def update(self) -> None:
        self.remedy.disabled = self.detach.value
        gm = self._gan_module
        outcome = gm.d_then_g_step(self.gan, self.real, self.noise, self.detach.value, self.retain_graph)
        self.outcome = outcome
        params = {**self.gan.named_parameters(), "generated points": outcome.fake, "d_loss": outcome.d_loss}
        shown, snapshot, hidden, *_ = prepare(outcome.d_loss, params, warn=False)
        self.view.show(shown, snapshot, ghost=self._ghosts.ghost(), values=False, grads=False, hidden=hidden)
        self._ghosts.remember((self.detach.value, self.remedy.value), shown)
        self.prediction.score(_outcomes(self.detach.value, self.retain_graph, outcome))
        rows = [
            ("G's gradient after d_loss.backward()", _norm_text(outcome.g_grad_after_d_step)),
            ("D's gradient after d_loss.backward()", _norm_text(outcome.d_grad_after_d_step)),
            (
                "G step: g_loss.backward()",
                "works" if outcome.g_step_error is None else "RuntimeError: " + outcome.g_step_error.split(" (")[0],
            ),
            ("G's gradient after the G step", _norm_text(outcome.g_grad_after_g_step)),
        ]
        if self._measure:
            cost = gm.measure_d_step(self.gan, self.real, self.noise, self.detach.value, self.retain_graph)
            rows += [
                ("D step's backward work", f"{cost.backward_flops / 1e6:.1f} MFLOP"),
                (f"D step's backward time (median of {cost.repeats})", f"{cost.median_ms:.2f} ms"),
                ("tensor memory at the D step's peak", f"{cost.peak_bytes / 2**20:.2f} MiB"),
                ("still held after the D step", f"{cost.kept_bytes / 2**20:.2f} MiB"),
            ]
        self.report.value = table_html(rows)


def gan_detach_lab(gan, real: torch.Tensor, noise: torch.Tensor, measure: bool = True) -> GanDetachLab:
    """One D step and one G step of `gan` (a helpers.gan.TinyGAN) on a real batch and a
    noise batch, with a switch for detach() in the D step and, without it, a choice of
    remedy. Shows d_loss's graph, the gradient norms, whether the G step works, and
    (with measure=True) the D step's time and tensor memory. The models are not updated."""
    return GanDetachLab(gan, real, noise, measure)
