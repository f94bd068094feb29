"""The set-up itself: torchviz imports without the standard library's distutils, and
`make` names the install commands when Graphviz is missing."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

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
