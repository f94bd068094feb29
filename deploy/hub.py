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
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from loopback import free_port, serving
from processes import children_by_parent, command_line, descendants, environment

DEPLOY = Path(__file__).resolve().parent
REPO = DEPLOY.parent
CHP = DEPLOY / "node_modules" / ".bin" / "configurable-http-proxy"
REQUIREMENTS = DEPLOY / "requirements-hub.txt"
APP_PATH = "voila/render/notebooks/app_graph_lab.ipynb"


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
        tree = children_by_parent()
        users = {}
        for pid in descendants(self.process.pid, tree):
            env = environment(pid)
            name = env.get("JUPYTERHUB_USER")
            if name and env.get("JUPYTERHUB_SERVICE_NAME") is None and b"jupyterhub-singleuser" in command_line(pid):
                users[name] = [pid, *descendants(pid, tree)]
        return users


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
    url = f"http://127.0.0.1:{port}"
    tic = time.monotonic()
    command = [sys.executable, "-m", "jupyterhub", "-f", str(config)]
    # On SIGTERM the hub stops its users' servers and the proxy: a minute for that at most.
    with serving(command, f"{url}/hub/api", log_path, env=env, cwd=workdir, seconds=60, grace=60) as process:
        yield Hub(url, api_token, workdir, process, log_path, {"hub": time.monotonic() - tic})
