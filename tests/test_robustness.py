"""Property-based checks: random allowed expressions work end to end; hostile text never
runs and only ever raises ValueError; a switch flipped 1,000 times leaks nothing."""

import gc
import os

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import helpers as h
import helpers.backward as backward_module

LEAF_VALUES = {"x": 0.7, "y": -1.3, "z": 2.1}
SAFE_FUNCTIONS = ["exp", "sin", "cos", "tanh", "sigmoid", "relu", "abs", "sum", "mean", "detach"]


def expressions():
    """Random expressions from the allow-list (functions defined everywhere, so the
    gradients are finite and comparable)."""
    atoms = st.sampled_from(list(LEAF_VALUES)) | st.integers(1, 5).map(str)

    def extend(inner):
        binary = st.tuples(inner, st.sampled_from(["+", "-", "*"]), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})")
        call = st.tuples(st.sampled_from(SAFE_FUNCTIONS), inner).map(lambda t: f"{t[0]}({t[1]})")
        square = inner.map(lambda e: f"({e}) ** 2")
        negate = inner.map(lambda e: f"-({e})")
        return binary | call | square | negate

    return st.recursive(atoms, extend, max_leaves=8)


def fresh_leaves():
    return {name: torch.tensor(value, dtype=torch.float64, requires_grad=True) for name, value in LEAF_VALUES.items()}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions())
def test_random_expressions_evaluate_draw_and_trace(expression):
    leaves = fresh_leaves()
    out = h.evaluate(expression, leaves)
    if out.grad_fn is None:  # only numbers, everything detached, or a bare leaf
        return
    h.draw(out, leaves)  # the DOT source is built without error
    trace = h.trace_backward(out, leaves, retain_graph=True)
    expected = torch.autograd.grad(out, list(leaves.values()), allow_unused=True)
    for (name, leaf), grad in zip(leaves.items(), expected):
        if grad is None:
            assert leaf.grad is None or leaf.grad.item() == 0
        else:
            assert torch.allclose(trace.grad_of(name), grad), name
            assert torch.allclose(leaf.grad, grad), name


HOSTILE = [
    "__import__('os').system('touch /tmp/pwned')",
    "open('/etc/passwd').read()",
    "x.__class__.__bases__",
    "(lambda: 0)()",
    "[c for c in ().__class__.__base__.__subclasses__()]",
    "globals()",
    "breakpoint()",
    "exec('1')",
    "eval('1')",
    "x.grad_fn",
    "x.__dict__",
    "exp.__globals__",
    "sum.__self__",
    "'a' * 10**9",
    "x ** 9999999",
    "(" * 200,
    "x" * 10_000,
    "\x00",
    "x;y",
    "import os",
    "x = 1",
    "del x",
    "f'{x}'",
    "{**{}}",
    "...",
    "x if x else x",
    "not x",
    "x @ x @ x @ x" * 30,
]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80) | st.sampled_from(HOSTILE))
def test_hostile_text_never_runs_and_only_raises_value_error(text):
    leaves = fresh_leaves()
    leaves_before = {name: leaf.detach().clone() for name, leaf in leaves.items()}
    try:
        result = h.evaluate(text, leaves)
    except ValueError:
        pass
    else:
        assert isinstance(result, torch.Tensor)  # it was allowed: a tensor, nothing else
    assert all(torch.equal(leaves[n], leaves_before[n]) for n in leaves)
    assert not os.path.exists("/tmp/pwned")


def test_hostile_list_is_refused():
    for text in HOSTILE:
        try:
            h.evaluate(text, fresh_leaves())
        except ValueError:
            continue
        raise AssertionError(f"{text!r} was accepted")


def rss_mib() -> float:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) / 1024


@pytest.mark.slow
def test_a_thousand_toggles_keep_memory_flat_and_leave_no_hook(monkeypatch):
    made = []

    class Counting(backward_module.BackwardStep):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(1)

    monkeypatch.setattr(backward_module, "BackwardStep", Counting)
    shared = torch.tensor(2.0, requires_grad=True)  # one leaf reused by every build

    def build(square):
        return (shared * shared if square else shared * 3), {"shared": shared}

    lab = h.graph_lab([h.examples.Example("shared", "", build, {"square": False})])
    for flip in range(1000):
        if flip == 100:
            gc.collect()
            baseline = rss_mib()
        lab.explorer.set(square=flip % 2 == 0)
    gc.collect()
    assert rss_mib() - baseline < 30, "memory grew while toggling"
    assert lab.explorer.message == ""
    counted = len(made)
    (shared * 5).backward()  # a hook left on the shared leaf's node would record this
    assert len(made) == counted
