"""The set-up itself: torchviz imports without the standard library's distutils, `make`
names the install commands when Graphviz is missing and installs again when the pins change,
and the package installs beside a torch that is already there (as on Colab)."""

import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[1]

# Python 3.12 removed distutils from the standard library. This finder hides the
# standard library's copy in the same way, so the import is tested as 3.12 sees it.
HIDE_STDLIB_DISTUTILS = """
import importlib.machinery, sys, sysconfig
stdlib = sysconfig.get_paths()["stdlib"]

class No312Distutils(importlib.machinery.PathFinder):
    @classmethod
    def find_spec(cls, name, path=None, target=None):
        if name.split(".")[0] == "distutils":
            spec = importlib.machinery.PathFinder.find_spec(name, path, target)
            if spec and spec.origin and spec.origin.startswith(stdlib):
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(sys.meta_path.index(importlib.machinery.PathFinder), No312Distutils)
"""


def python(code: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", HIDE_STDLIB_DISTUTILS + code], capture_output=True, text=True, env={**os.environ, **env}
    )


@pytest.mark.slow
def test_torchviz_imports_without_stdlib_distutils():
    result = python("import distutils, torchviz\nprint(distutils.__file__)")
    assert result.returncode == 0, result.stderr
    assert "setuptools" in result.stdout  # setuptools' copy stands in


def test_the_hidden_stdlib_distutils_really_breaks_torchviz_without_setuptools():
    # With setuptools' stand-in switched off, the simulated 3.12 has no distutils.
    result = python("import torchviz", SETUPTOOLS_USE_DISTUTILS="stdlib")
    assert result.returncode != 0
    assert "No module named 'distutils'" in result.stderr


@pytest.mark.slow
def test_make_names_the_install_commands_when_dot_is_missing(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("bash", "sh"):
        (bin_dir / tool).symlink_to(shutil.which(tool))
    fake_id = bin_dir / "id"  # not root, so make must not try apt-get
    fake_id.write_text("#!/bin/sh\necho 1000\n")
    fake_id.chmod(0o755)
    result = subprocess.run(
        [shutil.which("make"), "-s", "dot"],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={"PATH": str(bin_dir), "HOME": str(tmp_path)},
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2 and lines[-1].startswith("make:")  # one line of ours, then make's
    for command in ("sudo apt-get install graphviz", "brew install graphviz", "conda install -c conda-forge graphviz"):
        assert command in lines[0]


def test_environment_check_reports_versions_and_dot(capsys, monkeypatch, tmp_path):
    import helpers as h

    assert h.check_environment() is True
    printed = capsys.readouterr().out
    assert "torch       2.13.0" in printed and "dot - graphviz version" in printed
    monkeypatch.setenv("PATH", str(tmp_path))  # no dot on PATH
    assert h.check_environment() is False
    assert "NOT FOUND" in capsys.readouterr().out


def test_the_environment_check_does_not_require_jupyterlab(capsys, monkeypatch):
    # Colab runs the notebooks in a Jupyter of its own, without the jupyterlab package.
    import helpers as h
    from helpers import environment

    missing, real = {"jupyterlab"}, environment.version

    def version(name):
        if name in missing:
            raise environment.PackageNotFoundError(name)
        return real(name)

    monkeypatch.setattr(environment, "version", version)
    assert h.check_environment() is True and "jupyterlab  MISSING" in capsys.readouterr().out
    missing.add("torchviz")
    assert h.check_environment() is False


def test_nbval_cells_wait_a_minute_for_their_output(request):
    import nbval.plugin

    cells = [item for item in request.session.items if isinstance(item, nbval.plugin.IPyNbCell)]
    root_conftest = Path(__file__).resolve().parent.parent / "conftest.py"
    project = next(
        plugin
        for plugin in request.config.pluginmanager.get_plugins()
        if Path(getattr(plugin, "__file__", "") or "").resolve() == root_conftest
    )
    stand_in = type("Cell", (), {"output_timeout": 5})()
    project.pytest_collection_modifyitems([stand_in])
    assert stand_in.output_timeout == 60
    assert all(cell.output_timeout == 60 for cell in cells)  # the notebooks of this run, if any


@pytest.mark.slow
def test_a_wheel_holds_every_helpers_module_and_the_view(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(Path(__file__).resolve().parents[1]),
        ],
        check=True,
    )
    import zipfile

    names = zipfile.ZipFile(next(tmp_path.glob("*.whl"))).namelist()
    assert "helpers/widgets/predict.py" in names and "helpers/static/graph_view.js" in names
    assert not any(name.startswith(("tests/", "deploy/", "notebooks/")) for name in names)


@pytest.mark.slow
def test_make_installs_again_when_pyproject_or_the_constraints_change(tmp_path):
    venv = tmp_path / "venv"  # a stand-in whose stamp is newer than every file
    venv.mkdir()
    (venv / ".installed").touch()

    def would_run(changed: str) -> str:
        command = [shutil.which("make"), "-n", f"VENV={venv}", "-W", changed, str(venv / ".installed")]
        return subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=True).stdout

    for changed in ("pyproject.toml", "constraints.txt"):
        assert '-m pip install --quiet -c constraints.txt -e ".[course,test]"' in would_run(changed), changed
    assert "pip install" not in would_run("README.md")


def torch_and_its_requirements() -> list[importlib.metadata.Distribution]:
    """torch's distribution in this environment, and those it requires, recursively."""
    found: dict[str, importlib.metadata.Distribution] = {}
    wanted = ["torch"]
    while wanted:
        name = canonicalize_name(wanted.pop())
        if name in found:
            continue
        try:
            found[name] = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            continue  # pip will say so, if the dry run needs it
        for line in found[name].requires or ():
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                wanted.append(requirement.name)
    return list(found.values())


def venv_with_only_torch(root: Path) -> Path:
    """A fresh venv that sees this environment's torch 2.13.0 (and what torch needs) and
    nothing else, as a Colab runtime sees its own torch: returns its python."""
    root = root.absolute()  # a .pth file's path must be absolute
    shared = root / "torch-only"
    shared.mkdir()
    for dist in torch_and_its_requirements():
        for top in {file.parts[0] for file in dist.files or () if file.parts[0] != ".."}:
            if not (shared / top).exists():
                (shared / top).symlink_to(dist.locate_file(top))
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root / "venv")], check=True)
    python = root / "venv" / "bin" / "python"  # not resolved: the link is what makes it the venv's
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (Path(site) / "torch-only.pth").write_text(f"{shared}\n")
    return python


def pypi_only_environment() -> dict[str, str]:
    """This process's environment without pip's settings: no local wheels or indexes, no
    machine-wide constraints; PyPI alone, as on Colab."""
    # PIP_CERT stays: it names the machine's certificate authorities, not where packages come from.
    env = {key: value for key, value in os.environ.items() if not key.startswith("PIP_") or key == "PIP_CERT"}
    env["PIP_CONFIG_FILE"] = os.devnull  # pip then reads no configuration file at all
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def dry_run_install(python: Path, requirement: str, report: Path) -> list[tuple[str, str]]:
    """What `pip install requirement` would install into python's environment: (name, version)."""
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--dry-run", "--quiet"]
        + ["--report", str(report), requirement],
        env=pypi_only_environment(),
        check=True,
        timeout=300,
    )
    return [
        (canonicalize_name(item["metadata"]["name"]), item["metadata"]["version"])
        for item in json.loads(report.read_text())["install"]
    ]


def is_torch_or_cuda(name: str) -> bool:
    return name in {"torch", "triton"} or name.startswith("nvidia-") or "cuda" in name


@pytest.mark.slow
def test_the_package_installs_beside_an_existing_torch_without_cuda(tmp_path):
    python = venv_with_only_torch(tmp_path)
    seen = [python, "-c", "import importlib.metadata as m; print(m.version('torch'))"]
    assert subprocess.run(seen, capture_output=True, text=True, check=True).stdout.startswith("2.13.0")
    started = time.monotonic()
    # What Colab's first cell installs: the helpers and what the notebooks import.
    planned = dict(dry_run_install(python, f"{REPO}[notebooks]", tmp_path / "report.json"))
    took = time.monotonic() - started
    assert "autograd-lab-helpers" in planned and "ipywidgets" in planned and "torchviz" in planned
    assert not [name for name in planned if is_torch_or_cuda(name)], planned  # torch stays 2.13.0
    print(f"dry run: {len(planned)} packages to install, none of them torch or CUDA, in {took:.1f} s")
