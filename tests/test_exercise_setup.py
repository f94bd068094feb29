"""The exercises' first code cell: otter's checks read from ./tests; on Colab (simulated here)
otter-grader installed at the pinned version and the exercises folder fetched first."""

import re
import shutil
import subprocess
import sys
import types
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]
STUDENT = sorted((REPO / "exercises").glob("[0-9][0-9]_*.ipynb"))
MASTERS = sorted((REPO / "exercises" / "masters").glob("[0-9][0-9]_*.ipynb"))


def set_up_cell(path: Path) -> nbformat.NotebookNode:
    return next(cell for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code")


def test_every_exercise_notebook_starts_with_the_same_folded_set_up():
    assert STUDENT and [path.name for path in STUDENT] == [path.name for path in MASTERS]
    for path in STUDENT + MASTERS:
        cell = set_up_cell(path)
        assert cell.metadata.get("jupyter", {}).get("source_hidden"), f"{path.name}: the set-up cell is not folded"
        assert f'grader = otter.Notebook("{path.name}")' in cell.source, path.name
        assert cell.source.replace(path.name, "NAME") == set_up_cell(STUDENT[0]).source.replace(STUDENT[0].name, "NAME")


def test_the_colab_install_pins_the_grader_of_constraints_txt():
    pin = re.search(r"^otter-grader==(\S+)$", (REPO / "constraints.txt").read_text(), re.M)[1]
    assert f'"otter-grader=={pin}"' in set_up_cell(STUDENT[0]).source


@pytest.fixture
def colab(monkeypatch, tmp_path):
    """A stand-in Colab: google.colab importable, and subprocess.run recording each command (a
    `git clone` leaves the repository's exercises folder where the clone would put it)."""
    calls = []
    google = types.ModuleType("google")
    google.colab = types.ModuleType("google.colab")
    monkeypatch.setitem(sys.modules, "google", google)
    monkeypatch.setitem(sys.modules, "google.colab", google.colab)

    def run(command, **kwargs):
        calls.append(command)
        if command[:2] == ["git", "clone"]:
            shutil.copytree(REPO / "exercises", Path(command[-1]) / "exercises", ignore=shutil.ignore_patterns("dist"))

    monkeypatch.setattr(subprocess, "run", run)
    monkeypatch.chdir(tmp_path)
    return calls


def run_set_up() -> dict:
    namespace = {"__name__": "__main__"}
    exec(compile(set_up_cell(STUDENT[0]).source, "<set-up>", "exec"), namespace)
    return namespace


def test_on_colab_it_installs_otter_and_fetches_the_exercises_folder(colab, tmp_path):
    namespace = run_set_up()
    pip, clone = colab
    assert pip[:4] == [sys.executable, "-m", "pip", "install"] and pip[-1].startswith("otter-grader==")
    assert clone[:2] == ["git", "clone"] and "https://github.com/autograd-lab/autograd-lab" in clone
    assert Path.cwd() == tmp_path / "autograd-lab" / "exercises"
    assert namespace["grader"]._notebook == STUDENT[0].name
    run_set_up()  # run again, it finds ./tests and does not fetch twice
    assert len(colab) == 2


def test_elsewhere_it_installs_nothing(monkeypatch):
    calls = []
    monkeypatch.setattr(subprocess, "run", lambda command, **kwargs: calls.append(command))
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    monkeypatch.chdir(REPO / "exercises")
    run_set_up()
    assert calls == []


pytestmark = pytest.mark.filterwarnings("ignore:Traits should be given as instances:DeprecationWarning")


def test_each_lesson_links_its_exercises_and_the_site_sends_them_to_colab():
    sys.path.insert(0, str(REPO / "book"))
    import build

    for student in STUDENT:
        lesson = nbformat.read(REPO / "notebooks" / student.name, as_version=4)
        link = f"](../exercises/{student.name})"
        assert any(link in cell.source for cell in lesson.cells if cell.cell_type == "markdown"), student.name
        build.link_exercises(lesson)
        text = "".join(cell.source for cell in lesson.cells if cell.cell_type == "markdown")
        assert link not in text and f"]({build.COLAB_EXERCISE}{student.name})" in text
