import subprocess
import sys

import torch

import helpers as h
from sample_graphs import Clamp, chain, detach_build


def test_labels_show_values_and_grads(source_graph):
    d, params = source_graph
    d.backward()
    source = h.draw(d, params).source
    assert 'label="a = 1\ngrad 4"' in source
    assert 'label="b = 2\ngrad 1"' in source
    assert 'label="c = 3\nAddBackward0"' in source
    assert 'label="d = 3\nMulBackward0"' in source


def test_torchviz_colours(source_graph):
    d, params = source_graph
    graph = h.autograd_graph(d, params)
    source = h.render(graph).source
    assert f'{graph.named("a").id} [label="a = 1" fillcolor=lightblue]' in source
    assert "fillcolor=darkolivegreen1" in source
    assert "fillcolor=lightgrey" in source


def test_cut_input_is_a_grey_dashed_stub():
    f, params = detach_build(detach_d=True, a_requires_grad=True)
    graph = h.autograd_graph(f, params)
    cut = graph.of_kind("cut")[0]
    source = h.render(graph).source
    assert f'{cut.id} [label="no grad" color=grey60 fontcolor=grey40 shape=box style=dashed]' in source
    assert f"{cut.id} -> {graph.nodes[0].id} [color=grey60 style=dashed]" in source


def test_custom_function_is_marked():
    x = torch.tensor([-1.0, 2.0], requires_grad=True)
    source = h.draw(Clamp.apply(x).sum()).source
    assert 'ClampBackward (custom)" fillcolor=wheat' in source


def test_tensor_formatting():
    assert h.format_tensor(torch.tensor(4.0)) == "4"
    assert h.format_tensor(torch.tensor(-0.0)) == "0"
    assert h.format_tensor(torch.tensor(1 / 3)) == "0.3333"
    assert h.format_tensor(torch.tensor([[1.0, 2.5], [3.0, 4.0]])) == "[[1, 2.5], [3, 4]]"
    assert h.format_tensor(torch.arange(8.0)) == "[0, 1, 2, 3, 4, 5, 6, 7]"
    assert h.format_tensor(torch.ones(3, 3)) == "[3×3] mean 1, std 0"
    assert h.format_tensor(torch.arange(10)) == "[10]"
    assert h.format_tensor(None) == "None"


def test_ghosts_show_what_a_switch_removed():
    full = h.autograd_graph(*detach_build(False, True))
    cut = h.autograd_graph(*detach_build(True, True))
    source = h.render(cut, ghost=full).source
    relu = next(n for n in full if n.op == "ReluBackward0")
    assert f'{relu.id} [label=ReluBackward0 color=grey70 fillcolor=white fontcolor=grey60 style=dashed]' in source
    assert f'{full.named("a").id} [label=a color=grey70' in source
    assert source.count("color=grey70") == 4 + 4  # four ghost nodes, four ghost edges
    assert h.render(full, ghost=full).source == h.render(full).source


def test_svg_renders(source_graph):
    d, params = source_graph
    svg = h.to_svg(h.draw(d, params))
    assert svg.lstrip().startswith("<?xml") and "</svg>" in svg
    assert "MulBackward0" in svg and "d = 3" in svg


def test_dot_source_is_deterministic_across_processes(source_graph):
    code = (
        "import torch, helpers as h\n"
        "a = torch.tensor(1.0, requires_grad=True); b = torch.tensor(2.0, requires_grad=True)\n"
        "c = a + b; d = c * a; d.backward()\n"
        "print(h.draw(d, dict(a=a, b=b, c=c, d=d)).source, end='')\n"
    )
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
            for _ in range(2)]
    d, params = source_graph
    d.backward()
    assert runs[0] == runs[1] == h.draw(d, params).source


def test_five_thousand_node_chain_renders_whole():
    y, x = chain(5000)
    svg = h.to_svg(h.draw(y, {"x": x}, max_nodes=None))
    assert svg.count("MulBackward0") == 5000


def lifecycle_graph():
    """Source 004's example: x = 3, loss = (x + 1 - 2x)²."""
    x = torch.tensor(3.0, requires_grad=True)
    y1, y2 = x + 1, 2 * x
    loss = (y1 - y2) ** 2
    return loss, {"x": x, "y1": y1, "y2": y2, "loss": loss}


def test_saved_tensors_are_listed_then_marked_freed():
    loss, params = lifecycle_graph()
    before = h.autograd_graph(loss, params, saved=True)
    assert before.named("loss").saved["self"].item() == -2.0
    assert before.named("y2").saved["other"].item() == 2.0
    assert not before.named("loss").freed
    assert 'saved self = -2" fillcolor=darkolivegreen1' in h.render(before).source
    loss.backward()
    after = h.autograd_graph(loss, params, saved=True)
    assert after.named("loss").saved == {"self": None} and after.named("loss").freed
    source = h.draw(loss, params, saved=True).source
    assert 'saved self: FREED" color=firebrick fillcolor=darkolivegreen1 style="filled,dashed"' in source
    assert "saved" not in h.draw(loss, params).source  # only when asked for


def test_retain_graph_keeps_saved_tensors():
    loss, params = lifecycle_graph()
    loss.backward(retain_graph=True)
    assert not h.autograd_graph(loss, params, saved=True).named("loss").freed


def test_custom_function_saved_tensors():
    x = torch.tensor([-1.0, 2.0], requires_grad=True)
    out = Clamp.apply(x * 1).sum()
    node = next(n for n in h.autograd_graph(out, saved=True) if n.custom)
    assert node.saved["saved_tensors"].tolist() == [-1.0, 2.0]
    out.backward()
    node = next(n for n in h.autograd_graph(out, saved=True) if n.custom)
    assert node.freed
