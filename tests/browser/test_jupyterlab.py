"""Notebook 01 in a real JupyterLab: run it all, then click a switch."""
import re

from playwright.sync_api import expect

PROMPTS = "() => [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map(p => p.textContent)"


def menu(page, top: str, item: str) -> None:
    page.get_by_role("menuitem", name=top, exact=True).click()
    page.get_by_role("menuitem", name=re.compile("^" + re.escape(item))).click()


def run_all_cells(page, artifacts) -> None:
    """Clear the stored outputs, run every cell, wait until each has a number."""
    menu(page, "Edit", "Clear Outputs of All Cells")
    page.wait_for_function(f"() => ({PROMPTS})().every(p => !/\\d/.test(p))")
    menu(page, "Run", "Run All Cells")
    try:
        page.wait_for_function(f"() => ({PROMPTS})().every(p => /\\[\\d+\\]/.test(p))", timeout=180_000)
    except Exception:
        page.screenshot(path=str(artifacts / "notebook01-timeout.png"))
        raise AssertionError(f"cells did not all finish; prompts: {page.evaluate(PROMPTS)}") from None


def test_notebook_01_runs_and_the_detach_switch_redraws(jupyterlab, page, artifacts):
    page.goto(f"{jupyterlab}/lab/tree/01_computational_graphs.ipynb")
    expect(page.locator(".jp-Notebook .jp-Cell").first).to_be_visible(timeout=60_000)
    expect(page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']")).to_have_count(1, timeout=60_000)
    run_all_cells(page, artifacts)

    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert errors.count() == 0, errors.all_inner_texts()
    # the pictures rendered (JupyterLab shows SVG outputs as images): torchviz's and ours
    pictures = page.locator(".jp-OutputArea-output[data-mime-type='image/svg+xml'] img")
    assert pictures.count() == 6  # three from torchviz, three from helpers.draw
    assert all(pictures.nth(i).evaluate("img => img.naturalWidth > 0") for i in range(6))

    explorer = page.locator(".autograd-lab-explorer").first
    explorer.scroll_into_view_if_needed()
    picture = explorer.locator("svg").first
    table = explorer.locator("table.autograd-lab-grads")
    expect(picture).to_be_visible()
    expect(table).to_contain_text("a")
    picture_before, table_before = picture.inner_html(), table.inner_text()
    assert "ReluBackward0" in picture_before

    explorer.get_by_label("detach d").check()
    expect(table).not_to_have_text(table_before, timeout=20_000)
    expect(explorer.locator("svg").first).to_contain_text("no grad")
    picture_after, table_after = explorer.locator("svg").first.inner_html(), table.inner_text()
    assert picture_after != picture_before
    assert "no grad" in picture_after
    rows = {line.split("\t")[0]: line.split("\t")[-1] for line in table_after.splitlines()}
    assert rows["a"] == "None" and rows["b"] == "None" and rows["c"] == "1"
    explorer.screenshot(path=str(artifacts / "notebook01-detach-switch.png"))
    page.screenshot(path=str(artifacts / "notebook01-page.png"))
