"""The harness page's model states, made by the helpers from real tensors.

js/harness/fixtures.js imports them from /js/harness/scenes.js, which is no file: the harness
server writes it from these scenes, so that the browser tests drive the view with exactly what
a kernel sends (helpers.view.scene), never with DOT or records written by hand. To open the
harness yourself, serve the repository with them:

    .venv/bin/python tests/browser/harness_scenes.py [port]
"""

from __future__ import annotations

import functools
import http.server
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCENES_URL = "/js/harness/scenes.js"

TITLE, SWITCHED_TITLE = "d = (a + b) · a", "d = c.detach() · a"
SWITCHED_MESSAGE = "detach c: c and b no longer reach d, so a gets only ∂d/∂a = c = 5."


def small_graph(detach_c: bool):
    """d = (a + b) · a with a = 2 and b = 3; with `detach_c`, d = c.detach() · a."""
    import torch

    a = torch.tensor(2.0, requires_grad=True)
    b = torch.tensor(3.0, requires_grad=True)
    c = a + b
    d = (c.detach() if detach_c else c) * a
    return d, {"a": a, "b": b, "c": c, "d": d}


def _run(root, params, *, saved: bool = False):
    """What the explorer does with a build: walk, record backward, snapshot after it."""
    from helpers.backward import record_backward
    from helpers.render import prepare

    return prepare(root, params, backward=record_backward, saved=saved, warn=False)


def chain(length: int = 400):
    """x → h1 → … → loss through tanh, sin, cos and sigmoid: `length` nodes, the most the
    kernel sends in one picture."""
    import torch

    x = torch.tensor(0.5, requires_grad=True)
    params, y = {"x": x}, x
    for i in range(1, length):
        y = (torch.tanh, torch.sin, torch.cos, torch.sigmoid)[i % 4](y)
        params["loss" if i == length - 1 else f"h{i}"] = y
    return y, params


@functools.cache
def harness_scenes() -> dict[str, dict]:
    """Every state the harness mounts, by name, as the kernel sends it to a GraphView."""
    from helpers.graph import Graph
    from helpers.view import scene

    small = _run(*small_graph(detach_c=False))
    # The switched state lists saved tensors (saved=True): its backward freed them.
    switched = _run(*small_graph(detach_c=True), saved=True)
    # A ghost memory that never saw b: the morph has a node to fade into a ghost (c) and one
    # to drop outright (b).
    b = small.shown.named("b").id
    ghost = Graph([n for n in small.shown.nodes if n.id != b], [e for e in small.shown.edges if b not in e[:2]])
    big = _run(*chain())
    states = {
        "small": scene(small.shown, small.snapshot, trace=small.trace, title=TITLE),
        "switched": scene(
            switched.shown, switched.snapshot, trace=switched.trace, ghost=ghost, title=SWITCHED_TITLE,
            message=SWITCHED_MESSAGE, message_kind="info",
        ),
        "stepper": {
            **scene(small.shown, small.snapshot, trace=small.trace, replay=True, title=f"backward() on {TITLE}"),
            "mode": "stepper",
        },
        # As the course site replays an explorer's recorded setting: with its ghosts.
        "stepperSwitched": {
            **scene(
                switched.shown, switched.snapshot, trace=switched.trace, ghost=ghost, replay=True,
                title=f"backward() on {SWITCHED_TITLE}",
            ),
            "mode": "stepper",
        },
        # Without its text alternative, as a view saved before the helpers wrote one: the
        # view then names the picture from its node records.
        "chain400": {
            **scene(big.shown, big.snapshot, trace=big.trace, title="a 400-node chain"),
            "alt_label": "",
            "alt_description": "",
        },
    }  # fmt: skip
    return {name: {"mode": "graph", **state} for name, state in states.items()}


@functools.cache
def harness_ids() -> dict[str, str]:
    """The stable ids of the small graph's nodes (and of the switched one's no-grad input)."""
    from helpers.graph import autograd_graph

    graph = autograd_graph(*small_graph(detach_c=False))
    switched = autograd_graph(*small_graph(detach_c=True))
    return {**{name: graph.named(name).id for name in "dcab"}, "cut": switched.of_kind("cut")[0].id}


def scenes_module() -> bytes:
    """The ES module fixtures.js imports."""
    scenes = json.dumps(harness_scenes(), ensure_ascii=False, indent=1)
    return f"// Made by tests/browser/harness_scenes.py from helpers.view.scene.\nexport const SCENES = {scenes};\n".encode()


class HarnessHandler(http.server.SimpleHTTPRequestHandler):
    """The repository's files, and the scenes module made on request."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(REPO), **kwargs)

    def do_GET(self):
        if self.path.split("?")[0] != SCENES_URL:
            return super().do_GET()
        body = scenes_module()
        self.send_response(200)
        self.send_header("Content-Type", "text/javascript; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):  # the test output is no place for access logs
        pass


def main() -> None:
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8000
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), HarnessHandler)
    print(f"the harness: http://127.0.0.1:{server.server_address[1]}/js/harness/index.html")
    server.serve_forever()


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))  # run as a script: the helpers come from this checkout
    main()
