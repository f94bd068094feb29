"""The scene records: one per node and edge, from which the DOT, the panel and the text are written."""

import warnings

import torch
from sample_graphs import detach_build, source_000

import helpers as h
from helpers.large import MORE
from helpers.scene_record import InputRecord, SavedRecord, Sent, TensorText, in_box, record_scene


def records_of(root, params=None, *, saved=False, trace=None, ghost=None):
    numbers = h.snapshot(root, params, saved=saved)
    scene = record_scene(numbers.graph, numbers, trace, ghost)
    return scene, {node.id: node for node in (*scene.nodes, *scene.ghost_nodes)}, numbers.graph


def test_a_leaf_carries_its_value_and_the_gradient_that_arrived():
    d, params = source_000()
    trace = h.trace_backward(d, params)
    scene, nodes, graph = records_of(d, params, trace=trace)
    a = nodes[graph.named("a").id]
    assert (a.kind, a.name, a.label, a.op) == ("leaf", "a", "a", "AccumulateGrad")
    assert (a.shape, a.dtype) == ("scalar", "float32")
    assert a.value == TensorText("1", "1") and a.held_grad == a.arrived_grad == TensorText("4", "4")
    assert a.step_index == trace.step_of(a.id).index and a.inputs == () and not a.ghost
    # an op keeps no .grad: what it shows is what arrived at its step (∂d/∂c = a = 1)
    c = nodes[graph.named("c").id]
    assert c.held_grad is None and c.grad == c.arrived_grad == TensorText("1", "1")
    assert c.op_line == "AddBackward0" and c.inputs == (
        InputRecord(0, graph.named("a").id, "a"),
        InputRecord(1, graph.named("b").id, "b"),
    )
    # the box shows an op's gradient only when the picture shows the backward pass
    assert in_box(c).lines == ("c = 3", "AddBackward0")
    assert in_box(c, with_trace=True).lines == ("c = 3", "AddBackward0", "grad 1")


def test_a_big_tensor_has_a_short_text_and_a_long_one():
    x = torch.arange(100.0, requires_grad=True)
    _, nodes, graph = records_of((x * 2).sum(), {"x": x})
    value = nodes[graph.named("x").id].value
    assert value.short == "[100] mean 49.5, std 29.01"
    assert value.long == "shape 100, 100 entries\nmin 0 · mean 49.5 · max 99\nfirst: [0, 1, 2, 3, 4, 5, …]"


def test_an_op_lists_its_saved_tensors_kept_then_freed():
    x = torch.tensor(3.0, requires_grad=True)
    loss = (x * 2) ** 2
    _, nodes, graph = records_of(loss, {"x": x, "loss": loss}, saved=True)
    kept = nodes[graph.named("loss").id]
    assert kept.saved == (SavedRecord("self", "kept", TensorText("6", "6")),) and not kept.freed
    loss.backward()
    _, nodes, _ = records_of(loss, {"x": x, "loss": loss}, saved=True)
    freed = nodes[graph.named("loss").id]
    assert freed.saved == (SavedRecord("self", "freed", None),) and freed.freed
    assert in_box(freed).lines[-1] == "saved self: FREED"
    # without saved=True the record does not say (None), rather than "nothing saved" (())
    assert records_of(loss, {"x": x, "loss": loss})[1][graph.named("loss").id].saved is None


def test_a_saved_tensor_modified_in_place_says_how():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    e = x.exp()
    out = e.sin().sum()
    e.mul_(2)
    scene, _, _ = records_of(out, saved=True)
    sin = next(node for node in scene.nodes if node.op == "SinBackward0")
    note = "modified in place (version 1, expected 0)"
    assert sin.saved == (SavedRecord("self", "modified", TensorText(note, note)),) and sin.freed


def test_an_input_without_gradient_is_called_no_grad_everywhere():
    f, params = detach_build(detach_d=True, a_requires_grad=True)
    scene, nodes, graph = records_of(f, params)
    cut = scene.of_kind("cut")[0]
    assert (cut.name, cut.label, cut.value, cut.grad) == ("no grad", "no grad", None, None)
    assert in_box(cut).lines == ("no grad",)
    into_f = nodes[graph.named("f").id].inputs
    assert [(i.node, i.name) for i in into_f] == [(cut.id, "no grad"), (graph.named("c").id, "c")]
    assert [edge.cut for edge in scene.edges if edge.dst == graph.named("f").id] == [True, False]


def test_unnamed_leaves_are_numbered_when_there_are_several():
    d, _ = source_000()
    scene, _, _ = records_of(d)
    leaves = scene.of_kind("leaf")
    assert [(leaf.name, leaf.label) for leaf in leaves] == [("leaf 1", "leaf"), ("leaf 2", "leaf")]
    assert [node.name for node in scene.nodes if node.kind != "leaf"] == ["MulBackward0", "AddBackward0"]
    alone = torch.tensor(2.0, requires_grad=True)
    assert records_of(alone.exp())[0].of_kind("leaf")[0].name == "leaf"


def test_each_edge_carries_what_the_backward_pass_sent_along_it():
    a = torch.tensor(2.0, requires_grad=True)
    b = a * a
    trace = h.trace_backward(b, {"a": a, "b": b})
    scene, _, graph = records_of(b, {"a": a, "b": b}, trace=trace)
    mul = trace.step_of(graph.named("b").id).index
    assert [(edge.slot, edge.key, edge.carried) for edge in scene.edges] == [
        (0, f"{graph.named('a').id}->{graph.named('b').id}", (Sent(mul, "2"),)),
        (1, f"{graph.named('a').id}->{graph.named('b').id}", (Sent(mul, "2"),)),
    ]


def test_a_ghost_is_an_outline_with_no_numbers():
    full = h.autograd_graph(*detach_build(False, True))
    f, params = detach_build(True, True)
    f.backward()
    scene, nodes, _ = records_of(f, params, ghost=full)
    assert [(g.name, g.op) for g in scene.ghost_nodes] == [
        ("ReluBackward0", "ReluBackward0"),
        ("d", "AddBackward0"),
        ("a", "AccumulateGrad"),
        ("b", "AccumulateGrad"),
    ]
    assert all(g.ghost and g.value is None and g.grad is None and g.inputs == () for g in scene.ghost_nodes)
    assert not any(node.ghost for node in scene.nodes) and MORE not in nodes
    drawn = {node.id for node in (*scene.nodes, *scene.ghost_nodes)}
    assert scene.ghost_edges and all(e.ghost and {e.src, e.dst} <= drawn for e in scene.ghost_edges)
    assert not {(e.src, e.dst) for e in scene.ghost_edges} & {(e.src, e.dst) for e in scene.edges}


def test_a_collapsed_module_is_one_record_standing_for_its_nodes():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 1))
    with h.module_scopes(model) as scopes:
        loss = model(torch.randn(2, 3)).sum()
    graph = h.view.prepare(loss, collapse=scopes).shown
    scene = record_scene(graph)
    groups = [node for node in scene.nodes if node.group_size is not None]
    assert [(g.name, g.group_size, g.kind) for g in groups] == [
        ("2 (Linear)", 4, "op"),
        ("1 (ReLU)", 1, "op"),
        ("0 (Linear)", 4, "op"),
    ]
    assert in_box(groups[0]).lines == ("2 (Linear)", "4 nodes") and not groups[0].more
    assert in_box(groups[1]).lines == ("1 (ReLU)", "1 node")
    assert groups[0].inputs == (InputRecord(-1, groups[1].id, "1 (ReLU)"),)  # a box has no one input slot
    assert scene.hidden == 0


def test_the_more_box_of_a_shortened_graph_stands_for_the_nodes_left_out():
    x = torch.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(30):
        y = y.exp()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", h.LargeGraphWarning)
        graph = h.view.prepare(y, {"x": x}, depth=3).shown
    scene = record_scene(graph)
    more = next(node for node in scene.nodes if node.more)
    assert (more.id, more.name, more.group_size) == (MORE, "… 27 more nodes", 27)
    assert in_box(more).lines == ("… 27 more nodes",) and scene.hidden == 27
    fed = [node for node in scene.nodes if any(i.node == MORE for i in node.inputs)]
    assert [i.name for i in fed[0].inputs] == ["… 27 more nodes"]
