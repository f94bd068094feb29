"""The notebooks' first code cell: silent where the helpers are installed; on Colab (simulated
here: google.colab is a stand-in module) it installs them, adds dot only when missing, and
turns Colab's custom widget manager on. Colab itself is not reached from here."""

import importlib.util
import json
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest
import tomllib

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").glob("0*.ipynb"))
COURSE = [line for line in (REPO / "notebooks" / "course.txt").read_text().splitlines() if line and line[0] != "#"]


def first_code_cell(path: Path) -> str:
    return "".join(next(c for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code")["source"])


CELL = first_code_cell(NOTEBOOKS[0])


def test_every_notebook_starts_with_the_same_set_up_cell_and_its_badges():
    assert len(NOTEBOOKS) == len(COURSE)
    for path in NOTEBOOKS:
        assert first_code_cell(path) == CELL, f"{path.name}'s first code cell differs from 00's"
        title = "".join(json.loads(path.read_text())["cells"][0]["source"])
        assert (
            f"https://colab.research.google.com/github/autograd-lab/autograd-lab/blob/main/notebooks/{path.name}"
            in title
        )
        assert (
            f"https://mybinder.org/v2/gh/autograd-lab/autograd-lab/HEAD?urlpath=lab/tree/notebooks/{path.name}" in title
        )
    for badge in ("binder.svg", "colab.svg"):  # served with the notebooks: no request to another site
        assert (REPO / "notebooks" / "badges" / badge).read_text().lstrip().startswith("<svg")


def run_cell() -> None:
    exec(compile(CELL, "<first cell>", "exec"), {"__name__": "__main__"})


@pytest.fixture
def colab(monkeypatch):
    """A stand-in Colab: google.colab.output records its calls, subprocess.run records the
    commands instead of running them, and dot is found."""
    calls = []
    output = types.SimpleNamespace(enable_custom_widget_manager=lambda: calls.append("widget manager"))
    google = types.ModuleType("google")
    colab_module = types.ModuleType("google.colab")
    colab_module.output = output
    google.colab = colab_module
    monkeypatch.setitem(sys.modules, "google", google)
    monkeypatch.setitem(sys.modules, "google.colab", colab_module)
    monkeypatch.setattr(subprocess, "run", lambda command, **kwargs: calls.append(command))
    monkeypatch.setattr(shutil, "which", lambda name: f"/usr/bin/{name}")
    return calls


def without_helpers(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "helpers" else real(name, *a))


def test_outside_colab_with_the_helpers_it_does_nothing_and_prints_nothing():
    result = subprocess.run([sys.executable, "-c", CELL], capture_output=True, text=True, cwd=REPO / "notebooks")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_outside_colab_without_the_helpers_it_says_what_to_do(tmp_path):
    base = Path(sys.base_prefix) / "bin" / "python3"  # a Python with no helpers installed
    result = subprocess.run([str(base), "-I", "-c", CELL], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 1
    assert "ModuleNotFoundError: The helpers are not installed here: run `make lab`" in result.stderr


def test_on_colab_with_the_helpers_installed_it_only_turns_the_widget_manager_on(colab, capsys):
    run_cell()
    assert colab == ["widget manager"]
    assert capsys.readouterr() == ("", "")


def test_on_colab_without_the_helpers_it_installs_them_from_the_repository(colab, monkeypatch):
    without_helpers(monkeypatch)
    monkeypatch.delitem(sys.modules, "ipywidgets", raising=False)
    run_cell()
    install, manager = colab
    assert install == [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--quiet",
        "autograd-lab-helpers[notebooks] @ git+https://github.com/autograd-lab/autograd-lab",
    ]
    assert manager == "widget manager"
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert (
        project["name"] == "autograd-lab-helpers" and "torchviz>=0.0.3" in project["optional-dependencies"]["notebooks"]
    )


def test_on_colab_an_old_ipywidgets_already_imported_asks_for_a_restart(colab, monkeypatch):
    without_helpers(monkeypatch)
    monkeypatch.setitem(sys.modules, "ipywidgets", types.SimpleNamespace(__version__="7.7.1"))
    with pytest.raises(RuntimeError, match=r"restart \(Runtime > Restart session\)"):
        run_cell()
    assert len(colab) == 1 and "pip" in colab[0]  # installed, but the widget manager waits


def test_on_colab_without_dot_it_installs_graphviz(colab, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    run_cell()
    assert colab == ["apt-get -qq update && apt-get -qq install -y graphviz", "widget manager"]
