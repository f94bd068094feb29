"""The helpers' unit tests at the lowest versions pyproject.toml allows (`make lowest`).

pyproject.toml states what the helpers need as ranges; `make setup` installs them at the exact
versions of constraints.txt. This script tests the bottom of the ranges: in a virtualenv of its
own (.venv-lowest/) it installs each of the helpers' own dependencies at the lower bound of its
range, the package itself with --no-deps, and the tools the unit tests need at the versions of
constraints.txt; prints what it installed; then runs the unit tests as `make unit` does.

torch is the exception: it stays at constraints.txt's version, in the build that pip finds first
(a CPU one where one is findable, as for `make setup`). Its lower bound, 2.1, is not run: PyPI's
torch wheels for Linux are CUDA builds that bring several GB of nvidia-* packages, and PyPI has
no CPU-only torch 2.1. Dry runs first check that pip plans no CUDA package and no other torch.

The virtualenv is made again from scratch whenever what it would hold changes (pyproject.toml,
constraints.txt, this script, --pin); otherwise the tests run in the one already there.

    python3 scripts/lowest_versions.py [--venv DIR] [--pin NAME==VERSION ...] [--fresh] [-- PYTEST_ARGS]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

try:
    import tomllib
except ImportError:  # Python 3.10
    sys.exit("scripts/lowest_versions.py needs Python 3.11 or newer (tomllib): run it with PYTHON=python3.11 or later")

REPO = Path(__file__).resolve().parents[1]

# Kept at constraints.txt's version instead of the lower bound, and why.
HELD = {
    "torch": "its lower bound, 2.1, is not run: PyPI's torch wheels for Linux are CUDA builds "
    "(several GB of nvidia-* packages) and PyPI has no CPU-only torch 2.1",
}

# What the unit tests import or run besides the helpers and their dependencies, installed at
# constraints.txt's versions.
TEST_TOOLS = [
    "pytest",
    "nbval",  # pyproject's addopts name its options; tests/test_setup.py checks the project's nbval hook
    "hypothesis",  # tests/test_robustness.py
    "pyyaml",  # tests/test_deploy.py, tests/test_environments.py
    "packaging",  # tests/test_environments.py, tests/test_setup.py
    "jupyter-repo2docker",  # tests/test_deploy.py runs `jupyter-repo2docker --no-build`
    # h.check_environment() reports the notebooks' packages (tests/test_setup.py), and
    # torchviz's import is tested without the standard library's distutils.
    "torchviz",
    "matplotlib",
    "setuptools",
]

# Run in the virtualenv: the fast unit tests of `make unit`, less what cannot run beside the
# lowest versions (each with the reason, printed before the run).
UNIT = ["tests", "-m", "not slow", "--ignore=tests/browser"]
LEFT_OUT = {
    "tests/test_serving.py": "tests app/classroom.py, Voila's server (not the helpers): it builds on "
    "jupyter_server 2, which needs traitlets>=5.6, above traitlets' lower bound; "
    "`make unit` runs it at constraints.txt's versions",
}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(line: str) -> str:
    return canonical(re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", line)[1])


def pyproject() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text())


def lower_bounds(dependencies: list[str]) -> dict[str, str]:
    """name -> the version after `>=` in each requirement; each must have exactly one."""
    bounds = {}
    for line in dependencies:
        found = re.findall(r">=\s*([0-9][^,;\s]*)", line)
        if len(found) != 1:
            sys.exit(f"pyproject.toml: {line!r} needs one lower bound (>=) for `make lowest` to install")
        bounds[requirement_name(line)] = found[0]
    return bounds


def constraint_pins(text: str) -> dict[str, str]:
    """name -> version of constraints.txt's exact pins."""
    pins = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            pins[canonical(name)] = version.strip()
    return pins


def lowest_versions(pins: list[str]) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """(the versions to hold pip to, the helpers' dependencies -> those of them, the requirements
    to install). The test tools are held to constraints.txt's versions; what they and the
    helpers' dependencies bring in is left to pip, as the lowest versions allow."""
    dependencies = pyproject()["project"]["dependencies"]
    pinned = constraint_pins((REPO / "constraints.txt").read_text())
    ours = {}
    for name, bound in lower_bounds(dependencies).items():
        ours[name] = pinned[name] if name in HELD else bound
    for pin in pins:
        name, _, version = pin.partition("==")
        if not version or canonical(name) not in ours:
            sys.exit(f"--pin {pin}: give NAME==VERSION for one of {', '.join(sorted(ours))}")
        ours[canonical(name)] = version
    tools = {canonical(name): pinned[canonical(name)] for name in TEST_TOOLS if canonical(name) in pinned}
    return {**tools, **ours}, ours, [*dependencies, *TEST_TOOLS]


def same_version(found: str | None, wanted: str) -> bool:
    """8.1.0 is 8.1 and 5.0.0 is 5, as pip reads `==`."""
    return found is not None and re.sub(r"(\.0)+$", "", found) == re.sub(r"(\.0)+$", "", wanted)


def run(*command, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(part) for part in command], check=True, cwd=REPO, **kwargs)


def is_cuda(name: str) -> bool:
    return name == "triton" or name.startswith("nvidia-") or "cuda" in name


def planned(python: Path, install: list, report: Path) -> dict[str, dict]:
    """name -> the metadata of what `pip install install` would install: a dry run, which
    installs nothing (from PyPI it reads the packages' metadata files, not their wheels)."""
    run(python, "-m", "pip", "install", "--quiet", "--dry-run", "--ignore-installed", "--report", report, *install)
    return {canonical(item["metadata"]["name"]): item["metadata"] for item in json.loads(report.read_text())["install"]}


def torch_build(python: Path, version: str, report: Path) -> str:
    """The exact torch pip would take for torch==version (a local build such as 2.13.0+cpu is
    preferred to PyPI's when one is findable), so that no other build is ever considered; stops
    if that one is a CUDA build."""
    torch = planned(python, ["--no-deps", f"torch=={version}"], report)["torch"]
    cuda = [line for line in torch.get("requires_dist", []) if is_cuda(requirement_name(line))]
    if cuda:
        sys.exit(
            f"torch=={torch['version']}, the one pip finds here, is a CUDA build (it requires "
            f"{requirement_name(cuda[0])} and more): stopped before installing anything. Make a CPU build of "
            f"torch=={version} findable first (e.g. PIP_EXTRA_INDEX_URL=https://download.pytorch.org/whl/cpu)."
        )
    return torch["version"]


def check_plan(plan: dict[str, dict], ours: dict[str, str]) -> None:
    """Stop before installing if pip would bring a CUDA package, or one of the helpers'
    dependencies at another version than asked."""
    cuda = sorted(name for name in plan if is_cuda(name))
    if cuda:
        sys.exit(f"pip would install {', '.join(cuda)}: stopped")
    wrong = {name: plan.get(name, {}).get("version") for name, version in ours.items()}
    wrong = {name: found for name, found in wrong.items() if not same_version(found, ours[name])}
    if wrong:
        sys.exit(f"pip would install {wrong} instead of {ours}: stopped")


def build(venv: Path, versions: dict[str, str], ours: dict[str, str], requirements: list[str]) -> None:
    if venv.exists():
        if not (venv / "pyvenv.cfg").exists() and any(venv.iterdir()):
            sys.exit(f"{venv} exists and is not a virtualenv: not removing it")
        shutil.rmtree(venv)
    run(sys.executable, "-m", "venv", venv)
    python = venv / "bin" / "python"
    run(python, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    if "torch" in ours:
        ours["torch"] = versions["torch"] = torch_build(python, versions["torch"], venv / "plan-torch.json")
    constraints = venv / "lowest-constraints.txt"
    constraints.write_text("".join(f"{name}=={version}\n" for name, version in sorted(versions.items())))
    install = ["-c", constraints, *requirements]
    check_plan(planned(python, install, venv / "plan.json"), ours)
    run(python, "-m", "pip", "install", "--quiet", *install)
    run(python, "-m", "pip", "install", "--quiet", "--no-deps", "-e", ".")
    run(python, "-m", "pip", "check")  # the package's own ranges admit what is installed, and so on


# Run in the virtualenv: what the helpers' dependencies brought in, and the rest, as `pip freeze`
# writes them.
SHOW = r"""
import importlib.metadata as m, json, sys
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name as c
ours = json.loads(sys.argv[1])
dists = {c(d.metadata["Name"]): d for d in m.distributions()}
def closure(names):
    seen, todo = set(), list(names)
    while todo:
        name = c(todo.pop())
        if name in seen or name not in dists:
            continue
        seen.add(name)
        for line in dists[name].requires or ():
            r = Requirement(line)
            if r.marker is None or r.marker.evaluate({"extra": ""}):
                todo.append(r.name)
    return seen
brought = closure(ours) - set(ours)
rest = set(dists) - set(ours) - brought - {"pip", "autograd-lab-helpers"}
pin = lambda name: f"{dists[name].metadata['Name']}=={dists[name].version}"
for title, names in (("Brought in by them", brought), ("Test tools and what they bring", rest)):
    print(f"{title}:")
    print("  " + " ".join(sorted(map(pin, names), key=str.lower)))
"""


def show(python: Path, ours: dict[str, str], ranges: dict[str, str], pinned: set[str]) -> None:
    found = subprocess.run(
        [python, "-m", "pip", "list", "--format=json"], check=True, capture_output=True, text=True
    ).stdout
    installed = {canonical(item["name"]): item["version"] for item in json.loads(found)}
    print("The helpers' own dependencies, installed at:")
    for name in ours:
        note = "given with --pin" if name in pinned else "the lower bound"
        if name in HELD and name not in pinned:
            note = f"held at constraints.txt's version: {HELD[name]}"
        print(f"  {name}=={installed.get(name, 'MISSING')}  ({ranges[name]}; {note})")
    subprocess.run([python, "-c", SHOW, json.dumps(list(ours))], check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--venv", default=".venv-lowest", help="the virtualenv to make (default .venv-lowest)")
    parser.add_argument(
        "--pin", action="append", default=[], help="NAME==VERSION, within NAME's range, instead of its lower bound"
    )
    parser.add_argument("--fresh", action="store_true", help="make the virtualenv again even if it is up to date")
    parser.add_argument("pytest_args", nargs="*", help="more arguments for pytest (after --)")
    args = parser.parse_args()

    venv = (REPO / args.venv).absolute()
    python = venv / "bin" / "python"
    versions, ours, requirements = lowest_versions(args.pin)
    ranges = {requirement_name(line): line for line in pyproject()["project"]["dependencies"]}
    stamp = hashlib.sha256(
        json.dumps([versions, requirements, Path(__file__).read_text(), sys.version]).encode()
    ).hexdigest()
    # The stamp holds what the virtualenv was made from and what it held then: a virtualenv
    # changed since (something installed into it) is made again too.
    stamp_file = venv / ".installed"
    made = stamp_file.read_text() if stamp_file.exists() and python.exists() else ""
    if args.fresh or made != "\n".join([stamp, *freeze(python)]):
        print(f"Making {args.venv} with the lowest versions (a minute or two)", flush=True)
        try:
            build(venv, versions, ours, requirements)
        except subprocess.CalledProcessError as error:
            sys.exit(f"Stopped: {' '.join(map(str, error.cmd))} failed (exit {error.returncode}); see above")
        stamp_file.write_text("\n".join([stamp, *freeze(python)]))
    show(python, ours, ranges, {canonical(pin.partition("==")[0]) for pin in args.pin})

    for path, reason in LEFT_OUT.items():
        print(f"Left out: {path}: {reason}")
    left_out = [f"--ignore={path}" for path in LEFT_OUT]
    command = [python, "-m", "pytest", *UNIT, *left_out, "-p", "no:cacheprovider", *args.pytest_args]
    before = freeze(python)
    code = subprocess.run(command, cwd=REPO).returncode
    changed = sorted(set(before) ^ set(freeze(python)))
    if changed:  # a test installed something into the virtualenv: these were not the lowest versions
        stamp_file.unlink(missing_ok=True)  # made again next time
        print(f"The tests changed {args.venv} while they ran ({' '.join(changed)}): the run does not count")
        return code or 1
    return code


def freeze(python: Path) -> list[str]:
    if not python.exists():
        return []
    found = subprocess.run([python, "-m", "pip", "freeze"], check=True, capture_output=True, text=True).stdout
    return found.splitlines()


if __name__ == "__main__":
    sys.exit(main())
