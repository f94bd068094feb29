"""The view's Python side: the records it sends, and the committed JavaScript bundle."""

import base64
import hashlib
import json
from pathlib import Path

import pytest
import torch
from sample_graphs import detach_build, source_001

import helpers as h

REPO = Path(__file__).resolve().parents[1]


def source_hash() -> str:
    """The hash js/build.mjs writes on the bundle's first line (same algorithm)."""
    js = REPO / "js"
    digest = hashlib.sha256()
    digest.update((js / "package.json").read_bytes())
    digest.update((js / "package-lock.json").read_bytes())
    for path in sorted((js / "src").rglob("*"), key=lambda p: p.relative_to(js / "src").as_posix()):
        if path.is_file():
            digest.update(path.relative_to(js / "src").as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


BUNDLES = ("graph_runtime.js", "graph_view.js", "graph_player.js")


@pytest.mark.parametrize("name", BUNDLES)
def test_the_committed_bundles_are_built_from_the_committed_sources(name):
    bundle = REPO / "helpers" / "static" / name
    first_line = bundle.read_text().split("\n", 1)[0]
    assert first_line == f"// source-hash: {source_hash()}", (
        f"helpers/static/{name} is older than js/src or js/package*.json: run `make widget` "
        "and commit the rebuilt bundle."
    )


@pytest.mark.parametrize("name", BUNDLES)
def test_the_bundles_ask_no_server_for_anything(name):
    text = (REPO / "helpers" / "static" / name).read_text()
    for outside in ("https://", "cdn.jsdelivr", "unpkg.com"):
        assert outside not in text.replace("http://www.w3.org", ""), outside


def test_each_view_carries_a_small_module_and_the_kernel_one_runtime():
    first, second = h.GraphView(), h.GraphView()
    for view in (first, second):
        state = view.get_state()
        assert len(state["_esm"].encode()) < 64 * 1024  # the heavy code is not in each view
        assert state["runtime"] == f"IPY_MODEL_{h.view.graph_runtime().model_id}"
    runtime = h.view.graph_runtime().get_state()
    assert len(runtime["_esm"]) > 500_000 and "agl-view" in runtime["_css"]  # d3-graphviz, the wasm, the styles
    h.view.graph_runtime().close()
    assert h.GraphView().runtime is h.view.graph_runtime() and h.view.graph_runtime().comm is not None


def test_a_view_output_carries_a_png_and_its_scene_for_pages_with_no_kernel(source_graph):
    d, params = source_graph
    d.backward()
    view = h.GraphView()
    view.draw(d, params)
    data, metadata = view._repr_mimebundle_()
    assert base64.b64decode(data["image/png"]).startswith(b"\x89PNG") and "<svg" in data["image/svg+xml"]
    record = metadata[h.view.LIVE_KEY]
    assert record["kind"] == "view" and record["view"]["dot"] == view.dot
    assert set(record["view"]) == set(h.view.SCENE_TRAITS)
    json.dumps(record)
    other = h.GraphView()
    other.apply(record["view"])  # a scene taken is a scene shown
    assert other.scene() == view.scene()


def test_a_picture_carries_a_png_beside_its_svg(source_graph):
    d, params = source_graph
    d.backward()
    data = h.draw(d, params)._repr_mimebundle_()
    assert set(data) == {"image/svg+xml", "image/png"}
    assert base64.b64decode(data["image/png"]).startswith(b"\x89PNG")


def test_details_carry_what_the_panel_shows():
    r, params = source_001()
    trace = h.trace_backward(r, params)
    numbers = h.snapshot(r, params)
    details = h.view.node_details(trace.graph, numbers, trace)
    w = details[trace.graph.named("w").id]
    assert w["label"] == "w" and w["op"] == "MulBackward0" and w["shape"] == "scalar" and w["dtype"] == "float32"
    assert w["value"] == "20" and w["grad"] == "40" and w["grad_line"] == "grad 40"
    assert [(i["slot"], i["label"]) for i in w["inputs"]] == [(0, "z"), (1, "v")]
    json.dumps(details)  # plain JSON, ready to send


def test_a_big_tensor_is_summarised_in_the_panel():
    x = torch.arange(100.0, requires_grad=True)
    details = h.view.node_details(*_graph_and_numbers((x * 2).sum(), {"x": x}))
    leaf = next(d for d in details.values() if d["kind"] == "leaf")
    assert leaf["value"] == "shape 100, 100 entries\nmin 0 · mean 49.5 · max 99\nfirst: [0, 1, 2, 3, 4, 5, …]"


def _graph_and_numbers(root, params):
    numbers = h.snapshot(root, params)
    return numbers.graph, numbers


def test_a_flip_sends_one_small_message():
    explorer = h.interact_graph(detach_build, detach_d=False, a_requires_grad=True)
    sent = []
    explorer.view._send = lambda msg, buffers=None: sent.append(msg)
    explorer.set(detach_d=True)
    assert len(sent) == 1  # one message with every trait that changed
    assert len(json.dumps(sent[0]).encode()) < 4096


def test_view_draw_shows_a_graph_and_bounds_it():
    view = h.GraphView()
    from sample_graphs import chain

    y, x = chain(1000)
    view.draw(y, {"x": x})
    assert len(view.details) <= 400 and "more nodes are not shown" in view.omitted
    view.clear("nothing")
    assert view.dot == "" and view.message == "nothing"


def test_the_view_is_sent_the_pictures_text_alternative(monkeypatch, source_graph):
    d, params = source_graph
    d.backward()
    view = h.GraphView()
    view.draw(d, params)
    expected = h.draw(d, params).alt
    assert (view.alt_label, view.alt_description) == (expected.label, expected.description)
    view.show(h.autograd_graph(d, params), h.snapshot(d, params), title="Source 000")
    assert view.alt_label == f"Source 000: {expected.label}"
    view.clear()
    assert view.alt_label == view.alt_description == ""
    # without `dot`, h.draw shows the view: it gets the same text alternative
    monkeypatch.setenv("PATH", "/nonexistent")
    sent = {}
    monkeypatch.setattr(h.GraphView, "_repr_mimebundle_", lambda self, **kw: sent.update(alt=self.alt_label) or {})
    h.draw(d, params)._repr_mimebundle_()
    assert sent["alt"] == expected.label


def test_the_panel_the_picture_and_the_text_call_each_node_alike():
    a, b = torch.tensor(2.0, requires_grad=True), torch.tensor(3.0, requires_grad=True)
    out = (a + b) * a.detach()
    out.backward()
    scene = h.view.scene(h.autograd_graph(out), h.snapshot(out))
    labels = {record["kind"]: [] for record in scene["details"].values()}
    for record in scene["details"].values():
        labels[record["kind"]].append(record["label"])
    assert labels == {
        "output": ["MulBackward0"],
        "op": ["AddBackward0"],
        "leaf": ["leaf 1", "leaf 2"],
        "cut": ["no grad"],
    }
    output = next(record for record in scene["details"].values() if record["kind"] == "output")
    assert [i["label"] for i in output["inputs"]] == ["AddBackward0", "no grad"]
    assert 'label="no grad"' in scene["dot"] and 'label="leaf = 2\ngrad 2"' in scene["dot"]
    assert "Output: MulBackward0; inputs AddBackward0, no grad." in scene["alt_description"]
    assert "Leaf: leaf 1 = 2, grad 2." in scene["alt_description"]
