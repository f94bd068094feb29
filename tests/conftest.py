from pathlib import Path

import pytest
import torch

GOLDEN = Path(__file__).parent / "golden"


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="write the DOT pictures the tests make into tests/golden/ instead of comparing",
    )


@pytest.fixture
def source_graph():
    """Source 000's first graph: c = a + b, d = c * a."""
    a = torch.tensor(1.0, requires_grad=True)
    b = torch.tensor(2.0, requires_grad=True)
    c = a + b
    d = c * a
    return d, {"a": a, "b": b, "c": c, "d": d}


@pytest.fixture
def golden(request):
    """Compare a DOT text with tests/golden/<name>.dot; --update-golden rewrites the file."""

    def check(name: str, text: str) -> None:
        path = GOLDEN / f"{name}.dot"
        if request.config.getoption("--update-golden"):
            GOLDEN.mkdir(exist_ok=True)
            path.write_text(text)
            return
        assert path.exists(), f"no golden file {path}: run pytest --update-golden once and review it"
        assert text == path.read_text(), f"{name}: the DOT differs from {path} (pytest --update-golden to accept)"

    return check
