"""`make class-link START=...`: a link that opens one exercise (or lesson) instead of notebook 00."""

import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "deploy"))
import class_link as cl  # noqa: E402


def opened(link: str) -> str:
    return parse_qs(urlsplit(link).query)["urlpath"][0]


def test_the_link_opens_the_exercise_named():
    link = cl.class_link("https://hub.example.edu", "https://github.com/a/autograd-lab", "main",
                         "exercises/01_computational_graphs.ipynb")  # fmt: skip
    assert opened(link) == "lab/tree/autograd-lab/exercises/01_computational_graphs.ipynb"


@pytest.mark.parametrize("start", ["exercises/99_nothing.ipynb", "exercises/tests", "../secret.ipynb", "README.md"])
def test_a_start_that_is_not_a_notebook_here_says_what_to_give(start):
    with pytest.raises(cl.LinkError, match="not a notebook of this repository: give a path such as"):
        cl.class_link("https://hub.example.edu", "https://github.com/a/autograd-lab", "main", start)


def test_the_command_line_passes_start_on(capsys, monkeypatch):
    monkeypatch.setattr(cl, "default_branch", lambda: "main")
    argv = ["--hub", "https://hub.example.edu", "--repo", "https://github.com/a/b", "--start",
            "exercises/01_computational_graphs.ipynb"]  # fmt: skip
    assert cl.main(argv) == 0
    assert opened(capsys.readouterr().out.strip()) == "lab/tree/b/exercises/01_computational_graphs.ipynb"
