"""What the widgets share: theme-aware text styles, the gradient table, error text."""

from __future__ import annotations

import html
from collections.abc import Sequence

import ipywidgets as W
import torch

from ..text import format_tensor

# One style block for every widget's own text. JupyterLab marks its dark theme with
# data-jp-theme-light="false" on <body>; both palettes keep a contrast of at least 4.5:1.
STYLE = """<style>
.agl-text { color: var(--jp-ui-font-color1, #212121); }
.agl-right { color: #1b5e20; } .agl-wrong, .agl-error { color: #b00020; }
body[data-jp-theme-light="false"] .agl-right { color: #81c784; }
body[data-jp-theme-light="false"] .agl-wrong, body[data-jp-theme-light="false"] .agl-error { color: #ff8a80; }
.agl-table { border-collapse: collapse; }
.agl-table td, .agl-table th { padding: 2px 12px 2px 0; text-align: left; vertical-align: top; }
.agl-legend { color: var(--jp-ui-font-color2, #555); font-size: 12px; }
</style>"""


def close_with_parts(widget: W.Widget) -> None:
    """Close a widget and the layout and style widgets it owns, which close() leaves open:
    a closed widget frees its model in the kernel and in the browser."""
    for part in ("layout", "style"):
        owned = getattr(widget, part, None)
        if isinstance(owned, W.Widget):
            owned.close()
    widget.close()


def error_html(error: BaseException) -> str:
    return f"{STYLE}<p class='agl-error'><b>{html.escape(type(error).__name__)}:</b> {html.escape(str(error))}</p>"


def error_text(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


def table_html(
    rows: Sequence[Sequence[str]], header: Sequence[str] | None = None, css_class: str = "autograd-lab-grads"
) -> str:
    head = (
        ""
        if header is None
        else "<thead><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in header) + "</tr></thead>"
    )
    body = "".join(
        "<tr>"
        + "".join(
            f"<td>{'<b>' + html.escape(c) + '</b>' if i == 0 else html.escape(c)}</td>" for i, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"{STYLE}<table class='agl-table agl-text {css_class}'>{head}<tbody>{body}</tbody></table>"


def gradient_table(tensors: dict[str, torch.Tensor]) -> str:
    rows = [(name, format_tensor(t), grad_text(t)) for name, t in tensors.items()]
    return table_html(rows, ("tensor", "value", ".grad"))


def grad_text(tensor: torch.Tensor) -> str:
    if not tensor.requires_grad:
        return "— (requires_grad=False)"
    if not tensor.is_leaf:
        return "— (not a leaf)"
    return format_tensor(tensor.grad)


def legend(text: str) -> str:
    return f"{STYLE}<div class='agl-legend'>{text}</div>"
