"""The course as a static site (`make book`, book/build.py): built once from the committed
notebooks into a temporary folder, then read page by page as a learner would get it, and
opened in Chromium on 127.0.0.1 to see that no page reaches outside the site.

The first run installs book/requirements.txt into this environment if it is missing."""

from __future__ import annotations

import functools
import html
import json
import re
import subprocess
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parents[1]
BOOK = REPO / "book"
NOTEBOOKS = [  # the course, in order: notebooks/course.txt
    line.strip()
    for line in (REPO / "notebooks" / "course.txt").read_text().splitlines()
    if line.strip() and not line.startswith("#")
]
BINDER = "https://mybinder.org/v2/gh/autograd-lab/autograd-lab/HEAD?urlpath=lab/tree/notebooks/{}.ipynb"
COLAB = "https://colab.research.google.com/github/autograd-lab/autograd-lab/blob/main/notebooks/{}.ipynb"
WIDGET = "application/vnd.jupyter.widget-view+json"
SVG = "image/svg+xml"
LIVE = "autograd-lab"  # helpers.view.LIVE_KEY: a widget's record for pages with no kernel
REMOVED = {"remove-cell", "remove-output", "remove_cell", "remove_output"}


@pytest.mark.slow
def test_the_course_starts_at_00():
    assert len(NOTEBOOKS) >= 8 and NOTEBOOKS[0] == "00_start_here"


# --- building it -------------------------------------------------------------------------


def ensure_requirements() -> None:
    """Install book/requirements.txt here unless every pin is already installed."""
    pins = [line.split("==") for line in (BOOK / "requirements.txt").read_text().split("\n") if "==" in line]

    def installed(name: str) -> str | None:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return None

    if all(installed(name.strip()) == version.strip() for name, version in pins):
        return
    command = [sys.executable, "-m", "pip", "install", "--quiet", "-r", str(BOOK / "requirements.txt")]
    if (REPO / "constraints.txt").exists():
        command += ["-c", str(REPO / "constraints.txt")]
    print(f"installing book/requirements.txt into {sys.prefix}", file=sys.stderr)
    subprocess.run(command, check=True)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    ensure_requirements()
    out = tmp_path_factory.mktemp("book")
    tic = time.monotonic()
    built = subprocess.run(
        [sys.executable, str(BOOK / "build.py"), "--out", str(out), "--quiet"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, f"the build failed:\n{built.stdout[-4000:]}\n{built.stderr[-4000:]}"
    print(f"book built in {time.monotonic() - tic:.1f} s", file=sys.stderr)
    return out / "html"


@functools.cache  # each page is parsed once; the tests only read it
def read_page(site: Path, name: str):
    from bs4 import BeautifulSoup

    path = site / f"{name}.html"
    assert path.exists(), f"no page {path.name} in the site"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def article(page):
    found = page.select_one("article.bd-article")
    assert found is not None, "the page has no article"
    return found


# --- what the notebooks hold -------------------------------------------------------------


@functools.cache
def shown_outputs(name: str) -> list[dict]:
    """The outputs of the notebook's cells that the site shows (tags can remove a cell)."""
    notebook = json.loads((REPO / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))
    return [
        output
        for cell in notebook["cells"]
        if not REMOVED & set(cell.get("metadata", {}).get("tags", []))
        for output in cell.get("outputs", [])
    ]


def still(output: dict) -> bool:
    """An output the site shows as an SVG picture (a widget that left a live record is live)."""
    return SVG in output.get("data", {}) and LIVE not in output.get("metadata", {})


def has_math(name: str) -> bool:
    notebook = json.loads((REPO / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))
    markdown = ["".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "markdown"]
    return any(re.search(r"\$[^$\n]+\$", text) for text in markdown)


def credit(name: str) -> str:
    """The paragraph at the top of a notebook that names its source, as plain text."""
    notebook = json.loads((REPO / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))
    top = "".join(notebook["cells"][0]["source"])
    paragraphs = [p for p in re.split(r"\n\s*\n", top) if re.match(r"\*\*(Source:|Credits\.)\*\*", p)]
    paragraphs += [p for p in re.split(r"\n\s*\n", top) if "no source text of its own" in p]
    assert paragraphs, f"{name}: its first cell has no **Source:** or **Credits.** paragraph"
    text = re.sub(r"\$([^$]+)\$", r"\\(\1\\)", paragraphs[0])  # MathJax's delimiters on the page
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # a link's words
    return squeeze(text.replace("**", "").replace("*", "").replace("`", ""))


def squeeze(text: str) -> str:
    text = text.replace("\u201c", '"').replace("\u201d", '"').replace("\u2018", "'").replace("\u2019", "'")
    return re.sub(r"\s+", " ", text).strip()


# --- the pages ---------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_each_notebook_has_a_page_with_its_pictures(site, name):
    body = article(read_page(site, name))
    expected = sum(still(output) for output in shown_outputs(name))
    pictures = [img["src"] for img in body.select(".cell_output img") if img["src"].endswith(".svg")]
    badges = sorted(
        Path(img["src"]).name
        for img in body.select("img")
        if "badges" in img.get("alt", "").lower() or Path(img["src"]).name in ("binder.svg", "colab.svg")
    )
    assert badges == ["binder.svg", "colab.svg"], f"{name}: the Binder and Colab badges are not on the page"
    inline = body.select(".cell_output svg")
    assert len(pictures) + len(inline) == expected, (
        f"{name}: {len(pictures)} SVG files and {len(inline)} inline SVGs on the page, "
        f"{expected} image/svg+xml outputs in the notebook"
    )
    described = 0
    for img in body.select(".cell_output img"):
        if not img["src"].endswith(".svg"):
            continue
        drawn = (site / img["src"]).read_text(encoding="utf-8")
        assert "<svg" in drawn and "</svg>" in drawn, f"{name}: {img['src']} is not an SVG picture"
        label = re.search(r'<svg\b[^>]*\baria-label="([^"]*)"', drawn)
        if label:  # a helpers picture: its <img> says what the graph is, as the SVG does
            assert img["alt"] == html.unescape(label[1]) and "autograd graph" in img["alt"].lower(), img["alt"]
            described += 1
    assert described > 0, f"{name}: no picture on the page carries its text alternative"
    assert expected > 0, f"{name} has no picture at all: the count above proves nothing"


@pytest.mark.slow
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_each_page_has_binder_and_colab_buttons(site, name):
    links = {a["href"] for a in read_page(site, name).select("a[href]")}
    assert BINDER.format(name) in links, f"{name}: no Binder link {BINDER.format(name)}"
    assert COLAB.format(name) in links, f"{name}: no Colab link {COLAB.format(name)}"


@pytest.mark.slow
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_each_page_shows_its_source_credits(site, name):
    expected = credit(name)
    shown = squeeze(article(read_page(site, name)).get_text())
    assert expected in shown, f"{name}: the credits are not on the page:\n{expected}"


@pytest.mark.slow
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_widgets_without_a_kernel_are_live_or_show_a_still_or_a_note(site, name):
    body = article(read_page(site, name))
    outputs = [output for output in shown_outputs(name) if WIDGET in output.get("data", {})]
    live = [output for output in outputs if LIVE in output.get("metadata", {})]
    others = [output["data"] for output in outputs if LIVE not in output.get("metadata", {})]
    with_still = sum(SVG in data for data in others)
    kinds = [element["data-kind"] for element in body.select(".agl-live")]
    assert kinds == [output["metadata"][LIVE]["kind"] for output in live]
    for element in body.select(".agl-live"):  # the record the player mounts is there, whole
        record = json.loads(element.select_one("script[type='application/json']").string)
        assert record["kind"] == element["data-kind"]
    assert len(body.select(".widget-still img")) == with_still
    assert len(body.select(".widget-offline")) == len(others) - with_still
    text = " ".join(output.get_text() for output in body.select(".cell_output"))
    for output in outputs:  # "Quiz()", "GraphExplorer(...)", a progress bar at 0%: never shown
        repr_text = "".join(output["data"].get("text/plain", ""))
        assert repr_text not in text, f"{name}: a widget's text repr shows on the page: {repr_text!r}"
    assert not body.select(f'script[type="{WIDGET}"]'), f"{name}: an empty widget placeholder is left"
    scripts = [tag.get("src", "") for tag in read_page(site, name).select("script[src]")]
    assert (sum("graph_runtime.js" in src for src in scripts) == 1) == bool(live), "one runtime, where it is needed"


@pytest.mark.slow
def test_the_landing_page_and_the_navigation_follow_the_course_order(site):
    landing = article(read_page(site, "index"))
    linked = [a["href"] for a in landing.select("a[href]") if a["href"].removesuffix(".html") in NOTEBOOKS]
    assert linked == [f"{name}.html" for name in NOTEBOOKS], linked
    for before, name, after in zip([None, *NOTEBOOKS], NOTEBOOKS, [*NOTEBOOKS[1:], None]):
        page = read_page(site, name)
        sidebar = [a["href"] for a in page.select("nav.bd-docs-nav a[href]")]
        assert all(f"{other}.html" in sidebar for other in NOTEBOOKS if other != name), f"{name}: {sidebar}"
        previous, following = page.select_one("a.left-prev"), page.select_one("a.right-next")
        assert previous is not None and previous["href"] == f"{before or 'index'}.html", name
        assert (following["href"] if following else None) == (f"{after}.html" if after else None), name


@pytest.mark.slow
def test_the_pages_load_nothing_from_elsewhere(site):
    """Everything a page loads by itself, script, style, font, picture, MathJax, comes from
    the site; links a reader may follow (the launch buttons) are no loads."""
    loads = []
    for path in site.glob("*.html"):
        page = read_page(site, path.stem)
        loads += [(path.name, tag.name, tag.get("src")) for tag in page.select("[src]")]
        loads += [
            (path.name, "link", tag["href"]) for tag in page.select("link[href]") if tag.get("rel") != ["canonical"]
        ]
    for css in site.glob("_static/**/*.css"):
        loads += [
            (css.name, "css", url) for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", css.read_text(errors="replace"))
        ]
    outside = [load for load in loads if re.match(r"^(https?:)?//", load[2])]
    assert outside == []
    assert any("_static/mathjax/" in load[2] for load in loads), "MathJax is not served by the site"


# --- in the browser ----------------------------------------------------------------------


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def served(site):
    """The site on a free port of 127.0.0.1, as `make book-serve` serves it."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.mark.slow
@pytest.mark.browser
def test_no_page_requests_anything_outside_the_site(browser, served):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    context = browser.new_context(viewport={"width": 1300, "height": 900})
    page = context.new_page()
    outside, failed, unseen = [], [], []
    page.on(
        "request",
        lambda request: outside.append(request.url) if urlsplit(request.url).hostname != "127.0.0.1" else None,
    )
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
    try:
        for name in ["index", *NOTEBOOKS, "search"]:
            page.goto(f"{served}/{name}.html", wait_until="networkidle")
            if name not in NOTEBOOKS:
                continue
            drawn = page.eval_on_selector_all(
                "article .cell_output img[src$='.svg']",
                "imgs => imgs.filter(i => i.complete && i.naturalWidth > 0).length",
            )
            expected = sum(
                SVG in output.get("data", {}) and LIVE not in output.get("metadata", {})
                for output in shown_outputs(name)
            )
            if drawn != expected:
                unseen.append(f"{name}: {drawn} of {expected} pictures drawn")
            if has_math(name):  # MathJax, served by the site, typesets the formulas
                try:
                    page.wait_for_selector("mjx-container", timeout=15_000)
                except PlaywrightTimeout:
                    unseen.append(f"{name}: its formulas were not typeset")
    finally:
        context.close()
    assert outside == [], f"requests outside the site: {outside}"
    assert failed == [], f"requests the site could not answer: {failed}"
    assert unseen == []


@pytest.mark.slow
@pytest.mark.browser
def test_search_finds_the_notebook_that_explains_a_word(browser, served):
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(f"{served}/search.html?q=retain_graph")
        page.wait_for_selector("#search-results ul.search li", timeout=20_000)
        found = page.eval_on_selector_all("#search-results ul.search li a", "links => links.map(a => a.href)")
    finally:
        context.close()
    assert any(link.split("?")[0].endswith("/05_graph_lifecycle.html") for link in found), found


@pytest.mark.slow
@pytest.mark.browser
def test_page_01s_explorer_flips_inspects_and_replays_with_no_kernel(browser, served):
    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    page = context.new_page()
    outside, errors = [], []
    page.on("request", lambda r: outside.append(r.url) if urlsplit(r.url).hostname not in ("127.0.0.1", None) else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(f"{served}/01_computational_graphs.html")
        explorer = page.locator(".agl-live[data-kind='explorer']").first
        explorer.scroll_into_view_if_needed()
        view = explorer.locator(".agl-view")
        page.wait_for_function("v => v.dataset.renders > 0", arg=view.element_handle(), timeout=30_000)
        assert explorer.locator("g.node.agl-ghost").count() == 0
        # flip "detach d": asked first, then the recorded graph with its ghosts
        explorer.locator("input[data-switch='detach_d']").click()
        question = explorer.locator(".agl-question")
        assert question.is_visible() and "a gets a .grad" in question.inner_text()
        question.locator(".agl-guess[data-statement='c gets a .grad'] input[value='true']").check()
        question.locator(".agl-guess[data-statement='a gets a .grad'] input[value='true']").check()
        question.locator("button.agl-run").click()
        page.wait_for_function("v => v.dataset.renders > 1", arg=view.element_handle(), timeout=30_000)
        page.wait_for_timeout(700)  # the morph
        assert explorer.locator("g.node.agl-ghost").count() >= 3  # a, b and d's AddBackward0 cut off
        marks = explorer.locator(".agl-marks").inner_text()
        assert "2 of 5 answered, 1 right" in marks, marks
        assert "not answered" in marks
        assert "1" == explorer.locator(".agl-grads tr", has_text="c").locator("td").nth(2).inner_text()
        (REPO / "test-artifacts").mkdir(exist_ok=True)
        page.screenshot(path=str(REPO / "test-artifacts" / "site-01-flipped.png"))
        # click the output box: the panel shows its value and gradient
        explorer.locator("g.node", has_text="out = 6").first.click()
        panel = explorer.locator(".agl-inspector")
        panel.wait_for(state="visible")
        assert "value" in panel.inner_text() and "6" in panel.inner_text() and "gradient" in panel.inner_text()
        # the backward replay plays to its last step
        recorded = json.loads(explorer.locator("script[type='application/json']").text_content())
        steps = len(recorded["states"]["1,1"]["view"]["steps"])  # detach d on, a requires grad on
        assert steps >= 2
        explorer.locator(".agl-play").click()
        page.wait_for_function(f"v => v.dataset.step === '{steps - 1}'", arg=view.element_handle(), timeout=30_000)
        # a quiz on the same page: a wrong answer gets its hint, then the answer can be shown
        quiz = page.locator(".agl-live[data-kind='quiz']").first
        quiz.scroll_into_view_if_needed()
        options = quiz.locator("input[type='radio']")
        record = json.loads(quiz.locator("script[type='application/json']").text_content())
        wrong = [o for o in record["options"] or [] if o not in map(str, record["answers"])]
        if record["options"]:
            quiz.locator(f"input[value='{wrong[0]}']").check()
        else:
            quiz.locator("input[type='text']").fill("certainly not this")
        quiz.locator("button.agl-run").click()
        assert "Not quite" in quiz.locator(".agl-quiz-feedback").inner_text()
        quiz.locator("button.agl-run").click()
        quiz.locator("button.agl-reveal").click()
        assert "The answer" in quiz.locator(".agl-quiz-feedback").inner_text()
        assert options.count() == len(record["options"] or [])
    finally:
        context.close()
    assert outside == [] and errors == []
