"""The course's order lives in one list, notebooks/course.txt: the site is built from it, and the
tables that list the notebooks (README, notebook 00, the site's landing page) follow it."""

import json
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COURSE = [
    line.strip()
    for line in (REPO / "notebooks" / "course.txt").read_text().splitlines()
    if line.strip() and not line.startswith("#")
]
ROW = re.compile(r"^\| \d\d \| \[[^\]]+\]\((?:notebooks/)?(\d\d_[a-z_]+)\.ipynb\)", re.M)


def test_every_numbered_notebook_is_in_the_course_and_nothing_else():
    assert sorted(path.stem for path in (REPO / "notebooks").glob("[0-9][0-9]_*.ipynb")) == sorted(COURSE)
    assert COURSE == sorted(COURSE) and COURSE[0] == "00_start_here"


def test_the_readme_lists_the_course_in_order():
    assert ROW.findall((REPO / "README.md").read_text()) == COURSE


def test_notebook_00_lists_the_rest_in_order():
    cells = json.loads((REPO / "notebooks" / "00_start_here.ipynb").read_text())["cells"]
    text = "\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown")
    assert ROW.findall(text) == COURSE[1:]


def test_the_sites_landing_page_lists_and_links_the_course_in_order():
    index = (REPO / "book" / "index.md").read_text()
    assert ROW.findall(index) == COURSE
    toctree = index.split("```{toctree}", 1)[1].split("```", 1)[0]
    assert [line.strip() for line in toctree.splitlines() if line.strip() and not line.startswith(":")] == COURSE
