"""The scripts and stylesheet that bring a page's live views to life (book/live.py marks
them): the graph runtime once, the player, and the view's stylesheet, all served from the
site itself, and only on pages that have a live view."""

from __future__ import annotations

from pathlib import Path

STATIC = Path(__file__).resolve().parents[2] / "helpers" / "static"
FILES = ("graph_runtime.js", "graph_player.js", "graph_view.css")


def add_static(app) -> None:
    """helpers/static/ is one more folder of files copied into the site's _static/."""
    app.config.html_static_path.append(str(STATIC))


def on_page(app, pagename, templatename, context, doctree) -> None:
    if doctree is None or "agl-live" not in context.get("body", ""):
        return
    app.add_js_file("graph_runtime.js", type="module")
    app.add_js_file("graph_player.js", type="module")
    app.add_css_file("graph_view.css")


def setup(app):
    app.connect("builder-inited", add_static)
    app.connect("html-page-context", on_page)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
