"""Load test: N simulated students on a real local JupyterHub (deploy/hub.py).

Each student is a Chromium of its own (Debian's Chromium, never a downloaded one). It signs
in on the hub's login page, which starts its single-user server and opens the graph lab as
the Voila page the server serves at /user/<name>/voila/render/notebooks/app_graph_lab.ipynb;
then it flips a switch, presses "Run it" and waits for the new picture, several times.
Students arrive RAMP seconds apart. Everything is bounded: FLIPS flips per student, a
deadline for the whole run, and every process is stopped at the end.

    .venv/bin/python deploy/loadtest.py --students 1 5 10 20     # or: make loadtest N="1 5"

Measured per run:
  server start   the hub's own "took N seconds to start" for each user's server
  first picture  from pressing "Sign in" to the first graph drawn on the Voila page
                 (the server's start, the kernel's start and the page all included)
  click→picture  from the click on "Run it" to the first frame of the new picture
                 (agl:morphstart) and to the picture finished (agl:rendered)
  memory         per student: the single-user server and its kernels, RSS and USS (pages no
                 other process shares), sampled while every student is still connected
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import re
import shutil
import statistics
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import hub as hubmod  # noqa: E402
from loopback import launch_chromium, require_chromium  # noqa: E402
from processes import children_by_parent, cpu_seconds, descendants, memory_mib  # noqa: E402

NOT_LOOPBACK = re.compile(r"^(?!https?://(127\.0\.0\.1|localhost)[:/])[a-z]+://")
RESULTS = Path(__file__).resolve().parent / "loadtest-results.md"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

# Click "Run it" and time the picture from the click, with the page's own clock.
RUN_IT = """async ([index, limit]) => {
  const explorer = document.querySelectorAll('.autograd-lab-app .autograd-lab-explorer')[0];
  const view = explorer.querySelector('.agl-view');
  const button = [...explorer.querySelectorAll('.autograd-lab-predict button')]
      .find(b => b.textContent.includes('Run it') && b.offsetParent !== null);
  if (!button) return {error: 'no Run it button'};
  const start = performance.now();
  const event = name => new Promise(resolve =>
      view.addEventListener(name, e => resolve((e.detail && e.detail.time || performance.now()) - start), {once: true}));
  const first = event('agl:morphstart'), done = event('agl:rendered');
  const timeout = new Promise(resolve => setTimeout(() => resolve(null), limit));
  button.click();
  const morph = await Promise.race([first, timeout]);
  const drawn = await Promise.race([done, timeout]);
  return {morph, drawn};
}"""


@dataclass
class Student:
    name: str
    first_picture: float | None = None
    clicks: list[tuple[float, float]] = field(default_factory=list)
    error: str | None = None
    stage: str = "arriving"
    lost: int = 0  # Run-it clicks with no new picture within a minute


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def student(
    playwright,
    hub_url: str,
    me: Student,
    flips: int,
    think: float,
    deadline: float,
    connected: asyncio.Event,
    hold: asyncio.Event,
) -> None:
    # A browser of its own, as each student has: with 20 students as contexts of one Chromium,
    # five of them sat on the hub's "server starting" page and never asked for its progress.
    browser = await launch_chromium(playwright)
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    await context.route(NOT_LOOPBACK, lambda route: route.abort())  # nothing leaves the machine
    page = await context.new_page()
    left = lambda: max(1.0, deadline - time.monotonic()) * 1000  # noqa: E731 (ms to the deadline)
    try:
        target = f"/hub/user-redirect/{hubmod.APP_PATH}"  # as a class link does
        await page.goto(f"{hub_url}/hub/login?next={urllib.parse.quote(target)}", timeout=left())
        await page.fill("#username_input", me.name)
        await page.fill("#password_input", "any")
        tic = time.monotonic()
        me.stage = "waiting for the server"
        await page.click("#login_submit")
        # "commit": the server has answered; Voila then streams the page while the kernel runs it
        await page.wait_for_url(f"**/user/{me.name}/voila/**", wait_until="commit", timeout=left())
        me.stage = "waiting for the first picture"
        explorer = page.locator(".autograd-lab-app .autograd-lab-explorer").first
        await explorer.locator(".agl-view g.node").first.wait_for(timeout=left())
        me.first_picture = time.monotonic() - tic
        me.stage = "flipping switches"
        switch = explorer.get_by_label("a requires grad")
        run_it = explorer.locator(".autograd-lab-predict").get_by_role("button", name="Run it")
        for i in range(flips):
            if time.monotonic() > deadline:
                break
            await asyncio.sleep(think)  # the student reads the picture
            await switch.click(timeout=left())
            await run_it.wait_for(state="visible", timeout=left())
            await asyncio.sleep(think / 2)  # and thinks about the prediction
            timing = await page.evaluate(RUN_IT, [i, min(60_000, left())])
            if timing.get("error"):
                raise RuntimeError(timing["error"])
            if timing["drawn"] is None:  # counted, and the student goes on
                me.lost += 1
                continue
            me.clicks.append((timing["morph"], timing["drawn"]))
    except Exception as error:  # noqa: BLE001 (a student's failure is a result, not a crash)
        first_line = re.sub(r"(\d+)\.\d+ms", r"\1 ms", str(error).splitlines()[0])[:160]
        me.error = f"{me.stage}: {type(error).__name__}: {first_line}"
    finally:
        connected.set()
        await hold.wait()  # stay connected until the memory is sampled
        await context.close()
        await browser.close()


async def run_students(hub, n: int, flips: int, think: float, ramp: float, limit: float) -> dict:
    from playwright.async_api import async_playwright

    deadline = time.monotonic() + limit
    students = [Student(f"student{i + 1:02d}") for i in range(n)]
    done = [asyncio.Event() for _ in students]
    hold = asyncio.Event()
    async with async_playwright() as playwright:
        tasks = []
        for i, (me, event) in enumerate(zip(students, done)):
            tasks.append(asyncio.create_task(student(playwright, hub.url, me, flips, think, deadline, event, hold)))
            if i < n - 1:
                await asyncio.sleep(ramp)
        await asyncio.wait(
            [asyncio.create_task(e.wait()) for e in done], timeout=max(1, deadline - time.monotonic()) + 30
        )
        users = hub.user_processes()
        memory = {name: [m for pid in pids if (m := memory_mib(pid))] for name, pids in users.items()}
        cpu = {name: sum(cpu_seconds(pid) for pid in pids) for name, pids in users.items()}
        tree = children_by_parent()
        hub_side = {hub.process.pid, *descendants(hub.process.pid, tree)}
        browser_cpu = sum(cpu_seconds(pid) for pid in descendants(os.getpid(), tree) if pid not in hub_side)
        hub_cpu = sum(cpu_seconds(pid) for pid in hub_side) - sum(cpu.values())
        hold.set()
        await asyncio.wait(tasks, timeout=60)
    return {
        "students": students,
        "memory": memory,
        "cpu": cpu,
        "browser_cpu": browser_cpu,
        "hub_cpu": hub_cpu,
        "spawn": hub.spawn_times(),
        "seconds": limit - (deadline - time.monotonic()),
    }


def one_run(n: int, flips: int, think: float, ramp: float, limit: float, log=print) -> dict:
    with (
        tempfile.TemporaryDirectory(prefix=f"agl-hub-{n}-") as workdir,
        hubmod.local_hub(Path(workdir), start_timeout=int(limit)) as hub,
    ):
        log(f"N={n}: hub up in {hub.start_seconds['hub']:.1f} s at {hub.url}")
        result = asyncio.run(run_students(hub, n, flips, think, ramp, limit))
        result["hub_start"] = hub.start_seconds["hub"]
        ARTIFACTS.mkdir(exist_ok=True)  # the hub's log, for a look at what broke
        shutil.copy(hub.log_path, ARTIFACTS / f"loadtest-hub-{n}.log")
    return summarize(n, result)


def summarize(n: int, result: dict) -> dict:
    students = result["students"]
    morph = [m for s in students for m, _ in s.clicks]
    drawn = [d for s in students for _, d in s.clicks]
    firsts = [s.first_picture for s in students if s.first_picture is not None]
    spawn = list(result["spawn"].values())
    per_student = [
        (sum(m["rss"] for m in procs), sum(m["uss"] for m in procs), len(procs) - 1)
        for procs in result["memory"].values()
    ]
    ok = [s for s in students if s.error is None and s.clicks]
    return {
        "n": n,
        "ok": len(ok),
        "clicks": len(drawn),
        "errors": [f"{s.name}: {s.error}" for s in students if s.error],
        "lost": sum(s.lost for s in students),
        "stages": {
            stage: sum(1 for s in students if s.error and s.stage == stage)
            for stage in dict.fromkeys(s.stage for s in students if s.error)
        },
        "spawn": spawn,
        "first": firsts,
        "morph": morph,
        "drawn": drawn,
        "rss": [r for r, _, _ in per_student],
        "uss": [u for _, u, _ in per_student],
        "kernels": sum(k for _, _, k in per_student),
        "seconds": result["seconds"],
        "cpu": list(result["cpu"].values()),
        "browser_cpu": result["browser_cpu"],
        "hub_cpu": result["hub_cpu"],
    }


LOG_TIME = re.compile(r"^\[\w (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+) ")


def start_breakdown(log: str) -> dict[str, list[float]]:
    """Where each student's wait went, from the hub's log (seconds): the server's start,
    Voila running the notebook for the page (the page's GET), and the page in the browser
    until its widgets connected to the kernel (the first websocket)."""
    from datetime import datetime

    served, connected, parts = (
        {},
        {},
        {"server start": [], "Voila runs the notebook": [], "browser: page served → widgets connected": []},
    )
    for line in log.splitlines():
        stamp = LOG_TIME.match(line)
        if not stamp:
            continue
        at = datetime.strptime(stamp[1], "%Y-%m-%d %H:%M:%S.%f").timestamp()
        if m := re.search(r"User (\S+) took ([\d.]+) seconds to start", line):
            parts["server start"].append(float(m[2]))
        elif m := re.search(r" 200 GET /user/(\S+?)/voila/render/\S+ .* ([\d.]+)ms$", line):
            served[m[1]] = at
            parts["Voila runs the notebook"].append(float(m[2]) / 1000)
        elif m := re.search(r" 101 GET /user/(\S+?)/api/kernels/\S+/channels", line):
            connected.setdefault(m[1], at)
    for name, at in served.items():
        if name in connected:
            parts["browser: page served → widgets connected"].append(connected[name] - at)
    return parts


def breakdown_table(ns: list[int]) -> str:
    lines = [
        "| students | " + " | ".join(f"{part} p50 / p95 (s)" for part in start_breakdown("")) + " |",
        "|---:|" + "---:|" * len(start_breakdown("")),
    ]
    for n in ns:
        log = ARTIFACTS / f"loadtest-hub-{n}.log"
        if log.exists():
            parts = start_breakdown(log.read_text(errors="replace"))
            lines.append(f"| {n} | " + " | ".join(fmt(v) for v in parts.values()) + " |")
    return "\n".join(lines)


def fmt(samples: list[float], scale: float = 1.0, digits: int = 1) -> str:
    if not samples:
        return "–"
    return f"{statistics.median(samples) * scale:.{digits}f} / {percentile(samples, 0.95) * scale:.{digits}f}"


def table(rows: list[dict]) -> str:
    lines = [
        "| students | ok | click→first frame p50 / p95 (ms) | click→picture done p50 / p95 (ms) "
        "| server start p50 / p95 (s) | sign-in→first picture p50 / p95 (s) "
        "| memory per student RSS p50 / max (MiB) | USS p50 / max (MiB) | CPU per student p50 / max (s) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        mem = lambda xs: f"{statistics.median(xs):.0f} / {max(xs):.0f}" if xs else "–"  # noqa: E731
        cpu = lambda xs: f"{statistics.median(xs):.1f} / {max(xs):.1f}" if xs else "–"  # noqa: E731
        lines.append(
            f"| {r['n']} | {r['ok']}/{r['n']} | {fmt(r['morph'], digits=0)} | {fmt(r['drawn'], digits=0)} "
            f"| {fmt(r['spawn'])} | {fmt(r['first'])} | {mem(r['rss'])} | {mem(r['uss'])} "
            f"| {cpu(r['cpu'])} |"
        )
    return "\n".join(lines)


def machine() -> str:
    cores = len(os.sched_getaffinity(0))
    mem = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    load = os.getloadavg()
    return (
        f"{platform.machine()}, {cores} cores, {mem:.0f} GiB RAM, Linux {platform.release()}; "
        f"load average before the runs {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}"
    )


def write_results(rows: list[dict], args, started_load: str, path: Path = RESULTS) -> None:
    text = [
        "# JupyterHub load test",
        "",
        "Written by `make loadtest` (deploy/loadtest.py). A real JupyterHub 6.1.1 with "
        "configurable-http-proxy 5.3.0 on 127.0.0.1, SimpleLocalProcessSpawner, DummyAuthenticator; "
        "each student a Chromium of its own that signs in, waits for its server, opens the graph lab "
        f"(Voila) and flips a switch then presses Run it, {args.flips} times ({args.think:g} s to look and "
        f"{args.think / 2:g} s to predict before each click); students arrive {args.ramp:g} s apart; "
        f"each run is cut off after {args.limit:g} s.",
        "",
        f"Machine: {started_load}. The machine was shared: other people's notebooks and browser tests "
        "ran at the same time, and the headless Chromiums that play the students run on the same "
        "two cores as the hub, the servers and the kernels, so these latencies are worse than a class "
        "whose browsers run on their own laptops.",
        "",
        table(rows),
        "",
        "p50 / p95 are over every Run-it click of every student in the run; server start is the hub's own "
        "measure (spawn request → server answering); memory is per student: the single-user server plus "
        "its kernel(s), sampled while every student is still connected; RSS counts shared library pages "
        "in each process, USS only the pages that student alone holds; CPU is the CPU time the student's "
        "server and kernel(s) used from their start to that sample (sign-in, the page, every flip).",
        "",
    ]
    text += [
        "Where a student's wait went, from the hub's log (test-artifacts/loadtest-hub-N.log): the server's "
        "start; Voila running the notebook before it sends the page; then the page in the browser until its "
        "widgets connect to the kernel (this part is the Chromiums playing the students, on the same two "
        "cores; a class's own laptops do it for themselves).",
        "",
        breakdown_table([r["n"] for r in rows]),
        "",
    ]
    for r in rows:
        stuck = "; ".join(f"{count} stopped {stage}" for stage, count in r["stages"].items())
        lost = f" ({r['lost']} more drew no new picture within a minute)" if r["lost"] else ""
        text.append(
            f"- N={r['n']}: {r['ok']}/{r['n']} students finished, {r['clicks']} clicks timed{lost}, "
            f"{len(r['spawn'])} servers started, {r['kernels']} kernels running at the sample, "
            f"run took {r['seconds']:.0f} s{'; ' + stuck if stuck else ''}. CPU time to the sample: "
            f"students {sum(r['cpu']):.0f} s, hub and proxy {r['hub_cpu']:.0f} s, "
            f"the browser playing them {r['browser_cpu']:.0f} s."
        )
        for error in r["errors"][:5]:
            text.append(f"  - {error}")
        if len(r["errors"]) > 5:
            text.append(f"  - … and {len(r['errors']) - 5} more")
    path.write_text("\n".join(text) + "\n")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, nargs="+", default=[1, 5, 10, 20])
    parser.add_argument("--flips", type=int, default=6)
    parser.add_argument("--think", type=float, default=1.0, help="seconds a student looks before a flip")
    parser.add_argument("--ramp", type=float, default=1.0, help="seconds between two students' arrivals")
    parser.add_argument("--limit", type=float, default=300, help="seconds one run may take")
    parser.add_argument("--output", type=Path, default=RESULTS, help="where to write the results")
    parser.add_argument("--no-write", action="store_true", help="print the table only")
    args = parser.parse_args(argv)
    try:
        require_chromium()
    except FileNotFoundError as missing:
        print(missing, file=sys.stderr)
        return 2
    took = hubmod.ensure_installed()
    if took:
        print("installed: " + ", ".join(f"{k} in {v:.0f} s" for k, v in took.items()))
    started_load = machine()
    rows = []
    for n in args.students:
        row = one_run(n, args.flips, args.think, args.ramp, args.limit)
        rows.append(row)
        print(table([row]).splitlines()[-1], flush=True)
        for error in row["errors"][:3]:
            print("   ", error)
    print(table(rows))
    if not args.no_write:
        write_results(rows, args, started_load, args.output)
        print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
