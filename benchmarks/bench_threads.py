"""Torch's thread count on a shared machine: GAN training steps with every core given
against the course's choice (helpers/threads.py), idle and while another process keeps
every core busy. Each run is a fresh process, so the thread count is set before torch works."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STEPS, RUNS, BUSY_SECONDS = 100, 3, 120  # the busy process stops by itself after BUSY_SECONDS

TRAIN = """
import sys, time, torch
sys.path.insert(0, {root!r})
import helpers.gan as g
torch.set_num_threads({threads})
gan = g.make_gan(seed=0)
g.train(gan, 5)
start = time.perf_counter()
g.train(gan, {steps})
print(time.perf_counter() - start)
"""

BUSY = """
import time, torch
torch.set_num_threads({cores})
a = torch.randn(1500, 1500)
end = time.time() + {seconds}
while time.time() < end:
    a @ a
"""


def _train_seconds(threads: int) -> float:
    code = TRAIN.format(root=str(ROOT), threads=threads, steps=STEPS)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300)
    return float(out.stdout.split()[-1])


def _median(threads: int) -> float:
    return statistics.median(_train_seconds(threads) for _ in range(RUNS))


def run() -> tuple[list[tuple[str, int, float, float]], int]:
    """Rows of (condition, cores, seconds with every core, seconds with the course's choice),
    medians, and the thread count the course chose."""
    sys.path.insert(0, str(ROOT))
    from helpers.threads import choose_threads, cores_given

    cores = cores_given()
    chosen = choose_threads(cores, {})
    rows = [("idle", cores, _median(cores), _median(chosen))]
    busy = subprocess.Popen([sys.executable, "-c", BUSY.format(cores=cores, seconds=BUSY_SECONDS)])
    try:
        rows.append(("another process busy on every core", cores, _median(cores), _median(chosen)))
    finally:
        busy.kill()
        busy.wait()
    return rows, chosen


if __name__ == "__main__":
    os.chdir(ROOT)
    print(run())
