"""No name a package exports hides one of its modules.

``from .engine_graph import engine_graph`` in ``helpers/__init__.py`` would make
``helpers.engine_graph`` the function, and the module of that name unreachable as an
attribute (``h.engine_graph.PROTOCOL`` fails, a patch of ``helpers.engine_graph.x`` lands on
the function): a module and an exported name must differ."""

import importlib
import pkgutil
import sys

import pytest

PACKAGES = ("helpers", "helpers.widgets")


def shadowed(package_name: str) -> list[str]:
    """The modules of a package whose name the package binds to something else."""
    package = importlib.import_module(package_name)
    found = []
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package_name}.{info.name}")
        if getattr(package, info.name) is not module or info.name in getattr(package, "__all__", ()):
            found.append(info.name)
    return found


@pytest.mark.parametrize("package_name", PACKAGES)
def test_no_exported_name_is_also_a_module_name(package_name):
    assert shadowed(package_name) == [], (
        f"{package_name} exports a name that is also one of its modules: rename the module "
        "(as helpers/snapshots.py holds h.snapshot)."
    )


def test_the_check_finds_a_shadowed_module(tmp_path, monkeypatch):
    package = tmp_path / "shadowing"
    package.mkdir()
    (package / "__init__.py").write_text("from .walk import walk\n__all__ = ['walk']\n")
    (package / "walk.py").write_text("def walk():\n    return 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        assert shadowed("shadowing") == ["walk"]
    finally:
        for name in ("shadowing", "shadowing.walk"):
            sys.modules.pop(name, None)
