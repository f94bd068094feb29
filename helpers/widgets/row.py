"""Live views in a row, to compare graphs: ``views_side_by_side``.

Its output also carries one still picture of every graph in the row (for a notebook not yet
trusted, GitHub, a page with no kernel) and each view's scene, so that the course site shows
the row live."""

from __future__ import annotations

import ipywidgets as W

from ..graph import Graph
from ..render import graphs_side_by_side
from ..snapshots import Snapshot
from ..view import LIVE_KEY, GraphView, has_dot


class ViewRow(W.HBox):
    """Views side by side: see :func:`views_side_by_side`."""

    def __init__(self, panels: list[tuple[str, Graph, Snapshot | None]]):
        self.panels = panels
        self.views = []
        for title, graph, numbers in panels:
            view = GraphView(layout=W.Layout(flex="1 1 0%", min_width="0", margin="0 12px 0 0"))
            view.show(graph, numbers, title=title)
            self.views.append(view)
        super().__init__(self.views)
        self.add_class("autograd-lab-row")

    def __repr__(self) -> str:
        return f"ViewRow({', '.join(title for title, *_ in self.panels)})"

    def _repr_mimebundle_(self, **kwargs):
        data = super()._repr_mimebundle_(**kwargs)
        if has_dot():
            data.update(graphs_side_by_side(self.panels)._repr_mimebundle_())  # SVG and PNG
        return data, {LIVE_KEY: {"kind": "row", "views": [view.scene() for view in self.views]}}


def views_side_by_side(*panels: tuple[str, Graph, Snapshot | None]) -> ViewRow:
    """Live views in a row, one per ``(title, graph, snapshot)`` panel: to compare two graphs
    (say, a hand-built engine's and PyTorch's), each with its own panel, zoom and morph."""
    if not panels:
        raise ValueError("views_side_by_side needs at least one (title, graph, snapshot) panel.")
    for panel in panels:
        if not (isinstance(panel, tuple) and len(panel) == 3 and isinstance(panel[1], Graph)):
            raise TypeError(
                "each panel is a (title, graph, snapshot) tuple, with the graph from h.autograd_graph "
                f"or h.engine_graph; got {type(panel).__name__}."
            )
    return ViewRow([(str(title), graph, numbers) for title, graph, numbers in panels])
