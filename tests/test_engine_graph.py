"""h.engine_graph: a hand-built autograd graph (notebook 08's Value) as the helpers' Graph and Snapshot."""

import pytest
import torch

import helpers as h


class Value:
    """The smallest Value the protocol allows: data, grad, ordered inputs and an op name."""

    def __init__(self, data, inputs=(), op="", label=""):
        self.data, self.grad, self._prev, self._op, self.label = data, 0.0, tuple(inputs), op, label

    def __add__(self, other):
        return Value(self.data + other.data, (self, other), "+")

    def __mul__(self, other):
        return Value(self.data * other.data, (self, other), "*")


class SetValue:
    """micrograd keeps its inputs in a set, and has no label."""

    def __init__(self, data, inputs=(), op=""):
        self.data, self.grad, self._prev, self._op = data, 0.0, set(inputs), op


class InputsValue:
    """The other spelling of the inputs: .inputs."""

    def __init__(self, data, inputs=(), op=""):
        self.data, self.grad, self.inputs, self._op = data, None, list(inputs), op


def source_001():
    """r = (z(x + y²))² at x = 1, y = 2, z = 4, with the gradients worked out by hand."""
    x, y, z = Value(1.0), Value(2.0), Value(4.0)
    square = Value(4.0, (y,), "**2")
    v = x + square
    w = z * v
    r = Value(400.0, (w,), "**2")
    grads = {x: 160.0, y: 640.0, z: 200.0, square: 160.0, v: 160.0, w: 40.0, r: 1.0}
    for value, grad in grads.items():
        value.grad = grad
    return r, {"x": x, "y": y, "z": z, "v": v, "w": w, "r": r}


@pytest.mark.parametrize("bad", [None, 3.0, "x", torch.tensor(1.0, requires_grad=True), object()])
def test_bad_root_says_what_to_pass(bad):
    with pytest.raises(TypeError, match=r"Value-like object: anything with \.data"):
        h.engine_graph(bad)


def test_a_tensor_is_pointed_to_the_torch_drawing():
    with pytest.raises(TypeError, match=r"h\.draw\(tensor\)"):
        h.engine_graph(torch.tensor(2.0))


def test_bad_input_inside_the_graph_is_named():
    root = Value(1.0, (Value(1.0), 5), "+")
    with pytest.raises(TypeError, match=r"int for input 1 of a '\+' node"):
        h.engine_graph(root)


def test_bad_names():
    r, _ = source_001()
    with pytest.raises(TypeError, match="names must be a dict"):
        h.engine_graph(r, ["r"])
    with pytest.raises(TypeError, match=r"names\['r'\]"):
        h.engine_graph(r, {"r": 400.0})


def test_bad_data():
    with pytest.raises(TypeError, match=r"\.data of e0 must be a number or a tensor"):
        h.engine_graph(Value("four"))


def test_node_kinds_ops_and_names():
    r, names = source_001()
    graph, _ = h.engine_graph(r, names)
    assert isinstance(graph, h.Graph)
    assert [(n.id, n.kind, n.op, n.name) for n in graph] == [
        ("e0", "output", "**2", "r"),
        ("e1", "op", "*", "w"),
        ("e2", "leaf", None, "z"),
        ("e3", "op", "+", "v"),
        ("e4", "leaf", None, "x"),
        ("e5", "op", "**2", None),
        ("e6", "leaf", None, "y"),
    ]


def test_edge_slots_follow_the_inputs():
    r, names = source_001()
    graph, _ = h.engine_graph(r, names)
    assert graph.edges == [
        h.Edge("e1", "e0", 0),
        h.Edge("e2", "e1", 0),
        h.Edge("e3", "e1", 1),
        h.Edge("e4", "e3", 0),
        h.Edge("e5", "e3", 1),
        h.Edge("e6", "e5", 0),
    ]
    assert [n.name for n in graph.inputs_of(graph.named("w").id)] == ["z", "v"]


def test_a_value_used_twice_by_one_op_gets_two_edges_and_one_box():
    a = Value(3.0)
    square = a * a
    graph, _ = h.engine_graph(square, {"a": a})
    assert len(graph) == 2
    assert graph.edges == [h.Edge("e1", "e0", 0), h.Edge("e1", "e0", 1)]


def test_values_and_grads_are_tensors_in_the_snapshot():
    r, names = source_001()
    graph, numbers = h.engine_graph(r, names)
    assert isinstance(numbers, h.Snapshot) and numbers.graph is graph
    grads = {name: numbers.named(name).grad.item() for name in ("x", "y", "z", "v", "w", "r")}
    assert grads == {"x": 160.0, "y": 640.0, "z": 200.0, "v": 160.0, "w": 40.0, "r": 1.0}
    assert numbers.named("w").value.item() == 20.0
    assert numbers.of("e5").value.item() == 4.0  # unnamed Values keep their numbers too
    assert graph.named("x").shape == () and graph.named("x").dtype == "float64"


def test_tensor_data_keeps_its_shape_and_is_copied():
    bias = Value(torch.tensor([0.1, 0.2, 0.3]))
    batch = Value(torch.ones(4, 3))
    out = batch + bias
    out.grad = torch.ones(4, 3)
    graph, numbers = h.engine_graph(out, {"bias": bias, "batch": batch, "out": out})
    assert graph.named("bias").shape == (3,) and graph.named("out").shape == (4, 3)
    bias.data.add_(1.0)  # the snapshot is a copy, taken once
    assert torch.allclose(numbers.named("bias").value, torch.tensor([0.1, 0.2, 0.3]))
    assert numbers.named("out").grad.shape == (4, 3)


def test_a_lone_leaf_and_a_grad_of_none():
    graph, numbers = h.engine_graph(InputsValue(2.0))
    assert [(n.kind, n.op) for n in graph] == [("leaf", None)]
    assert numbers.of("e0").grad is None and numbers.of("e0").value.item() == 2.0


def test_labels_name_values_unless_names_do():
    a, b = Value(1.0, label="a"), Value(2.0, label="b")
    c = a + b
    graph, _ = h.engine_graph(c)
    assert [n.name for n in graph] == [None, "a", "b"]
    graph, _ = h.engine_graph(c, {"first": a, "c": c})
    assert [n.name for n in graph] == ["c", "first", "b"]


def test_micrograd_sets_are_put_in_a_fixed_order():
    first = SetValue(2.0)
    second = SetValue(3.0, (SetValue(1.0),), "relu")
    root = SetValue(6.0, (first, second), "*")
    orders = {tuple((n.kind, n.op) for n in h.engine_graph(root)[0]) for _ in range(5)}
    assert orders == {(("output", "*"), ("leaf", None), ("op", "relu"), ("leaf", None))}


def test_the_inputs_spelling_works():
    a, b = InputsValue(1.0), InputsValue(2.0)
    graph, _ = h.engine_graph(InputsValue(3.0, [a, b], "+"), {"a": a, "b": b})
    assert [n.name for n in graph.inputs_of("e0")] == ["a", "b"]


@pytest.mark.slow
def test_a_long_chain_does_not_recurse():
    value = Value(0.0)
    for _ in range(5000):
        value = value + Value(1.0)
    graph, _ = h.engine_graph(value)
    assert len(graph) == 10_001


def test_it_renders_with_the_op_names_and_numbers():
    r, names = source_001()
    picture = h.render_graph(*h.engine_graph(r, names))
    source = picture.source
    for text in ('"r = 400\n**2\ngrad 1"', '"w = 20\n*\ngrad 40"', '"v = 5\n+\ngrad 160"', '"x = 1\ngrad 160"'):
        assert f"label={text}" in source
    assert "e5 -> e3" in source and "fillcolor=darkolivegreen1" in source
    assert picture.alt.label.startswith("Autograd graph of r = **2(*(z, +(x, **2(y))))")


def test_the_live_view_takes_it():
    r, names = source_001()
    view = h.GraphView()
    view.show(*h.engine_graph(r, names), title="our engine")
    assert set(view.details) == {f"e{i}" for i in range(7)}
    assert view.details["e4"]["grad"] is not None and view.title == "our engine"
    assert "e6 -> e5" in view.dot
