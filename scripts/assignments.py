"""`make assignments`: the exercises' two versions, built from their masters with otter-grader.

exercises/masters/NN_*.ipynb are the one source (otter-assign format: solutions, public and
hidden checks). For each master this
1. runs it top to bottom in a fresh kernel and stores its outputs (nbval re-runs the masters, so
   every solution is checked to pass its own checks);
2. runs `otter assign`, which writes the teacher's version to exercises/dist/NN_*/autograder/
   (the notebook with its solutions, every check, and the autograder zip `otter run` grades with)
   and the learner's to exercises/dist/NN_*/student/;
3. copies the learner's notebook to exercises/NN_*.ipynb and its public checks to
   exercises/tests/, where the course's learners open them (committed, so that Binder and Colab
   have them without this step).

    python scripts/assignments.py [NAME ...]     # all masters, or the ones named (e.g. 01)
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import nbformat

EXERCISES = Path(__file__).resolve().parents[1] / "exercises"
MASTERS = EXERCISES / "masters"
DIST = EXERCISES / "dist"
PUBLIC_TESTS = EXERCISES / "tests"
SET_UP = "# Set-up, folded:"
# Every exercise notebook's first code cell, written here once (`make assignments` puts it in the
# masters and so in both versions). Colab opens a notebook alone, without the ./tests beside it.
SET_UP_CELL = """\
# Set-up, folded: the check cells run with otter-grader, which reads the public checks in ./tests.
# On Colab, which opens this notebook without its folder, it first installs otter-grader and
# fetches the course's exercises folder; anywhere else it does nothing more.
import os
import sys

if "google.colab" in sys.modules and not os.path.isdir("tests"):
    import subprocess

    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "otter-grader==7.0.0"], check=True)
    repository = "https://github.com/autograd-lab/autograd-lab"
    subprocess.run(["git", "clone", "--quiet", "--depth=1", repository, "autograd-lab"], check=True)
    os.chdir("autograd-lab/exercises")

import otter

grader = otter.Notebook("{name}.ipynb")"""
# What otter or a kernel leaves on a notebook that would make two builds of one master differ.
RUN_METADATA = ("execution", "jupytext", "lines_to_next_cell", "collapsed", "scrolled")


def masters(names: list[str]) -> list[Path]:
    found = sorted(MASTERS.glob("[0-9][0-9]_*.ipynb"))
    chosen = [path for path in found if not names or any(path.stem.startswith(name) for name in names)]
    if not chosen:
        sys.exit(f"no master in {MASTERS} matches {names}: give a lesson number such as 01")
    return chosen


def run_master(path: Path) -> None:
    """Execute the master where it lives, as a learner's kernel would, and keep its outputs."""
    from nbclient import NotebookClient

    notebook = tidy(nbformat.read(path, as_version=4), path.stem)
    NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    nbformat.write(tidy(notebook, path.stem), path)


def tidy(notebook: nbformat.NotebookNode, name: str) -> nbformat.NotebookNode:
    """The same notebook, whatever machine or run made it: no run timestamps, cell ids by position,
    the one set-up cell, folded."""
    for index, cell in enumerate(notebook.cells):
        cell.id = f"cell-{index:02d}"
        for key in RUN_METADATA:
            cell.metadata.pop(key, None)
        if cell.cell_type == "code" and cell.source.startswith(SET_UP):
            cell.source = SET_UP_CELL.format(name=name)
            cell.metadata.setdefault("jupyter", {})["source_hidden"] = True  # folded, as in the lessons
    notebook.metadata.pop("jupytext", None)
    return notebook


def assign(master: Path, result: Path, *, run_tests: bool = True) -> None:
    """`otter assign` on one master, into result/{autograder,student}."""
    from otter.assign import main as otter_assign

    shutil.rmtree(result, ignore_errors=True)
    otter_assign(str(master), str(result), no_pdfs=True, no_run_tests=not run_tests)


def student_notebook(result: Path, name: str) -> nbformat.NotebookNode:
    return tidy(nbformat.read(result / "student" / f"{name}.ipynb", as_version=4), name)


def publish(result: Path, name: str) -> None:
    """The learner's version, where the course keeps it."""
    nbformat.write(student_notebook(result, name), EXERCISES / f"{name}.ipynb")
    PUBLIC_TESTS.mkdir(exist_ok=True)
    for test in sorted((result / "student" / "tests").glob("*.py")):
        shutil.copy(test, PUBLIC_TESTS / test.name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="lesson numbers or names (default: all)")
    for master in masters(parser.parse_args().names):
        print(f"{master.stem}: running the master, then otter assign", flush=True)
        run_master(master)
        result = DIST / master.stem
        assign(master, result)
        publish(result, master.stem)
    print(f"learners' versions: {EXERCISES}/; teachers': {DIST}/")


if __name__ == "__main__":
    main()
