"""A real JupyterHub on 127.0.0.1 for the load test and its smoke test.

The hub runs from the project's Python (jupyterhub is pinned in deploy/requirements-hub.txt),
configurable-http-proxy from deploy/node_modules (pinned in deploy/package.json). Every
user is a local process of the account running this: SimpleLocalProcessSpawner (no system
users are needed) and DummyAuthenticator (any name, any password). It is for measuring on
one machine only; a course hub uses z2jh or TLJH (deploy/README.md).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

DEPLOY = Path(__file__).resolve().parent
REPO = DEPLOY.parent
CHP = DEPLOY / "node_modules" / ".bin" / "configurable-http-proxy"
REQUIREMENTS = DEPLOY / "requirements-hub.txt"
APP_PATH = "voila/render/notebooks/app_graph_lab.ipynb"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def hub_installed() -> bool:
    return (
        Path(sys.executable).with_name("jupyterhub").exists()
        and Path(sys.executable).with_name("jupyterhub-singleuser").exists()
    )


def ensure_installed(log=print) -> dict[str, float]:
    """Install what is missing (jupyterhub from PyPI, the proxy from npm); seconds each took."""
    took = {}
    if not hub_installed():
        pins = [line for line in REQUIREMENTS.read_text().splitlines() if line and not line.startswith("#")]
        log(f"installing {' '.join(pins)} into {sys.prefix}")
        tic = time.monotonic()
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "-r", str(REQUIREMENTS)], check=True)
        took["jupyterhub (pip)"] = time.monotonic() - tic
    if not CHP.exists():
        npm = shutil.which("npm")
        if not npm:
            raise RuntimeError("npm is needed for configurable-http-proxy: install Node.js 20 (with npm).")
        log("installing configurable-http-proxy into deploy/node_modules")
        tic = time.monotonic()
        subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=DEPLOY, check=True)
        took["configurable-http-proxy (npm)"] = time.monotonic() - tic
    return took


CONFIG = '''\
# Written by deploy/hub.py for one run; every address is loopback.
import os, shutil
c = get_config()  # noqa: F821
c.JupyterHub.bind_url = "http://127.0.0.1:{port}"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{hub_port}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api_port}"
c.ConfigurableHTTPProxy.command = [{chp!r}]
c.ConfigurableHTTPProxy.auth_token = {proxy_token!r}
c.ConfigurableHTTPProxy.pid_file = {workdir!r} + "/proxy.pid"
c.JupyterHub.db_url = "sqlite:///" + {workdir!r} + "/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = {workdir!r} + "/cookie_secret"
c.JupyterHub.pid_file = {workdir!r} + "/jupyterhub.pid"
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {workdir!r} + "/users/{{username}}"
c.Spawner.ip = "127.0.0.1"
c.Spawner.cmd = [{singleuser!r}]
c.Spawner.args = {args!r}
c.Spawner.default_url = "/lab/tree/notebooks/00_start_here.ipynb"
c.Spawner.start_timeout = {start_timeout}
c.Spawner.http_timeout = {start_timeout}
c.Spawner.environment = {{"PYTHONUNBUFFERED": "1"}}
c.JupyterHub.concurrent_spawn_limit = {spawn_limit}
c.JupyterHub.services = [{{"name": "loadtest", "api_token": {api_token!r}}}]
c.JupyterHub.load_roles = [{{"name": "loadtest", "services": ["loadtest"],
                            "scopes": ["admin:users", "admin:servers", "list:users", "access:servers"]}}]

def copy_course(spawner):
    """What nbgitpuller does on a real hub: the course's notebooks in the user's home."""
    home = spawner.home_dir
    os.makedirs(home, exist_ok=True)
    shutil.copytree({notebooks!r}, os.path.join(home, "notebooks"), dirs_exist_ok=True)

c.Spawner.pre_spawn_hook = copy_course
'''


@dataclass
class Hub:
    url: str
    api_token: str
    workdir: Path
    process: subprocess.Popen
    log_path: Path
    start_seconds: dict[str, float] = field(default_factory=dict)

    def api(self, path: str, method: str = "GET", body: dict | None = None):
        request = urllib.request.Request(
            f"{self.url}/hub/api{path}",
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Authorization": f"token {self.api_token}"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read()
            return json.loads(text) if text else None

    def spawn_times(self) -> dict[str, float]:
        """The hub's own "User x took N seconds to start" lines, by user."""
        times = {}
        for line in self.log_path.read_text(errors="replace").splitlines():
            if "seconds to start" in line and "User " in line:
                words = line.split("User ", 1)[1].split()
                times[words[0]] = float(words[2])
        return times

    def user_processes(self) -> dict[str, list[int]]:
        """Each user's single-user server and everything under it (its kernels), by pid."""
        children = _children_map()
        users = {}
        for pid in _descendants(self.process.pid, children):
            env = _environ(pid)
            name = env.get("JUPYTERHUB_USER")
            if name and env.get("JUPYTERHUB_SERVICE_NAME") is None and _is_singleuser(pid):
                users[name] = [pid, *_descendants(pid, children)]
        return users


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
    return children


def _descendants(pid: int, children: dict[int, list[int]]) -> list[int]:
    found, todo = [], list(children.get(pid, []))
    while todo:
        p = todo.pop()
        found.append(p)
        todo.extend(children.get(p, []))
    return found


def _environ(pid: int) -> dict[str, str]:
    try:
        raw = Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return {}
    return dict(item.split("=", 1) for item in raw.decode(errors="replace").split("\0") if "=" in item)


def _is_singleuser(pid: int) -> bool:
    try:
        return b"jupyterhub-singleuser" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def memory_mib(pid: int) -> tuple[float, float]:
    """(RSS, USS) of one process in MiB; USS counts only the pages no other process shares."""
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0.0, 0.0
    fields = {line.split(":")[0]: int(line.split()[1]) for line in rollup.splitlines()[1:] if line.endswith("kB")}
    uss = fields.get("Private_Clean", 0) + fields.get("Private_Dirty", 0)
    return fields.get("Rss", 0) / 1024, uss / 1024


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) one process has used so far, with its finished children's."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(fields[i]) for i in (11, 12, 13, 14)) / os.sysconf("SC_CLK_TCK")


def _wait(url: str, process: subprocess.Popen, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"jupyterhub exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {seconds} s")


@contextmanager
def local_hub(workdir: Path, start_timeout: int = 120, spawn_limit: int = 100, extra_config: str = ""):
    """A JupyterHub on 127.0.0.1 (free ports) until the block ends; then every process it
    started is gone. `extra_config` is appended to its jupyterhub_config.py."""
    workdir = Path(workdir).resolve()
    (workdir / "users").mkdir(parents=True, exist_ok=True)
    port, hub_port, proxy_api_port = free_port(), free_port(), free_port()
    api_token = secrets.token_hex(16)
    args = ["--allow-root"] if os.geteuid() == 0 else []  # the single-user server refuses root without it
    config = workdir / "jupyterhub_config.py"
    config.write_text(
        CONFIG.format(
            port=port,
            hub_port=hub_port,
            proxy_api_port=proxy_api_port,
            chp=str(CHP),
            proxy_token=secrets.token_hex(16),
            workdir=str(workdir),
            start_timeout=start_timeout,
            singleuser=str(Path(sys.executable).with_name("jupyterhub-singleuser")),
            args=args,
            spawn_limit=spawn_limit,
            api_token=api_token,
            notebooks=str(REPO / "notebooks"),
        )
        + extra_config
    )
    log_path = workdir / "jupyterhub.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTERHUB_", "JUPYTER_"))}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    tic = time.monotonic()
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(config)],
            cwd=workdir,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    hub = Hub(f"http://127.0.0.1:{port}", api_token, workdir, process, log_path)
    try:
        _wait(f"{hub.url}/hub/api", process, 60)
        hub.start_seconds["hub"] = time.monotonic() - tic
        yield hub
    finally:
        _stop(process)


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM the hub (it stops the users' servers and the proxy), then make sure."""
    started = {pid: _start_time(pid) for pid in _descendants(process.pid, _children_map())}
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    for pid, start in started.items():  # anything the hub did not take down with it
        if start is not None and alive(pid, start):  # the same process, not a reused pid
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(alive(pid, start) for pid, start in started.items()):
        time.sleep(0.1)


def alive(pid: int, start: int | None) -> bool:
    """The process that had this pid and start time still runs (a zombie does not count)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return fields[0] not in "ZX" and int(fields[19]) == start


def _start_time(pid: int) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19])
    except (OSError, IndexError, ValueError):
        return None
