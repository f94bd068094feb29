"""A GAN small enough to train on a CPU in seconds, and the experiment on detach().

The real data are points drawn around eight spots on a ring. The generator G turns
2-D noise into points; the discriminator D scores points as real or fake. One training
step has the shape of the DCGAN loop: D learns on a real batch and on a generated batch
(with the generated points detached), then G learns through D's verdict on the same
generated points.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from . import timing
from .memory import TensorMemoryMeter

Tensor = torch.Tensor
NOISE_SIZE = 2


def ring_centers(modes: int = 8, radius: float = 2.0) -> Tensor:
    angles = torch.arange(modes) * 2 * math.pi / modes
    return torch.stack([radius * torch.cos(angles), radius * torch.sin(angles)], dim=1)


def ring_of_gaussians(
    count: int, generator: torch.Generator, modes: int = 8, radius: float = 2.0, spread: float = 0.02
) -> Tensor:
    """`count` points, each near one of `modes` spots evenly spaced on a circle."""
    which = torch.randint(0, modes, (count,), generator=generator)
    centers = ring_centers(modes, radius)[which]
    return centers + spread * torch.randn(count, 2, generator=generator)


def mlp(inputs: int, outputs: int, hidden: int = 128) -> nn.Sequential:
    return nn.Sequential(
        nn.Linear(inputs, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(), nn.Linear(hidden, outputs)
    )


@dataclass
class TinyGAN:
    G: nn.Module
    D: nn.Module
    g_optimizer: torch.optim.Optimizer
    d_optimizer: torch.optim.Optimizer

    def named_parameters(self) -> dict[str, Tensor]:
        """Every parameter as "G.0.weight", "D.4.bias", ... for pictures and tables."""
        return {f"{net}.{name}": p for net in ("G", "D") for name, p in getattr(self, net).named_parameters()}


def make_gan(seed: int = 0, hidden: int = 128) -> TinyGAN:
    torch.manual_seed(seed)
    G, D = mlp(NOISE_SIZE, 2, hidden), mlp(2, 1, hidden)
    betas = (0.5, 0.999)  # the usual GAN setting: less momentum than Adam's default
    return TinyGAN(
        G,
        D,
        torch.optim.Adam(G.parameters(), lr=1e-3, betas=betas),
        torch.optim.Adam(D.parameters(), lr=1e-3, betas=betas),
    )


bce = nn.BCEWithLogitsLoss()


def discriminator_loss(real_output: Tensor, fake_output: Tensor) -> Tensor:
    return bce(real_output, torch.ones_like(real_output)) + bce(fake_output, torch.zeros_like(fake_output))


def generator_loss(fake_output: Tensor) -> Tensor:
    return bce(fake_output, torch.ones_like(fake_output))  # G wins when D calls its points real


def d_step_loss(gan: TinyGAN, real: Tensor, fake: Tensor, detach: bool = True) -> Tensor:
    """D's loss on a real batch and a generated one; detach() keeps G out of its graph."""
    return discriminator_loss(gan.D(real), gan.D(fake.detach() if detach else fake))


def train_step(gan: TinyGAN, real: Tensor, noise: Tensor) -> tuple[float, float]:
    """One step, in the order of the DCGAN loop; returns (d_loss, g_loss)."""
    fake = gan.G(noise)
    gan.D.zero_grad()
    d_loss = discriminator_loss(gan.D(real), gan.D(fake.detach()))  # detach(): G's part is not needed here
    d_loss.backward()
    gan.d_optimizer.step()

    gan.G.zero_grad()
    g_loss = generator_loss(gan.D(fake))
    g_loss.backward()
    gan.g_optimizer.step()
    return d_loss.item(), g_loss.item()


def train(gan: TinyGAN, steps: int, batch_size: int = 256, seed: int = 0, progress=None) -> list[tuple[float, float]]:
    """Train for `steps` steps on fresh real and noise batches; `progress` wraps the
    step range (e.g. tqdm) to show a bar."""
    generator = torch.Generator().manual_seed(seed)
    history = []
    for _ in (progress or iter)(range(steps)):
        real = ring_of_gaussians(batch_size, generator)
        noise = torch.randn(batch_size, NOISE_SIZE, generator=generator)
        history.append(train_step(gan, real, noise))
    return history


def mode_report(samples: Tensor, centers: Tensor | None = None, near: float = 0.2) -> tuple[float, list[int]]:
    """(mean distance from each sample to its nearest spot, samples within `near` of each spot)."""
    centers = ring_centers() if centers is None else centers
    distance, nearest = torch.cdist(samples, centers).min(dim=1)
    counts = torch.bincount(nearest[distance < near], minlength=len(centers))
    return distance.mean().item(), counts.tolist()


def grad_norm(module: nn.Module) -> float | None:
    """The norm of all the module's gradients together; None if none has a gradient."""
    grads = [p.grad.flatten() for p in module.parameters() if p.grad is not None]
    return torch.cat(grads).norm().item() if grads else None


@dataclass
class DetachOutcome:
    """What happened in one D step and the G step after it."""

    d_loss: Tensor
    fake: Tensor
    g_grad_after_d_step: float | None
    d_grad_after_d_step: float | None
    g_step_error: str | None
    g_grad_after_g_step: float | None


def d_then_g_step(
    gan: TinyGAN, real: Tensor, noise: Tensor, detach: bool = True, retain_graph: bool = False
) -> DetachOutcome:
    """The source's D step with or without detach() (and retain_graph), then its G step.

    The optimizers do not step, so the models stay as they are and the experiment can
    be repeated with other switches."""
    gan.G.zero_grad()
    gan.D.zero_grad()
    fake = gan.G(noise)
    d_loss = d_step_loss(gan, real, fake, detach)
    d_loss.backward(retain_graph=retain_graph)
    g_after_d, d_after_d = grad_norm(gan.G), grad_norm(gan.D)

    gan.G.zero_grad()
    error = None
    try:
        generator_loss(gan.D(fake)).backward()
    except RuntimeError as failure:
        error = str(failure)
    return DetachOutcome(d_loss, fake, g_after_d, d_after_d, error, grad_norm(gan.G))


@dataclass
class DStepCost:
    """What the D step costs for one setting of the switches."""

    median_ms: float  # time of d_loss.backward() alone: the median of `repeats` timed runs
    backward_flops: int  # floating-point operations of d_loss.backward() (torch.utils.flop_counter)
    peak_bytes: int  # tensor memory alive at the peak of the D step (D's forward and the backward)
    kept_bytes: int  # tensor memory the D step leaves alive (gradients, a retained graph)
    repeats: int  # how many timed runs median_ms is the median of


def _fresh_d_loss(gan: TinyGAN, real: Tensor, noise: Tensor, detach: bool) -> Tensor:
    gan.G.zero_grad(set_to_none=True)
    gan.D.zero_grad(set_to_none=True)
    return d_step_loss(gan, real, gan.G(noise), detach)


def _d_backward(gan: TinyGAN, real: Tensor, noise: Tensor, detach: bool, retain_graph: bool):
    """d_loss.backward() as a (prepare, run) pair for helpers.timing: the forward passes run
    before the clock starts, so only the backward is timed."""

    def prepare() -> Tensor:
        return _fresh_d_loss(gan, real, noise, detach)

    def run(d_loss: Tensor) -> None:
        d_loss.backward(retain_graph=retain_graph)

    return prepare, run


def measure_d_step(
    gan: TinyGAN, real: Tensor, noise: Tensor, detach: bool, retain_graph: bool, repeats: int = 50
) -> DStepCost:
    """The D step's cost: the time of its backward (median of `repeats` runs), the
    floating-point work of that backward, and the tensor memory of the step (G's forward
    pass is done before). FLOPs and memory are counted in runs of their own, so their
    bookkeeping does not slow the timed runs. A time depends on the machine and on what
    else it is doing; to compare settings, use :func:`time_d_backward`, which interleaves them."""
    if not isinstance(repeats, int) or repeats < 1:
        raise ValueError(f"repeats must be a whole number of at least 1, got {repeats!r}.")
    times = timing.interleaved({"backward": _d_backward(gan, real, noise, detach, retain_graph)}, repeats)

    d_loss = _fresh_d_loss(gan, real, noise, detach)
    with FlopCounterMode(display=False) as flops:
        d_loss.backward(retain_graph=retain_graph)

    gan.G.zero_grad(set_to_none=True)
    gan.D.zero_grad(set_to_none=True)
    fake = gan.G(noise)
    with TensorMemoryMeter() as meter:
        d_loss = d_step_loss(gan, real, fake, detach)
        d_loss.backward(retain_graph=retain_graph)
    peak, kept = meter.peak_bytes, meter.live_bytes  # read while d_loss is alive
    return DStepCost(times.median_ms("backward"), flops.get_total_flops(), peak, kept, repeats)


# The three ways to run the D step, each as (detach, retain_graph).
D_STEP_SETTINGS = {
    "with detach()": (True, False),
    "no detach()": (False, False),
    "no detach(), retain_graph": (False, True),
}


# Times of d_loss.backward() under several settings, taken in interleaved rounds.
BackwardTimes = timing.Timings


def time_d_backward(
    gan: TinyGAN, real: Tensor, noise: Tensor, settings: dict[str, tuple[bool, bool]] | None = None, rounds: int = 200
) -> BackwardTimes:
    """Time d_loss.backward() for each (detach, retain_graph) setting, interleaved over `rounds` rounds."""
    settings = D_STEP_SETTINGS if settings is None else settings
    candidates = {label: _d_backward(gan, real, noise, *setting) for label, setting in settings.items()}
    return timing.interleaved(candidates, rounds)
