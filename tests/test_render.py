import html
import re
import subprocess
import sys
import warnings
import xml.etree.ElementTree as ET

import pytest
import torch
from sample_graphs import Clamp, chain, detach_build, source_000

import helpers as h
from helpers.describe import DESCRIPTION_CHARS, LABEL_CHARS, Alternative, into_svg


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
    assert svg.count(">MulBackward0</text>") == 5000


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


# ---- the text alternative: what a screen reader says instead of the picture ----------------

SVG = "{http://www.w3.org/2000/svg}"


def test_the_text_alternative_names_the_output_the_ops_and_the_leaves(source_graph):
    d, params = source_graph
    d.backward()
    alt = h.draw(d, params).alt
    assert alt.label == (
        "Autograd graph of d = MulBackward0(AddBackward0(a, b), a) = 3: 2 operations; leaves a = 1 (grad 4), b = 2 (grad 1)"
    )
    assert alt.description.splitlines() == [
        "4 nodes, from the output back to the leaves:",
        "Output: d = 3, MulBackward0; inputs c, a.",
        "Operation: c = 3, AddBackward0; inputs a, b.",
        "Leaf: a = 1, grad 4.",
        "Leaf: b = 2, grad 1.",
    ]
    # a title leads; unnamed leaves are told apart by number
    titled = h.draw(d, title="Source 000").alt
    assert titled.label.startswith("Source 000: Autograd graph of MulBackward0(AddBackward0(leaf 1, leaf 2), leaf 1):")
    assert "leaf 1 = 1 (grad 4), leaf 2 = 2 (grad 1)" in titled.label
    assert "Leaf: leaf 2 = 2, grad 1." in titled.description


def test_the_text_alternative_says_only_what_the_picture_shows(source_graph):
    d, params = source_graph
    quiz = h.draw(d, params, grads=False).alt  # before backward, or a quiz hiding the gradients
    d.backward()
    hidden = h.draw(d, params, grads=False).alt
    assert not re.search(r"\bgrad\b", hidden.label + hidden.description) and hidden == quiz
    bare = h.draw(d, params, values=False).alt
    assert "leaves a (grad 4), b (grad 1)" in bare.label and "= 3" not in bare.label + bare.description
    # a backward step shows the gradients that have arrived so far, and so does its text
    fresh, names = source_000()
    trace = h.trace_backward(fresh, names)
    first = h.draw(fresh, names, trace=trace, step_index=0).alt
    assert "Output: d = 3, MulBackward0, grad 1;" in first.description
    assert "Leaf: a = 1." in first.description and "grad 4" not in first.label


def test_the_text_alternative_tells_cut_inputs_ghosts_and_saved_tensors():
    f, params = detach_build(detach_d=True, a_requires_grad=True)
    f.backward()
    full = h.autograd_graph(*detach_build(False, True))
    alt = h.render_graph(h.autograd_graph(f, params), h.snapshot(f, params), ghost=full).alt
    assert (
        alt.label
        == "Autograd graph of f = AddBackward0(no grad, c) = 6: 1 operation; leaf c = 3 (grad 1); 1 input with no gradient"
    )
    assert "Input with no gradient: no grad." in alt.description
    assert alt.description.endswith(
        "Removed by the last switch, drawn as grey dashed outlines: ReluBackward0, d (AddBackward0), a, b."
    )
    loss, named = lifecycle_graph()
    loss.backward()
    assert "Output: loss = 4, PowBackward0, saved self: FREED; input SubBackward0." in (
        h.draw(loss, named, saved=True).alt.description
    )


@pytest.mark.slow
def test_the_text_alternative_stays_short_for_a_five_thousand_node_chain():
    y, x = chain(5000)
    whole = h.draw(y, {"x": x}, max_nodes=None).alt
    assert len(whole.label) <= LABEL_CHARS and len(whole.description) <= DESCRIPTION_CHARS
    assert whole.label.startswith("Autograd graph of MulBackward0(MulBackward0(MulBackward0(")
    assert "5,000 operations (5,000 MulBackward0); leaf x = 1; 5,000 inputs with no gradient" in whole.label
    assert whole.description.startswith("10,001 nodes, from the output back to the leaves:")
    assert whole.description.endswith("… and 9,961 more nodes.")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", h.LargeGraphWarning)
        shortened = h.draw(y, {"x": x}).alt  # 400 nodes drawn, the rest summed up in one box
    assert shortened.label.endswith("9,602 more nodes not drawn") and len(shortened.label) <= LABEL_CHARS
    assert "9,602 more nodes are not drawn" in shortened.description


def test_module_boxes_are_described_as_modules():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 1))
    with h.module_scopes(model) as scopes:
        loss = model(torch.randn(2, 3)).sum()
    alt = h.draw(loss, collapse=scopes).alt
    assert alt.label == (
        "Autograd graph of SumBackward0(2 (Linear) of 1 (ReLU) of 0 (Linear) of no grad): 1 operation; "
        "3 module boxes standing for 9 nodes; 1 input with no gradient"
    )
    assert "Module box: 0 (Linear), 4 nodes; input no grad." in alt.description


def test_side_by_side_is_described_panel_by_panel():
    x = torch.tensor(2.0, requires_grad=True)
    alt = h.draw_side_by_side({"double": x * 2, "exp": (x.exp(), {"x": x})}).alt
    assert alt.label == (
        "2 autograd graphs side by side. double: MulBackward0(leaf, no grad): 1 operation; leaf = 2; "
        "1 input with no gradient; exp: ExpBackward0(x): 1 operation; leaf x = 2"
    )
    assert "double:\n3 nodes" in alt.description and "exp:\n2 nodes" in alt.description


def test_the_svg_a_notebook_stores_carries_the_alternative(source_graph):
    d, params = source_graph
    d.backward()
    picture = h.draw(d, params)
    for svg in (h.to_svg(picture), picture._repr_mimebundle_()["image/svg+xml"]):
        root = ET.fromstring(svg.encode())
        assert root.get("role") == "img" and root.get("aria-label") == picture.alt.label
        first, second = list(root)[:2]
        assert (first.tag, first.text) == (SVG + "title", picture.alt.label)
        assert (second.tag, second.text) == (SVG + "desc", picture.alt.description)
        # Graphviz's own title for the graph ("%3") is gone; the nodes keep their ids
        assert [t.text for t in root.iter(SVG + "title")].count(picture.alt.label) == 1
        assert "%3" not in [t.text for t in root.iter(SVG + "title")]
        assert sum(1 for g in root.iter(SVG + "g") if g.get("class", "").startswith("node")) == 4
    x = torch.tensor(2.0, requires_grad=True)
    both = h.draw_side_by_side({"double": x * 2, "exp": x.exp()})
    assert ET.fromstring(h.to_svg(both).encode()).get("aria-label").startswith("2 autograd graphs side by side.")


def test_names_that_need_escaping_keep_the_svg_well_formed():
    x = torch.tensor(2.0, requires_grad=True)
    y = x * 3
    name = 'x <"1"> & more'
    svg = h.to_svg(h.draw(y, {name: x}))
    root = ET.fromstring(svg.encode())
    assert name in root.get("aria-label") and name in list(root)[1].text
    with pytest.raises(ValueError, match="<svg> element"):
        into_svg("<html></html>", Alternative("a", "b"))


def test_a_widgets_static_picture_carries_the_same_alternative():
    explorer = h.interact_graph(detach_build, detach_d=False, a_requires_grad=True)
    view = explorer.view
    assert view.alt_label.startswith("Autograd graph of f = AddBackward0(ReluBackward0(AddBackward0(a, b)), c)")
    for widget in (explorer, view):
        bundle = widget._repr_mimebundle_()
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        root = ET.fromstring(data["image/svg+xml"].encode())
        assert root.get("aria-label") == view.alt_label and list(root)[1].text == view.alt_description
    explorer.set(detach_d=True)  # the ghosts the switch left are told too
    assert "Removed by the last switch" in view.alt_description
    stepper = h.backward_stepper(*source_000())
    data = stepper._repr_mimebundle_()
    data = data[0] if isinstance(data, tuple) else data
    assert ET.fromstring(data["image/svg+xml"].encode()).get("aria-label") == stepper.view.alt_label
    assert "Output: d = 3, MulBackward0, grad 1;" in stepper.view.alt_description


def test_in_ipython_every_graphviz_picture_gets_a_png_too():
    import graphviz
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        assert h.pictures_untrusted.add_png_to_graphviz_pictures()
        plain = graphviz.Digraph()
        plain.edge("a", "b")
        data, _ = shell.display_formatter.format(plain)
        assert "image/svg+xml" in data and data["image/png"][:4] == b"\x89PNG"
    finally:
        InteractiveShell.clear_instance()


def test_outside_ipython_nothing_is_registered():
    assert h.pictures_untrusted.add_png_to_graphviz_pictures() is False
