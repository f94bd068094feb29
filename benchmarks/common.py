"""Shared bits of the benchmarks: timing, the machine's description, test graphs."""

from __future__ import annotations

import datetime
import os
import platform
import statistics

import torch

from helpers import timing


def timings(run, repeats: int) -> list[float]:
    """Seconds per call of `run`, after one warm-up call."""
    return timing.interleaved({"run": run}, repeats).seconds["run"]


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def p95_ms(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return (
        f"{datetime.date.today().isoformat()}, {cpu}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, torch {torch.__version__}"
    )


def chain(nodes: int):
    """A graph of about `nodes` nodes: alternating sin and multiplication by a fresh leaf
    (two steps add three nodes: sin, mul and the new leaf)."""
    x = torch.tensor(0.5, requires_grad=True)
    y, params = x, {"x": x}
    for i in range(round((nodes - 1) / 1.5)):
        if i % 2:
            y = torch.sin(y)
        else:
            w = torch.tensor(1.01, requires_grad=True)
            params[f"w{i}"] = w
            y = y * w
    return y, params
