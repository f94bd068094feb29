"""`make grade`: a class's submissions of one exercise notebook, graded with `otter run`.

    python scripts/grade_class.py 03 path/to/submissions [--out grades/03]

Each NAME.ipynb in the submissions folder is graded on this machine, without Docker, by
otter-grader's own `otter run`, against the autograder zip `make assignments` wrote to
exercises/dist/. Each student's full feedback (public and hidden checks) lands in
OUT/NAME/results.json; OUT/grades.csv has one row per student: each question's score, the total
and the possible total.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
from pathlib import Path

DIST = Path(__file__).resolve().parents[1] / "exercises" / "dist"
TIMEOUT = 600  # seconds for one submission: a notebook stuck in a loop is stopped and scores 0


class GradingError(ValueError):
    """What the command needs is missing; the message says what to do."""


def autograder(lesson: str, dist: Path = DIST) -> Path:
    zips = sorted(dist.glob(f"{lesson}*/autograder/*-autograder_*.zip"))
    if not zips:
        raise GradingError(f"no autograder for {lesson!r} in {dist}: run `make assignments` first")
    names = {path.parents[1].name for path in zips}
    if len(names) > 1:
        raise GradingError(f"{lesson!r} matches {sorted(names)}: give one lesson")
    return zips[-1]  # the newest build (otter names each with its time)


def otter_run(submission: Path, zip_path: Path, out: Path) -> dict:
    """Grade one notebook; the scores by question, from otter's results.json."""
    out.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "otter", "run", "-a", str(zip_path), "-o", str(out), "--no-logo", str(submission)]
    try:
        subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=True)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
        (out / "error.txt").write_text(f"{error}\n{getattr(error, 'stderr', b'') or b''!r}")
        return {}
    tests = json.loads((out / "results.json").read_text())["tests"]
    return {test["name"]: (test["score"], test["max_score"]) for test in tests if "max_score" in test}


def grade_class(lesson: str, submissions: Path, out: Path, dist: Path = DIST) -> list[dict]:
    zip_path = autograder(lesson, dist)
    notebooks = sorted(submissions.glob("*.ipynb"))
    if not notebooks:
        raise GradingError(f"no .ipynb in {submissions}: put each student's notebook there as NAME.ipynb")
    rows = []
    for notebook in notebooks:
        scores = otter_run(notebook, zip_path, out / notebook.stem)
        total, possible = sum(score for score, _ in scores.values()), sum(most for _, most in scores.values())
        row = {"student": notebook.stem, **{name: f"{score:g}" for name, (score, _) in sorted(scores.items())}}
        rows.append({**row, "total": f"{total:g}", "possible": f"{possible:g}"})
        print(f"{notebook.stem}: {total:g} / {possible:g}", flush=True)
    columns = [
        "student",
        *sorted({key for row in rows for key in row} - {"student", "total", "possible"}),
        "total",
        "possible",
    ]
    with open(out / "grades.csv", "w", newline="") as file:
        writer = csv.DictWriter(file, columns, restval="")
        writer.writeheader()
        writer.writerows(rows)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lesson", help="the exercise notebook's number or name, e.g. 03")
    parser.add_argument("submissions", type=Path, help="a folder of NAME.ipynb, one per student")
    parser.add_argument("--out", type=Path, help="where results go (default: grades/LESSON)")
    args = parser.parse_args(argv)
    out = args.out or Path("grades") / args.lesson
    try:
        grade_class(args.lesson, args.submissions, out)
    except GradingError as error:
        print(f"grade: {error}", file=sys.stderr)
        return 2
    print(f"grades: {out / 'grades.csv'}; each student's feedback: {out}/NAME/results.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
