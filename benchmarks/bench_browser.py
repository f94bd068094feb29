"""(d) The view in Chromium: click on a switch → first frame of the morph, click on a box →
its panel, and the layout of a 400-node graph. JupyterLab on 127.0.0.1, a scratch
notebook, Playwright with Debian's Chromium; every time is taken inside the page with
performance.now(), so the page's own clock measures what a learner waits for."""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "tests" / "browser"), str(REPO / "deploy")]

from loopback import launch_chromium  # noqa: E402
from servers import free_port, jupyterlab_args, server  # noqa: E402

CELLS = [
    "import torch, helpers as h, torch.nn.functional as F\n"
    "def build(detach_d):\n"
    "    a, b, c = (torch.tensor(v, requires_grad=True) for v in (1.0, 2.0, 3.0))\n"
    "    d = a + b\n"
    "    f = F.relu(d.detach() if detach_d else d) + c\n"
    "    return f, {'a': a, 'b': b, 'c': c, 'd': d, 'f': f}\n"
    # predict=False: the switch's own morph is measured, not the question asked before it
    "h.interact_graph(build, predict=False, detach_d=False)",
    "x = torch.tensor(0.5, requires_grad=True)\ny = x\nfor i in range(133):\n"
    "    y = torch.sin(y * torch.tensor(1.01, requires_grad=True))\n"
    "big = h.GraphView()\nbig",
    "big.draw(y, {'x': x})\nlen(big.details)",
]

CLICK_SWITCH = """async () => {
  const explorer = document.querySelector('.autograd-lab-explorer');
  const view = explorer.querySelector('.agl-view');
  const box = explorer.querySelector('input[type=checkbox]');
  return await new Promise((resolve, reject) => {
    let start;
    view.addEventListener('agl:morphstart', e => resolve((e.detail && e.detail.time || performance.now()) - start), {once: true});
    setTimeout(() => reject(new Error('no morph started within 10 s of the click')), 10000);
    start = performance.now();
    box.click();
  });
}"""

CLICK_NODE = """async (index) => {
  const view = document.querySelector('.autograd-lab-explorer .agl-view');
  const nodes = view.querySelectorAll('g.node:not(.agl-ghost)');
  const node = nodes[index % nodes.length];
  const start = performance.now();
  node.dispatchEvent(new MouseEvent('click', {bubbles: true}));
  await new Promise(requestAnimationFrame);
  const panel = view.querySelector('.agl-inspector');
  if (!panel || panel.offsetParent === null) return null;
  return performance.now() - start;
}"""


def notebook() -> dict:
    return {
        "cells": [
            {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": cell}
            for cell in CELLS
        ],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def run(clicks: int = 20) -> dict[str, tuple[float, float]]:
    from playwright.sync_api import sync_playwright

    root = Path(tempfile.mkdtemp(prefix="agl-bench-"))
    (root / "bench.ipynb").write_text(json.dumps(notebook()))
    port = free_port()
    args = jupyterlab_args(port, root)
    results = {}
    with server(args, port, root / "home") as url, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{url}/lab/tree/bench.ipynb")
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
        page.locator(".jp-Notebook .jp-Cell").first.click()
        for _ in CELLS[:2]:
            page.keyboard.press("Shift+Enter")
        try:
            page.wait_for_selector(".autograd-lab-explorer .agl-view g.node", timeout=120_000)
        except Exception:
            page.screenshot(path=str(root / "no-explorer.png"))
            raise RuntimeError(f"the explorer did not draw within 120 s: see {root / 'no-explorer.png'}") from None
        page.wait_for_timeout(1500)
        switch = []
        for _ in range(clicks):
            switch.append(page.evaluate(CLICK_SWITCH))
            page.wait_for_timeout(700)  # let the morph finish, as a learner would watch it
        results["click on a switch → first frame of the morph"] = (statistics.median(switch), p95(switch))
        panel = [t for t in (page.evaluate(CLICK_NODE, i) for i in range(clicks)) if t is not None]
        results["click on a box → its panel shown"] = (statistics.median(panel), p95(panel))
        # the 400-node graph: the view reports its own layout and total time for each picture
        page.evaluate("""() => { const views = document.querySelectorAll('.agl-view');
            const view = views[views.length - 1];
            window.__aglBig = new Promise((resolve, reject) => { view.addEventListener('agl:rendered',
                e => resolve([e.detail.layoutMs, e.detail.totalMs, e.detail.nodes]), {once: true});
                setTimeout(() => reject(new Error('the 400-node graph was not drawn within 60 s')), 60000); }); }""")
        page.keyboard.press("Shift+Enter")
        layout_ms, total_ms, nodes = page.evaluate("() => window.__aglBig")
        results[f"layout of a {nodes}-node graph (Graphviz in the page)"] = (layout_ms, layout_ms)
        results[f"{nodes}-node graph: DOT received → picture drawn"] = (total_ms, total_ms)
        browser.close()
    return results


if __name__ == "__main__":
    for name, (median, worst) in run().items():
        print(f"{name:<55} median {median:6.1f} ms   p95 {worst:6.1f} ms")
