"""Run every benchmark and write benchmarks/results.md (`make bench`). Not a test."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import bench_app  # noqa: E402
import bench_browser  # noqa: E402
import bench_draw  # noqa: E402
import bench_notebooks  # noqa: E402
import bench_switch  # noqa: E402
import bench_threads  # noqa: E402
from common import machine, median_ms  # noqa: E402

RESULTS = Path(__file__).with_name("results.md")


def main() -> None:
    lines = [f"Measured {machine()}.", ""]
    lines += [
        "(a) A switch flipped, the kernel's side: one `interact_graph` update (rebuild, walk, record "
        "backward, snapshot, DOT and panel records) and the bytes sent to the browser, 40 flips each. "
        "Targets: median ≤ 5 ms on the source graphs; ≤ 4 KB per flip on source 000's graphs (01 ·).",
        "",
        "| graph | median | p95 | sent per flip |",
        "| --- | --- | --- | --- |",
    ]
    lines += [
        f"| {title} | {median:.1f} ms | {p95:.1f} ms | {size / 1024:.1f} KB |"
        for title, median, p95, size in bench_switch.run()
    ]
    stepper = bench_switch.big_stepper()
    lines += [
        "",
        f"A 3,000-op chain in the stepper (walk, record backward, shorten to 400 nodes, records): "
        f"first picture's kernel side {median_ms(stepper):.0f} ms (median of 3). Target: ≤ 1 s.",
    ]
    print("\n".join(lines), flush=True)

    lines += [
        "",
        "(b) `h.draw` + render to SVG against torchviz's `make_dot` + render, same graph, same run "
        "(median of 5; one run at 5,000). Target: ratio ≤ 1.0 at 1,000 nodes; 5,000 draws.",
        "",
        "| graph | nodes | draw + render | make_dot + render | ratio |",
        "| --- | --- | --- | --- | --- |",
    ]
    for size, nodes, ours_ms, theirs_ms in bench_draw.run():
        theirs = f"{theirs_ms:.0f} ms" if isinstance(theirs_ms, float) else f"fails: {theirs_ms}"
        ratio = f"{ours_ms / theirs_ms:.2f}" if isinstance(theirs_ms, float) else "–"
        lines.append(f"| chain of ~{size} | {nodes} | {ours_ms:.0f} ms | {theirs} | {ratio} |")
    print("\n".join(lines[-6:]), flush=True)

    lines += [
        "",
        "(c) Each notebook executed from a fresh kernel (`jupyter nbconvert --execute`, kernel "
        "start included). Target: ≤ 30 s and ≤ 1 GiB.",
        "",
        "| notebook | wall time | peak memory (kernel RSS) |",
        "| --- | --- | --- |",
    ]
    for name, seconds, peak, ok in bench_notebooks.run():
        lines.append(f"| {name} | {seconds:.1f} s | {peak:.0f} MiB{'' if ok else ' (FAILED)'} |")
    lines += [
        "",
        "(d) The view in Chromium (JupyterLab on 127.0.0.1, Playwright, Debian's Chromium; times "
        "from performance.now() in the page, 20 clicks). Targets: click → first frame of the morph "
        "≤ 50 ms p95; click → panel ≤ 50 ms p95; a 400-node layout ≤ 1 s.",
        "",
        "| what | median | p95 |",
        "| --- | --- | --- |",
    ]
    lines += [f"| {name} | {median:.0f} ms | {worst:.0f} ms |" for name, (median, worst) in bench_browser.run().items()]
    rows, chosen = bench_threads.run()
    lines += [
        "",
        f"(e) Torch's threads on a shared machine: {bench_threads.STEPS} GAN training steps, with every "
        f"core given against the course's choice of {chosen} (helpers/threads.py), idle and while another "
        f"process keeps every core busy (median of {bench_threads.RUNS} fresh processes each).",
        "",
        "| machine | every core | the course's choice | ratio |",
        "| --- | --- | --- | --- |",
    ]
    lines += [
        f"| {condition} | {every:.2f} s ({cores} threads) | {ours:.2f} s | {every / ours:.1f}× |"
        for condition, cores, every, ours in rows
    ]
    print("\n".join(lines[-9:]), flush=True)
    app = bench_app.report(bench_app.run(rounds=5), bench_app.kernel_imports())
    lines += [""] + app
    RESULTS.write_text("\n".join(lines) + "\n")
    print("\n".join(app))
    print(f"\nwritten to {RESULTS}")


if __name__ == "__main__":
    main()
