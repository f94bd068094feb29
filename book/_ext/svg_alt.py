"""Each graph picture's text alternative on the site.

A picture `h.draw` stores carries its alternative inside the SVG (an aria-label on <svg>,
see helpers/describe.py), but the site shows a stored SVG through an <img>, whose alt text
MyST-NB sets to one generic sentence for every picture. Here each <img> of an SVG gets the
label its own file holds."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

LABEL = re.compile(r"<svg\b[^>]*\baria-label=\"([^\"]*)\"", re.S)


def svg_label(path: Path) -> str | None:
    try:
        head = path.read_text(encoding="utf-8", errors="replace")[:20_000]
    except OSError:
        return None
    match = LABEL.search(head)
    return unescape(match[1]) if match else None


class SvgAlt(SphinxPostTransform):
    """After MyST-NB has chosen each output's picture (its priority 4) and written it to a file."""

    default_priority = 5
    formats = ("html",)

    def run(self, **kwargs) -> None:
        here = Path(self.env.doc2path(self.env.docname)).parent
        for image in self.document.findall(nodes.image):
            uri = image.get("uri", "")
            if not uri.endswith(".svg"):
                continue
            path = Path(uri) if Path(uri).is_absolute() else Path(self.env.srcdir) / uri
            label = svg_label(path) or svg_label(here / uri)
            if label:
                image["alt"] = label


def setup(app):
    app.add_post_transform(SvgAlt)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
