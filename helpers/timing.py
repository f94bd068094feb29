"""Timing code fairly on a machine that is doing other things too.

One idea: run the candidates in rounds, each round timing every candidate once, so that a
busy moment slows them all alike; then compare medians, or better the median of the ratios
taken within one round. Used by the GAN lab, notebooks 03, 04 and 06, and the benchmarks.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

# A candidate: a function to time, or (prepare, run): prepare() runs before the clock starts
# and its result is passed to run(), which alone is timed (say, build a loss, time backward).
Candidate = Callable[[], Any] | tuple[Callable[[], Any], Callable[[Any], Any]]


@dataclass
class Timings:
    """Seconds per call, one list per candidate, one entry per round."""

    seconds: dict[str, list[float]]

    @property
    def rounds(self) -> int:
        return len(next(iter(self.seconds.values())))

    def median_ms(self, label: str) -> float:
        return statistics.median(self._samples(label)) * 1000

    def ratio(self, label: str, baseline: str) -> float:
        """The median over rounds of (label's time / baseline's time in the same round)."""
        pairs = zip(self._samples(label), self._samples(baseline))
        return statistics.median(a / b for a, b in pairs)

    def _samples(self, label: str) -> list[float]:
        if label not in self.seconds:
            raise KeyError(f"no timings for {label!r}: the candidates were {', '.join(map(repr, self.seconds))}.")
        return self.seconds[label]


def seconds(candidate: Candidate) -> float:
    """One timed call of `candidate`, in seconds."""
    if isinstance(candidate, tuple):
        prepare, run = candidate
        prepared = prepare()
        start = time.perf_counter()
        run(prepared)
    else:
        start = time.perf_counter()
        candidate()
    return time.perf_counter() - start


def interleaved(candidates: Mapping[str, Candidate], rounds: int, warm_up: int = 1) -> Timings:
    """Time every candidate once per round, for `rounds` rounds, after `warm_up` untimed
    calls of each (first calls pay for caches, allocations and lazy imports)."""
    if not isinstance(rounds, int) or isinstance(rounds, bool) or rounds < 1:
        raise ValueError(f"rounds must be a whole number of at least 1, got {rounds!r}.")
    if not candidates:
        raise ValueError("interleaved needs at least one candidate to time, as {'name': function}.")
    for label, candidate in candidates.items():
        if not (callable(candidate) or (isinstance(candidate, tuple) and len(candidate) == 2)):
            raise TypeError(
                f"candidate {label!r} must be a function or a (prepare, run) pair, not {type(candidate).__name__}."
            )
    for _ in range(warm_up):
        for candidate in candidates.values():
            seconds(candidate)
    samples: dict[str, list[float]] = {label: [] for label in candidates}
    for _ in range(rounds):
        for label, candidate in candidates.items():
            samples[label].append(seconds(candidate))
    return Timings(samples)
