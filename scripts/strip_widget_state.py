"""Drop the stored widget state from notebooks (nbconvert keeps an old one even when told
not to store it). Each view's state would carry its own copy of the view's JavaScript;
the outputs keep an SVG picture for viewers without a kernel instead."""

import json
import sys
from pathlib import Path

for path in map(Path, sys.argv[1:]):
    notebook = json.loads(path.read_text())
    if notebook.get("metadata", {}).pop("widgets", None) is not None:
        path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n")
