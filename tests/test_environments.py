"""Binder, conda and pip must install the same versions, and Binder must build from binder/."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import tomllib
import yaml

REPO = Path(__file__).resolve().parents[1]
ENV_FILES = [REPO / "binder" / "environment.yml", REPO / "environment.yml"]
CONDA_NAMES = {"torch": "pytorch-cpu", "graphviz": "python-graphviz"}  # PyPI name -> conda-forge name


def pyproject_pins() -> tuple[dict[str, str], dict[str, str]]:
    """(runtime pins, test pins) as name -> version."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]

    def pins(requirements):
        return {m[1].lower(): m[2] for r in requirements if (m := re.fullmatch(r"([\w.-]+)==([\w.]+)", r))}

    return pins(project["dependencies"]), pins(project["optional-dependencies"]["test"])


def env_pins(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """(conda pins, pip pins) of an environment file; unpinned entries map to ''."""
    conda, pip = {}, {}
    for entry in yaml.safe_load(path.read_text())["dependencies"]:
        if isinstance(entry, dict):
            for line in entry["pip"]:
                if match := re.fullmatch(r"([\w.-]+)==([\w.]+)", line):
                    pip[match[1].lower()] = match[2]
        else:
            name, _, version = entry.partition("=")
            conda[name.lower()] = version
    return conda, pip


@pytest.mark.parametrize("path", ENV_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_environment_file_matches_pyproject(path):
    runtime, test = pyproject_pins()
    conda, pip = env_pins(path)
    assert conda["python"] == "3.11"
    assert "pytorch-cpu" in conda and not {"pytorch", "pytorch-gpu", "cudatoolkit"} & set(conda)
    assert not any("cuda" in name for name in conda), "Binder must never get a CUDA build"
    assert "graphviz" in conda  # the dot program itself
    for name, version in runtime.items():
        if name == "setuptools":
            continue
        found = pip.get(name) or conda.get(CONDA_NAMES.get(name, name))
        assert found == version, f"{path.name}: {name} is {found!r}, pyproject pins {version}"
    for name, version in {**conda, **pip}.items():
        pypi = next((k for k, v in CONDA_NAMES.items() if v == name), name)
        if version and pypi in {**runtime, **test}:
            assert version == {**runtime, **test}[pypi], f"{path.name}: {name}={version}"


def test_postbuild_installs_the_helpers():
    script = (REPO / "binder" / "postBuild").read_text()
    assert script.startswith("#!/bin/bash") and "\nset -e\n" in script
    assert "pip install --no-deps -e ." in script
    assert (REPO / "binder" / "postBuild").stat().st_mode & 0o111


def test_repo2docker_builds_from_binder_folder(tmp_path):
    tool = Path(sys.executable).with_name("jupyter-repo2docker")
    if not tool.exists():
        tool = shutil.which("jupyter-repo2docker")
    assert tool, "jupyter-repo2docker is a test dependency: make test installs it"
    # repo2docker reads only binder/ when it exists; a copy of it is all it needs here.
    shutil.copytree(REPO / "binder", tmp_path / "binder")
    (tmp_path / "environment.yml").write_text("dependencies: [this-must-be-ignored]\n")
    result = subprocess.run(
        [str(tool), "--no-build", "--no-run", "--debug", str(tmp_path)], capture_output=True, text=True, timeout=300
    )
    dockerfile = result.stdout + result.stderr
    assert result.returncode == 0, dockerfile[-2000:]
    assert '--file "binder/environment.yml"' in dockerfile
    assert "RUN ./binder/postBuild" in dockerfile
    assert "this-must-be-ignored" not in dockerfile


def test_readme_binder_badge_opens_start_here():
    readme = (REPO / "README.md").read_text()
    badge = re.search(r"\[!\[Binder\]\(https://mybinder.org/badge_logo.svg\)\]\((\S+)\)", readme)
    assert badge, "README needs a Binder badge"
    assert badge[1].endswith("?urlpath=lab/tree/notebooks/00_start_here.ipynb")
    assert (REPO / "notebooks" / "00_start_here.ipynb").exists()


def test_quick_start_is_two_commands():
    readme = (REPO / "README.md").read_text()
    section = readme.split("## Quick start", 1)[1]
    block = section.split("```", 2)[1].splitlines()[1:]
    commands = [line.split("#")[0].strip() for line in block if line.split("#")[0].strip()]
    assert commands == ["make lab", "make test"]
    makefile = (REPO / "Makefile").read_text()
    assert re.search(r"^lab: setup$", makefile, re.M) and re.search(r"^test: setup lint$", makefile, re.M)
    assert (REPO / ".ci" / "run").read_text().rstrip().endswith("make test")
