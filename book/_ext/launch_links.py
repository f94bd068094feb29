"""Launch links: each notebook's Binder and Colab buttons, and links to notebooks the site leaves out.

The theme builds both buttons from one branch name. Colab needs the real one (main); Binder
gets HEAD, the repository's default branch, like the README's badge.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform

BINDER = "https://mybinder.org/v2/gh/autograd-lab/autograd-lab/HEAD?urlpath=lab/tree/notebooks/{name}"
NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


def binder_url(name: str) -> str:
    return BINDER.format(name=name)


def binder_at_head(app, pagename, templatename, context, doctree):
    """Point the theme's Binder button at HEAD (it runs after the theme's own handler)."""
    for group in context.get("header_buttons", []):
        for button in group.get("buttons", []):
            if button.get("text") == "Binder":
                button["url"] = binder_url(f"{pagename}.ipynb")


class OutsideNotebooks(SphinxPostTransform):
    """A link to a notebook of the course that has no page here (the graph lab, all widgets)
    opens it on Binder instead of ending as a broken link. Runs before MyST resolves links (9)."""

    default_priority = 8

    def run(self, **kwargs) -> None:
        for xref in list(self.document.findall(addnodes.pending_xref)):
            name = Path(xref.get("reftarget", "").split("#")[0]).name
            unresolved = xref.get("reftype") == "myst" and xref.get("refdomain") != "doc"
            if not (unresolved and name.endswith(".ipynb") and (NOTEBOOKS / name).is_file()):
                continue
            link = nodes.reference("", "", internal=False, refuri=binder_url(name))
            link += xref.children
            xref.replace_self(link)


def setup(app):
    app.connect("html-page-context", binder_at_head, priority=900)
    app.add_post_transform(OutsideNotebooks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
