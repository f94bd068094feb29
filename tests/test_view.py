"""The view's Python side: the records it sends, and the committed JavaScript bundle."""

import hashlib
import json
from pathlib import Path

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


def test_the_committed_bundle_is_built_from_the_committed_sources():
    bundle = REPO / "helpers" / "static" / "graph_view.js"
    first_line = bundle.read_text().split("\n", 1)[0]
    assert first_line == f"// source-hash: {source_hash()}", (
        "helpers/static/graph_view.js is older than js/src or js/package*.json: run `make widget` "
        "and commit the rebuilt bundle."
    )


def test_the_bundle_asks_no_server_for_anything():
    text = (REPO / "helpers" / "static" / "graph_view.js").read_text()
    for outside in ("https://", "cdn.jsdelivr", "unpkg.com"):
        assert outside not in text.replace("http://www.w3.org", ""), outside


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
