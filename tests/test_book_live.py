"""book/live.py: widget outputs that left a record become live elements on the site."""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "book"))

from live import LIVE_KEY, bring_to_life, live_html  # noqa: E402

import helpers as h  # noqa: E402


def test_the_site_reads_the_key_the_helpers_write():
    assert LIVE_KEY == h.view.LIVE_KEY


def test_outputs_with_a_record_become_live_elements_and_others_stay():
    quiz = {"kind": "quiz", "question": "Why </script> here?", "options": None, "answers": [1]}
    notebook = {
        "cells": [
            {"cell_type": "code", "outputs": [
                {"output_type": "execute_result", "data": {"text/plain": "Quiz()"}, "metadata": {LIVE_KEY: quiz}},
                {"output_type": "display_data", "data": {"image/png": "xx"}, "metadata": {}},
                {"output_type": "stream", "name": "stdout", "text": "hi"},
            ]},
            {"cell_type": "markdown", "source": "text"},
        ]
    }  # fmt: skip
    assert bring_to_life(notebook) == 1
    live, picture, stream = notebook["cells"][0]["outputs"]
    assert list(live["data"]) == ["text/html"] and live["metadata"] == {}
    assert picture["data"] == {"image/png": "xx"} and stream["text"] == "hi"
    html = live["data"]["text/html"]
    assert html.count("</script>") == 1  # the question's own "</script>" cannot end the record early
    start = html.index(">", html.index("<script")) + 1
    assert json.loads(html[start : html.index("</script>")]) == quiz


def test_a_view_says_it_is_drawn_in_the_browser_and_a_note_is_shown():
    assert "click a box" in live_html({"kind": "view", "view": {}})
    assert "needs a kernel" in live_html({"kind": "view", "view": {}, "note": "Flipping needs a kernel."})
