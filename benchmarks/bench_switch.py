"""(a) A switch flipped -> new picture: latency of one interact_graph update."""
from __future__ import annotations

import torch
from torch import nn

import helpers as h
from helpers.examples import EXAMPLES

from common import median_ms, p95_ms, timings


def mlp_build(detach_hidden: bool):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
    hidden = model[:4](torch.randn(32, 16))
    out = model[4](hidden.detach() if detach_hidden else hidden).pow(2).mean()
    return out, dict(model.named_parameters())


def measure(build, switches: dict[str, bool], flips: int) -> list[float]:
    explorer = h.interact_graph(build, **switches)
    name = next(iter(switches))
    state = {"value": switches[name]}

    def flip():
        state["value"] = not state["value"]
        explorer.set(**{name: state["value"]})  # rebuild, backward, walk, render SVG

    return timings(flip, flips)


def run(flips: int = 40) -> list[tuple[str, float, float]]:
    rows = []
    for example in EXAMPLES:
        samples = measure(example.build, example.switches, flips)
        rows.append((example.title, median_ms(samples), p95_ms(samples)))
    samples = measure(mlp_build, {"detach_hidden": False}, flips)
    rows.append(("MLP 16-64-64-1, batch 32", median_ms(samples), p95_ms(samples)))
    return rows


if __name__ == "__main__":
    for title, median, p95 in run():
        print(f"{title:<45} median {median:6.1f} ms   p95 {p95:6.1f} ms")
