import warnings

import pytest
import torch
from sample_graphs import chain
from torch import nn

import helpers as h
from helpers.graph import walk
from helpers.large import levels, within_depth


def test_big_graph_warns_and_draws_a_shortened_picture():
    y, x = chain(5000)
    with pytest.warns(h.LargeGraphWarning, match="max_nodes=None"):
        picture = h.draw(y, {"x": x})
    assert 300 < picture.source.count("label=") <= 401
    assert "more nodes" in picture.source
    h.to_svg(picture)  # quick: no hang


@pytest.mark.slow
def test_max_nodes_none_draws_everything():
    y, x = chain(5000)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning either
        source = h.draw(y, {"x": x}, max_nodes=None).source
    assert source.count("MulBackward0") == 5000


def test_depth_keeps_nodes_near_the_output(source_graph):
    d, params = source_graph
    graph = h.autograd_graph(d, params)
    assert levels(graph) == {
        graph.named("d").id: 0,
        graph.named("c").id: 1,
        graph.named("a").id: 1,
        graph.named("b").id: 2,
    }
    shallow, hidden = within_depth(graph, 1)
    assert hidden == 1 and [n.name for n in shallow.nodes][:3] == ["d", "c", "a"]
    marker = shallow.nodes[-1]
    assert marker.op == "… 1 more nodes" and (marker.id, graph.named("c").id) in [(e.src, e.dst) for e in shallow.edges]
    source = h.draw(d, params, depth=0).source
    assert "… 3 more nodes" in source and "AddBackward0" not in source
    with pytest.raises(ValueError, match="depth must be"):
        h.draw(d, params, depth=-1)


def test_one_box_per_module():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
    with h.module_scopes(model) as scopes:
        loss = model(torch.randn(3, 4)).pow(2).mean()
    source = h.draw(loss, collapse=scopes).source
    assert 'label="0 (Linear)\n4 nodes" class="agl-op agl-group" fillcolor=thistle' in source  # addmm, t, weight, bias
    assert 'label="1 (ReLU)\n1 node"' in source and 'label="2 (Linear)\n4 nodes"' in source
    assert "AddmmBackward0" not in source and "MeanBackward0" in source
    assert source.count(" -> ") == 5
    assert not model[0]._forward_hooks and not model[0]._forward_pre_hooks  # hooks removed on exit
    with pytest.raises(TypeError, match="torch.nn.Module"):
        h.module_scopes(lambda x: x)


def test_collapse_keeps_a_module_used_twice_in_one_box():
    layer = nn.Linear(2, 2)
    model = nn.Sequential(layer)
    with h.module_scopes(model) as scopes:
        out = (model(torch.ones(1, 2)) + model(torch.zeros(1, 2))).sum()
    graph, live = walk(out)
    group_of = scopes.grouping(live)
    boxes = {group_of(n) for n in graph} - {None}
    assert boxes == {"0 (Linear)"}
