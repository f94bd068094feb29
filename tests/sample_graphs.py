"""Small graphs the tests share: the sources' examples and a few hard cases."""

import torch
import torch.nn.functional as F


def detach_build(detach_d: bool, a_requires_grad: bool):
    """Source 000's detach demo with both switches."""
    a = torch.tensor(1.0, requires_grad=a_requires_grad)
    b = torch.tensor(2.0, requires_grad=True)
    c = torch.tensor(3.0, requires_grad=True)
    d = a + b
    f = F.relu(d.detach() if detach_d else d) + c
    return f, {"a": a, "b": b, "c": c, "d": d, "f": f}


def source_000():
    """Source 000's first graph: c = a + b, d = c * a, with a = 1 and b = 2."""
    a = torch.tensor(1.0, requires_grad=True)
    b = torch.tensor(2.0, requires_grad=True)
    c = a + b
    d = c * a
    return d, {"a": a, "b": b, "c": c, "d": d}


def source_001():
    """Source 001: r = (z (x + y²))² at x = 1, y = 2, z = 4."""
    x, y, z = (torch.tensor(v, requires_grad=True) for v in (1.0, 2.0, 4.0))
    v = x + y**2
    w = z * v
    r = w**2
    return r, {"x": x, "y": y, "z": z, "v": v, "w": w, "r": r}


def chain(length: int):
    x = torch.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(length):
        y = y * 1.0001
    return y, x


class Clamp(torch.autograd.Function):
    """A user-defined op, to check that custom nodes are walked and drawn."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.clamp(min=0)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * (x > 0)
