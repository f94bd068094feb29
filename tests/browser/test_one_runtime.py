"""One runtime per page, in JupyterLab 4 and Notebook 7: a notebook with several views
receives the view's heavy code (graph_runtime.js, about 0.9 MB) once, and every view draws."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect
from servers import free_port, jupyterlab_args, server

HEAVY = 500_000  # bytes: only a message carrying the runtime's code is this big
CELLS = [
    "import torch\nimport helpers as h\nfrom sample_graphs import detach_build, source_001",
    "h.interact_graph(detach_build, detach_d=False, a_requires_grad=True)",
    "h.backward_stepper(*source_001())",
    "h.interact_graph(detach_build, detach_d=True, a_requires_grad=True)",
]


def three_views(folder) -> str:
    """A notebook of three views, and the tests' sample graphs beside it."""
    cells = [
        {"cell_type": "code", "id": f"c{i}", "metadata": {}, "source": src, "outputs": [], "execution_count": None}
        for i, src in enumerate(CELLS)
    ]
    notebook = {
        "cells": cells,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (folder / "three_views.ipynb").write_text(json.dumps(notebook))
    (folder / "sample_graphs.py").write_text(
        (__import__("pathlib").Path(__file__).parents[1] / "sample_graphs.py").read_text()
    )
    return "three_views.ipynb"


@pytest.fixture(scope="module", params=["jupyterlab", "notebook"])
def jupyter(request, tmp_path_factory):
    root = tmp_path_factory.mktemp(f"one-runtime-{request.param}")
    name = three_views(root)
    port = free_port()
    with server(jupyterlab_args(port, root, request.param), port, tmp_path_factory.mktemp("home")) as url:
        path = "lab/tree" if request.param == "jupyterlab" else "notebooks"
        yield request.param, f"{url}/{path}/{name}"


def test_three_views_draw_and_the_runtime_comes_once(jupyter, page, artifacts):
    app, url = jupyter
    frames: list[int] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda f: frames.append(len(f))))
    page.goto(url)
    expect(page.locator(".jp-Notebook .jp-Cell").first).to_be_visible(timeout=60_000)
    page.wait_for_timeout(2000)  # the kernel connects
    page.locator(".jp-Notebook .jp-Cell").first.click()
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    views = page.locator(".agl-view")
    expect(views).to_have_count(3, timeout=120_000)
    for i in range(3):
        expect(views.nth(i).locator("g.node").first).to_be_visible(timeout=60_000)
    page.screenshot(path=str(artifacts / f"one-runtime-{app}.png"))
    heavy = [size for size in frames if size > HEAVY]
    assert len(heavy) == 1, f"{app}: the runtime's code came {len(heavy)} times ({heavy})"
    assert sum(frames) < 2_000_000, f"{app}: {sum(frames)} bytes of messages for three small views"
