"""The widgets' outputs, brought to life on the site with no kernel.

A widget that can live without Python leaves a record in its output's metadata when its
notebook runs (helpers.view.LIVE_KEY): a quiz its question and answers, a view what it shows,
an explorer every setting of its switches. Here each such output becomes an element that the
site's player (helpers/static/graph_player.js, on the page's one graph_runtime.js) mounts.
"""

from __future__ import annotations

import html
import json

LIVE_KEY = "autograd-lab"  # helpers.view.LIVE_KEY; the site builds without importing torch
NOTES = {
    "view": "Drawn in your browser from what the notebook recorded: click a box to inspect it.",
    "explorer": "Every setting of these switches was recorded when the notebook ran: flip them here, no Python needed.",
    "row": "Drawn in your browser from what the notebook recorded: click a box to inspect it.",
}


def live_html(record: dict) -> str:
    """The element the player mounts: the record as JSON, and what shows until it does."""
    data = json.dumps(record, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    note = record.get("note") or NOTES.get(record["kind"], "")
    caption = f'<p class="agl-live-note">{html.escape(note)}</p>' if note else ""
    return (
        f'<div class="agl-live" data-kind="{html.escape(record["kind"])}">'
        f'<script type="application/json">{data}</script>'
        '<div class="agl-live-body"><p class="agl-live-loading">Loading…</p></div>'
        f"{caption}</div>"
    )


def bring_to_life(notebook: dict) -> int:
    """Replace each output that carries a live record by its live element; returns how many."""
    count = 0
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []):
            record = output.get("metadata", {}).get(LIVE_KEY)
            if output.get("output_type") in ("display_data", "execute_result") and record:
                output["data"] = {"text/html": live_html(record)}
                output["metadata"] = {}
                count += 1
    return count
