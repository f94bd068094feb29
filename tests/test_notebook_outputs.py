"""What the committed notebooks show before anyone runs them, and how their quizzes sit."""

import json
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def cells(path: Path) -> list[dict]:
    return json.loads(path.read_text())["cells"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_picture_has_a_png_for_a_notebook_not_yet_trusted(path):
    for cell in cells(path):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/svg+xml" in data:  # JupyterLab renders no SVG in an untrusted notebook
                assert "image/png" in data, f"{path.stem} cell {cell.get('id')}: an SVG without its PNG"
            if "Quiz()" in "".join(data.get("text/plain", "")):
                assert "<b>Quiz.</b>" in "".join(data.get("text/html", "")), f"{path.stem}: a quiz without its question"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_quiz_cells_are_folded_so_the_answer_is_not_in_sight(path):
    for cell in cells(path):
        source = "".join(cell["source"])
        if cell["cell_type"] != "code" or "h.quiz(" not in source:
            continue
        assert source.startswith("# Quiz, folded:"), f"{path.stem} cell {cell.get('id')}: no first line saying so"
        assert cell["metadata"].get("jupyter", {}).get("source_hidden") is True, f"{path.stem}: quiz cell not folded"
        assert "remove-input" in cell["metadata"].get("tags", []), f"{path.stem}: the site would show its code"


def test_all_notebooks_together_stay_small():
    total = sum(path.stat().st_size for path in NOTEBOOKS)
    assert total <= 3_000_000, f"the notebooks hold {total:,} bytes; keep them under 3 MB"
