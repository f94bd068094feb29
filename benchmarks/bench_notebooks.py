"""(c) Each notebook's execution: wall time and peak memory, in a fresh process each."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"

# Runs in a child process, so that RUSAGE_CHILDREN sees only this notebook's kernel.
MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
                       "--output-dir", sys.argv[2], sys.argv[1]], capture_output=True)
seconds = time.perf_counter() - start
peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the largest child: the kernel
print(json.dumps({"ok": done.returncode == 0, "seconds": seconds, "peak_mib": peak_kib / 1024}))
"""


def run() -> list[tuple[str, float, float, bool]]:
    rows = []
    with tempfile.TemporaryDirectory() as out_dir:
        for notebook in sorted(NOTEBOOKS.glob("*.ipynb")):
            result = subprocess.run(
                [sys.executable, "-c", MEASURE, str(notebook), out_dir], capture_output=True, text=True, check=True
            )
            found = json.loads(result.stdout)
            rows.append((notebook.name, found["seconds"], found["peak_mib"], found["ok"]))
    return rows


if __name__ == "__main__":
    for name, seconds, peak, ok in run():
        print(f"{name:<34} {seconds:5.1f} s   {peak:6.0f} MiB   {'ok' if ok else 'FAILED'}")
