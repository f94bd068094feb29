"""Jupyter servers on loopback for the browser tests and the browser benchmark: JupyterLab,
Notebook 7 and Voila as a new user sees them. Starting, waiting for and stopping a server, and
Chromium's flags, are deploy/loopback.py's, shared with the local hub and its load test."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO / "deploy") not in sys.path:
    sys.path.insert(0, str(REPO / "deploy"))

# CHROMIUM_ARGS and memory_mib are passed on: tests/conftest.py and benchmarks/ take them from here.
from loopback import CHROMIUM_ARGS as CHROMIUM_ARGS  # noqa: E402
from loopback import free_port, serving  # noqa: E402
from processes import children, command_line  # noqa: E402
from processes import memory_mib as memory_mib  # noqa: E402


def isolated_jupyter_env(home: Path) -> dict[str, str]:
    """Fresh Jupyter config, settings and workspaces, so the tests see a new user's lab."""
    env = dict(os.environ)
    for var, sub in [
        ("JUPYTER_CONFIG_DIR", "config"),
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("JUPYTERLAB_SETTINGS_DIR", "settings"),
        ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"),
    ]:
        (home / sub).mkdir(parents=True, exist_ok=True)
        env[var] = str(home / sub)
    # Render every cell, even off-screen ones, so the page can be inspected whole.
    tracker = home / "settings" / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
    tracker.parent.mkdir(parents=True, exist_ok=True)
    tracker.write_text(json.dumps({"windowingMode": "none"}))
    news = home / "settings" / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    news.parent.mkdir(parents=True, exist_ok=True)
    news.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    return env


@contextmanager
def server(args: list[str], port: int, home: Path, extra_env: dict[str, str] | None = None):
    """Run a Jupyter server command (`python -m` args) on 127.0.0.1:port until the block ends."""
    env = {**isolated_jupyter_env(home), **(extra_env or {})}
    url = f"http://127.0.0.1:{port}"
    ready = f"{url}/api/status" if args[0] == "jupyterlab" else f"{url}/"
    with serving([sys.executable, "-m", *args], ready, home / "server.log", env=env, grace=20):
        yield url


def jupyterlab_args(port: int, root: Path, app: str = "jupyterlab") -> list[str]:
    """JupyterLab (or `app`, e.g. "notebook" for Notebook 7) on 127.0.0.1:`port`, serving
    `root`, with no token or password (tests only)."""
    return [
        app,
        "--no-browser",
        "--allow-root",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        "--IdentityProvider.token=",
        "--ServerApp.password=",
        f"--ServerApp.root_dir={root}",
    ]


class ClassroomServer:
    """`make app`'s Voila (settings in app/voila.py) running on 127.0.0.1, seen from outside."""

    def __init__(self, url: str, process: subprocess.Popen, log: Path, token: str | None = None):
        self.url, self.process, self.log_path, self.token = url, process, log, token

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_for_log(self, text: str, count: int = 1, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while self.log().count(text) < count:
            if self.process.poll() is not None:
                raise RuntimeError(f"Voila exited with code {self.process.returncode}:\n{self.log()[-3000:]}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"{text!r} x{count} not in Voila's log within {seconds} s:\n{self.log()[-3000:]}")
            time.sleep(0.2)

    def kernel_state(self, kernel_id: str) -> dict:
        headers = {"Authorization": f"token {self.token}"} if self.token else {}
        request = urllib.request.Request(f"{self.url}/api/kernels/{kernel_id}", headers=headers)
        with urllib.request.urlopen(request, timeout=10) as reply:
            return json.loads(reply.read())

    def wait_until_idle(self, count: int | None = None, seconds: float = 180, quiet: float = 1.0) -> None:
        """Until there are `count` kernels (if given), every one idle for `quiet` seconds: a
        preheated kernel is counted in the pool as soon as it starts, and runs the notebook
        after; and a refill of the pool starts a second after a visitor took a kernel."""
        from datetime import datetime, timezone

        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                states = [self.kernel_state(k) for k in self.kernels()]
            except OSError:
                states = None  # one went meanwhile
            now = datetime.now(timezone.utc)
            if (
                states is not None
                and count in (None, len(states))
                and all(
                    s["execution_state"] == "idle"
                    and (now - datetime.fromisoformat(s["last_activity"])).total_seconds() > quiet
                    for s in states
                )
            ):
                return
            time.sleep(0.3)
        raise TimeoutError(f"Voila's kernels were not idle within {seconds} s")

    def kernels(self) -> dict[str, str]:
        """The kernel processes this server started: kernel id → process id."""
        found = {}
        for pid in child_pids(self.process.pid):
            names = [Path(a.decode()).name for a in command_line(pid).split(b"\0") if a.endswith(b".json")]
            if names and names[0].startswith("kernel-"):
                found[names[0][len("kernel-") : -len(".json")]] = pid
        return found


@contextmanager
def classroom_voila(notebook: Path, home: Path, *options: str, pool: int = 1):
    """Voila as `make app` runs it, on a free loopback port, with extra command-line options
    (they win over app/voila.py). Ready once its `pool` preheated kernels have run the
    notebook. Unlike server(), it never loads the page to see it is up: that takes a kernel."""
    port = free_port()
    home.mkdir(parents=True, exist_ok=True)
    log = home / "voila.log"
    command = [
        sys.executable,
        "-m",
        "voila",
        "--no-browser",
        f"--Voila.config_file_paths={REPO / 'app'}",
        "--Voila.ip=127.0.0.1",
        f"--port={port}",
        f"--pool_size={pool}",
        *options,
        str(notebook),
    ]
    url = f"http://127.0.0.1:{port}"
    # Voila shuts its kernels down on SIGTERM; serving() ends any it could not stop.
    with serving(command, f"{url}/voila/static/voila.js", log, env=isolated_jupyter_env(home)) as process:
        token = next((o.split("=", 1)[1] for o in options if o.startswith("--token=")), None)
        running = ClassroomServer(url, process, log, token)
        if pool > 0:
            running.wait_for_log("Kernel pool of", seconds=180)
            running.wait_until_idle(pool)
        yield running


def child_pids(pid: int) -> list[str]:
    """The processes `pid` started, as /proc names them (strings, as bench_app.py keeps them)."""
    return [str(child) for child in children(pid)]
