"""`make app` served to a room (app/voila.py): closed pages leave no kernel, the Host header
is checked, past the cap a page says the lab is full, and no request leaves the machine."""

import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from playwright.sync_api import expect
from servers import classroom_voila

PICTURE = ".autograd-lab-app .agl-view g.node"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
NO_KERNEL = "00000000-0000-4000-8000-000000000000"
TOKEN = "graphs"


@pytest.fixture(scope="module")
def classroom(served_notebooks, tmp_path_factory):
    """As `make app TOKEN=graphs HOSTS=lab.test MAX_KERNELS=8 POOL=2` serves it, with the cull
    window of app/voila.py (45 s, checked every 10 s) and the pool's refill delay (5 s)
    shortened for the test."""
    with classroom_voila(
        served_notebooks / "app_graph_lab.ipynb",
        tmp_path_factory.mktemp("classroom"),
        f"--token={TOKEN}",
        "--ClassroomIdentityProvider.allowed_hosts=lab.test",
        "--CappedKernelManager.max_kernels=8",
        "--MappingKernelManager.cull_idle_timeout=4",
        "--MappingKernelManager.cull_interval=1",
        "--VoilaKernelManager.fill_delay=1",
        pool=2,
    ) as server:
        server.page = f"{server.url}/?token={TOKEN}"  # the address a student is given
        yield server


def visitor(browser, outside=None):
    """A browser of a visitor's own (a fresh context, empty cache). With a list `outside`,
    every request and websocket to anywhere but this machine is noted there (and refused)."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    if outside is not None:

        def route(route):
            if local(route.request.url):
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        context.route("**/*", route)
        page.on("websocket", lambda ws: None if local(ws.url) else outside.append(ws.url))
    return context, page


def visits(browser, url, count=1, outside=None, server=None):
    """`count` visitors opening the page at the same moment; returned once every page has
    drawn its picture. On a machine as busy as a shared CI box, drawing five pages at once
    takes Chromium 20 CPU-seconds and more: hence the long wait."""
    opened = []
    for _ in range(count):
        context, page = visitor(browser, outside)
        page.evaluate("url => setTimeout(() => { location.href = url; }, 0)", url)  # no waiting
        opened.append((context, page))
    result = []
    for number, (context, page) in enumerate(opened, 1):
        try:
            expect(page.locator(PICTURE).first).to_be_visible(timeout=240_000)
        except AssertionError as error:
            log = server.log()[-6000:] if server else "(not given)"
            raise AssertionError(f"visitor {number} of {count} saw no picture.\nVoila's log:\n{log}") from error
        kernel = page.evaluate("() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")
        result.append((context, page, kernel))
    return result


def local(url):
    url = urllib.parse.urlparse(url)
    return url.scheme in ("blob", "data", "about") or url.hostname in LOOPBACK  # blob: the page's own


def wait_until_gone(server, kernels, seconds=40):
    deadline = time.monotonic() + seconds
    while set(kernels) & set(server.kernels()) and time.monotonic() < deadline:
        time.sleep(0.25)
    return set(kernels) & set(server.kernels())


def test_the_page_asks_nothing_of_the_outside(classroom, browser):
    outside = []
    [(context, page, kernel)] = visits(browser, classroom.page, outside=outside, server=classroom)
    # Only the widgets' extensions are loaded (app/voila.py), not every one installed beside them.
    loaded = page.evaluate(
        "() => JSON.parse(document.getElementById('jupyter-config-data').textContent)"
        ".federated_extensions.map(extension => extension.name)"
    )
    assert sorted(loaded) == [
        "@jupyter-widgets/jupyterlab-manager",
        "@voila-dashboards/widgets-manager8",
        "anywidget",
        "jupyterlab_pygments",
    ]
    app = page.locator(".autograd-lab-app").first
    explorer = app.locator(".autograd-lab-explorer")
    explorer.get_by_label("a requires grad").uncheck()
    explorer.get_by_role("button", name="Run it").click()
    expect(explorer.locator(".autograd-lab-predict")).to_contain_text("right", timeout=20_000)
    app.get_by_role("tab", name="Backward pass").click()
    expect(app.locator(".autograd-lab-stepper .agl-controls")).to_contain_text("step 1 of", timeout=20_000)
    # the icon on "Run it" comes from Voila's own copy of Font Awesome, not from a CDN
    assert page.evaluate(
        "async () => { await document.fonts.ready; return document.fonts.check('900 16px \"Font Awesome 5 Free\"'); }"
    )
    page.close(run_before_unload=True)
    context.close()
    assert outside == []
    assert not wait_until_gone(classroom, [kernel])


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def request(url, host=None, token=TOKEN):
    headers = {"Host": host} if host else {}
    if token:
        headers["Authorization"] = f"token {token}"
    try:
        with urllib.request.build_opener(NoRedirect).open(
            urllib.request.Request(url, headers=headers), timeout=20
        ) as reply:
            return reply.status, reply.read().decode(), reply.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), error.headers


def test_the_host_header_is_checked(classroom):
    port = urllib.parse.urlparse(classroom.url).port
    # A DNS-rebinding page reaches the lab under its own name: refused on every route.
    for path in [
        "/",
        f"/api/kernels/{NO_KERNEL}",
        f"/api/kernels/{NO_KERNEL}/channels",
        f"/voila/api/shutdown/{NO_KERNEL}",
    ]:
        assert request(classroom.url + path, f"evil.example:{port}")[0] == 403, path
    assert "not served under the name &#39;evil.example&#39;" in request(classroom.url, "evil.example")[1]
    # Loopback names and addresses pass, and so does a name given with HOSTS=.
    for host in [f"127.0.0.1:{port}", f"localhost:{port}", "lab.test", f"LAB.test.:{port}"]:
        assert request(f"{classroom.url}/api/kernels/{NO_KERNEL}", host)[0] == 404, host


def test_without_the_token_no_page_and_no_kernel(classroom):
    before = set(classroom.kernels())
    status, _, headers = request(classroom.url + "/", token=None)
    assert status == 302 and headers["Location"].startswith("/login")
    assert request(f"{classroom.url}/api/kernels/{NO_KERNEL}", token=None)[0] == 403
    assert request(f"{classroom.url}/api/kernels/{NO_KERNEL}", token="guess")[0] == 403
    assert set(classroom.kernels()) == before  # no kernel taken from the pool
    status, login, _ = request(classroom.url + "/login", token=None)
    assert status == 200 and "password_input" in login
    assert "new_password" not in login  # a student cannot set the server a password


def test_closed_pages_leave_no_kernel(classroom, browser):
    classroom.wait_until_idle(2)  # the pool full again
    opened = visits(browser, classroom.page, 5, server=classroom)  # a row of students, all at once
    kernels = [kernel for _, _, kernel in opened]
    assert len(set(kernels)) == 5 and set(kernels) <= set(classroom.kernels())
    # Two pages closed as a tab is: each says so, and its kernel is shut down at once.
    said = []
    for context, page, _ in opened[:2]:
        context.on("request", lambda r: said.append(r.url) if r.method == "POST" and "/shutdown/" in r.url else None)
        page.close(run_before_unload=True)
        context.close()
    assert all(any(kernel in url for url in said) for kernel in kernels[:2]), said
    assert not wait_until_gone(classroom, kernels[:2], seconds=10)
    # Three browsers gone without a word (crashed, asleep): their kernels are culled.
    for context, _, _ in opened[2:]:
        context.close()
    assert not wait_until_gone(classroom, kernels[2:], seconds=40)
    log = classroom.log()
    culled = {line for line in log.splitlines() if "Culling" in line}
    assert all(any(k in line for line in culled) for k in kernels[2:])
    # The closed pages' shutdowns were accepted: no 403 for a missing _xsrf. (Which comes first
    # for them, their shutdown or the culler, which sees them idle and disconnected, is a race
    # with this test's 4 s cull timeout: either way the kernel goes, and only once.)
    assert "403 POST /voila/api/shutdown" not in log
    culler_error = "exception was encountered while checking the idle duration"  # jupyter_server's words
    assert culler_error not in log, log[max(0, log.find(culler_error) - 600) :][:4000]
    assert len(classroom.kernels()) <= 2  # what is left is the pool, waiting for the next visitor


def test_a_full_lab_says_so(browser, served_notebooks, tmp_path_factory):
    with classroom_voila(
        served_notebooks / "app_graph_lab.ipynb",
        tmp_path_factory.mktemp("full"),
        "--CappedKernelManager.max_kernels=1",
        "--VoilaKernelManager.fill_delay=1",
        pool=1,
    ) as server:
        [first] = visits(browser, server.url, server=server)
        outside = []
        context, page = visitor(browser, outside)
        reply = page.goto(server.url, timeout=60_000)
        assert reply.status == 503
        expect(page.locator("#lab-full h1")).to_have_text("The graph lab is full")
        expect(page.locator("#lab-full")).to_contain_text("The only place is taken.")
        assert outside == []
        # The first visitor leaves: the place is free again, and the pool refilled.
        first[1].close(run_before_unload=True)
        first[0].close()
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            reply = page.reload(timeout=120_000)
            if reply.status == 200:
                break
            time.sleep(1)
        expect(page.locator(PICTURE).first).to_be_visible(timeout=120_000)
        context.close()
