"""A real JupyterLab on loopback and Debian's Chromium, driven by Playwright.

Playwright never downloads a browser here: it is pointed at the system Chromium.
Under CI=true a missing Chromium fails the run; elsewhere these tests skip.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
# Without these flags Chromium keeps dialling Google's services, which this closed
# network refuses; none of them changes how the page renders.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    message = (f"Chromium not found at {CHROMIUM}: install it with 'sudo apt-get install chromium' "
               "(or set CHROMIUM to its path) to run the browser tests.")
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


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
    for var, sub in [("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_RUNTIME_DIR", "runtime"),
                     ("JUPYTERLAB_SETTINGS_DIR", "settings"), ("JUPYTERLAB_WORKSPACES_DIR", "workspaces")]:
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


@pytest.fixture(scope="session")
def served_notebooks(tmp_path_factory):
    """Copies of the notebooks (running them must not touch the committed ones)."""
    root = tmp_path_factory.mktemp("notebooks")
    for notebook in (REPO / "notebooks").glob("*.ipynb"):
        shutil.copy(notebook, root / notebook.name)
    return root


@contextmanager
def server(args: list[str], port: int, home: Path):
    """Run a Jupyter server command on 127.0.0.1:port until the block ends."""
    env = isolated_jupyter_env(home)
    with open(home / "server.log", "w") as log:
        process = subprocess.Popen([sys.executable, "-m", *args], env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_for(f"http://127.0.0.1:{port}/api/status" if args[0] == "jupyterlab"
                     else f"http://127.0.0.1:{port}/", process)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture(scope="session")
def jupyterlab(served_notebooks, tmp_path_factory):
    port = free_port()
    with server(["jupyterlab", "--no-browser", "--allow-root", "--ServerApp.ip=127.0.0.1",
                 f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
                 "--IdentityProvider.token=", "--ServerApp.password=",
                 f"--ServerApp.root_dir={served_notebooks}"],
                port, tmp_path_factory.mktemp("jupyterlab")) as url:
        yield url


@pytest.fixture(scope="session")
def voila_app(served_notebooks, tmp_path_factory):
    port = free_port()
    with server(["voila", "--no-browser", "--Voila.ip=127.0.0.1", f"--port={port}",
                 "--Voila.port_retries=0", str(served_notebooks / "app_graph_lab.ipynb")],
                port, tmp_path_factory.mktemp("voila")) as url:
        yield url


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
