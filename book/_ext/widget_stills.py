"""Widgets on a page without a kernel.

The notebooks keep no widget state, so a widget's output holds only its model id, its text
repr and, for the graph widgets, an SVG still of the picture it showed. On the site a widget
becomes that still with a line saying it is live in the notebook, or, without a still, a short
note in place of the repr (`Quiz()`, a progress bar stuck at 0%).
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

WIDGET = "application/vnd.jupyter.widget-view+json"
STILL = "image/svg+xml"
LAUNCH = "open the notebook on Binder or Colab (the rocket button at the top of the page)"
# What stands in for a widget, told from its text repr; the first match wins.
KINDS = [
    (re.compile(r"^Quiz\("), f"A quiz: pick an answer and check it. It needs Python behind it: {LAUNCH}."),
    (re.compile(r"\d+/\d+ \[[^\]]*\]\s*$"), "A progress bar ran here while the cell computed."),
    (re.compile(r"Slider\(|^[HV]Box\("), f"Sliders to change the numbers. They need Python behind them: {LAUNCH}."),
]
OTHER = f"A live widget. It needs Python behind it: {LAUNCH}."


def offline_note(text: str) -> str:
    """The note that replaces a widget whose output has no picture."""
    return next((said for pattern, said in KINDS if pattern.search(text)), OTHER)


def note(text: str) -> nodes.container:
    box = nodes.container(classes=["widget-offline"])
    box += nodes.paragraph(text=text)
    return box


class WidgetStills(SphinxPostTransform):
    """Runs before MyST-NB picks one mime type per output (its priority 4)."""

    default_priority = 3
    formats = ("html",)

    def run(self, **kwargs) -> None:
        def is_widget(node) -> bool:
            return (
                isinstance(node, nodes.container)
                and node.get("nb_element") == "mime_bundle"
                and any(child.get("mime_type") == WIDGET for child in node.children)
            )

        for bundle in list(self.document.findall(is_widget)):
            by_type = {child["mime_type"]: child for child in bundle.children}
            if STILL in by_type:
                for mime_type in set(by_type) - {STILL}:
                    bundle.remove(by_type[mime_type])  # leaves the still, which MyST-NB then shows
                box = nodes.container(classes=["widget-still"])
                bundle.replace_self(box)
                box += bundle
                box += nodes.paragraph(text=f"A still of a live view: to click, switch and replay it, {LAUNCH}.")
            else:
                plain = by_type.get("text/plain")
                bundle.replace_self(note(offline_note(plain.astext() if plain is not None else "")))


def setup(app):
    app.add_post_transform(WidgetStills)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
