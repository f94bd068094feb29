"""An exercise notebook as a learner meets it in JupyterLab: run the set-up, write a wrong
answer and run its check (the hint written for that mistake), then the right one (a pass)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect
from servers import free_port, jupyterlab_args, server

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))
import wrong_answers  # noqa: E402

NAME = "01_computational_graphs"
RIGHT = """def leaves(t):
    found, to_visit, seen = [], [t.grad_fn], set()
    while to_visit:
        node = to_visit.pop()
        if node is None or node in seen:
            continue
        seen.add(node)
        if hasattr(node, "variable"):
            found.append(node.variable)
        to_visit.extend(next_node for next_node, _slot in node.next_functions)
    return found"""


@pytest.fixture(scope="module")
def lab_with_exercises(tmp_path_factory):
    """JupyterLab serving a copy of the learner's exercises folder, as a clone has it."""
    root = tmp_path_factory.mktemp("course")
    shutil.copytree(REPO / "exercises", root / "exercises", ignore=shutil.ignore_patterns("dist", "masters", ".OTTER*"))
    port = free_port()
    with server(jupyterlab_args(port, root), port, tmp_path_factory.mktemp("lab-home")) as url:
        yield url


def test_a_wrong_answer_gets_its_hint_and_a_right_one_passes(lab_with_exercises, page, artifacts):
    wrong = wrong_answers.load(NAME)
    assert wrong.QUESTION == "q01_leaves"
    page.goto(f"{lab_with_exercises}/lab/tree/exercises/{NAME}.ipynb")
    cells = page.locator(".jp-Notebook .jp-Cell")
    expect(cells.first).to_be_visible(timeout=120_000)
    answer = next(i for i in range(cells.count()) if "def leaves" in cells.nth(i).inner_text())
    check = cells.nth(answer + 3)
    expect(check).to_contain_text('grader.check("q01_leaves")')

    def run(first: int, last: int) -> None:
        for index in range(first, last + 1):
            cells.nth(index).click()
            page.keyboard.press("Shift+Enter")

    def answer_with(code: str) -> None:
        cells.nth(answer).locator(".cm-content").click()
        page.keyboard.press("Control+A")
        page.keyboard.press("Delete")
        page.keyboard.insert_text(code)
        run(answer, answer + 3)

    run(0, answer - 1)  # the set-up, the imports, the exercise's text
    answer_with(wrong.ANSWER.strip())
    expect(check.locator(".jp-OutputArea")).to_contain_text(wrong.HINT, timeout=120_000)
    page.screenshot(path=str(artifacts / "exercise-wrong.png"))

    answer_with(RIGHT)
    expect(check.locator(".jp-OutputArea")).to_contain_text("q01_leaves passed!", timeout=60_000)
    expect(check.locator(".jp-OutputArea")).not_to_contain_text(wrong.HINT)
    page.screenshot(path=str(artifacts / "exercise-right.png"))
