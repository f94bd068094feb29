"""The detach() question of GAN training, answered by running it: ``gan_detach_lab``."""
from __future__ import annotations

import ipywidgets as W
import torch

from ..graph import walk
from ..large import shorten
from ..snapshot import take_snapshot
from ..view import GraphView, StaticPicture
from .common import legend, table_html
from .explorer import GhostMemory

NO_REMEDY, RETAIN = "no remedy", "retain_graph=True"
LEGEND = ("The picture is d_loss's graph: G's layers (G.*) sit above the generated points; faint dashed "
          "boxes are what detach() cut away. Click a box to see its parameter's gradient.")


def _norm_text(norm: float | None) -> str:
    return "None: no gradient" if norm is None else f"{norm:.4f}"


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
        self.detach = W.Checkbox(value=True, description="detach() the generated points in the D step",
                                 indent=False, layout=W.Layout(width="auto"))
        self.remedy = W.ToggleButtons(options=[NO_REMEDY, RETAIN], value=NO_REMEDY,
                                      description="without detach:", style={"description_width": "initial"})
        self.view = GraphView()
        self.report = W.HTML()
        self.outcome = None
        self._ghosts = GhostMemory()
        super().__init__([
            W.HBox([self.detach, self.remedy], layout=W.Layout(flex_flow="row wrap")),
            self.view, self.report, W.HTML(legend(LEGEND)),
        ])
        self.add_class("autograd-lab-gan")
        for control in (self.detach, self.remedy):
            control.observe(lambda _change: self.update(), names="value")
        self.update()

    def __repr__(self) -> str:
        return "GanDetachLab()"

    @property
    def picture_view(self) -> GraphView:
        return self.view

    @property
    def retain_graph(self) -> bool:
        return not self.detach.value and self.remedy.value == RETAIN

    def update(self) -> None:
        self.remedy.disabled = self.detach.value
        gm = self._gan_module
        outcome = gm.d_then_g_step(self.gan, self.real, self.noise, self.detach.value, self.retain_graph)
        self.outcome = outcome
        params = {**self.gan.named_parameters(), "generated points": outcome.fake, "d_loss": outcome.d_loss}
        graph, live = walk(outcome.d_loss, params)
        shown, hidden = shorten(graph, warn=False)
        self.view.show(shown, take_snapshot(graph, live), ghost=self._ghosts.ghost(), values=False,
                       grads=False, hidden=hidden)
        self._ghosts.remember((self.detach.value, self.remedy.value), shown)
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
        self.report.value = table_html(rows)


def gan_detach_lab(gan, real: torch.Tensor, noise: torch.Tensor, measure: bool = True) -> GanDetachLab:
    """One D step and one G step of `gan` (a helpers.gan.TinyGAN) on a real batch and a
    noise batch, with a switch for detach() in the D step and, without it, a choice of
    remedy. Shows d_loss's graph, the gradient norms, whether the G step works, and
    (with measure=True) the D step's time and tensor memory. The models are not updated."""
    return GanDetachLab(gan, real, noise, measure)
