"""The notebooks in a real JupyterLab: run one, then use its living view as a learner would."""

import json
import re
import shutil
from pathlib import Path

from playwright.sync_api import expect

REPO = Path(__file__).resolve().parents[2]

# The prompts of the code cells a learner sees; a folded cell (its input hidden) shows none.
PROMPTS = (
    "() => [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map(p => p.textContent).filter(p => p !== '')"
)


def menu(page, top: str, *items: str) -> None:
    page.get_by_role("menuitem", name=top, exact=True).click()
    for item in items:
        page.get_by_role("menuitem", name=re.compile("^" + re.escape(item))).click()


def use_theme(page, theme: str) -> None:
    """Switch JupyterLab's theme through the command palette, as a learner can."""
    page.keyboard.press("Control+Shift+C")
    palette = page.locator(".lm-CommandPalette-input")
    palette.fill(theme)
    page.locator(".lm-CommandPalette-item", has_text=theme).first.click()


def open_notebook(page, url: str) -> None:
    page.goto(url)
    expect(page.locator(".jp-Notebook .jp-Cell").first).to_be_visible(timeout=60_000)
    expect(page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']")).to_have_count(1, timeout=60_000)


def run_all_cells(page, artifacts, name: str) -> None:
    """Clear the stored outputs, run every cell, wait until each has a number."""
    menu(page, "Edit", "Clear Outputs of All Cells")
    page.wait_for_function(f"() => ({PROMPTS})().every(p => !/\\d/.test(p))")
    start_running_all(page)
    try:
        page.wait_for_function(f"() => ({PROMPTS})().every(p => /\\[\\d+\\]/.test(p))", timeout=180_000)
    except Exception:
        page.screenshot(path=str(artifacts / f"{name}-timeout.png"))
        raise AssertionError(f"cells did not all finish; prompts: {page.evaluate(PROMPTS)}") from None


def start_running_all(page) -> None:
    """Run → Run All Cells, until a cell has started. On a busy machine the menu's command
    can find the notebook not yet active and do nothing; then it is chosen again, as a
    learner would."""
    started = f"() => ({PROMPTS})().some(p => /\\[(\\*|\\d+)\\]/.test(p))"
    for _ in range(3):
        page.locator(".jp-Notebook .jp-Cell").first.click()  # the notebook has the focus
        menu(page, "Run", "Run All Cells")
        try:
            page.wait_for_function(started, timeout=30_000)
            return
        except Exception:
            continue
    raise AssertionError(f"Run All Cells started no cell; prompts: {page.evaluate(PROMPTS)}")


def node_with_text(view, text: str):
    return view.locator("g.node", has_text=text).first


def test_a_fresh_clone_shows_its_pictures_and_questions_before_any_run(jupyterlab, served_notebooks, page, artifacts):
    """A notebook as cloned: untrusted (JupyterLab renders no SVG and no widget there) and not
    run. Its stored pictures show as PNG, each widget as its picture, each quiz its question."""
    fresh = "fresh_01.ipynb"  # a copy no other test runs or saves, so nothing has trusted it
    shutil.copy(REPO / "notebooks" / "01_computational_graphs.ipynb", served_notebooks / fresh)
    stored = json.loads((served_notebooks / fresh).read_text())
    outputs = [o for c in stored["cells"] for o in c.get("outputs", [])]
    pictures = sum("image/png" in o.get("data", {}) for o in outputs)
    quizzes = [o for o in outputs if "Quiz()" in "".join(o.get("data", {}).get("text/plain", ""))]
    assert pictures >= 4 and len(quizzes) >= 3
    open_notebook(page, f"{jupyterlab}/lab/tree/{fresh}")
    notebook = page.locator(".jp-Notebook")
    images = page.locator(".jp-OutputArea-output[data-mime-type='image/png'] img")
    expect(images).to_have_count(pictures, timeout=30_000)
    for i in range(pictures):
        images.nth(i).scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 100", arg=images.nth(i).element_handle())
    text = notebook.inner_text()
    for shown_as_text in ("LabDigraph at", "GraphExplorer(", "Quiz()", "Error displaying widget"):
        assert shown_as_text not in text, f"a stored output shows as text: {shown_as_text}"
    questions = page.locator(".jp-OutputArea-output[data-mime-type='text/html'] .autograd-lab-quiz-text")
    expect(questions).to_have_count(len(quizzes))
    assert "Quiz." in questions.first.inner_text()
    images.first.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "fresh-01-untrusted.png"))
    # the workspace remembers open tabs: leave none behind for the next test's page
    menu(page, "File", "Close All Tabs")
    expect(page.locator(".jp-Notebook")).to_have_count(0)
    page.wait_for_timeout(1500)  # the workspace is saved


def test_notebook_01_runs_and_its_view_morphs_inspects_and_zooms(jupyterlab, page, artifacts):
    open_notebook(page, f"{jupyterlab}/lab/tree/01_computational_graphs.ipynb")
    run_all_cells(page, artifacts, "notebook01")

    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert errors.count() == 0, errors.all_inner_texts()
    # the pictures h.draw and torchviz put in the notebook render (as images)
    pictures = page.locator(".jp-OutputArea-output[data-mime-type='image/svg+xml'] img")
    assert pictures.count() == 6
    assert all(pictures.nth(i).evaluate("img => img.naturalWidth > 0") for i in range(6))

    explorer = page.locator(".autograd-lab-explorer").first
    explorer.scroll_into_view_if_needed()
    view = explorer.locator(".agl-view")
    expect(view.locator("g.node").first).to_be_visible(timeout=30_000)
    ids = view.locator("g.node > title").evaluate_all("titles => titles.map(t => t.textContent)")
    assert ids and all(re.fullmatch(r"n[0-9a-f]{10}(-\d+)?", i) for i in ids)  # stable ids, the DOM contract
    table = explorer.locator("table.autograd-lab-grads")
    table_before = table.inner_text()

    # a click on a box opens its panel, with value and gradient
    node_with_text(view, "a = 1").click()
    inspector = view.locator(".agl-inspector")
    expect(inspector).to_be_visible()
    expect(inspector).to_contain_text("AccumulateGrad")
    expect(inspector).to_contain_text("1")
    explorer.screenshot(path=str(artifacts / "notebook01-inspector.png"))
    page.keyboard.press("Escape")

    # flip a switch: first the widget asks for a prediction, the picture waits, out of date
    explorer.get_by_label("detach d").check()
    prediction = explorer.locator(".autograd-lab-predict")
    expect(prediction.get_by_role("button", name="Run it")).to_be_visible(timeout=20_000)
    expect(view).to_have_class(re.compile(r"\bagl-stale\b"))
    prediction.locator(".agl-guess", has_text="a gets a .grad").get_by_role("button", name="true").click()
    prediction.locator(".agl-guess", has_text="c gets a .grad").get_by_role("button", name="true").click()
    explorer.screenshot(path=str(artifacts / "notebook01-predict.png"))
    prediction.get_by_role("button", name="Run it").click()
    # then the picture morphs, what was cut away stays as a ghost, and each guess is marked
    expect(prediction).to_contain_text("2 of 5 answered, 1 right", timeout=20_000)
    expect(prediction).to_contain_text("not answered")
    expect(prediction).to_contain_text("✗ you said true")
    expect(prediction.get_by_role("button", name="Run it")).to_be_hidden()
    expect(view).not_to_have_class(re.compile(r"\bagl-stale\b"))
    expect(view.locator("g.node.agl-ghost").first).to_be_attached(timeout=20_000)
    expect(table).not_to_have_text(table_before, timeout=20_000)
    expect(view.locator("g.node", has_text="no grad").first).to_be_visible()
    rows = {line.split("\t")[0]: line.split("\t")[-1] for line in table.inner_text().splitlines()}
    assert rows["a"] == "None" and rows["b"] == "None" and rows["c"] == "1"
    explorer.screenshot(path=str(artifacts / "notebook01-detach-switch.png"))

    # zoom in: the picture's transform changes
    top = view.locator("svg g").first
    before = top.get_attribute("transform")
    view.get_by_role("button", name="Zoom in").first.click()
    page.wait_for_timeout(400)
    assert top.get_attribute("transform") != before
    page.screenshot(path=str(artifacts / "notebook01-page.png"))

    # the dark theme: widget text stays readable
    use_theme(page, "JupyterLab Dark")
    expect(page.locator("body[data-jp-theme-light='false']")).to_have_count(1, timeout=20_000)
    page.wait_for_timeout(600)
    explorer.scroll_into_view_if_needed()
    explorer.screenshot(path=str(artifacts / "notebook01-dark.png"))
    colour = view.locator("g.node text").first.evaluate("t => getComputedStyle(t).fill")
    assert colour not in ("rgb(0, 0, 0)", "black"), colour  # not black text on the dark page
    use_theme(page, "JupyterLab Light")


def test_stepper_plays_to_the_last_step(jupyterlab, page, artifacts):
    open_notebook(page, f"{jupyterlab}/lab/tree/02_chain_rule.ipynb?reset")  # only this notebook open
    run_all_cells(page, artifacts, "notebook02")
    stepper = page.locator(".autograd-lab-stepper").first
    stepper.scroll_into_view_if_needed()
    controls = stepper.locator(".agl-controls")
    expect(controls).to_contain_text("step 1 of 7", timeout=30_000)
    stepper.get_by_role("button", name="Next").click()
    expect(stepper.locator(".agl-chain")).to_contain_text("40 × 5 = 200")
    expect(stepper.locator("g.node.agl-current")).to_have_count(1)
    stepper.screenshot(path=str(artifacts / "notebook02-step-2.png"))
    stepper.get_by_role("button", name="Play").click()
    expect(controls).to_contain_text("step 7 of 7", timeout=30_000)
    scrub = stepper.locator("input.agl-scrub")
    scrub.fill("0")
    expect(controls).to_contain_text("step 1 of 7")


NO_DOT_NOTEBOOK = {
    "cells": [
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": source}
        for source in [
            "import shutil, torch, helpers as h\nassert shutil.which('dot') is None\n"
            "a = torch.tensor(1.0, requires_grad=True); b = torch.tensor(2.0, requires_grad=True)\n"
            "c = a + b; d = c * a; d.backward(retain_graph=True)\nh.draw(d, {'a': a, 'b': b, 'c': c, 'd': d})",
            "h.interact_graph(lambda detach: (a * (b.detach() if detach else b)), detach=False)",
            "h.backward_stepper(d, {'a': a, 'b': b, 'c': c, 'd': d})",
        ]
    ],
    "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
    "nbformat": 4,
    "nbformat_minor": 5,
}


def test_without_dot_every_picture_still_draws(jupyterlab_without_dot, page, artifacts):
    url, root = jupyterlab_without_dot
    (root / "no_dot.ipynb").write_text(json.dumps(NO_DOT_NOTEBOOK))
    open_notebook(page, f"{url}/lab/tree/no_dot.ipynb")
    run_all_cells(page, artifacts, "no-dot")
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert errors.count() == 0, errors.all_inner_texts()
    views = page.locator(".agl-view")
    expect(views).to_have_count(3, timeout=30_000)
    for i in range(3):
        expect(views.nth(i).locator("g.node").first).to_be_visible(timeout=30_000)
    page.screenshot(path=str(artifacts / "no-dot.png"))
