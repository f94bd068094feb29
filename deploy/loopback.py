"""Servers on 127.0.0.1 and the Chromium that visits them, for the local hub, its load test and
the browser tests: a free port, waiting until a page answers, a server that runs until a block
ends and leaves no process behind, and Debian's Chromium driven by Playwright (which never
downloads a browser of its own here)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from processes import alive, descendants, start_time

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Without these flags Chromium keeps dialling Google's services, which a closed network
# refuses; none of them changes how a page renders.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_chromium(path: str = CHROMIUM) -> str:
    """`path` if a Chromium can be run from there, else an error that says how to get one."""
    if not os.access(path, os.X_OK):
        raise FileNotFoundError(
            f"Chromium not found at {path}: install it with 'sudo apt-get install chromium' "
            "(or set CHROMIUM to its path)."
        )
    return path


def launch_chromium(playwright, path: str = CHROMIUM):
    """A headless Chromium through Playwright's sync API, or its async API (then await it)."""
    return playwright.chromium.launch(executable_path=require_chromium(path), headless=True, args=CHROMIUM_ARGS)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, seconds: float = 90, log: Path | None = None) -> None:
    """Until `url` answers with success (a refused connection or an error status is "not yet").
    Gives up when `process` exits, or after `seconds`, quoting the end of its `log`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{_program(process.args)} exited with code {process.returncode}{_tail(log)}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {seconds} s{_tail(log)}")


def _program(command: list[str]) -> str:
    """What a command runs, for a message: the module after -m, else the program's name."""
    return command[command.index("-m") + 1] if "-m" in command[:-1] else Path(command[0]).name


def _tail(log: Path | None, chars: int = 3000) -> str:
    return f":\n{log.read_text(errors='replace')[-chars:]}" if log and log.exists() else ""


@contextmanager
def serving(
    command: list[str],
    ready_url: str,
    log: Path,
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    seconds: float = 90,
    grace: float = 30,
) -> Iterator[subprocess.Popen]:
    """`command` (a server that listens on 127.0.0.1) running, with its output in `log`, from
    when `ready_url` answers (within `seconds`) until the block ends; then stop()."""
    with open(log, "w") as out:
        # A session of its own: a Ctrl-C reaches this Python alone, which then stops the server
        # in order, instead of the server and its children each stopping half-way.
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        wait_for(ready_url, process, seconds, log)
        yield process
    finally:
        stop(process, grace)


def stop(process: subprocess.Popen, grace: float = 30) -> None:
    """SIGTERM (a Jupyter server shuts its kernels down, a hub its users' servers), SIGKILL
    after `grace` seconds; then every process it had started and left behind."""
    started = {pid: start_time(pid) for pid in descendants(process.pid)}
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    for pid, start in started.items():
        if alive(pid, start):  # that very process, not a later one given its pid
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(alive(pid, start) for pid, start in started.items()):
        time.sleep(0.1)
