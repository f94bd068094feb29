"""Tensors as short text: in a box of the picture, in the inspector panel, in a table."""

from __future__ import annotations

import torch

SMALL_TENSOR = 8  # tensors up to this many elements are written out in full in a box
PANEL_TENSOR = 64  # ... and in the inspector panel
PANEL_ENTRIES = 6  # a bigger tensor shows this many of its first entries in the panel


def format_number(x) -> str:
    if isinstance(x, complex):
        return f"{format_number(x.real)}{'+' if x.imag >= 0 else '-'}{format_number(abs(x.imag))}j"
    if isinstance(x, bool) or isinstance(x, int):
        return str(x)
    text = f"{x:.4g}"
    return "0" if text == "-0" else text


def _nested(values) -> str:
    if isinstance(values, list):
        return "[" + ", ".join(_nested(v) for v in values) + "]"
    return format_number(values)


def _shape(tensor: torch.Tensor) -> str:
    return "×".join(map(str, tensor.shape)) or "scalar"


def _without_values(tensor: torch.Tensor) -> str | None:
    """Text for the tensors whose entries cannot (or should not) be read out."""
    if not isinstance(tensor, torch.Tensor):
        raise TypeError(f"expected a tensor or None, got {type(tensor).__name__}.")
    if tensor.is_meta:
        return f"[{_shape(tensor)}] on the meta device: a shape, no values"
    if tensor.layout != torch.strided:
        nnz = f", {tensor._nnz()} stored" if tensor.layout == torch.sparse_coo else ""
        return f"[{_shape(tensor)}] {str(tensor.layout).removeprefix('torch.')}{nnz}"
    return None


def format_tensor(tensor: torch.Tensor | None) -> str:
    """Scalars as numbers, small tensors in full, bigger ones as shape and a summary."""
    if tensor is None:
        return "None"
    special = _without_values(tensor)
    if special:
        return special
    tensor = tensor.detach()
    if tensor.numel() == 1:
        return format_number(tensor.item())
    if 0 < tensor.numel() <= SMALL_TENSOR:
        return _nested(tensor.tolist())
    if tensor.numel() == 0 or not tensor.is_floating_point():
        return f"[{_shape(tensor)}]"
    return f"[{_shape(tensor)}] mean {format_number(tensor.mean().item())}, std {format_number(tensor.std().item())}"


def format_tensor_long(tensor: torch.Tensor | None) -> str | None:
    """The long text, for the inspector panel (format_tensor is the short one, for a box):
    a small tensor in full, a big one summarised in several lines (shape, min / mean / max,
    its first entries)."""
    if tensor is None:
        return None
    special = _without_values(tensor)
    if special:
        return special
    tensor = tensor.detach()
    if tensor.numel() <= PANEL_TENSOR:
        return _nested(tensor.tolist())
    flat = tensor.reshape(-1)
    lines = [f"shape {_shape(tensor)}, {tensor.numel():,} entries"]
    if tensor.is_floating_point():
        lines.append(
            f"min {format_number(flat.min().item())} · mean {format_number(flat.mean().item())}"
            f" · max {format_number(flat.max().item())}"
        )
    lines.append("first: " + _nested(flat[:PANEL_ENTRIES].tolist())[:-1] + ", …]")
    return "\n".join(lines)
