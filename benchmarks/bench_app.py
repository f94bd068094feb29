"""(f) The graph lab page as `make app` serves it (app/voila.py, preheated kernels): opening
the page → its first picture, for one visitor and for four at once; a visitor's kernel's
resident memory once its page has rendered; kernels left once the pages are closed; and
what the kernel imports. Not a test.

Voila on 127.0.0.1, Playwright with Debian's Chromium on the same machine. Every visitor
is a fresh browser context (an empty cache, as a student's first visit); the time is the
page's own performance.now() when the first node of the lab's picture is in the page,
counted from the start of its navigation. Before each round the pool is full and idle.
Browsers, server and kernels share this machine's cores, so "four at once" here is
harsher than a room, where each student's browser runs on their own laptop.

    .venv/bin/python benchmarks/bench_app.py [--rounds 7] [--pool 4] [-- voila options]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "tests" / "browser"), str(REPO / "deploy")]

from loopback import launch_chromium  # noqa: E402
from servers import child_pids, classroom_voila, command_line, memory_mib  # noqa: E402

NOTEBOOK = REPO / "notebooks" / "app_graph_lab.ipynb"
PICTURE = ".autograd-lab-app .agl-view g.node"

# performance.now() (ms since the navigation started) when the picture's first node appears
WATCH = (
    """
new MutationObserver((_, observer) => {
  if (document.querySelector('%s')) { window.__aglPicture = performance.now(); observer.disconnect(); }
}).observe(document, {subtree: true, childList: true});
"""
    % PICTURE
)

IMPORTS = r"""
import json, sys, traceback, importlib.abc
why = {}
class Watch(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        top = name.split(".")[0]
        if top in WATCHED and top not in why:
            frames = [f for f in traceback.extract_stack() if "/helpers/" in f.filename]
            if frames:
                f = frames[-1]
                why[top] = f"helpers/{f.filename.split('/helpers/')[-1]}:{f.lineno} {f.line}"
        return None
WATCHED = {"matplotlib", "tensorboard", "torchviz", "sympy", "tqdm", "PIL", "numpy", "scipy", "pandas"}
def rss():
    return next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmRSS")) / 1024
import torch
sys.meta_path.insert(0, Watch())
import helpers as h
after_import = rss()
h.graph_lab(); h.playground()
print(json.dumps({"rss_import": after_import, "rss_app": rss(), "modules": len(sys.modules),
                  "loaded": sorted(m for m in WATCHED if m in sys.modules), "why": why}))
"""


def kernel_imports() -> dict:
    """What a kernel running the app imports, in a plain interpreter (no ipykernel)."""
    out = subprocess.run([sys.executable, "-c", IMPORTS], capture_output=True, text=True, check=True, cwd=REPO)
    return json.loads(out.stdout.strip().splitlines()[-1])


HZ = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: str) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / HZ  # utime + stime


def descendants(pid: int) -> list[str]:
    found, i = [str(pid)], 0
    while i < len(found):
        found += child_pids(int(found[i]))
        i += 1
    return found[1:]


def cpu_split(before: dict[str, float], server, visitors: set[str]) -> dict[str, float]:
    """CPU seconds since `before` (pid → CPU seconds): Chromium, Voila's server, the visitors'
    kernels and the other kernels (the pool refilling)."""
    kernels = {pid: kernel for kernel, pid in server.kernels().items()}
    split = {"chromium": 0.0, "server": 0.0, "visitors": 0.0, "refill": 0.0}
    for pid in descendants(os.getpid()):
        spent = cpu_seconds(pid) - before.get(pid, 0.0)
        if pid == str(server.process.pid):
            split["server"] += spent
        elif pid in kernels:
            split["visitors" if kernels[pid] in visitors else "refill"] += spent
        elif b"chrom" in command_line(pid):
            split["chromium"] += spent
    return split


class Received:
    """The bytes a page receives: HTTP responses as sent (gzipped) and websocket frames (the
    kernel's messages, widget models and their JavaScript among them). Chromium reports a
    frame inflated; its size on the wire is worked out by deflating the frames in order, as
    permessage-deflate does with context takeover (tornado's default)."""

    def __init__(self, page):
        self.http = self.websocket = 0
        self._deflate = zlib.compressobj(6, zlib.DEFLATED, -15)
        page.on("requestfinished", self._finished)
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _finished(self, request) -> None:
        sizes = request.sizes()
        self.http += sizes["responseBodySize"] + sizes["responseHeadersSize"]

    def _frame(self, payload) -> None:
        data = payload.encode() if isinstance(payload, str) else payload
        self.websocket += len(self._deflate.compress(data) + self._deflate.flush(zlib.Z_SYNC_FLUSH)) - 4


def open_pages(browser, url: str, count: int, received: list | None = None) -> list[tuple]:
    """`count` visitors opening the page at the same moment; the time each waited for its picture.
    With `received`, each visitor's Received is appended to it."""
    visitors = []
    for _ in range(count):
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        context.add_init_script(WATCH)
        page = context.new_page()
        if received is not None:
            received.append(Received(page))
        visitors.append((context, page))
    for _, page in visitors:  # each navigation starts without waiting for the others
        page.evaluate("url => setTimeout(() => { location.href = url; }, 0)", url)
    results = []
    for context, page in visitors:
        page.wait_for_function("() => window.__aglPicture !== undefined", timeout=180_000, polling=50)
        seconds = page.evaluate("() => window.__aglPicture") / 1000
        kernel = page.evaluate("() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")
        results.append((context, page, seconds, kernel))
    return results


def close(results) -> None:
    for context, page, _, _ in results:
        page.close(run_before_unload=True)  # as a tab closes: the page shuts its kernel down
        context.close()


def run(rounds: int = 7, pool: int = 4, options: tuple[str, ...] = ()) -> dict:
    from playwright.sync_api import sync_playwright

    home = Path(tempfile.mkdtemp(prefix="agl-bench-app-"))
    one, four, slowest_of_four, rss, visitor_kernels, received = [], [], [], [], [], []
    cpu = {1: [], 4: []}
    load = [os.getloadavg()[0]]
    with classroom_voila(NOTEBOOK, home, *options, pool=pool) as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        pooled = [memory_mib(pid) for pid in server.kernels().values()]
        for count, times in [(1, one), (4, four)]:
            for _ in range(rounds):
                server.wait_until_idle(pool)  # the pool refilled, and done running the notebook
                before = {pid: cpu_seconds(pid) for pid in descendants(os.getpid())}
                results = open_pages(browser, server.url, count, received if count == 1 else None)
                cpu[count].append(cpu_split(before, server, {kernel for *_, kernel in results}))
                time.sleep(1)  # the page's last messages (every tab's views) arrive
                alive = server.kernels()
                rss += [memory_mib(alive[kernel]) for *_, kernel in results if kernel in alive]
                times += [seconds for _, _, seconds, _ in results]
                if count == 4:
                    slowest_of_four.append(max(seconds for _, _, seconds, _ in results))
                visitor_kernels += [kernel for *_, kernel in results]
                close(results)
                gone = time.monotonic() + 30  # the next round must not count these as the pool
                while {kernel for *_, kernel in results} & set(server.kernels()) and time.monotonic() < gone:
                    time.sleep(0.2)
                load.append(os.getloadavg()[0])
                print(
                    f"  {count} at once: " + ", ".join(f"{seconds:.2f} s" for _, _, seconds, _ in results),
                    file=sys.stderr,
                    flush=True,
                )
        deadline = time.monotonic() + 30
        while set(visitor_kernels) & set(server.kernels()) and time.monotonic() < deadline:
            time.sleep(0.5)
        left = len(set(visitor_kernels) & set(server.kernels()))
        browser.close()
    return {
        "one": one,
        "four": four,
        "slowest_of_four": slowest_of_four,
        "memory": rss,
        "received": [(r.http, r.websocket) for r in received],
        "pooled": pooled,
        "cpu": cpu,
        "visits": len(visitor_kernels),
        "left": left,
        "pool": pool,
        "load": load,
    }


def report(results: dict, imports: dict) -> list[str]:
    med = statistics.median
    one, four = results["one"], results["four"]
    lines = [
        f"(f) The graph lab page (`make app`, {results['pool']} preheated kernels): opening the page → first "
        f"picture, Chromium on the same {os.cpu_count()} cores, a fresh context per visitor. Targets: ≤ 2 s for "
        f"one visitor, "
        f"≤ 4 s with four at once; ≤ 300 MiB per visitor's kernel. Load average during the run "
        f"{min(results['load']):.1f}–{max(results['load']):.1f}.",
        "",
        "| what | median | min | max | runs |",
        "| --- | --- | --- | --- | --- |",
        f"| one visitor: page → first picture | {med(one):.2f} s | {min(one):.2f} s | {max(one):.2f} s | {len(one)} |",
        f"| four at once: each page → first picture | {med(four):.2f} s | {min(four):.2f} s | {max(four):.2f} s "
        f"| {len(four)} |",
        f"| four at once: the slowest of the four | {med(results['slowest_of_four']):.2f} s | "
        f"{min(results['slowest_of_four']):.2f} s | {max(results['slowest_of_four']):.2f} s | "
        f"{len(results['slowest_of_four'])} |",
    ]
    mb = [(http + ws) / 1e6 for http, ws in results["received"]]
    http_mb = [http / 1e6 for http, _ in results["received"]]
    lines.append(
        f"| bytes one page receives, HTTP (gzip) + websocket (deflate) (target ≤ 2.5 MB) | {med(mb):.2f} MB "
        f"({med(http_mb):.2f} MB HTTP) | {min(mb):.2f} MB | {max(mb):.2f} MB | {len(mb)} |"
    )
    for kind, what in [("rss", "resident"), ("pss", "its share of resident"), ("uss", "its own resident")]:
        values = [m[kind] for m in results["memory"]]
        lines.append(
            f"| a visitor's kernel, page rendered: {kind.upper()} ({what}) | {med(values):.0f} MiB | "
            f"{min(values):.0f} MiB | {max(values):.0f} MiB | {len(values)} |"
        )
    lines += [
        "",
        "CPU spent from opening the page(s) to the picture(s), median per round:",
        "",
        "| visitors | Chromium | Voila's server | the visitors' kernels | the pool refilling |",
        "| --- | --- | --- | --- | --- |",
    ]
    for count, rounds in sorted(results["cpu"].items()):
        if rounds:
            lines.append(
                f"| {count} | "
                + " | ".join(
                    f"{med([r[key] for r in rounds]):.2f} s" for key in ["chromium", "server", "visitors", "refill"]
                )
                + " |"
            )
    pooled = results["pooled"]
    waiting = (
        f"A preheated kernel waiting in the pool: RSS {med([m['rss'] for m in pooled]):.0f} MiB, USS "
        f"{med([m['uss'] for m in pooled]):.0f} MiB. "
        if pooled
        else ""
    )
    lines += [
        "",
        f"{waiting}Kernels of visitors left once their {results['visits']} pages were closed: {results['left']}.",
        f"The app's imports (plain Python, `import helpers as h; h.graph_lab(); h.playground()`): "
        f"{imports['rss_import']:.0f} MiB after the import, {imports['rss_app']:.0f} MiB with both widgets, "
        f"{imports['modules']} modules; of the heavy ones: {', '.join(imports['loaded']) or 'none'}"
        + "".join(f"; {m} from {where}" for m, where in sorted(imports["why"].items()) if m in imports["loaded"])
        + ".",
    ]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--pool", type=int, default=4)
    parser.add_argument("options", nargs="*", help="more Voila options (after --)")
    args = parser.parse_args()
    imports = kernel_imports()
    results = run(args.rounds, args.pool, tuple(args.options))
    print("\n".join(report(results, imports)))
    print("\nraw:", json.dumps(results, default=str))


if __name__ == "__main__":
    main()
