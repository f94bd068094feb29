"""The exercises with the real grader (otter-grader), as a teacher runs it.

For every master in exercises/masters/: `otter assign` builds the two versions, and the
learner's version committed in exercises/ must be what it builds today. Then otter grades,
without Docker, three submissions per lesson: the solutions (full marks), the learner's notebook
untouched (0, each check saying in words what is missing), and one wrong answer from
tests/wrong_answers/ (it must get the hint written for that mistake). nbval runs the masters
themselves (`make masters-elsewhere`), which checks every solution against its checks in a plain kernel.
"""

from __future__ import annotations

import csv
import json
import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "scripts"), str(REPO / "tests")]
import assignments  # noqa: E402
import grade_class  # noqa: E402
import wrong_answers  # noqa: E402

pytestmark = [
    pytest.mark.slow,
    # otter's own import of ipylab declares a trait the old way; nothing of ours.
    pytest.mark.filterwarnings("ignore:Traits should be given as instances:DeprecationWarning"),
]
MASTERS = assignments.masters([])
NAMES = [path.stem for path in MASTERS]
ANSWER_TAG = "otter_answer_cell"
# Gradings at once: each waits on its kernel part of the time, so three keep two cores busy.
WORKERS = int(os.environ.get("AUTOGRAD_LAB_GRADERS", "3"))


def answer_cells(notebook) -> dict[str, list]:
    """Each question's answer cells: the ones tagged by otter before its check cell."""
    by_question, pending = {}, []
    for cell in notebook.cells:
        if ANSWER_TAG in cell.metadata.get("tags", []):
            pending.append(cell)
        elif cell.cell_type == "code" and cell.source.startswith("grader.check("):
            by_question[cell.source.split('"')[1]] = pending
            pending = []
    return by_question


def with_answer(student: Path, question: str, answer: str) -> nbformat.NotebookNode:
    notebook = nbformat.read(student, as_version=4)
    cells = answer_cells(notebook)
    if question not in cells:
        raise ValueError(f"{student.name} has no question {question!r}; it has {sorted(cells)}")
    cells[question][0].source = answer.strip()
    return notebook


def grade(submission: str, autograder: str) -> dict:
    """One submission through otter's own grading (what `otter run` does), in a worker process."""
    from otter.api import grade_submission

    results = grade_submission(submission, autograder, quiet=True)
    return {
        "total": results.total,
        "possible": results.possible,
        "feedback": {name: results.get_result(name).summary() for name in results.test_files},
    }


def grade_by_command_line(lesson: str, dist: str, submissions: str, out: str) -> dict:
    """A class of three through `make grade`'s script, which runs `otter run` on each."""
    rows = grade_class.grade_class(lesson, Path(submissions), Path(out), Path(dist))
    graded = {}
    for row in rows:
        tests = json.loads((Path(out) / row["student"] / "results.json").read_text())["tests"]
        feedback = {test["name"]: test["output"] for test in tests if "max_score" in test}
        graded[row["student"]] = {
            "total": float(row["total"]),
            "possible": float(row["possible"]),
            "feedback": feedback,
        }
    return graded


@pytest.fixture(scope="module")
def selected(request) -> list[str]:
    """The lessons whose tests this run selected (all, unless -k chose some): only those are built and graded."""
    chosen = {
        item.callspec.params["name"]
        for item in request.session.items
        if getattr(item, "module", None) is sys.modules[__name__]
        and "name" in getattr(getattr(item, "callspec", None), "params", {})
    }
    return [name for name in NAMES if name in chosen] or NAMES[:1]


@pytest.fixture(scope="module")
def built(tmp_path_factory, selected) -> Path:
    root = tmp_path_factory.mktemp("assignments")
    for master in MASTERS:
        if master.stem in selected:
            assignments.assign(master, root / master.stem, run_tests=False)
    return root


@pytest.fixture(scope="module")
def graded(built, selected, tmp_path_factory) -> dict:
    """All the submissions graded two at a time (each grading starts a kernel of its own): the
    first lesson's as a class, by `make grade`'s script; the others' through otter's API."""
    root = tmp_path_factory.mktemp("submissions")
    jobs = {}
    with ProcessPoolExecutor(WORKERS, mp_context=multiprocessing.get_context("spawn")) as pool:
        for name in selected:
            result = built / name
            autograder = str(next((result / "autograder").glob("*.zip")))
            wrong = wrong_answers.load(name)
            submissions = {
                "solution": nbformat.read(result / "autograder" / f"{name}.ipynb", as_version=4),
                "untouched": nbformat.read(result / "student" / f"{name}.ipynb", as_version=4),
                "wrong": with_answer(result / "student" / f"{name}.ipynb", wrong.QUESTION, wrong.ANSWER),
            }
            folder = root / name
            folder.mkdir()
            for kind, notebook in submissions.items():
                nbformat.write(notebook, folder / f"{kind}.ipynb")
            if name == selected[0]:
                jobs[name] = pool.submit(grade_by_command_line, name, str(built), str(folder), str(root / "grades"))
            else:
                for kind in submissions:
                    jobs[name, kind] = pool.submit(grade, str(folder / f"{kind}.ipynb"), autograder)
        graded = {key: job.result() for key, job in jobs.items()}
    by_class = graded.pop(selected[0])
    return {**graded, **{(selected[0], kind): result for kind, result in by_class.items()}}


def test_make_grade_writes_one_row_a_student(graded, tmp_path_factory):
    grades = next(Path(tmp_path_factory.getbasetemp()).glob("submissions*/grades/grades.csv"))
    rows = {row["student"]: row for row in csv.DictReader(grades.open())}
    assert sorted(rows) == ["solution", "untouched", "wrong"]
    assert rows["solution"]["total"] == rows["solution"]["possible"] == "4"
    assert rows["untouched"]["total"] == "0" and rows["untouched"]["possible"] == "4"


def test_make_grade_says_what_to_do_without_an_autograder(tmp_path):
    with pytest.raises(grade_class.GradingError, match="run `make assignments` first"):
        grade_class.autograder("01", tmp_path)


def test_at_least_two_exercises_a_lesson_from_01_on():
    lessons = [line for line in (REPO / "notebooks" / "course.txt").read_text().splitlines() if line[:1].isdigit()]
    assert NAMES == [name for name in lessons if name[:2] != "00"]
    for name in NAMES:
        questions = answer_cells(nbformat.read(REPO / "exercises" / f"{name}.ipynb", as_version=4))
        assert len(questions) >= 2, f"{name} has {len(questions)} exercises"
        assert all(question.startswith(f"q{name[:2]}_") for question in questions), sorted(questions)


@pytest.mark.parametrize("name", NAMES)
def test_the_committed_learner_version_is_what_make_assignments_builds(built, name):
    def content(notebook):
        return [(cell.cell_type, cell.source, cell.metadata.get("tags", [])) for cell in notebook.cells]

    fresh = assignments.student_notebook(built / name, name)
    committed = nbformat.read(REPO / "exercises" / f"{name}.ipynb", as_version=4)
    assert content(committed) == content(fresh), f"run `make assignments` ({name}.ipynb is out of date)"
    for test in (built / name / "student" / "tests").glob("*.py"):
        assert (REPO / "exercises" / "tests" / test.name).read_text() == test.read_text(), test.name


@pytest.mark.parametrize("name", NAMES)
def test_public_checks_leave_the_hidden_ones_out(built, name):
    student_tests = {path.name: path.read_text() for path in (built / name / "student" / "tests").glob("*.py")}
    teacher_tests = {path.name: path.read_text() for path in (built / name / "autograder" / "tests").glob("*.py")}
    assert student_tests.keys() == teacher_tests.keys()
    assert all("hidden=True" not in text for text in student_tests.values())
    assert any("hidden=True" in text for text in teacher_tests.values()), f"{name} has no hidden checks"


@pytest.mark.parametrize("name", NAMES)
def test_the_solutions_score_full_marks(graded, name):
    result = graded[name, "solution"]
    assert result["possible"] > 0
    assert result["total"] == result["possible"], result["feedback"]


@pytest.mark.parametrize("name", NAMES)
def test_the_untouched_notebook_scores_zero_and_says_what_is_missing(graded, name):
    result = graded[name, "untouched"]
    assert result["total"] == 0, result["feedback"]
    for question, feedback in result["feedback"].items():
        # Each failed check ends on a sentence of ours, not on a bare error from the code under test.
        reasons = [line.strip() for line in feedback.splitlines() if "Error: " in line]
        assert reasons, feedback
        assert all(reason.startswith("AssertionError: ") and len(reason) > 40 for reason in reasons), (
            f"{question}: {feedback}"
        )


@pytest.mark.parametrize("name", NAMES)
def test_a_wrong_answer_gets_the_hint_written_for_it(graded, name):
    wrong = wrong_answers.load(name)
    result = graded[name, "wrong"]
    assert result["total"] < result["possible"]
    assert wrong.HINT in result["feedback"][wrong.QUESTION], result["feedback"][wrong.QUESTION]
