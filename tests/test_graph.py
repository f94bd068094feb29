import io
import subprocess
import sys
from contextlib import redirect_stdout

import pytest
import torch
from sample_graphs import Clamp, chain, detach_build

import helpers as h


def kinds(graph):
    return [(n.kind, n.op, n.name) for n in graph]


def test_source_graph_nodes_values_and_grads(source_graph):
    d, params = source_graph
    d.backward()
    graph = h.autograd_graph(d, params)
    assert kinds(graph) == [
        ("output", "MulBackward0", "d"),
        ("op", "AddBackward0", "c"),
        ("leaf", "AccumulateGrad", "a"),
        ("leaf", "AccumulateGrad", "b"),
    ]
    numbers = h.snapshot(d, params)
    assert numbers.named("a").grad.item() == 4.0
    assert numbers.named("b").grad.item() == 1.0
    assert numbers.named("c").value.item() == 3.0  # an intermediate carries its value
    assert numbers.named("d").value.item() == 3.0
    assert numbers.named("c").grad is None  # not retained, and reading it must not warn
    # the structure holds no numbers and no torch objects
    assert all(
        not isinstance(v, (torch.Tensor, torch.autograd.graph.Node)) for node in graph for v in vars(node).values()
    )
    assert graph.named("a").shape == () and graph.named("a").dtype == "float32"
    assert graph.named("d").names == ("d",)


def test_edges_run_forward_and_a_shared_leaf_appears_once(source_graph):
    d, params = source_graph
    graph = h.autograd_graph(d, params)
    ids = {n.name: n.id for n in graph}
    assert sorted(graph.edges) == sorted(
        [
            h.Edge(ids["c"], ids["d"], 0),
            h.Edge(ids["a"], ids["d"], 1),
            h.Edge(ids["a"], ids["c"], 0),
            h.Edge(ids["b"], ids["c"], 1),
        ]
    )
    assert [n.name for n in graph.inputs_of(ids["d"])] == ["c", "a"]
    assert [n.name for n in graph].count("a") == 1


def test_diamond_visits_the_shared_node_once():
    x = torch.tensor(2.0, requires_grad=True)
    s = x.exp()
    top = s.sin() + s.cos()
    graph = h.autograd_graph(top)
    assert [n.op for n in graph].count("ExpBackward0") == 1
    exp_id = next(n.id for n in graph if n.op == "ExpBackward0")
    assert sorted(edge.dst for edge in graph.edges if edge.src == exp_id) == sorted(
        n.id for n in graph if n.op in ("SinBackward0", "CosBackward0")
    )


@pytest.mark.slow
def test_ids_are_stable_across_rebuilds_and_processes(source_graph):
    d, params = source_graph
    ids = [n.id for n in h.autograd_graph(d, params)]
    again = h.autograd_graph(*detach_build(False, True))  # a different graph
    assert ids != [n.id for n in again]
    code = (
        "import torch, helpers as h\n"
        "a = torch.tensor(1.0, requires_grad=True); b = torch.tensor(2.0, requires_grad=True)\n"
        "c = a + b; d = c * a\n"
        "print(' '.join(n.id for n in h.autograd_graph(d, dict(a=a, b=b, c=c, d=d))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ids


def test_detached_input_is_a_cut_node():
    f, params = detach_build(detach_d=True, a_requires_grad=True)
    graph = h.autograd_graph(f, params)
    assert [n.kind for n in graph] == ["output", "cut", "leaf"]
    assert graph.named("c").kind == "leaf"
    with pytest.raises(KeyError, match="named nodes are"):
        graph.named("a")


def test_constant_input_is_a_cut_node():
    x = torch.tensor(3.0, requires_grad=True)
    y = x * torch.tensor(2.0)  # the constant needs no gradient
    assert [n.kind for n in h.autograd_graph(y)] == ["output", "leaf", "cut"]


def test_tuple_root_is_one_graph():
    x = torch.tensor(1.0, requires_grad=True)
    shared = x * 2
    p, q = shared + 1, shared.exp()
    graph = h.autograd_graph((p, q), {"x": x, "shared": shared})
    assert [n.kind for n in graph].count("output") == 2
    assert [n.name for n in graph].count("shared") == 1
    assert [n.name for n in graph].count("x") == 1


def test_custom_function_node():
    x = torch.tensor([-1.0, 2.0], requires_grad=True)
    y = Clamp.apply(x * 3).sum()
    graph = h.autograd_graph(y)
    custom = [n for n in graph if n.custom]
    assert [n.op for n in custom] == ["ClampBackward"]
    assert custom[0].kind == "op"


@pytest.mark.slow
def test_five_thousand_op_chain_walks_without_recursion():
    y, x = chain(5000)
    graph = h.autograd_graph(y, {"x": x})
    assert sum(n.kind in ("op", "output") for n in graph) == 5000
    assert graph.named("x").kind == "leaf"


def test_leaf_root_and_vectors():
    w = torch.ones(2, 3, requires_grad=True)
    graph = h.autograd_graph(w, {"w": w})
    assert kinds(graph) == [("leaf", "AccumulateGrad", "w")]
    assert graph.nodes[0].shape == (2, 3)


def test_walk_graph_prints_the_source_format(source_graph):
    d, _ = source_graph
    out = io.StringIO()
    with redirect_stdout(out):
        h.walk_graph(d.grad_fn, 0)
    assert out.getvalue().splitlines() == [
        "0  <class 'MulBackward0'>",
        "1     <class 'AddBackward0'>",
        "2        <class 'AccumulateGrad'>",
        "2        <class 'AccumulateGrad'>",
        "1     <class 'AccumulateGrad'>",
    ]
    again = io.StringIO()
    with redirect_stdout(again):
        h.walk_graph(d)  # a tensor works as well as its grad_fn
    assert again.getvalue() == out.getvalue()


def walked(*args, **kwargs) -> list[str]:
    out = io.StringIO()
    with redirect_stdout(out):
        h.walk_graph(*args, **kwargs)
    return out.getvalue().splitlines()


def test_walk_graph_handles_a_deep_chain():
    y, _ = chain(5000)
    lines = walked(y, max_lines=None)
    assert len(lines) == 5001
    assert lines[-1].startswith("5000 ") and lines[-1].endswith("<class 'AccumulateGrad'>")
    assert len(lines[-1]) < 200  # the indentation stops growing


def test_walk_graph_is_bounded_for_huge_and_branching_graphs():
    y, _ = chain(5000)
    lines = walked(y)
    assert len(lines) == 2001 and lines[-1] == "… 3001 more lines (pass max_lines=None to print them all)"
    x = torch.tensor(1.0, requires_grad=True)
    top = x
    for _ in range(40):  # stacked diamonds: 2**40 paths
        top = top.sin() + top.cos()
    lines = walked(top)
    assert len(lines) == 2001 and lines[-1].startswith("… more than 100000 more lines")
