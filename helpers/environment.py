"""What the notebooks need from the machine, checked in one call."""

from __future__ import annotations

import shutil
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version

from .errors import DOT_INSTALL_HINT

# What the notebooks import; JupyterLab is reported too but not required: it is one place to
# run them, and Colab or VS Code run them without it.
NEEDED = ("torch", "torchviz", "graphviz", "ipywidgets", "matplotlib")
PACKAGES = (*NEEDED, "jupyterlab")


def package_versions() -> dict[str, str]:
    found = {"python": sys.version.split()[0]}
    for name in PACKAGES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "MISSING"
    return found


def dot_version() -> str | None:
    """Graphviz's version line, or None when `dot` is not on PATH."""
    path = shutil.which("dot")
    if path is None:
        return None
    result = subprocess.run([path, "-V"], capture_output=True, text=True, check=False)
    return (result.stderr or result.stdout).strip()


def check_environment() -> bool:
    """Print the versions and whether `dot` is found; True when all is in place."""
    versions = package_versions()
    for name, found in versions.items():
        print(f"{name:<11} {found}")
    dot = dot_version()
    print(f"{'dot':<11} {dot or 'NOT FOUND. ' + DOT_INSTALL_HINT}")
    return dot is not None and all(versions[name] != "MISSING" for name in NEEDED)
