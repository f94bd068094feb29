import pytest
import torch


@pytest.fixture
def source_graph():
    """Source 000's first graph: c = a + b, d = c * a."""
    a = torch.tensor(1.0, requires_grad=True)
    b = torch.tensor(2.0, requires_grad=True)
    c = a + b
    d = c * a
    return d, {"a": a, "b": b, "c": c, "d": d}
