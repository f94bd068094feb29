"""Binder, conda and pip must install the same versions, and Binder must build from binder/.

pyproject.toml states ranges (what the helpers and the course need); constraints.txt holds
the exact versions the stored outputs were made with, and the conda files pin the same."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import tomllib
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[1]
ENV_FILES = [REPO / "binder" / "environment.yml", REPO / "environment.yml"]
CONDA_NAMES = {"torch": "pytorch-cpu", "graphviz": "python-graphviz"}  # PyPI name -> conda-forge name
# In the course's requirements but left to conda in the conda files: setuptools is conda's own,
# traitlets comes with ipywidgets.
LEFT_TO_CONDA = {"setuptools", "traitlets"}
PROJECT = "autograd-lab-helpers"


def project() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text())["project"]


def requirements(*groups: str) -> list[Requirement]:
    """The requirements of pyproject's dependencies ("") and of the named extras, without
    the package's references to its own extras."""
    table = project()
    found = []
    for group in groups:
        lines = table["dependencies"] if group == "" else table["optional-dependencies"][group]
        found += [r for r in map(Requirement, lines) if canonicalize_name(r.name) != PROJECT]
    return found


def all_requirements() -> list[Requirement]:
    return requirements("", *project()["optional-dependencies"])


def constraint_pins(text: str) -> dict[str, str]:
    """name -> version of a constraints file; anything but one exact pin per package is an error."""
    pins: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        requirement = Requirement(line)
        specifiers = list(requirement.specifier)
        if len(specifiers) != 1 or specifiers[0].operator != "==" or requirement.marker or requirement.extras:
            raise ValueError(f"line {number}: {line!r} is not an exact pin such as 'torch==2.13.0'")
        name = canonicalize_name(requirement.name)
        if name in pins:
            raise ValueError(f"line {number}: {name} is pinned twice")
        pins[name] = specifiers[0].version
    return pins


def pins() -> dict[str, str]:
    return constraint_pins((REPO / "constraints.txt").read_text())


def env_pins(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """(conda pins, pip pins) of an environment file; unpinned entries map to ''."""
    conda, pip = {}, {}
    for entry in yaml.safe_load(path.read_text())["dependencies"]:
        if isinstance(entry, dict):
            for line in entry["pip"]:
                if match := re.fullmatch(r"([\w.-]+)==([\w.]+)", line.split("#")[0].strip()):
                    pip[canonicalize_name(match[1])] = match[2]
        else:
            name, _, version = entry.partition("=")
            conda[name.lower()] = version
    return conda, pip


def pin_problems(wanted: list[Requirement], constrained: dict[str, str]) -> list[str]:
    """What is wrong between pyproject's ranges and the pins: a missing pin, a pin outside its range."""
    problems = []
    for requirement in wanted:
        name = canonicalize_name(requirement.name)
        if name not in constrained:
            problems.append(f"constraints.txt has no pin for {requirement}: add {name}==<version>")
        elif not requirement.specifier.contains(constrained[name], prereleases=True):
            problems.append(f"constraints.txt pins {name}=={constrained[name]}, outside pyproject's {requirement}")
    return problems


def test_every_requirement_has_a_pin_inside_its_range():
    assert pin_problems(all_requirements(), pins()) == []


def test_a_missing_pin_and_a_pin_outside_its_range_are_named():
    wanted = [Requirement("torch>=2.1,<3"), Requirement("ipywidgets>=8,<9"), Requirement("tqdm>=4.36")]
    # A local build label (+cpu) still matches its release, as pip reads it.
    assert pin_problems(wanted, {"torch": "2.13.0+cpu", "ipywidgets": "7.7.1"}) == [
        "constraints.txt pins ipywidgets==7.7.1, outside pyproject's ipywidgets<9,>=8",
        "constraints.txt has no pin for tqdm>=4.36: add tqdm==<version>",
    ]


def test_the_helpers_ask_for_ranges_with_a_floor_and_a_ceiling():
    # An exact pin here would make pip replace the torch (or ipywidgets) a machine already has.
    for requirement in requirements(""):
        operators = {spec.operator for spec in requirement.specifier}
        assert operators == {">=", "<"}, f"{requirement}: give a range, e.g. {requirement.name}>=2.1,<3"


def test_the_constraints_check_refuses_what_is_not_an_exact_pin():
    assert constraint_pins("torch==2.13.0  # the CPU build\n\nRuff == 0.17.5\n") == {
        "torch": "2.13.0",
        "ruff": "0.17.5",
    }
    for bad in ("torch>=2.1", "torch", "torch==2.13.0; python_version<'3.12'", "torch==2.13.0\ntorch==2.12.0"):
        with pytest.raises(ValueError, match="exact pin|pinned twice"):
            constraint_pins(bad)


@pytest.mark.parametrize("path", ENV_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_environment_file_matches_constraints(path):
    constrained = pins()
    conda, pip = env_pins(path)
    assert conda["python"] == "3.11"
    assert "pytorch-cpu" in conda and not {"pytorch", "pytorch-gpu", "cudatoolkit"} & set(conda)
    assert not any("cuda" in name for name in conda), "Binder must never get a CUDA build"
    assert "graphviz" in conda  # the dot program itself
    for requirement in requirements("", "notebooks", "course"):
        name = canonicalize_name(requirement.name)
        if name in LEFT_TO_CONDA:
            continue
        found = pip.get(name) or conda.get(CONDA_NAMES.get(name, name))
        assert found == constrained[name], f"{path.name}: {name} is {found!r}, constraints.txt pins {constrained[name]}"
    for name, version in {**conda, **pip}.items():
        pypi = canonicalize_name(next((k for k, v in CONDA_NAMES.items() if v == name), name))
        if version and pypi in constrained:
            assert version == constrained[pypi], (
                f"{path.name}: {name}={version}, constraints.txt pins {constrained[pypi]}"
            )


def test_the_hub_requirements_match_constraints():
    hub = constraint_pins((REPO / "deploy" / "requirements-hub.txt").read_text())
    constrained = pins()
    assert hub and all(constrained.get(name) == version for name, version in hub.items()), hub


def test_postbuild_installs_the_helpers():
    script = (REPO / "binder" / "postBuild").read_text()
    assert script.startswith("#!/bin/bash") and "\nset -e\n" in script
    assert "pip install --no-deps -e ." in script
    assert (REPO / "binder" / "postBuild").stat().st_mode & 0o111


@pytest.mark.slow
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
    assert re.search(r"^lab: setup$", makefile, re.M) and re.search(r"^test: setup lint js-unit$", makefile, re.M)
    assert (REPO / ".ci" / "run").read_text().rstrip().endswith("make test")
