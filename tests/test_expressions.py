import pytest
import torch

import helpers as h
from helpers.expressions import FUNCTIONS


@pytest.fixture
def leaves():
    return {
        "x": torch.tensor(1.0, requires_grad=True),
        "y": torch.tensor(2.0, requires_grad=True),
        "z": torch.tensor(4.0, requires_grad=True),
    }


def test_source_001_formula(leaves):
    r = h.evaluate("(z * (x + y**2))**2", leaves)
    assert [n.op for n in h.autograd_graph(r) if n.kind in ("op", "output")] == [  # as if typed in Python
        "PowBackward0",
        "MulBackward0",
        "AddBackward0",
        "PowBackward0",
    ]
    r.backward()
    assert r.item() == 400 and [leaves[n].grad.item() for n in "zyx"] == [200, 640, 160]


@pytest.mark.parametrize(
    "expression, value",
    [
        ("-x + +y", 1.0),
        ("x / y", 0.5),
        ("2 ** 3", 8.0),
        ("exp(0)", 1.0),
        ("relu(-y)", 0.0),
        ("sum(x * 3)", 3.0),
        ("mean(y)", 2.0),
        ("sigmoid(0) * 2", 1.0),
        ("1 / 4", 0.25),
        ("abs(-z)", 4.0),
        ("sqrt(z)", 2.0),
        ("tanh(0) + cos(0) + sin(0) + log(1)", 1.0),
    ],
)
def test_allowed_expressions(leaves, expression, value):
    assert h.evaluate(expression, leaves).item() == pytest.approx(value)


def test_detach_and_matmul():
    w = torch.ones(2, 3, requires_grad=True)
    v = torch.ones(3, requires_grad=True)
    out = h.evaluate("sum(detach(w) @ v)", {"w": w, "v": v})
    out.backward()
    assert out.item() == 6 and w.grad is None and v.grad.tolist() == [2.0, 2.0, 2.0]


@pytest.mark.parametrize(
    "expression, named",
    [
        ("x.grad", "attribute access"),
        ("__import__('os')", "'__import__'"),
        ("x[0]", "indexing"),
        ("lambda: 1", "lambda"),
        ("[t for t in x]", "comprehensions"),
        ("'text'", "text in quotes"),
        ("q + 1", "unknown name 'q'"),
        ("x < y", "comparisons"),
        ("x if y else z", "if-else"),
        ("exp(x, y)", "other than one argument"),
        ("exp(x=1)", "other than one argument"),
        ("(x).__class__", "attribute access"),
        ("x ** 1000", "a power above 64"),
        ("1e300 * x", "a number above"),
        ("print(x)", "calling 'print'"),
        ("(x + y)(z)", "calling what another expression returned"),
        ("x // y", "FloorDiv"),
        ("x % y", "Mod"),
        ("~x", "Invert"),
        ("x and y", "and/or"),
        ("(y := 2)", "assignment"),
        ("f'{x}'", "f-strings"),
        ("True + x", "True"),
        ("1j * x", "1j"),
        ("exp", "the function exp without calling it"),
    ],
)
def test_refused_with_a_reason(leaves, expression, named):
    with pytest.raises(ValueError, match="not allowed in the playground") as caught:
        h.evaluate(expression, leaves)
    assert named in str(caught.value)


@pytest.mark.parametrize(
    "expression, message",
    [
        ("", "empty"),
        ("x +", "not a valid expression"),
        ("(" * 40 + "x" + ")" * 40, "nests 40 brackets"),
        ("x + " * 100 + "x", "characters long"),
        ("x" + " + x" * 70, "more than 200 parts"),
    ],
)
def test_bad_text(leaves, expression, message):
    with pytest.raises(ValueError, match=message):
        h.evaluate(expression, leaves)


def test_sizes_that_would_hang_or_exhaust_memory():
    big = {"a": torch.ones(10_000, 1), "b": torch.ones(1, 10_000)}
    with pytest.raises(ValueError, match="a result of 100,000,000 elements"):
        h.evaluate("a * b", big)
    with pytest.raises(ValueError, match="has 20000 elements"):
        h.evaluate("a", {"a": torch.ones(20_000)})
    with pytest.raises(ValueError, match="cannot compute"):  # floats overflow at once: no huge int
        h.evaluate("9 ** 9 ** 9", {})


def test_one_element_budget_for_the_whole_expression():
    leaves = {"a": torch.ones(1000, 1), "b": torch.ones(1, 1000)}  # a * b: 1,000,000 elements, allowed once
    assert h.evaluate("sum(a * b)", leaves).item() == 1_000_000
    many = " + ".join(["exp(a * b)"] * 8)  # each step is allowed alone; together they are not
    with pytest.raises(
        ValueError, match="^too large for the playground: the results would hold more than 4,000,000 elements in all"
    ):
        h.evaluate(many, leaves)
    small = {"x": torch.ones(10_000)}
    assert h.evaluate(" + ".join(["sin(x) * x"] * 10), small).shape == (10_000,)  # 300,000 in all: fine


def test_bad_leaves_and_shapes():
    with pytest.raises(ValueError, match="cannot name a leaf"):
        h.evaluate("x", {"__x": torch.ones(1)})
    with pytest.raises(ValueError, match="cannot name a leaf"):
        h.evaluate("exp", {"exp": torch.ones(1)})
    with pytest.raises(ValueError, match="must be a tensor"):
        h.evaluate("x", {"x": 1.0})
    with pytest.raises(ValueError, match="cannot compute"):
        h.evaluate("x @ y", {"x": torch.ones(2, 3), "y": torch.ones(2, 3)})
    with pytest.raises(ValueError, match="must be text"):
        h.evaluate(42, {})


def test_the_module_never_calls_eval_or_exec():
    import inspect

    import helpers.expressions as module

    source = inspect.getsource(module)
    for forbidden in ("eval(", "exec(", "compile(", "__import__", "getattr("):
        assert forbidden not in source.replace("def evaluate(", "")
    assert set(FUNCTIONS) >= {"exp", "log", "sin", "cos", "tanh", "sigmoid", "relu", "sum", "mean", "detach"}


def test_playground_widget():
    play = h.playground()
    explorer = play.lab.explorer
    assert [explorer.gradients[n].item() for n in "zyx"] == [200, 640, 160]
    play.sliders["z"].value = 2.0
    assert explorer.gradients["z"].item() == 100  # 2w·v = 2·10·5
    assert "step 1 of 7" in play.lab.stepper.text()
    explorer.set(detach_x=True)
    assert explorer.gradients["x"] is None and "step 1 of" in play.lab.stepper.text()
    play.expression.value = "x.__class__"
    assert "attribute access" in explorer.message
    assert explorer.view.stale and play.lab.stepper.view.stale  # the old pictures are marked out of date
    play.expression.value = "x * y"
    assert explorer.message == "" and explorer.gradients["y"].item() == 1.0
    assert not explorer.view.stale
    assert "agl-ghost" not in explorer.dot  # earlier expressions lend no ghosts
    explorer.set(detach_x=False)
    assert "agl-ghost" not in explorer.dot
    explorer.set(detach_x=True)
    assert "agl-ghost" in explorer.dot  # but what a switch removes does
    explorer.set(detach_x=False)
    explorer.set(y_requires_grad=False)
    assert explorer.gradients["y"] is None
    play.expression.value = "x"  # a bare leaf: a graph of one box, no backward pass to step
    assert explorer.message == "" and play.lab.stepper_box.children == (play.lab.stepper_note,)
    with pytest.raises(ValueError, match="at least one leaf"):
        h.playground("x", {})


@pytest.mark.parametrize(
    "left, right", [((2, 3), (3,)), ((4, 1, 5), (2, 1)), ((), (3,)), ((1,), (0,)), ((2, 3), (4,)), ((3, 2), (2, 3))]
)
def test_broadcast_agrees_with_torch(left, right):
    from helpers.expressions import _broadcast

    try:
        expected = tuple(torch.broadcast_shapes(left, right))
    except RuntimeError:
        with pytest.raises(ValueError, match="do not broadcast"):
            _broadcast(left, right)
    else:
        assert _broadcast(left, right) == expected


@pytest.mark.slow
def test_the_playground_does_not_import_sympy():
    # sympy costs every app kernel 34 MiB; checked in a fresh interpreter, where nothing else loaded it.
    import subprocess
    import sys

    code = (
        "import sys, torch, helpers as h; h.evaluate('x @ y + x * 2', {'x': torch.ones(1, 2), 'y': torch.ones(2, 1)}); "
        "print('sympy' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "False", result.stderr


def test_methods_of_the_allowed_functions_read_as_the_functions():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    z = torch.tensor(1.0, requires_grad=True)
    assert torch.equal(h.evaluate("x * 2 + z.exp()", {"x": x, "z": z}), h.evaluate("x * 2 + exp(z)", {"x": x, "z": z}))
    assert type(h.evaluate("(x**2).sum()", {"x": x}).grad_fn).__name__ == "SumBackward0"
    with pytest.raises(ValueError, match=r"the method \.foo\(\).*called as exp\(z\) or z\.exp\(\)"):
        h.evaluate("x.foo()", {"x": x})
    with pytest.raises(ValueError, match=r"\.sum\(\) with arguments: write sum\(z\)"):
        h.evaluate("x.sum(0)", {"x": x})
