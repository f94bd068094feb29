import html
import subprocess
import sys

import pytest
import torch
from sample_graphs import Clamp, chain, detach_build

import helpers as h


def lifecycle_graph():
    """Source 004's example: x = 3, loss = (x + 1 - 2x)²."""
    x = torch.tensor(3.0, requires_grad=True)
    y1, y2 = x + 1, 2 * x
    loss = (y1 - y2) ** 2
    return loss, {"x": x, "y1": y1, "y2": y2, "loss": loss}


def test_source_graph_picture(source_graph, golden):
    d, params = source_graph
    d.backward()
    source = h.draw(d, params).source
    golden("source_000", source)
    for label in ('"a = 1\ngrad 4"', '"b = 2\ngrad 1"', '"c = 3\nAddBackward0"', '"d = 3\nMulBackward0"'):
        assert f"label={label}" in source
    for colour in ("lightblue", "darkolivegreen1", "lightgrey"):  # torchviz's
        assert f"fillcolor={colour}" in source


def test_cut_input_picture(golden):
    f, params = detach_build(detach_d=True, a_requires_grad=True)
    graph = h.autograd_graph(f, params)
    source = h.draw(f, params).source
    golden("detached", source)
    cut = graph.of_kind("cut")[0]
    assert f'{cut.id} [label="no grad" class="agl-cut"' in source
    assert f'{cut.id} -> {graph.nodes[0].id} [class="agl-edge-cut"' in source


def test_custom_function_is_marked():
    x = torch.tensor([-1.0, 2.0], requires_grad=True)
    source = h.draw(Clamp.apply(x).sum()).source
    assert 'ClampBackward (custom)" class="agl-op agl-custom" fillcolor=wheat' in source


def test_tensor_formatting():
    assert h.format_tensor(torch.tensor(4.0)) == "4"
    assert h.format_tensor(torch.tensor(-0.0)) == "0"
    assert h.format_tensor(torch.tensor(1 / 3)) == "0.3333"
    assert h.format_tensor(torch.tensor([[1.0, 2.5], [3.0, 4.0]])) == "[[1, 2.5], [3, 4]]"
    assert h.format_tensor(torch.arange(8.0)) == "[0, 1, 2, 3, 4, 5, 6, 7]"
    assert h.format_tensor(torch.ones(3, 3)) == "[3×3] mean 1, std 0"
    assert h.format_tensor(torch.arange(10)) == "[10]"
    assert h.format_tensor(None) == "None"
    assert h.format_tensor(torch.tensor(1 + 2j)) == "1+2j"
    assert h.format_tensor(torch.eye(3).to_sparse()) == "[3×3] sparse_coo, 3 stored"
    assert h.format_tensor(torch.empty(2, device="meta")) == "[2] on the meta device: a shape, no values"


def test_ghosts_show_what_a_switch_removed(golden):
    full = h.autograd_graph(*detach_build(False, True))
    cut = h.autograd_graph(*detach_build(True, True))
    source = h.render_graph(cut, ghost=full).source
    golden("ghosts", source)
    relu = next(n for n in full if n.op == "ReluBackward0")
    assert f'{relu.id} [label=ReluBackward0 class="agl-ghost"' in source
    assert source.count('class="agl-ghost"') == 4 + 4  # four ghost nodes, four ghost edges
    assert h.render_graph(full, ghost=full).source == h.render_graph(full).source


def test_svg_renders(source_graph):
    d, params = source_graph
    svg = h.to_svg(h.draw(d, params))
    assert svg.lstrip().startswith("<?xml") and "</svg>" in svg
    assert "MulBackward0" in svg and "d = 3" in svg
    assert 'class="node agl-leaf"' in html.unescape(svg)  # the classes reach the SVG, for the view


@pytest.mark.slow
def test_dot_source_is_deterministic_across_processes(source_graph):
    code = (
        "import torch, helpers as h\n"
        "a = torch.tensor(1.0, requires_grad=True); b = torch.tensor(2.0, requires_grad=True)\n"
        "c = a + b; d = c * a; d.backward()\n"
        "print(h.draw(d, dict(a=a, b=b, c=c, d=d)).source, end='')\n"
    )
    runs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
        for _ in range(2)
    ]
    d, params = source_graph
    d.backward()
    assert runs[0] == runs[1] == h.draw(d, params).source


@pytest.mark.slow
def test_five_thousand_node_chain_renders_whole():
    y, x = chain(5000)
    svg = h.to_svg(h.draw(y, {"x": x}, max_nodes=None))
    assert svg.count("MulBackward0") == 5000


def test_saved_tensors_are_listed_then_marked_freed(golden):
    loss, params = lifecycle_graph()
    before = h.snapshot(loss, params, saved=True)
    assert before.named("loss").saved[0].tensor.item() == -2.0
    assert before.named("y2").saved[0].name == "other" and before.named("y2").saved[0].tensor.item() == 2.0
    assert not before.named("loss").freed
    assert 'saved self = -2" class="agl-output" fillcolor=darkolivegreen1' in h.draw(loss, params, saved=True).source
    loss.backward()
    after = h.snapshot(loss, params, saved=True)
    assert [(s.name, s.state) for s in after.named("loss").saved] == [("self", "freed")]
    assert after.named("loss").freed
    source = h.draw(loss, params, saved=True).source
    golden("freed", source)
    assert 'saved self: FREED" class="agl-output agl-freed"' in source
    assert "saved" not in h.draw(loss, params).source  # only when asked for


def test_a_saved_tensor_modified_in_place_is_marked_not_a_crash():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    e = x.exp()
    out = e.sin().sum()
    e.mul_(2)  # sin saved e; now its version is 1, backward expects 0
    numbers = h.snapshot(out, {"e": e}, saved=True)
    sin = next(numbers.of(n) for n in numbers.graph if n.op == "SinBackward0")
    assert [(s.state, s.note) for s in sin.saved] == [("modified", "modified in place (version 1, expected 0)")]
    assert "saved self: modified in place (version 1, expected 0)" in h.draw(out, saved=True).source
    try:
        h.trace_backward(out)
    except h.GraphModifiedError as error:
        assert "version 1, expected 0" in str(error) and "clone it" in str(error)
    else:
        raise AssertionError("backward through a modified saved tensor must fail")


def test_retain_graph_keeps_saved_tensors():
    loss, params = lifecycle_graph()
    loss.backward(retain_graph=True)
    assert not h.snapshot(loss, params, saved=True).named("loss").freed


def test_custom_function_saved_tensors():
    x = torch.tensor([-1.0, 2.0], requires_grad=True)
    out = Clamp.apply(x * 1).sum()
    numbers = h.snapshot(out, saved=True)
    node = next(n for n in numbers.graph if n.custom)
    assert numbers.of(node).saved[0].tensor.tolist() == [-1.0, 2.0]
    out.backward()
    numbers = h.snapshot(out, saved=True)
    assert numbers.of(next(n for n in numbers.graph if n.custom)).freed
