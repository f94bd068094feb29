"""`<a id="name"></a>` in a notebook's markdown, made a real link target.

JupyterLab and GitHub jump to such an anchor; Sphinx sees only raw HTML there, so a link to
it, `[the rule](#leaf-rule)` or `[the rule](03_leaves_and_no_grad.ipynb#leaf-rule)`, would
be reported broken. As a target it resolves, and the page still carries the same id.
"""

from __future__ import annotations

import re

from docutils import nodes
from docutils.transforms import Transform

# Markdown reads the line as a paragraph of two inline raw nodes, `<a id="name">` and `</a>`.
ANCHOR = re.compile(r'^\s*<a\s+(?:id|name)="([A-Za-z][\w.:-]*)"\s*>\s*(</a>)?\s*$')


class HtmlAnchors(Transform):
    default_priority = 200  # before docutils moves targets onto the section that follows

    def apply(self, **kwargs) -> None:
        for raw in list(self.document.findall(nodes.raw)):
            found = "html" in raw.get("format", "").split() and ANCHOR.match(raw.astext())
            if not found:
                continue
            closing = raw.next_node(descend=False, siblings=True)
            if not found.group(2):  # the closing tag must follow at once, or this is a real link
                if not (isinstance(closing, nodes.raw) and closing.astext().strip() == "</a>"):
                    continue
                closing.parent.remove(closing)
            name = found.group(1)
            target = nodes.target("", "", ids=[name], names=[name])
            self.document.note_explicit_target(target, target)
            paragraph = raw.parent
            if isinstance(paragraph, nodes.paragraph) and len(paragraph.children) == 1:
                paragraph.replace_self(target)  # alone on its line: no empty paragraph left behind
            else:
                raw.replace_self(target)


def setup(app):
    app.add_transform(HtmlAnchors)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
