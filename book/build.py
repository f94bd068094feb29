"""Build the course as a static site, from the notebooks' committed outputs (nothing is run).

    python book/build.py [--out DIR]

The notebooks 00-07 and the pages in book/ are copied into DIR/source, and Sphinx (with
MyST-NB and the Sphinx Book Theme, configured in book/conf.py) writes the site to DIR/html:
open DIR/html/index.html. DIR defaults to book/_build.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import warnings
from pathlib import Path

from live import bring_to_life

BOOK = Path(__file__).resolve().parent
NOTEBOOKS = BOOK.parent / "notebooks"
# The course, in reading order (notebooks/course.txt, the one list of it); app_graph_lab is a
# page of widgets only, useless without a kernel.
COURSE = [
    line.strip()
    for line in (NOTEBOOKS / "course.txt").read_text().splitlines()
    if line.strip() and not line.startswith("#")
]
PAGES = ["index.md"]


# A lesson links its exercises beside it (../exercises/NN_*.ipynb), which a site page cannot
# run: there the link opens the exercise notebook on Colab instead.
EXERCISE_LINK = re.compile(r"\]\(\.\./exercises/([0-9]{2}_[a-z_]+\.ipynb)\)")
COLAB_EXERCISE = "https://colab.research.google.com/github/autograd-lab/autograd-lab/blob/main/exercises/"


def link_exercises(notebook: dict) -> None:
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            text = "".join(cell["source"])
            cell["source"] = EXERCISE_LINK.sub(lambda match: f"]({COLAB_EXERCISE}{match[1]})", text)


def stage(source: Path) -> None:
    """Lay out Sphinx's source folder: the landing page and the course's notebooks.

    Pages are written only when they change, so a second build redoes only what did; each
    widget output that left a live record becomes its live element (book/live.py)."""
    missing = [name for name in COURSE if not (NOTEBOOKS / f"{name}.ipynb").exists()]
    if missing:
        raise SystemExit(f"book: notebooks/{missing[0]}.ipynb is missing; the site needs all of {', '.join(COURSE)}.")
    source.mkdir(parents=True, exist_ok=True)
    wanted = set(PAGES) | {f"{name}.ipynb" for name in COURSE} | {"badges"}
    for old in source.iterdir():
        if old.name not in wanted:  # a page dropped from the course leaves the site too
            shutil.rmtree(old) if old.is_dir() else old.unlink()
    for page in PAGES:
        shutil.copy2(BOOK / page, source / page)
    for name in COURSE:
        # Written only when it changes, so that a second build redoes only what did.
        notebook = json.loads((NOTEBOOKS / f"{name}.ipynb").read_text())
        bring_to_life(notebook)
        link_exercises(notebook)
        text = json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"
        target = source / f"{name}.ipynb"
        if not target.exists() or target.read_text() != text:
            target.write_text(text)
    # The Binder and Colab badges at the top of each notebook are images beside them.
    shutil.copytree(NOTEBOOKS / "badges", source / "badges", dirs_exist_ok=True)


def build(out: Path, quiet: bool = False) -> Path:
    """Build the site into out/html; returns the path of its index.html."""
    from sphinx.cmd.build import build_main

    # nbformat warns of cells without ids while MyST-NB writes its copy of each notebook;
    # every cell of ours has one, and so has every copy written: a false alarm.
    warnings.filterwarnings("ignore", message="Cell is missing an id field")
    out = out.resolve()
    stage(out / "source")
    args = ["-b", "html", "-c", str(BOOK), "-d", str(out / "doctrees"), "-W", "--keep-going", "-j", "1"]
    if quiet:
        args.append("-q")
    status = build_main([*args, str(out / "source"), str(out / "html")])
    if status != 0:
        raise SystemExit(f"book: Sphinx stopped with status {status}; its warnings above say what to fix.")
    return out / "html" / "index.html"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Build the course as a static site (nothing is executed).")
    parser.add_argument("--out", type=Path, default=BOOK / "_build", help="build folder (default: book/_build)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print warnings and errors only")
    options = parser.parse_args(argv)
    try:
        import myst_nb  # noqa: F401
        import sphinx_book_theme  # noqa: F401
    except ImportError as error:
        raise SystemExit(
            f"book: {error.name} is not installed: run 'make book', or "
            f"'{sys.executable} -m pip install -r book/requirements.txt'."
        ) from None
    index = build(options.out, quiet=options.quiet)
    print(f"The site is in {index.parent}: open {index}")


if __name__ == "__main__":
    main()
