"""Two students on a real JupyterHub on 127.0.0.1: each signs in, gets a server, opens the
graph lab (the Voila page the server serves) and flips a switch twice. A small run of
`make loadtest` (deploy/loadtest.py); the first run installs the hub (jupyterhub from PyPI
into this environment, configurable-http-proxy from npm into deploy/node_modules)."""

from __future__ import annotations

import asyncio
import json
import shutil
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
sys.path.insert(0, str(DEPLOY))

import hub as hubmod  # noqa: E402
import loadtest  # noqa: E402
import processes  # noqa: E402


@pytest.fixture(scope="module")
def installed(chromium_path):
    if not shutil.which("npm") and not hubmod.CHP.exists():
        pytest.skip("npm is needed to install configurable-http-proxy (Node.js 20)")
    took = hubmod.ensure_installed(log=lambda message: print(message, file=sys.stderr))
    for what, seconds in took.items():
        print(f"set-up: {what} in {seconds:.1f} s", file=sys.stderr)
    return chromium_path


def test_two_students_on_a_local_hub(installed, tmp_path):
    tic = time.monotonic()
    with hubmod.local_hub(tmp_path / "hub", start_timeout=80) as hub:
        students = loadtest.run_students(hub, n=2, flips=2, think=0.3, ramp=0.5, limit=80)
        # In a thread of its own: the session's Chromium (sync Playwright) may already keep an
        # event loop running in this one, where asyncio.run refuses to start another.
        with ThreadPoolExecutor(1) as thread:
            result = thread.submit(asyncio.run, students).result()
        # the course is where the z2jh default URL points: /lab/tree/notebooks/00_start_here.ipynb
        request = urllib.request.Request(
            f"{hub.url}/user/student01/api/contents/notebooks/00_start_here.ipynb?content=0",
            headers={"Authorization": f"token {hub.api_token}"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert json.load(response)["type"] == "notebook"
        started = {pid: processes.start_time(pid) for pids in hub.user_processes().values() for pid in pids}
        assert len(started) >= 4  # two servers, their kernels
    row = loadtest.summarize(2, result)
    assert row["errors"] == [] and row["ok"] == 2, row["errors"]
    assert len(row["drawn"]) == 4 and all(ms < 30_000 for ms in row["drawn"]), row["drawn"]
    assert len(row["spawn"]) == 2 and len(row["rss"]) == 2 and row["kernels"] >= 2, row
    assert all(50 < mib < 4096 for mib in row["rss"]), row["rss"]
    left = [pid for pid, start in started.items() if processes.alive(pid, start)]
    assert left == [], f"servers or kernels left behind: {left}"
    assert time.monotonic() - tic < 110
