"""Pictures of static graphs: the ones torch.fx and torch.export capture ahead of time.

An autograd graph is recorded while the forward pass runs and describes the backward
pass. A captured graph describes the forward computation itself, before any data flows:
inputs (placeholders), parameters, the operations, and the output.
"""

from __future__ import annotations

import torch
import torch.fx

from .render import LabDigraph, new_digraph

FX_FILL = {"placeholder": "lightyellow", "get_attr": "lightblue", "output": "darkolivegreen1"}


def _target_name(target) -> str:
    # operator.matmul -> "matmul"; torch.export's aten.matmul.default -> "matmul.default"
    return target if isinstance(target, str) else getattr(target, "__name__", str(target))


def _label(node: torch.fx.Node, parameter: str | None) -> str:
    lines = [node.name]
    if node.op in ("call_function", "call_method", "call_module"):
        lines.append(f"{node.op}: {_target_name(node.target)}")
    elif parameter is not None:
        lines.append(f"parameter {parameter}")
    value = node.meta.get("val")
    if isinstance(value, torch.Tensor):  # torch.export records each result's shape
        lines.append("[" + "×".join(str(size) for size in value.shape) + "]")
    return "\n".join(lines)


def draw_fx(captured, title: str | None = None) -> LabDigraph:
    """Draw a torch.fx GraphModule or Graph, or a torch.export ExportedProgram.

    Inputs are pale yellow, parameters light blue, operations grey, the output green;
    an edge runs from each node to every node that uses its result."""
    parameters: dict[str, str] = {}  # node name -> parameter name
    if isinstance(captured, torch.export.ExportedProgram):
        graph = captured.graph_module.graph
        parameters = dict(captured.graph_signature.inputs_to_parameters)
    elif isinstance(captured, torch.fx.GraphModule):
        graph = captured.graph
    elif isinstance(captured, torch.fx.Graph):
        graph = captured
    else:
        raise TypeError(
            "draw_fx takes what torch.fx.symbolic_trace or torch.export.export "
            f"returns (a GraphModule, Graph or ExportedProgram), not {type(captured).__name__}."
        )
    dot = new_digraph(title)
    for node in graph.nodes:
        if node.op == "get_attr":
            parameters[node.name] = str(node.target)
        fill = "lightblue" if node.name in parameters else FX_FILL.get(node.op, "lightgrey")
        dot.node(node.name, _label(node, parameters.get(node.name)), fillcolor=fill)
    for node in graph.nodes:
        for source in node.all_input_nodes:
            dot.edge(source.name, node.name)
    return dot
