"""A real JupyterLab on loopback and Debian's Chromium, driven by Playwright.

Playwright never downloads a browser here: it is pointed at the system Chromium.
Under CI=true a missing Chromium fails the run; elsewhere these tests skip.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from servers import free_port, jupyterlab_args, server

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def served_notebooks(tmp_path_factory):
    """Copies of the notebooks (running them must not touch the committed ones)."""
    root = tmp_path_factory.mktemp("notebooks")
    for notebook in (REPO / "notebooks").glob("*.ipynb"):
        shutil.copy(notebook, root / notebook.name)
    return root


@pytest.fixture(scope="session")
def jupyterlab(served_notebooks, tmp_path_factory):
    port = free_port()
    with server(
        jupyterlab_args(port, served_notebooks),
        port,
        tmp_path_factory.mktemp("jupyterlab"),
    ) as url:
        yield url


@pytest.fixture(scope="session")
def jupyterlab_without_dot(tmp_path_factory):
    """A JupyterLab whose kernels find no Graphviz `dot` on PATH, like a fresh laptop."""
    root = tmp_path_factory.mktemp("no-dot")
    port = free_port()
    path = os.pathsep.join(
        p for p in os.environ["PATH"].split(os.pathsep) if p and not os.path.exists(os.path.join(p, "dot"))
    )
    with server(
        jupyterlab_args(port, root),
        port,
        tmp_path_factory.mktemp("jupyterlab-no-dot"),
        {"PATH": path},
    ) as url:
        yield url, root


@pytest.fixture(scope="session")
def voila_app(served_notebooks, tmp_path_factory):
    port = free_port()
    with server(
        [
            "voila",
            "--no-browser",
            "--Voila.ip=127.0.0.1",
            f"--port={port}",
            "--Voila.port_retries=0",
            str(served_notebooks / "app_graph_lab.ipynb"),
        ],
        port,
        tmp_path_factory.mktemp("voila"),
    ) as url:
        yield url


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
