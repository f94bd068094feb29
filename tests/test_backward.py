import pytest
import torch
from sample_graphs import Clamp, source_001

import helpers as h
import helpers.backward as backward_module


def test_steps_follow_the_engine_and_carry_the_source_numbers():
    r, params = source_001()
    trace = h.trace_backward(r, params)
    assert [(s.index, s.op, s.name) for s in trace.steps] == [
        (0, "PowBackward0", "r"),
        (1, "MulBackward0", "w"),
        (2, "AccumulateGrad", "z"),
        (3, "AddBackward0", "v"),
        (4, "AccumulateGrad", "x"),
        (5, "PowBackward0", None),
        (6, "AccumulateGrad", "y"),
    ]
    values = [([g.item() for g in s.grad_outputs], [g.item() for g in s.grad_inputs]) for s in trace.steps]
    assert values == [
        ([1], [40]),
        ([40], [200, 160]),
        ([200], []),
        ([160], [160, 160]),
        ([160], []),
        ([160], [640]),
        ([640], []),
    ]
    assert {s.node_id for s in trace.steps} == {n.id for n in trace.graph if n.kind != "cut"}
    assert [s.node_id for s in trace.steps][:2] == [trace.graph.named("r").id, trace.graph.named("w").id]
    assert (params["x"].grad.item(), params["y"].grad.item(), params["z"].grad.item()) == (160, 640, 200)


def test_node_ids_are_those_of_autograd_graph():
    r, params = source_001()
    ids = [n.id for n in h.autograd_graph(r, params)]
    trace = h.trace_backward(r, params)
    assert set(s.node_id for s in trace.steps) <= set(ids)


def check_against_autograd(output, leaves: dict, intermediates: dict):
    """Each recorded gradient equals what autograd stores in .grad."""
    for tensor in intermediates.values():
        tensor.retain_grad()
    trace = h.trace_backward(output, {**leaves, **intermediates})
    for name, tensor in {**leaves, **intermediates}.items():
        assert torch.allclose(trace.grad_of(name), tensor.grad), name
    return trace


def test_fan_out_gradients_arrive_summed():
    x = torch.tensor(0.7, requires_grad=True)
    s = x.exp()
    top = s.sin() * s.cos() + s
    trace = check_against_autograd(top, {"x": x}, {"s": s})
    exp_steps = [step for step in trace.steps if step.op == "ExpBackward0"]
    assert len(exp_steps) == 1  # the three uses of s meet before exp runs once


def test_vectors_and_matrices():
    torch.manual_seed(0)
    weight = torch.randn(3, 2, requires_grad=True)
    bias = torch.randn(3, requires_grad=True)
    x = torch.randn(4, 2)
    hidden = torch.tanh(x @ weight.T + bias)
    loss = (hidden**2).mean()
    trace = check_against_autograd(loss, {"weight": weight, "bias": bias}, {"hidden": hidden})
    assert trace.grad_of("weight").shape == (3, 2)


def test_custom_function_step():
    x = torch.tensor([-1.0, 2.0, 3.0], requires_grad=True)
    clamped = Clamp.apply(x * 2)
    out = clamped.sum()
    trace = check_against_autograd(out, {"x": x}, {"clamped": clamped})
    custom = [s for s in trace.steps if s.op == "ClampBackward"]
    assert len(custom) == 1 and custom[0].grad_inputs[0].tolist() == [0.0, 1.0, 1.0]


def test_cut_input_gets_none():
    a = torch.tensor(2.0, requires_grad=True)
    out = a * torch.tensor(3.0)
    trace = h.trace_backward(out)
    assert trace.steps[0].grad_inputs[0].item() == 3.0
    assert trace.steps[0].grad_inputs[1] is None


def test_vector_root_needs_a_gradient():
    x = torch.ones(3, requires_grad=True)
    with pytest.raises(ValueError, match="grad=torch.ones_like"):
        h.trace_backward(x * 2)
    trace = h.trace_backward(x * 2, grad=torch.ones(3))
    assert x.grad.tolist() == [2.0, 2.0, 2.0]
    assert trace.steps[0].grad.tolist() == [1.0, 1.0, 1.0]


def test_tuple_root():
    x = torch.tensor(1.5, requires_grad=True)
    trace = h.trace_backward((x * 2, x * 3))
    assert x.grad.item() == 5.0
    assert [s.op for s in trace.steps].count("AccumulateGrad") == 1


class Counting(backward_module.BackwardStep):
    made = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        Counting.made += 1


def test_hooks_are_removed(monkeypatch):
    monkeypatch.setattr(backward_module, "BackwardStep", Counting)
    r, params = source_001()
    h.trace_backward(r, params, retain_graph=True)
    made = Counting.made
    assert made == 7
    r.backward()  # a hook left behind would record these steps again
    assert Counting.made == made


class FailsOnce(torch.autograd.Function):
    failed = False

    @staticmethod
    def forward(ctx, x):
        return x * 1

    @staticmethod
    def backward(ctx, grad):
        if not FailsOnce.failed:
            FailsOnce.failed = True
            raise ArithmeticError("boom")
        return grad


def test_hooks_are_removed_when_backward_raises(monkeypatch):
    monkeypatch.setattr(backward_module, "BackwardStep", Counting)
    x = torch.tensor(1.0, requires_grad=True)
    out = FailsOnce.apply(x * 2) * 3
    with pytest.raises(ArithmeticError, match="boom"):
        h.trace_backward(out, retain_graph=True)
    made = Counting.made
    out.backward()
    assert Counting.made == made and x.grad.item() == 6.0


def test_error_without_graph_and_after_freeing():
    with pytest.raises(h.NoGraphError, match="requires_grad=True"):
        h.trace_backward(torch.tensor(1.0))
    with pytest.raises(TypeError, match="must be a torch.Tensor"):
        h.trace_backward(1.0)
    r, params = source_001()
    r.backward()
    with pytest.raises(h.GraphFreedError, match="retain_graph=True"):
        h.trace_backward(r, params)


def test_retain_graph_allows_a_second_trace():
    r, params = source_001()
    h.trace_backward(r, params, retain_graph=True)
    h.trace_backward(r, params)
    assert params["z"].grad.item() == 400  # gradients add up across passes


def test_draw_with_trace_shows_every_gradient():
    r, params = source_001()
    trace = h.trace_backward(r, params)
    source = h.draw(r, params, trace=trace).source
    assert 'label="w = 20\nMulBackward0\ngrad 40"' in source
    assert 'label="v = 5\nAddBackward0\ngrad 160"' in source
    assert "PowBackward0\ngrad 160" in source  # the unnamed y**2 node too
    assert 'label="y = 2\ngrad 640"' in source


def test_draw_step_highlights_and_marks_done(golden):
    r, params = source_001()
    trace = h.trace_backward(r, params)
    graph = trace.graph
    source = h.draw(r, params, trace=trace, step_index=1).source
    golden("step_1_of_source_001", source)
    w, r_id, z = graph.named("w").id, graph.named("r").id, graph.named("z").id
    assert (
        f'{w} [label="w = 20\nMulBackward0\ngrad 40" class="agl-op" color="#d50000" fillcolor=lightgrey penwidth=3]'
        in source
    )
    assert (
        f'{r_id} [label="r = 400\nPowBackward0\ngrad 1" class="agl-output" color="#1b5e20" fillcolor=darkolivegreen1'
        in source
    )
    assert f'{z} [label="z = 4" class="agl-leaf" fillcolor=lightblue]' in source  # not reached yet: no grad
    assert f'{z} -> {w} [label=" 200" color="#d50000"' in source
    with pytest.raises(ValueError, match="between 0 and 6"):
        h.render_graph(graph, trace=trace, step_index=7)
    with pytest.raises(ValueError, match="step_index needs trace"):
        h.render_graph(graph, step_index=0)


def test_leaf_root_has_no_backward_pass_to_trace():
    with pytest.raises(h.NoGraphError, match="the root is a leaf"):
        h.trace_backward(torch.tensor(1.0, requires_grad=True))
