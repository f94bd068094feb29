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


def cpu_settings() -> dict[str, str]:
    """The CPU kernels torch computes with and its thread count. Both can change the last
    digits of float32 results, and a long computation (the GAN training of notebook 06) can
    grow such a difference into another outcome: worth quoting when a number differs."""
    import torch

    # AVX512, AVX2, DEFAULT, ... for the processor, unless ATEN_CPU_CAPABILITY picks lower ones;
    # "unknown" from a torch without torch.backends.cpu.get_cpu_capability.
    capability = getattr(getattr(torch.backends, "cpu", None), "get_cpu_capability", lambda: "unknown")()
    return {"cpu kernels": capability, "threads": str(torch.get_num_threads())}


def check_environment() -> bool:
    """Print the versions, torch's CPU kernels and threads, and whether `dot` is found;
    True when all is in place."""
    versions = package_versions()
    for name, found in {**versions, **cpu_settings()}.items():
        print(f"{name:<11} {found}")
    dot = dot_version()
    print(f"{'dot':<11} {dot or 'NOT FOUND. ' + DOT_INSTALL_HINT}")
    return dot is not None and all(versions[name] != "MISSING" for name in NEEDED)
