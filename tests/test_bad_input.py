import pytest
import torch

import helpers as h


@pytest.mark.parametrize("call", [h.autograd_graph, h.draw])
def test_tensor_without_graph(call):
    with pytest.raises(h.NoGraphError, match="requires_grad=True"):
        call(torch.tensor(2.0))


@pytest.mark.parametrize("call", [h.autograd_graph, h.draw])
@pytest.mark.parametrize("thing", [3, "d", None, [1.0]])
def test_non_tensor(call, thing):
    with pytest.raises(TypeError, match="must be a torch.Tensor"):
        call(thing)


def test_params_must_be_a_dict_of_tensors(source_graph):
    d, _ = source_graph
    with pytest.raises(TypeError, match="params must be a dict"):
        h.autograd_graph(d, ["a"])
    with pytest.raises(TypeError, match=r"params\['a'\] must be a tensor"):
        h.autograd_graph(d, {"a": 1.0})


def test_empty_tuple_root():
    with pytest.raises(ValueError, match="at least one tensor"):
        h.autograd_graph(())


def test_walk_graph_bad_input():
    with pytest.raises(ValueError, match="leaf"):
        h.walk_graph(torch.tensor(1.0, requires_grad=True))
    with pytest.raises(h.NoGraphError):
        h.walk_graph(torch.tensor(1.0))
    with pytest.raises(TypeError, match="tensor or its grad_fn"):
        h.walk_graph(42)


def test_freed_graph_in_widget_says_how_to_recover():
    x = torch.tensor(2.0, requires_grad=True)
    y = x * x
    y.backward()  # frees the saved x
    explorer = h.interact_graph(lambda again: y, again=True)
    assert "already freed" in explorer.message
    assert "retain_graph=True" in explorer.message


def test_missing_dot_shows_the_view_and_to_svg_says_how_to_install(source_graph, monkeypatch, tmp_path):
    d, params = source_graph
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no dot
    picture = h.draw(d, params)
    with pytest.raises(h.DotNotFoundError, match="apt-get install graphviz"):
        h.to_svg(picture)
    data, _metadata = picture._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in data  # the browser lays it out instead
    explorer = h.interact_graph(lambda flip: d * 2, flip=False)
    assert "MulBackward0" in explorer.dot and explorer.message == ""


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: h.walk_graph(None), "walk_graph got None"),
        (lambda: h.walk_graph(torch.ones(1, requires_grad=True) * 2, depth="0"), "depth must be a whole number"),
        (lambda: h.to_svg("digraph {}"), "to_svg takes a picture made by h.draw"),
        (lambda: h.render_graph("graph"), "render_graph takes a Graph"),
        (lambda: h.draw(torch.ones(1, requires_grad=True) * 2, collapse=42), "collapse takes h.module_scopes"),
        (lambda: h.draw(torch.ones(1, requires_grad=True) * 2, max_nodes=0), "max_nodes must be"),
        (lambda: h.draw_side_by_side([torch.ones(1, requires_grad=True) * 2]), "takes a dict of titles"),
        (lambda: h.trace_backward(torch.ones(3, requires_grad=True) * 2), "needs a gradient to start"),
        (lambda: h.trace_backward(torch.ones(3, requires_grad=True) * 2, grad=torch.ones(2)), "grad has shape"),
        (lambda: h.trace_backward(torch.ones(2, dtype=torch.cfloat, requires_grad=True) * 2), "the root is complex"),
        (lambda: h.format_tensor([1, 2]), "expected a tensor"),
        (lambda: h.playground(42), "expression must be text"),
        (lambda: h.playground("x", {"x": 1e9}), "outside the slider's range"),
        (lambda: h.playground("x", {"x": "one"}), "must start at a number"),
        (lambda: h.playground("x", ["x"]), "leaves must be a dict"),
        (lambda: h.evaluate("9**9**9", {}), "grows too large to be stored"),
        (lambda: h.evaluate("__import__('os').system('ls')", {}), r"the method \.system\(\)"),
        (lambda: h.evaluate("x * y", {"x": torch.ones(1000, 1), "y": torch.ones(1, 2000)}), "2,000,000 elements"),
    ],
)
def test_bad_input_gets_a_helpers_message(call, match):
    with pytest.raises((TypeError, ValueError), match=match):
        call()
