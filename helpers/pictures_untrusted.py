"""Every Graphviz picture a notebook stores also as PNG, not only h.draw's.

JupyterLab renders no SVG in a notebook that is not trusted yet (a fresh clone): there a
picture stored as SVG alone shows as its text, ``<graphviz.graphs.Digraph at 0x…>``. torchviz's
``make_dot`` returns a plain graphviz Digraph, so IPython is told to add a PNG to any Graphviz
object it displays (h.draw's pictures add theirs themselves)."""

from __future__ import annotations

import graphviz


def add_png_to_graphviz_pictures() -> bool:
    """Register the PNG with the running IPython; False outside IPython or without `dot`."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None:
        return False
    from .render import to_png

    def png(picture) -> bytes | None:
        try:
            return to_png(picture)
        except Exception:  # no `dot`: the SVG fails too, and the view or the text shows instead
            return None

    formatter = shell.display_formatter.formatters["image/png"]
    for kind in (graphviz.Digraph, graphviz.Graph, graphviz.Source):
        formatter.for_type(kind, png)
    return True
