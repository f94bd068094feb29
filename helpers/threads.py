"""How many threads torch may use in a kernel of this course.

The course's tensors are tiny, so a second thread gains little, while torch's threads
spin when another process holds the cores: on a shared 2-core machine 100 GAN steps took
0.5 s with one thread and 1.7 s with two while another process was busy (idle, two threads
were 1.4 times faster). A class shares its machine (a hub's kernels, a teacher's laptop
running the app and JupyterLab), so each kernel takes half the cores it is given, at least one.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import torch

CGROUP_CPU_MAX = Path("/sys/fs/cgroup/cpu.max")  # cgroup v2: "quota period", or "max period"
ENV_OVERRIDE = "AUTOGRAD_LAB_THREADS"


def cores_given(cpu_max: Path = CGROUP_CPU_MAX) -> int:
    """The CPUs this process may run on: its affinity, lowered by a cgroup CPU quota
    (what a container's or a JupyterHub pod's CPU limit sets)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    try:
        quota, period = cpu_max.read_text().split()[:2]
        if quota != "max":
            cores = min(cores, max(1, math.ceil(int(quota) / int(period))))
    except (OSError, ValueError):
        pass  # no cgroup v2 limit readable: the affinity stands
    return cores


def choose_threads(given: int, environ: dict | None = None) -> int:
    """Half the cores given, at least one; a thread count set by the user wins."""
    environ = os.environ if environ is None else environ
    for name in (ENV_OVERRIDE, "OMP_NUM_THREADS"):
        value = environ.get(name, "")
        if value.strip().isdigit() and int(value) > 0:
            return int(value)
    return max(1, given // 2)


def share_cores() -> int:
    """Set torch's thread count for this kernel, and return it."""
    threads = choose_threads(cores_given())
    if torch.get_num_threads() != threads:
        torch.set_num_threads(threads)
    return threads
