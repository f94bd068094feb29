"""(b) draw + render against torchviz's make_dot + render, on the same graphs."""

from __future__ import annotations

import warnings

import torchviz
from common import chain, median_ms, timings

import helpers as h

SIZES = (10, 100, 1000, 5000)


def ours(root, params):
    return h.to_svg(h.draw(root, params, max_nodes=None))


def theirs(root, params):
    with warnings.catch_warnings():  # torchviz 0.0.3 still uses distutils' LooseVersion
        warnings.simplefilter("ignore", DeprecationWarning)
        return torchviz.make_dot(root, params=params).pipe(format="svg", encoding="utf-8")


def run(sizes=SIZES) -> list[tuple[int, int, float, float | str]]:
    rows = []
    for size in sizes:
        root, params = chain(size)
        nodes = len(h.autograd_graph(root, params))
        repeats = 5 if size <= 1000 else 1
        ours_ms = median_ms(timings(lambda r=root, p=params: ours(r, p), repeats))
        try:
            theirs_ms: float | str = median_ms(timings(lambda r=root, p=params: theirs(r, p), repeats))
        except RecursionError:
            theirs_ms = "RecursionError"
        rows.append((size, nodes, ours_ms, theirs_ms))
    return rows


if __name__ == "__main__":
    for size, nodes, ours_ms, theirs_ms in run():
        ratio = f"{ours_ms / theirs_ms:.2f}" if isinstance(theirs_ms, float) else "-"
        print(f"~{size:>5} nodes ({nodes}): draw {ours_ms:9.1f} ms   make_dot {theirs_ms}   ratio {ratio}")
