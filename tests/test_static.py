import pytest
import torch
from torch import nn

import helpers as h


class TwoLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.w1 = nn.Parameter(torch.randn(2, 3))
        self.w2 = nn.Parameter(torch.randn(3, 1))

    def forward(self, x):
        return (x @ self.w1).relu() @ self.w2


def test_draw_fx_symbolic_trace():
    source = h.draw_fx(torch.fx.symbolic_trace(TwoLayer())).source
    assert "x [label=x fillcolor=lightyellow]" in source
    assert 'w1 [label="w1\nparameter w1" fillcolor=lightblue]' in source
    assert 'matmul [label="matmul\ncall_function: matmul" fillcolor=lightgrey]' in source
    assert 'relu [label="relu\ncall_method: relu" fillcolor=lightgrey]' in source
    assert "output [label=output fillcolor=darkolivegreen1]" in source
    assert "x -> matmul" in source and "w1 -> matmul" in source and "matmul_1 -> output" in source


def test_draw_fx_export_shows_parameters_and_shapes():
    exported = torch.export.export(TwoLayer(), (torch.zeros(4, 2),))
    source = h.draw_fx(exported, title="exported").source
    assert 'p_w1 [label="p_w1\nparameter w1\n[2×3]" fillcolor=lightblue]' in source
    assert 'x [label="x\n[4×2]" fillcolor=lightyellow]' in source
    assert "call_function: relu.default\n[4×3]" in source
    assert "label=exported" in source
    h.to_svg(h.draw_fx(exported))  # and it renders


def test_draw_fx_bad_input():
    with pytest.raises(TypeError, match="symbolic_trace or torch.export"):
        h.draw_fx(TwoLayer())


def test_side_by_side_keeps_graphs_apart():
    x = torch.tensor(2.0, requires_grad=True)
    source = h.draw_side_by_side({"double": x * 2, "exp": (x.exp(), {"x": x})}).source
    assert "subgraph cluster_0" in source and "label=double" in source
    assert "subgraph cluster_1" in source and "label=exp" in source
    graph = h.autograd_graph(x * 2)
    assert f"p0_{graph.nodes[0].id} [label=MulBackward0" in source
    assert source.count("AccumulateGrad") == 0 and source.count("fillcolor=lightblue") == 2
    with pytest.raises(ValueError, match="at least one panel"):
        h.draw_side_by_side({})
    with pytest.raises(h.NoGraphError):
        h.draw_side_by_side({"constant": torch.tensor(1.0)})
