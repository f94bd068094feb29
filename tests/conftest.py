import os
import sys
from pathlib import Path

import pytest
from sample_graphs import source_000

GOLDEN = Path(__file__).parent / "golden"
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "deploy"))
from loopback import launch_chromium, require_chromium  # noqa: E402


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="write the DOT pictures the tests make into tests/golden/ instead of comparing",
    )


@pytest.fixture
def source_graph():
    """Source 000's first graph: c = a + b, d = c * a."""
    return source_000()


@pytest.fixture
def golden(request):
    """Compare a DOT text with tests/golden/<name>.dot; --update-golden rewrites the file."""

    def check(name: str, text: str) -> None:
        path = GOLDEN / f"{name}.dot"
        if request.config.getoption("--update-golden"):
            GOLDEN.mkdir(exist_ok=True)
            path.write_text(text)
            return
        assert path.exists(), f"no golden file {path}: run pytest --update-golden once and review it"
        assert text == path.read_text(), f"{name}: the DOT differs from {path} (pytest --update-golden to accept)"

    return check


# One Chromium for the whole run, for the browser tests and the site's (tests/test_book.py):
# Playwright's sync API allows one instance at a time in a thread.


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's Chromium: Playwright never downloads a browser here. Under CI=true a missing
    Chromium fails the run; elsewhere the tests that need it skip."""
    try:
        return require_chromium()
    except FileNotFoundError as missing:
        message = f"{missing} It runs the browser tests."
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright, chromium_path)
        yield browser
        browser.close()
