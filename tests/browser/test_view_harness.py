"""The browser half of GraphView, driven without a kernel.

js/harness/index.html mounts the built bundle (helpers/static/graph_view.js) on fake models
holding the scenes the helpers make (harness_scenes.py: helpers.view.scene on real tensors),
the way anywidget would; these tests click, flip and replay it in Debian's Chromium. The page
is served from the repository on 127.0.0.1, and nothing may be fetched from anywhere else
(Graphviz's wasm is inside the bundle).
"""

from __future__ import annotations

import http.server
import json
import re
import threading
from urllib.parse import urlparse

import pytest
from harness_scenes import HarnessHandler, harness_ids

IDS = harness_ids()  # d = (a + b) · a: its nodes, and the no-grad input of d = c.detach() · a
VIEW = ".agl-view"


@pytest.fixture(scope="session")
def site():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), HarnessHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def is_local(url: str) -> bool:
    if url.startswith(("data:", "about:")):
        return True
    if url.startswith("blob:"):
        url = url[len("blob:") :]
    return urlparse(url).hostname == "127.0.0.1"


class Harness:
    def __init__(self, page, site):
        self.page, self.site = page, site
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.warnings: list[str] = []  # the view's own console warnings (its render watchdog)
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on(
            "console",
            lambda message: (
                self.warnings.append(message.text)
                if message.type == "warning" and message.text.startswith("graph view:")
                else None
            ),
        )

    def open(self, views: str = "small,stepper") -> Harness:
        self.page.goto(f"{self.site}/js/harness/index.html?views={views}")
        self.page.wait_for_function("window.harness && window.harness.ready")
        self.page.evaluate("window.harness.ready")
        count = len([v for v in views.split(",") if v])
        for i in range(count):
            self.wait_renders(i, 1)
        return self

    def root(self, i: int):
        return self.page.locator(VIEW).nth(i)

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)

    def renders(self, i: int) -> int:
        return int(self.root(i).get_attribute("data-renders") or 0)

    def wait_renders(self, i: int, count: int, timeout: float = 15000) -> None:
        self.page.wait_for_function(
            "([i, n]) => { const r = document.querySelectorAll('.agl-view')[i]; return r && +r.dataset.renders >= n; }",
            arg=[i, count],
            timeout=timeout,
        )

    def node(self, i: int, node_id: str):
        return self.root(i).locator("g.node", has=self.page.locator(f'title:text-is("{node_id}")'))

    def top_transform(self, i: int) -> str:
        return self.js(
            "i => document.querySelectorAll('.agl-view')[i].querySelector('svg > g').getAttribute('transform')", i
        )


@pytest.fixture
def harness(page, site):
    h = Harness(page, site)
    yield h
    outside = [url for url in h.requests if not is_local(url)]
    assert not outside, f"requests left 127.0.0.1: {outside}"
    assert not h.errors, f"uncaught errors in the page: {h.errors}"


def luminance(rgb: str) -> float:
    r, g, b = (int(v) for v in re.findall(r"[\d.]+", rgb)[:3])

    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def computed(h: Harness, i: int, selector: str, prop: str) -> str:
    return h.js(
        "([i, sel, prop]) => getComputedStyle(document.querySelectorAll('.agl-view')[i].querySelector(sel))"
        ".getPropertyValue(prop)",
        [i, selector, prop],
    )


def tag_nodes(h: Harness, i: int) -> None:
    """Copy each node's title onto data-test-node, so CSS selectors can reach it."""
    h.js(
        "i => { for (const g of document.querySelectorAll('.agl-view')[i].querySelectorAll('g.node'))"
        " g.dataset.testNode = g.querySelector('title').textContent; }",
        i,
    )


# ---- the DOM contract ----------------------------------------------------------------------


def test_nodes_are_g_elements_titled_by_their_stable_id(harness, artifacts):
    h = harness.open()
    titles = h.js(
        "() => [...document.querySelectorAll('.agl-view')[0].querySelectorAll('svg g.node > title')]"
        ".map(t => t.textContent).sort()"
    )
    assert titles == sorted(IDS[k] for k in "abcd")
    edges = h.js(
        "() => [...document.querySelectorAll('.agl-view')[0].querySelectorAll('svg g.edge > title')]"
        ".map(t => t.textContent).sort()"
    )
    assert edges == sorted(h.js("() => Object.keys(harness.fixtures.small().edges)"))
    assert h.node(0, IDS["a"]).get_attribute("class") == "node agl-leaf"
    # one tab stop for the graph: the output holds it until another node is reached
    assert h.node(0, IDS["a"]).get_attribute("tabindex") == "-1"
    assert h.node(0, IDS["d"]).get_attribute("tabindex") == "0"
    assert h.root(0).get_attribute("data-renders") == "1"
    # the caption above, the picture never squeezed by the message below
    h.js("() => harness.set(0, 'message', 'A long message that wraps. '.repeat(20))")
    h.js("() => harness.set(0, 'message_kind', 'error')")
    canvas = h.root(0).locator(".agl-canvas").bounding_box()
    message = h.root(0).locator(".agl-message").bounding_box()
    assert message["y"] >= canvas["y"] + canvas["height"] - 1
    assert canvas["width"] > 1000
    bg = computed(h, 0, ".agl-message", "background-color")
    assert contrast(computed(h, 0, ".agl-message", "color"), bg) >= 4.5
    h.page.screenshot(path=str(artifacts / "view-light.png"), full_page=True)


def test_a_click_opens_the_inspector_with_value_and_gradient(harness, artifacts):
    h = harness.open()
    h.node(0, IDS["a"]).click()
    panel = h.root(0).locator(".agl-inspector")
    panel.wait_for(state="visible")
    assert "agl-selected" in h.node(0, IDS["a"]).get_attribute("class")
    assert panel.locator(".agl-insp-value").inner_text() == "2"
    assert panel.locator(".agl-insp-grad").inner_text() == "7"
    ms = float(panel.get_attribute("data-ms"))
    # d: its inputs; an input's label selects that node
    h.node(0, IDS["d"]).click()
    assert panel.locator(".agl-insp-title").inner_text() == "d"
    h.page.screenshot(path=str(artifacts / "view-inspector.png"))
    panel.locator(".agl-input-link", has_text="c").click()
    assert panel.get_attribute("data-node") == IDS["c"]
    assert "agl-selected" in h.node(0, IDS["c"]).get_attribute("class")
    assert "agl-selected" not in h.node(0, IDS["d"]).get_attribute("class")
    h.page.keyboard.press("Escape")
    panel.wait_for(state="hidden")
    # keyboard: Enter on a focused node opens it
    h.node(0, IDS["b"]).focus()
    h.page.keyboard.press("Enter")
    panel.wait_for(state="visible")
    assert panel.locator(".agl-insp-value").inner_text() == "3"
    # the panel sits inside the view and leaves the picture its size
    assert h.root(0).locator(".agl-inspector").count() == 1
    # a freed saved tensor is marked
    h.js("() => harness.setFixture(0, 'switched')")
    h.wait_renders(0, 2)
    h.node(0, IDS["d"]).click()
    saved = panel.locator(".agl-insp-saved").inner_text()
    assert "self" in saved and "FREED" in saved
    # hovering an edge: the gradient it carried
    box = h.js(
        """() => { const g = [...document.querySelectorAll('.agl-view')[0].querySelectorAll('g.edge')]
        .find(e => e.querySelector('title').textContent === '%s->%s');
        const p = g.querySelector('path'); const pt = p.getPointAtLength(p.getTotalLength() / 2);
        const m = p.getScreenCTM(); return {x: pt.x * m.a + pt.y * m.c + m.e, y: pt.x * m.b + pt.y * m.d + m.f}; }"""
        % (IDS["a"], IDS["d"])
    )
    h.page.mouse.move(box["x"], box["y"])
    tip = h.root(0).locator(".agl-tooltip")
    tip.wait_for(state="visible")
    assert tip.inner_text() == "gradient carried: 5"
    # above the pointer, off the box the edge runs into
    tip_box, d_box = tip.bounding_box(), h.node(0, IDS["d"]).bounding_box()
    assert tip_box["y"] + tip_box["height"] <= box["y"]
    assert tip_box["y"] + tip_box["height"] <= d_box["y"] or tip_box["x"] >= d_box["x"] + d_box["width"]
    print(f"\nclick -> panel: {ms:.1f} ms")  # measured in benchmarks/, not a test: machines are noisy


def test_a_switch_morphs_into_ghosts(harness, artifacts):
    h = harness.open()
    h.js("() => harness.record(0)")
    asked = h.js("() => { const t = performance.now(); harness.setFixture(0, 'switched'); return t; }")
    h.page.wait_for_function("() => harness.log(0).some(e => e.type === 'agl:morphstart')")
    h.page.screenshot(path=str(artifacts / "view-morphing.png"), clip=h.root(0).bounding_box())
    h.wait_renders(0, 2)
    log = h.js("() => harness.log(0)")
    start = next(e for e in log if e["type"] == "agl:morphstart")
    done = next(e for e in log if e["type"] == "agl:rendered")
    assert start["duration"] == 500 and done["time"] - start["time"] >= 400
    print(f"\nnew dot -> first frame of the morph: {start['time'] - asked:.1f} ms")
    h.page.wait_for_timeout(100)
    ghost = h.root(0).locator("g.node.agl-ghost")
    assert ghost.count() == 1 and ghost.locator("title").text_content() == IDS["c"]
    assert h.root(0).locator("g.edge.agl-ghost").count() == 2
    assert h.node(0, IDS["b"]).count() == 0  # removed outright
    assert h.node(0, IDS["cut"]).get_attribute("class") == "node agl-cut"
    h.page.screenshot(path=str(artifacts / "view-switched.png"), clip=h.root(0).bounding_box())
    # dots arriving faster than the morph: the last one wins, nothing throws
    h.js("() => { harness.setFixture(0, 'small'); harness.setFixture(0, 'switched'); harness.setFixture(0, 'small'); }")
    h.page.wait_for_function(
        "() => { const r = harness.root(0); return +r.dataset.renders >= 3 && "
        "r.querySelectorAll('g.node.agl-ghost').length === 0 && "
        "r.querySelectorAll('g.node').length === 4; }",
        timeout=10000,
    )
    h.page.wait_for_timeout(700)
    assert h.root(0).locator("g.node").count() == 4
    assert h.root(0).locator("g.node.agl-ghost").count() == 0


def test_the_stepper_plays_to_the_end_and_scrubs_instantly(harness, artifacts):
    h = harness.open()
    view = h.root(1)
    controls = view.locator(".agl-controls")
    assert controls.is_visible()
    assert view.locator(".agl-step-text").inner_text() == "step 1 of 4"
    tag_nodes(h, 1)
    assert view.locator(f"[data-test-node='{IDS['d']}']").get_attribute("class").endswith("agl-current")
    assert view.locator("g.edge.agl-sending").count() == 2
    assert view.locator(".agl-edge-label").count() == 2
    hidden = h.js("() => [...harness.root(1).querySelectorAll('text.agl-grad-hidden')].map(t => t.textContent).sort()")
    assert hidden == ["grad 2", "grad 2", "grad 7"]  # c, b and a have not received theirs yet
    assert "arrived" in view.locator(".agl-chain").inner_text()

    view.locator(".agl-play").click()
    assert view.locator(".agl-play").inner_text() == "Pause"
    view.locator(".agl-step-text", has_text="step 4 of 4").wait_for(timeout=8000)
    h.page.wait_for_function("() => harness.root(1).querySelector('.agl-play').textContent === 'Play'")
    assert view.locator(".agl-play").get_attribute("aria-label") == "Play"
    assert h.js("() => harness.saves(1)") == [1, 2, 3]
    tag_nodes(h, 1)
    assert "agl-current" in view.locator(f"[data-test-node='{IDS['b']}']").get_attribute("class")
    assert "agl-done" in view.locator(f"[data-test-node='{IDS['a']}']").get_attribute("class")

    renders = h.renders(1)
    ms = h.js("""() => { const s = harness.root(1).querySelector('.agl-scrub'); const t0 = performance.now();
        s.value = '0'; s.dispatchEvent(new Event('input', {bubbles: true}));
        const ok = harness.root(1).querySelector('g.node.agl-current title').textContent;
        return [performance.now() - t0, ok]; }""")
    assert ms[1] == IDS["d"]
    print(f"\nscrub to step 0: {ms[0]:.1f} ms")
    assert h.renders(1) == renders  # no new layout
    assert view.locator(".agl-step-text").inner_text() == "step 1 of 4"
    assert h.js("() => harness.saves(1)")[-1] == 0

    # the kernel moves the step; the view follows without echoing it back
    h.js("() => harness.set(1, 'step', 1)")
    assert view.locator(".agl-step-text").inner_text() == "step 2 of 4"
    assert h.js("() => harness.saves(1)")[-1] == 0
    # keyboard
    view.locator(".agl-canvas").focus()
    h.page.keyboard.press("ArrowLeft")
    assert view.locator(".agl-step-text").inner_text() == "step 1 of 4"
    h.page.keyboard.press("ArrowRight")
    assert view.locator(".agl-step-text").inner_text() == "step 2 of 4"
    h.page.wait_for_timeout(250)  # mid-flow: the dots are travelling back along the edges
    h.page.screenshot(path=str(artifacts / "view-stepper.png"), clip=view.bounding_box())
    assert view.locator(".agl-edge-label").count() == 2
    # a new picture keeps the step
    h.js("() => harness.set(1, 'dot', harness.fixtures.stepper().dot.replace('c = 5', 'c = 5.0'))")
    h.wait_renders(1, 2)
    assert "agl-current" in view.locator("g.node", has=h.page.locator(f'title:text-is("{IDS["c"]}")')).get_attribute(
        "class"
    )
    assert view.locator(".agl-edge-label").count() == 2


def test_plus_zooms_the_top_group_and_fit_restores_it(harness):
    h = harness.open("small")
    before = h.top_transform(0)
    h.root(0).locator(".agl-zoom-in").click()
    h.page.wait_for_function(
        "b => harness.root(0).querySelector('svg > g').getAttribute('transform') !== b", arg=before
    )
    h.page.wait_for_timeout(300)
    zoomed = h.top_transform(0)
    assert "scale(1.25)" in zoomed
    h.root(0).locator(".agl-fit").click()
    h.page.wait_for_function(
        "b => harness.root(0).querySelector('svg > g').getAttribute('transform') === b", arg=before
    )
    h.root(0).locator(".agl-actual").click()
    assert h.js("() => harness.root(0).querySelector('svg').getAttribute('viewBox')") != ""


def test_reduced_motion_draws_without_a_transition(harness):
    harness.page.emulate_media(reduced_motion="reduce")
    h = harness.open()
    h.js("() => harness.record(0)")
    h.js("() => harness.setFixture(0, 'switched')")
    h.wait_renders(0, 2)
    log = h.js("() => harness.log(0)")
    start = next(e for e in log if e["type"] == "agl:morphstart")
    done = next(e for e in log if e["type"] == "agl:rendered")
    assert start["duration"] == 0 and h.root(0).get_attribute("data-duration") == "0"
    assert done["time"] - start["time"] < 200
    assert h.root(0).locator("g.node.agl-ghost").count() == 1
    # no dot travels along the edges
    h.root(1).locator(".agl-next").click()
    assert h.root(1).locator(".agl-flow-dot").count() == 0
    assert h.root(1).locator(".agl-edge-label").count() == 2


def test_dark_theme_keeps_text_readable(harness, artifacts):
    h = harness.open("small,stepper,switched")
    h.js("() => { document.body.dataset.jpThemeLight = 'false'; }")
    h.page.wait_for_function("() => harness.root(0).dataset.theme === 'dark'")
    h.js(
        "() => { harness.set(2, 'message', 'Graphviz could not draw this: an example error'); "
        "harness.set(2, 'message_kind', 'error'); }"
    )
    h.page.wait_for_timeout(600)  # the fills fade to their dark colours
    h.page.screenshot(path=str(artifacts / "view-dark.png"), full_page=True)
    tag_nodes(h, 0)
    tag_nodes(h, 2)
    for i, node_id in [(0, IDS["a"]), (0, IDS["c"]), (0, IDS["d"]), (2, IDS["c"]), (2, IDS["cut"])]:
        text = computed(h, i, f"[data-test-node='{node_id}'] text", "fill")
        box = computed(h, i, f"[data-test-node='{node_id}'] polygon", "fill")
        if box in ("none", "transparent", "rgba(0, 0, 0, 0)"):
            box = computed(h, i, ".agl-canvas", "background-color")
        assert contrast(text, box) >= 4.5, (node_id, text, box)
    edge = computed(h, 0, "g.edge path", "stroke")
    assert luminance(edge) > 0.3
    error = computed(h, 2, ".agl-message--error", "color")
    assert contrast(error, computed(h, 2, ".agl-message--error", "background-color")) >= 4.5
    assert contrast(error, "rgb(17, 17, 17)") >= 4.5


def test_a_phone_width_view_keeps_its_picture_and_toolbar(harness, artifacts):
    harness.page.set_viewport_size({"width": 400, "height": 800})
    h = harness.open()
    for i in (0, 1):
        canvas = h.root(i).locator(".agl-canvas").bounding_box()
        assert canvas["height"] > 100 and canvas["x"] + canvas["width"] <= 400
        svg = h.root(i).locator(".agl-canvas svg").bounding_box()
        assert svg["width"] <= canvas["width"] + 1
        toolbar = h.root(i).locator(".agl-toolbar")
        assert toolbar.is_visible()
        box = toolbar.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 400
    chain = h.root(1).locator(".agl-chain").bounding_box()
    stage = h.root(1).locator(".agl-stage").bounding_box()
    assert chain["y"] >= stage["y"] + stage["height"] - 1  # below the picture, not beside it
    h.node(0, IDS["a"]).click()
    panel = h.root(0).locator(".agl-inspector").bounding_box()
    assert panel["x"] + panel["width"] <= 400
    h.page.screenshot(path=str(artifacts / "view-400px.png"), full_page=True)


def test_a_400_node_graph_renders_within_seconds(harness, artifacts):
    h = harness.open("small")
    index = h.js("() => harness.mount('chain400')")
    h.wait_renders(index, 1, timeout=20000)
    first = h.js(f"() => harness.firstRender({index})")
    assert h.root(index).locator("g.node").count() == 400
    # morph to a changed 400-node picture, and time that too
    h.js(f"() => harness.record({index})")
    h.js(f"() => harness.set({index}, 'dot', harness.get({index}, 'dot').replace('h7 =', 'h7 changed ='))")
    h.wait_renders(index, 2, timeout=20000)
    second = next(e for e in h.js(f"() => harness.log({index})") if e["type"] == "agl:rendered")
    timings = {
        "first_layout_ms": round(first["layoutMs"], 1),
        "first_total_ms": round(first["totalMs"], 1),
        "morph_layout_ms": round(second["layoutMs"], 1),
        "morph_total_ms": round(second["totalMs"], 1),
    }
    (artifacts / "view-400-nodes.json").write_text(json.dumps(timings, indent=2))
    print(f"\n400 nodes: {timings}")
    assert first["totalMs"] < 15000  # a hang guard, not a speed target
    canvas = h.root(index).locator(".agl-canvas").bounding_box()
    assert 100 < canvas["height"] <= 1000
    # a tall picture: the panel floats over it, on the side away from the node (h5, near x at
    # the top, in sight where the picture is fitted)
    h5 = h.js(f"() => Object.entries(harness.get({index}, 'details')).find(([, d]) => d.label === 'h5')[0]")
    h.node(index, h5).click()
    panel = h.root(index).locator(".agl-inspector")
    assert "agl-inspector--overlay" in panel.get_attribute("class")
    h.root(index).scroll_into_view_if_needed()
    h.page.screenshot(path=str(artifacts / "view-400-nodes.png"), clip=h.root(index).bounding_box())


def test_bad_dot_shows_a_message_and_keeps_the_picture(harness):
    h = harness.open("small")
    h.js("() => harness.set(0, 'dot', 'digraph { a -> }')")
    error = h.root(0).locator(".agl-render-error")
    error.wait_for(state="visible")
    assert "syntax error" in error.inner_text()
    assert h.root(0).locator("g.node").count() == 4
    h.js("() => harness.set(0, 'dot', harness.fixtures.switched().dot)")
    h.wait_renders(0, 2)
    assert error.is_hidden()
    # an empty dot: nothing but the message
    h.js("() => { harness.set(0, 'message', 'nothing to draw yet'); harness.set(0, 'dot', ''); }")
    assert h.root(0).locator(".agl-stage").is_hidden()
    assert h.root(0).locator(".agl-message").inner_text() == "nothing to draw yet"
    h.js("() => harness.set(0, 'dot', harness.fixtures.small().dot)")
    h.wait_renders(0, 3)
    assert h.root(0).locator(".agl-stage").is_visible()


def test_downloads_and_stale_badge_stay_on_the_machine(harness):
    h = harness.open("small,stepper,switched")
    with h.page.expect_download() as info:
        h.root(0).locator(".agl-download-svg").click()
    text = open(info.value.path(), encoding="utf-8").read()
    assert text.startswith("<svg") and "agl-leaf" in text and "agl-hit" not in text
    with h.page.expect_download() as info:
        h.root(1).locator(".agl-download-png").click()
    assert open(info.value.path(), "rb").read(8) == b"\x89PNG\r\n\x1a\n"
    h.js("() => harness.set(0, 'stale', true)")
    assert h.root(0).locator(".agl-badge").inner_text() == "out of date"
    h.page.wait_for_function("() => +getComputedStyle(harness.root(0).querySelector('.agl-canvas')).opacity < 0.6")
    assert h.requests and all(is_local(url) for url in h.requests)
    assert not any(url.endswith(".wasm") for url in h.requests)


# ---- the render queue never stalls --------------------------------------------------------
# Every view runs its own copy of the bundle (as under anywidget), so views on one page have
# their own d3 and their own transition ids. A view whose render never finishes keeps its
# old picture forever: each check below gives it a few seconds.


def drawn(h: Harness, i: int) -> list[str]:
    return sorted(h.js("i => [...harness.root(i).querySelectorAll('svg g.node > title')].map(t => t.textContent)", i))


def wait_drawn(h: Harness, i: int, ids: list[str], timeout: float = 4000) -> None:
    """Wait until view i shows exactly these nodes and is not in the middle of a render."""
    try:
        h.page.wait_for_function(
            """([i, ids]) => { const r = harness.root(i);
                const got = [...r.querySelectorAll('svg g.node > title')].map(t => t.textContent).sort();
                return JSON.stringify(got) === JSON.stringify(ids) && !r.classList.contains('agl-rendering'); }""",
            arg=[i, sorted(ids)],
            timeout=timeout,
        )
    except Exception:
        raise AssertionError(f"view {i} shows {drawn(h, i)}, not {sorted(ids)}; page errors: {h.errors}") from None


def no_watchdog(h: Harness) -> None:
    """Drawn by the render callback itself, not rescued by the watchdog."""
    assert not h.warnings, h.warnings


SWITCHED_NODES = [IDS["d"], IDS["cut"], IDS["a"], IDS["c"]]
SMALL_NODES = [IDS[k] for k in "abcd"]


@pytest.mark.parametrize("dot_first", [True, False], ids=["dot-then-shown", "shown-then-dot"])
def test_a_stepper_shown_late_draws_the_next_graph(harness, artifacts, dot_first):
    """The graph lab's sequence: the stepper sits on a hidden tab and gets its first dot as the
    tab is shown, the learner steps, then another example sends a new dot (with details,
    steps and step, in one message) to it and to the explorer, now on the hidden tab."""
    h = harness.open("small")
    stepper = h.js("() => harness.mount('stepper', {dot: ''}, {hidden: true})")
    h.js(
        """async ([s, dotFirst]) => {
        const next = (i, type) => new Promise(r => harness.root(i).addEventListener(type, r, {once: true}));
        // the explorer morphs (a switch flipped) and the learner opens the other tab meanwhile
        const morphing = next(0, 'agl:morphstart');
        harness.setFixture(0, 'switched');
        await morphing;
        const first = next(s, 'agl:rendered');
        harness.hide(0);
        if (dotFirst) { harness.set(s, 'dot', harness.fixtures.stepper().dot); harness.show(s); }
        else { harness.show(s); harness.set(s, 'dot', harness.fixtures.stepper().dot); }
        await first;
        harness.root(s).querySelector('.agl-next').click();
        harness.setFixture(s, 'stepperSwitched');
        harness.setFixture(0, 'small');
    }""",
        [stepper, dot_first],
    )
    try:
        wait_drawn(h, stepper, SWITCHED_NODES)
    finally:
        h.page.screenshot(path=str(artifacts / f"view-late-stepper-{'dot' if dot_first else 'shown'}-first.png"))
    view = h.root(stepper)
    assert view.locator(".agl-step-text").inner_text() == "step 1 of 2"
    tag_nodes(h, stepper)
    assert "agl-current" in view.locator(f"[data-test-node='{IDS['d']}']").get_attribute("class")
    assert view.locator(".agl-edge-label").count() == 1
    # the explorer drew its new dot while hidden, and fits its box once shown again
    wait_drawn(h, 0, SMALL_NODES)
    h.js("() => harness.show(0)")
    h.page.wait_for_function(
        "() => { const r = harness.root(0); const svg = r.querySelector('.agl-canvas svg');"
        " return Math.abs(svg.getBoundingClientRect().width - r.querySelector('.agl-canvas').clientWidth) < 2; }"
    )
    assert h.root(0).locator("g.node.agl-ghost").count() == 0
    no_watchdog(h)


def test_views_of_separate_modules_morph_at_the_same_time(harness):
    """Two views' first morphs overlap: each copy of d3 numbers its transitions from 1."""
    h = harness.open("small,stepper")
    h.js("""async () => {
        const morphing = new Promise(r => harness.root(0).addEventListener('agl:morphstart', r, {once: true}));
        harness.setFixture(0, 'switched');
        await morphing;
        harness.setFixture(1, 'stepperSwitched');
    }""")
    wait_drawn(h, 0, SWITCHED_NODES)
    wait_drawn(h, 1, SWITCHED_NODES)
    h.wait_renders(1, 2, timeout=1000)
    no_watchdog(h)


def test_a_dot_sent_while_hidden_is_drawn_once_shown(harness):
    h = harness.open("small")
    h.js("() => { harness.hide(0); harness.setFixture(0, 'switched'); }")
    h.page.wait_for_timeout(100)
    h.js("() => harness.show(0)")
    wait_drawn(h, 0, SWITCHED_NODES)
    assert h.root(0).locator("g.node.agl-ghost").count() == 1
    # hidden again, two dots: the last one is what is drawn
    h.js("() => { harness.hide(0); harness.setFixture(0, 'small'); harness.setFixture(0, 'switched'); }")
    h.js("() => harness.show(0)")
    wait_drawn(h, 0, SWITCHED_NODES)
    h.page.wait_for_timeout(700)
    assert drawn(h, 0) == sorted(SWITCHED_NODES)
    no_watchdog(h)


def test_a_dot_during_a_zoom_is_drawn(harness):
    h = harness.open("small")
    h.js("() => { harness.root(0).querySelector('.agl-zoom-in').click(); harness.setFixture(0, 'switched'); }")
    wait_drawn(h, 0, SWITCHED_NODES)
    h.wait_renders(0, 2, timeout=1000)
    # and the other way round: a zoom in the middle of a morph
    h.js("""async () => {
        const morphing = new Promise(r => harness.root(0).addEventListener('agl:morphstart', r, {once: true}));
        harness.setFixture(0, 'small');
        await morphing;
        harness.root(0).querySelector('.agl-zoom-in').click();
        harness.root(0).querySelector('.agl-fit').click();
    }""")
    wait_drawn(h, 0, SMALL_NODES)
    h.wait_renders(0, 3, timeout=1000)
    h.js("() => harness.setFixture(0, 'switched')")
    wait_drawn(h, 0, SWITCHED_NODES)
    no_watchdog(h)


def test_two_dots_during_a_morph_the_last_wins(harness):
    h = harness.open("small,stepper")
    h.js("() => harness.record(0)")
    h.js("""async () => {
        const morphing = new Promise(r => harness.root(0).addEventListener('agl:morphstart', r, {once: true}));
        harness.setFixture(0, 'switched');
        await morphing;
        harness.setFixture(0, 'small');
        await new Promise(r => setTimeout(r, 30));
        harness.set(0, 'dot', harness.fixtures.small().dot.replace('a = 2', 'a = 2.0'));
    }""")
    wait_drawn(h, 0, SMALL_NODES)
    h.page.wait_for_function("() => harness.root(0).querySelector('svg').textContent.includes('a = 2.0')", timeout=4000)
    h.page.wait_for_timeout(800)  # nothing more is queued
    rendered = [e for e in h.js("() => harness.log(0)") if e["type"] == "agl:rendered"]
    assert len(rendered) == 2  # the middle dot was overtaken before it was drawn
    assert h.renders(0) == 3
    no_watchdog(h)


def test_a_morph_whose_end_never_comes_is_finished_by_the_watchdog(harness):
    """If d3's end-of-transition callback is lost, the view finishes the render itself."""
    h = harness.open("small")
    h.js("() => harness.record(0)")
    asked = h.js("""async () => {
        const morphing = new Promise(r => harness.root(0).addEventListener('agl:morphstart', r, {once: true}));
        const t = performance.now();
        harness.setFixture(0, 'switched');
        await morphing;
        // d3-transition keeps each element's scheduled transitions on node.__transition: stop
        // their timers, as if something had interrupted the morph
        for (const n of [harness.root(0).querySelector('.agl-canvas'), ...harness.root(0).querySelectorAll('.agl-canvas *')])
            for (const s of Object.values(n.__transition || {})) s.timer.stop();
        return t;
    }""")
    wait_drawn(h, 0, SWITCHED_NODES, timeout=4000)
    done = next(e for e in h.js("() => harness.log(0)") if e["type"] == "agl:rendered")
    assert done["time"] - asked < 500 + 1500 + 3000  # the watchdog, not the (stopped) morph, finished it
    # the picture is the finished one, not a frame from the middle of the morph
    assert h.root(0).locator("g.node.agl-ghost").count() == 1
    assert h.node(0, IDS["b"]).count() == 0
    assert len(h.warnings) == 1
    # and the queue moves on
    h.js("() => harness.setFixture(0, 'small')")
    wait_drawn(h, 0, SMALL_NODES)


# ---- keyboard and screen readers ------------------------------------------------------------


def active_node(h: Harness) -> str | None:
    """The stable id of the node that has the keyboard focus (None: no node has it)."""
    return h.js("() => document.activeElement?.closest?.('g.node')?.querySelector('title')?.textContent ?? null")


def focus_ring(h: Harness, i: int) -> dict | None:
    """The ring drawn around the focused node: does it enclose the box, and its colours."""
    return h.js(
        """i => { const r = harness.root(i); const ring = r.querySelector('.agl-focus-ring');
        const node = document.activeElement.closest('g.node');
        if (!ring || !node) return null;
        const a = ring.getBoundingClientRect(), b = node.querySelector('polygon').getBoundingClientRect();
        return { around: a.left < b.left && a.top < b.top && a.right > b.right && a.bottom > b.bottom,
          stroke: getComputedStyle(ring).stroke, border: getComputedStyle(node.querySelector('polygon')).stroke }; }""",
        i,
    )


def tab_to_first_node(h: Harness, i: int) -> None:
    h.root(i).locator(".agl-canvas").focus()
    h.page.keyboard.press("Tab")


def test_the_picture_and_every_node_have_a_name(harness):
    h = harness.open("small,stepper")
    canvas = h.root(0).locator(".agl-canvas")
    small = h.js("() => harness.fixtures.small()")
    assert canvas.get_attribute("aria-label") == small["alt_label"]
    assert canvas.get_attribute("role") == "figure"
    described = h.page.locator(f"#{canvas.get_attribute('aria-describedby')}")
    text = described.text_content()
    assert small["alt_description"] in text and "Enter or Space opens" in text
    assert not described.is_visible() or described.bounding_box()["width"] <= 1  # for screen readers only
    names = {key: h.node(0, IDS[key]).get_attribute("aria-label") for key in "abcd"}
    assert names == {
        "a": "a = 2, grad 7 (leaf)",
        "b": "b = 3, grad 2 (leaf)",
        "c": "c = 5, AddBackward0",
        "d": "d = 10, MulBackward0 (output)",
    }
    assert all(h.node(0, IDS[key]).get_attribute("role") == "button" for key in "abcd")
    # what the browser gives a screen reader: the figure and its node buttons, no "img" hiding them
    tree = canvas.aria_snapshot()
    assert f'figure "{small["alt_label"]}"' in tree.splitlines()[0] and "img" not in tree
    assert '- button "a = 2, grad 7 (leaf)"' in tree and tree.count("- button ") == 4
    # Graphviz's "%3" and the edges' "src->dst" titles are no names to read out
    assert h.root(0).locator("g.graph").get_attribute("role") == "presentation"
    edges = h.root(0).locator("g.edge")
    assert edges.count() == 4 and all(edges.nth(k).get_attribute("aria-hidden") == "true" for k in range(4))
    # the stepper: a gradient the replay has not reached yet is not read out either
    assert h.node(1, IDS["a"]).get_attribute("aria-label") == "a = 2 (leaf)"
    h.js("() => harness.set(1, 'step', 2)")
    assert h.node(1, IDS["a"]).get_attribute("aria-label") == "a = 2, grad 7 (leaf, this backward step)"
    # a new picture names the figure anew; one sent without a text alternative is named from its records
    h.js("() => harness.setFixture(0, 'switched')")
    h.wait_renders(0, 2)
    assert canvas.get_attribute("aria-label") == h.js("() => harness.fixtures.switched().alt_label")
    assert h.node(0, IDS["c"]).get_attribute("aria-label") == "c, AddBackward0 (removed by the last switch)"
    assert h.node(0, IDS["cut"]).get_attribute("aria-label") == "no grad (input with no gradient)"
    index = h.js("() => harness.mount('chain400')")
    h.wait_renders(index, 1, timeout=20000)
    label = h.root(index).locator(".agl-canvas").get_attribute("aria-label")
    assert label.startswith("a 400-node chain: Autograd graph of 400 nodes: loss (output), h398, h397")
    assert label.endswith("and 392 more")


def test_tab_enter_and_escape_work_the_nodes_like_clicks(harness, artifacts):
    h = harness.open("small")
    panel = h.root(0).locator(".agl-inspector")
    # what a click shows, to compare with what the keyboard opens
    h.node(0, IDS["a"]).click()
    panel.wait_for(state="visible")
    clicked = panel.inner_text()
    h.page.keyboard.press("Escape")
    panel.wait_for(state="hidden")
    # one Tab enters the graph at the node last reached (a, clicked); Home goes to the output,
    # and the arrows walk the nodes in the order of the graph
    tab_to_first_node(h, 0)
    assert active_node(h) == IDS["a"]
    h.page.keyboard.press("Home")
    order = [active_node(h)]
    for _ in range(3):
        h.page.keyboard.press("ArrowDown")
        order.append(active_node(h))
    assert order == [IDS["d"], IDS["c"], IDS["a"], IDS["b"]]
    h.page.keyboard.press("ArrowDown")  # the last stays the last
    assert active_node(h) == IDS["b"]
    h.page.keyboard.press("ArrowUp")
    assert active_node(h) == IDS["a"]
    # the graph is one tab stop, held by the node last reached
    stops = h.js("() => [...harness.root(0).querySelectorAll('g.node')].map(g => g.getAttribute('tabindex'))")
    assert sorted(stops) == ["-1", "-1", "-1", "0"]
    h.page.keyboard.press("Home")
    assert active_node(h) == IDS["d"]
    h.page.keyboard.press("End")
    assert active_node(h) == IDS["b"]
    h.page.keyboard.press("ArrowUp")
    # the focus is drawn: a ring around the box, and its border in the focus colour
    assert focus_ring(h, 0) == {"around": True, "stroke": "rgb(11, 87, 208)", "border": "rgb(11, 87, 208)"}
    assert contrast("rgb(11, 87, 208)", computed(h, 0, ".agl-canvas", "background-color")) >= 4.5
    h.page.screenshot(path=str(artifacts / "view-focus-light.png"), clip=h.root(0).bounding_box())
    # Enter opens what a click opens, and puts the focus in the panel
    h.page.keyboard.press("Enter")
    panel.wait_for(state="visible")
    assert panel.inner_text() == clicked
    assert panel.get_attribute("data-node") == IDS["a"] and panel.get_attribute("aria-label") == "Details of a"
    assert "agl-selected" in h.node(0, IDS["a"]).get_attribute("class")
    assert h.js("() => document.activeElement.classList.contains('agl-close')")
    # Escape closes it and gives the focus back to the node
    h.page.keyboard.press("Escape")
    panel.wait_for(state="hidden")
    assert active_node(h) == IDS["a"]
    assert "agl-selected" not in h.node(0, IDS["a"]).get_attribute("class")
    # Space opens it too; Escape with the focus moved on to another node leaves it there
    h.page.keyboard.press("ArrowDown")
    h.page.keyboard.press(" ")
    panel.wait_for(state="visible")
    assert panel.get_attribute("data-node") == IDS["b"]
    assert panel.locator(".agl-insp-value").inner_text() == "3"
    h.node(0, IDS["c"]).focus()
    h.page.keyboard.press("Escape")
    panel.wait_for(state="hidden")
    assert active_node(h) == IDS["c"]
    # dark theme: the ring stays visible against the dark page and apart from the boxes' borders
    h.js("() => { document.body.dataset.jpThemeLight = 'false'; }")
    h.page.wait_for_function("() => harness.root(0).dataset.theme === 'dark'")
    h.page.keyboard.press("ArrowDown")  # keyboard focus, so :focus-visible holds
    assert active_node(h) == IDS["a"]
    h.page.wait_for_timeout(600)  # the fills fade to their dark colours
    ring = focus_ring(h, 0)
    assert ring["around"] and ring["stroke"] == ring["border"] == "rgb(255, 213, 79)"
    assert contrast(ring["stroke"], computed(h, 0, ".agl-canvas", "background-color")) >= 7
    leaf_border = computed(h, 0, "g.node.agl-leaf:not(:focus) polygon", "stroke")
    assert contrast(ring["stroke"], leaf_border) >= 1.5  # not the colour every leaf has
    h.page.screenshot(path=str(artifacts / "view-focus-dark.png"), clip=h.root(0).bounding_box())


def test_the_focus_survives_a_morph(harness):
    h = harness.open("small")
    tab_to_first_node(h, 0)
    h.page.keyboard.press("ArrowDown")
    h.page.keyboard.press("ArrowDown")
    assert active_node(h) == IDS["a"]
    # a is still there after the switch: the focus stays on it, through the morph and after
    h.js("() => harness.record(0)")
    h.js("() => harness.setFixture(0, 'switched')")
    h.page.wait_for_function("() => harness.log(0).some(e => e.type === 'agl:morphstart')")
    h.page.wait_for_timeout(200)
    assert active_node(h) == IDS["a"]  # mid-morph
    h.wait_renders(0, 2)
    assert active_node(h) == IDS["a"]
    assert h.node(0, IDS["a"]).get_attribute("aria-label") == "a = 2, grad 5 (leaf)"
    assert focus_ring(h, 0)["around"]  # drawn again around the box where it now is
    # its panel open: the focus stays in the panel, which shows the new numbers
    h.page.keyboard.press("Enter")
    panel = h.root(0).locator(".agl-inspector")
    panel.wait_for(state="visible")
    h.js("() => harness.setFixture(0, 'small')")
    h.wait_renders(0, 3)
    assert panel.locator(".agl-insp-grad").inner_text() == "7"
    assert h.js("() => harness.root(0).querySelector('.agl-inspector').contains(document.activeElement)")
    h.page.keyboard.press("Escape")
    assert active_node(h) == IDS["a"]
    # a node the switch removes: the focus falls back to the picture, not out of the view
    h.node(0, IDS["b"]).focus()
    h.js("() => harness.setFixture(0, 'switched')")
    h.wait_renders(0, 4)
    assert h.js("() => document.activeElement === harness.root(0).querySelector('.agl-canvas')")


def test_a_node_reached_by_keyboard_is_panned_into_sight(harness):
    h = harness.open("small")
    index = h.js("() => harness.mount('chain400')")
    h.wait_renders(index, 1, timeout=20000)
    view = h.root(index)
    for _ in range(4):
        view.locator(".agl-zoom-in").click()
    h.page.wait_for_timeout(400)
    inside = (
        "([i, id]) => { const r = harness.root(i); const c = r.querySelector('.agl-canvas').getBoundingClientRect();"
        " const g = [...r.querySelectorAll('g.node')].find(n => n.querySelector('title').textContent === id);"
        " const b = g.getBoundingClientRect();"
        " return b.left >= c.left && b.right <= c.right && b.top >= c.top && b.bottom <= c.bottom; }"
    )
    target = h.js(f"() => Object.keys(harness.get({index}, 'details'))[60]")
    assert not h.js(inside, [index, target])  # zoomed in: far out of sight
    # the focus comes to it from the keyboard (the up arrow from the node after it)
    following = h.js(f"() => Object.keys(harness.get({index}, 'details'))[61]")
    h.node(index, following).focus()
    h.page.keyboard.press("ArrowUp")
    assert active_node(h) == target
    h.page.wait_for_function(inside, arg=[index, target], timeout=2000)
    # a click does not pan: the learner put the pointer on what they see
    h.page.wait_for_timeout(400)  # the glide is over
    h.js("() => document.activeElement.blur()")
    before = h.top_transform(index)
    h.node(index, target).click()
    h.page.wait_for_timeout(400)
    assert h.top_transform(index) == before


def test_the_downloaded_svg_carries_the_text_alternative(harness):
    h = harness.open("small")
    with h.page.expect_download() as info:
        h.root(0).locator(".agl-download-svg").click()
    text = open(info.value.path(), encoding="utf-8").read()
    label = h.js("() => harness.fixtures.small().alt_label")
    head = text[: text.index(">") + 1]
    assert 'role="img"' in head and "aria-label=" in head
    assert text.index("<title>") < text.index("<desc>") < text.index("<g")
    assert f"<title>{label}</title>" in text and "Leaf: a = 2, grad 7." in text
    assert "tabindex" not in text and "%3" not in text


def gan_lab_scene(detach: bool) -> dict:
    """The GAN lab's picture as the helpers make it (43 boxes without detach): a fixture
    made from a real scene, not written by hand."""
    import torch

    import helpers as h
    from helpers import gan as gan_lib

    batches = torch.Generator().manual_seed(1)
    real = gan_lib.ring_of_gaussians(256, batches)
    noise = torch.randn(256, gan_lib.NOISE_SIZE, generator=batches)
    lab = h.gan_detach_lab(gan_lib.make_gan(seed=0), real, noise, measure=False)
    lab.set(detach=detach)
    return lab.view.scene()


def test_a_tall_graph_fits_whole_and_its_panel_opens_beside_the_box(harness, artifacts):
    harness.page.set_viewport_size({"width": 1000, "height": 800})
    harness.open(views="")
    scene = gan_lab_scene(detach=False)
    assert len(scene["details"]) == 43
    i = harness.js("scene => window.harness.mount('small', scene)", scene)
    harness.wait_renders(i, 1)
    inside = harness.js(
        """i => { const c = document.querySelectorAll('.agl-view')[i].querySelector('.agl-canvas');
        const frame = c.getBoundingClientRect(), drawn = c.querySelector('svg > g').getBoundingClientRect();
        return [drawn.top >= frame.top - 1, drawn.bottom <= frame.bottom + 1, drawn.height]; }""",
        i,
    )
    assert inside[:2] == [True, True], f"the fitted picture spills out of its frame: {inside}"
    output = harness.root(i).locator("g.node.agl-output")
    output.click()
    panel = harness.root(i).locator(".agl-inspector")
    panel.wait_for(state="visible")
    box, sheet = output.bounding_box(), panel.bounding_box()
    assert sheet["y"] >= 0 and sheet["y"] + sheet["height"] <= 800, "the panel opened out of sight"
    assert sheet["y"] <= box["y"] + box["height"] and box["y"] <= sheet["y"] + sheet["height"], "not level with it"
    assert box["x"] + box["width"] <= sheet["x"] or sheet["x"] + sheet["width"] <= box["x"], "it covers the box"
    harness.page.screenshot(path=str(artifacts / "view-tall-gan.png"))


def test_the_toolbar_is_one_tab_stop_walked_with_the_arrows(harness):
    h = harness.open("small")
    buttons = h.root(0).locator(".agl-toolbar button")
    assert [buttons.nth(i).get_attribute("tabindex") for i in range(buttons.count())].count("0") == 1
    buttons.first.focus()
    h.page.keyboard.press("ArrowRight")
    assert h.js("() => document.activeElement.textContent") == "\u2212"
    h.page.keyboard.press("End")
    assert h.js("() => document.activeElement.textContent") == "PNG"
    h.page.keyboard.press("Tab")  # out of the toolbar, into the graph at its output
    assert active_node(h) == IDS["d"]
