"""(a) A switch flipped: the kernel's side of one interact_graph update, and what it sends.

The kernel rebuilds, walks, records backward, snapshots and sends the DOT text plus the
panel's records; the browser lays the picture out (measured in bench_browser)."""

from __future__ import annotations

import json

import torch
from common import chain, median_ms, p95_ms, timings
from torch import nn

import helpers as h
from helpers.examples import EXAMPLES


def mlp_build(detach_hidden: bool):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
    hidden = model[:4](torch.randn(32, 16))
    out = model[4](hidden.detach() if detach_hidden else hidden).pow(2).mean()
    return out, dict(model.named_parameters())


def sent_bytes(widget) -> list[int]:
    """Record the size of every state message `widget` sends to the browser."""
    sizes: list[int] = []
    original = widget._send

    def counted(msg, buffers=None):
        sizes.append(len(json.dumps(msg, separators=(",", ":")).encode()))
        return original(msg, buffers)

    widget._send = counted
    return sizes


def measure(build, switches: dict[str, bool], flips: int) -> tuple[list[float], float]:
    explorer = h.interact_graph(build, **switches)
    name = next(iter(switches))
    state = {"value": switches[name]}

    def flip():
        state["value"] = not state["value"]
        explorer.set(**{name: state["value"]})

    sizes = sent_bytes(explorer.view)
    samples = timings(flip, flips)
    return samples, sum(sizes) / (flips + 1)


def run(flips: int = 40) -> list[tuple[str, float, float, float]]:
    rows = []
    for example in EXAMPLES:
        samples, size = measure(example.build, example.switches, flips)
        rows.append((example.title, median_ms(samples), p95_ms(samples), size))
    samples, size = measure(mlp_build, {"detach_hidden": False}, flips)
    rows.append(("MLP 16-64-64-1, batch 32", median_ms(samples), p95_ms(samples), size))
    return rows


def big_stepper(ops: int = 3000) -> float:
    """Seconds from a 3,000-op graph to the stepper's first picture (bounded to 400 nodes)."""
    root, params = chain(ops * 1.5)
    return timings(lambda: h.backward_stepper(root, params, retain_graph=True), 3)


if __name__ == "__main__":
    for title, median, p95, size in run():
        print(f"{title:<45} median {median:6.1f} ms   p95 {p95:6.1f} ms   {size / 1024:.1f} KB per flip")
    print(f"3,000-op stepper: median {median_ms(big_stepper()):.0f} ms")
