"""Jupyter servers on loopback for the browser tests and the browser benchmark."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

# Without these flags Chromium keeps dialling Google's services, which this closed
# network refuses; none of them changes how the page renders.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {seconds} s")


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
    """Run a Jupyter server command on 127.0.0.1:port until the block ends."""
    env = {**isolated_jupyter_env(home), **(extra_env or {})}
    with open(home / "server.log", "w") as log:
        process = subprocess.Popen([sys.executable, "-m", *args], env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_for(
                f"http://127.0.0.1:{port}/api/status" if args[0] == "jupyterlab" else f"http://127.0.0.1:{port}/",
                process,
            )
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


REPO = Path(__file__).resolve().parents[2]


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


def memory_mib(pid: str) -> dict[str, float]:
    """A process's memory: rss (resident), pss (resident, shared pages split among their
    sharers) and uss (resident and its own only: what it costs next to the others)."""
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        key, value = line.split(":", 1)
        fields[key] = int(value.split()[0]) / 1024
    return {"rss": fields["Rss"], "pss": fields["Pss"], "uss": fields["Private_Clean"] + fields["Private_Dirty"]}


@contextmanager
def classroom_voila(notebook: Path, home: Path, *options: str, pool: int = 1):
    """Voila as `make app` runs it, on a free loopback port, with extra command-line options
    (they win over app/voila.py). Ready once its `pool` preheated kernels have run the
    notebook. Unlike server(), it never loads the page to see it is up: that takes a kernel."""
    port = free_port()
    home.mkdir(parents=True, exist_ok=True)
    log = home / "voila.log"
    args = [
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
    with open(log, "w") as out:
        process = subprocess.Popen(args, env=isolated_jupyter_env(home), stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{url}/voila/static/voila.js", process)
        token = next((o.split("=", 1)[1] for o in options if o.startswith("--token=")), None)
        running = ClassroomServer(url, process, log, token)
        if pool > 0:
            running.wait_for_log("Kernel pool of", seconds=180)
            running.wait_until_idle(pool)
        yield running
    finally:
        left = {pid: command_line(pid) for pid in child_pids(process.pid)}
        process.terminate()  # Voila shuts its kernels down on SIGTERM
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        for pid, cmdline in left.items():  # a kernel Voila could not stop must not outlive it
            if cmdline and command_line(pid) == cmdline:  # still that process, not a new one with its pid
                try:
                    os.kill(int(pid), 9)
                except ProcessLookupError:
                    pass


def command_line(pid: str) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def child_pids(pid: int) -> list[str]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                out.append(stat.parent.name)
        except (OSError, ValueError, IndexError):
            pass
    return out
