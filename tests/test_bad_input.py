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
    assert "already freed" in explorer.message.value
    assert "retain_graph=True" in explorer.message.value


def test_missing_dot_falls_back_to_text(source_graph, monkeypatch, tmp_path):
    d, params = source_graph
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no dot
    picture = h.draw(d, params)
    with pytest.raises(h.DotNotFoundError, match="apt-get install graphviz"):
        h.to_svg(picture)
    bundle = picture._repr_mimebundle_()
    assert list(bundle) == ["text/plain"]
    assert "brew install graphviz" in bundle["text/plain"]
    assert picture.source in bundle["text/plain"]
    explorer = h.interact_graph(lambda flip: d * 2, flip=False)
    assert "<pre>" in explorer.picture.value and "conda install" in explorer.picture.value
