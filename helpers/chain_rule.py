"""One backward step written out as the chain rule, with its numbers.

Each node receives the gradient of the output with respect to its own result, multiplies
it by the local derivative of that result with respect to each input, and sends the
product on: arrived × local = sent.
"""

from __future__ import annotations

import torch

from .backward import BackwardTrace
from .text import format_number, format_tensor


def _partial(top: str | None, bottom: str | None) -> str:
    return f"∂{top}/∂{bottom}" if top and bottom else "gradient"


def _scalar(tensor: torch.Tensor | None) -> float | None:
    return tensor.item() if tensor is not None and tensor.numel() == 1 else None


def _named(trace: BackwardTrace, node_id: str) -> str | None:
    """A node's display name for the ∂ notation: only a node the learner named has one."""
    return trace.name_of(node_id) if trace.node(node_id).names else None


def explain_step(trace: BackwardTrace, index: int) -> list[str]:
    """Plain-text lines for step `index` of `trace`."""
    if not 0 <= index < len(trace.steps):
        raise ValueError(f"the step index must be between 0 and {len(trace.steps) - 1}, got {index}.")
    step = trace.steps[index]
    out_name = _named(trace, trace.steps[0].node_id)
    here = _named(trace, step.node_id)
    title = f"step {index + 1} of {len(trace.steps)}: {step.op}" + (f" ({step.name})" if step.name else "")
    lines = [title, f"arrived: {_partial(out_name, here)} = {format_tensor(step.grad)}"]
    if step.op == "AccumulateGrad":
        lines.append(f"adds it into {here or 'the leaf'}.grad")
        return lines
    arrived = _scalar(step.grad)
    for slot, (source, sent) in enumerate(zip(trace.inputs_of(step.node_id), step.grad_inputs)):
        target = "no grad (input not tracked)" if source is None else trace.name_of(source.id)
        if sent is None:
            lines.append(f"input {slot} → {target}: nothing sent")
            continue
        sent_value = _scalar(sent)
        source_name = None if source is None else _named(trace, source.id)
        local_name = f"∂{here}/∂{source_name}" if here and source_name else "derivative"
        if arrived is not None and sent_value is not None and arrived != 0:
            local = sent_value / arrived
            lines.append(
                f"input {slot} → {target}: {format_number(arrived)} × {format_number(local)} = "
                f"{format_number(sent_value)}   (local {local_name} = {format_number(local)})"
            )
        else:
            lines.append(f"input {slot} → {target}: sends {format_tensor(sent)}")
    return lines
