"""Text alternatives for the pictures: what a screen reader says in place of a graph.

Each picture gets two texts. The *label* is one sentence: the output written as an
expression of its inputs, how many operations there are, and the leaves with their values
and gradients. The *description* goes node by node from the output back to the leaves.
Both are written from the scene's records (:mod:`helpers.scene_record`) and from what each
box shows, so they say only what the picture shows (a picture drawn with ``grads=False`` for a
quiz keeps its gradients to itself), in the names the picture and the panel use, and both
stay short however big the graph is.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from .scene_record import Box, NodeRecord, SceneRecord

EXPRESSION_CHARS = 160  # the output's expression in the label, before it is cut with "…"
EXPRESSION_DEPTH = 5  # ops nested in it: deeper, a listener loses count
LABEL_LEAVES = 6  # leaves listed in the label; the rest are counted
LABEL_CHARS = 400  # the label, whatever it holds (several outputs, long names)
DESCRIBED_NODES = 40  # nodes described one by one; the rest are counted
DESCRIPTION_CHARS = 6000


@dataclass(frozen=True)
class Alternative:
    """The label (aria-label, the SVG's <title>) and description (its <desc>) of a picture."""

    label: str
    description: str

    def titled(self, title: str | None) -> Alternative:
        if not title:
            return self
        return Alternative(clip(f"{title}: {self.label}", LABEL_CHARS), f"{title}.\n{self.description}")


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, at a word, ending in "…"."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,;:(") + "…"


def plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else words or word + 's'}"


def _called(node: NodeRecord) -> str:
    """How the text refers to a node: by its display name, except the box standing for the
    nodes left out, which it writes "…" (and says once, at the end, how many it stands for)."""
    return "…" if node.more else node.name


class _Inputs:
    """Each node's inputs in slot order, as records (the edges are listed that way)."""

    def __init__(self, scene: SceneRecord):
        self.by_id = {node.id: node for node in scene.nodes}

    def __call__(self, node: NodeRecord) -> list[NodeRecord]:
        return [self.by_id[i.node] for i in node.inputs if i.node in self.by_id]


class _Budget:
    """Characters left for an expression; once spent, every open call closes at once and
    one "…" marks where the rest was left out."""

    def __init__(self, chars: int):
        self.chars, self.spent, self.marked = chars, False, False

    def ellipsis(self) -> list[str]:
        marked, self.marked = self.marked, True
        return [] if marked else ["…"]

    def take(self, text: str) -> None:
        self.chars -= len(text)
        self.spent = self.spent or self.chars <= 0


def _expression(node: NodeRecord, inputs: _Inputs, budget: _Budget, depth: int = EXPRESSION_DEPTH) -> str:
    """`node` as op(inputs…), leaves by name; where the budget runs out or the ops nest
    deeper than `depth`, "…"."""
    if budget.spent:
        return "".join(budget.ellipsis())
    if node.kind in ("leaf", "cut") or node.more:
        budget.take(_called(node))
        return _called(node)
    if depth == 0:
        budget.take("…")
        budget.spent = True
        return "".join(budget.ellipsis())
    head, below = _op(node), inputs(node)
    budget.take(head + "()")
    if not below:
        return head if node.group_size is not None else f"{head}()"
    parts = []
    for source in below:
        if budget.spent:
            break
        parts.append(_expression(source, inputs, budget, depth - 1))
        budget.take(", ")
    if budget.spent:
        parts += budget.ellipsis()
    if node.group_size is not None:  # a module box: "2 (Linear) of 1 (ReLU) of x" reads better
        return f"{head} of {parts[0]}" if len(parts) == 1 else f"{head} of ({', '.join(parts)})"
    return f"{head}({', '.join(parts)})"


def _op(node: NodeRecord) -> str:
    if node.group_size is not None:  # a box standing for a whole module
        return _called(node)
    return node.op_line or str(node.op)


def _leaf_text(node: NodeRecord, box: Box) -> str:
    text = _called(node)
    if box.value is not None:
        text += f" = {box.value}"
    if box.grad is not None:
        text += f" (grad {box.grad})"
    return text


def _outputs(scene: SceneRecord) -> list[NodeRecord]:
    return scene.of_kind("output") or list(scene.nodes[:1])


def label(scene: SceneRecord, boxes: Mapping[str, Box]) -> str:
    """One sentence: the output as an expression, the counts, the leaves and their numbers."""
    if not scene.nodes:
        return "An empty autograd graph."
    inputs = _Inputs(scene)
    outputs = _outputs(scene)
    formulas, cut = [], False
    for output in outputs:
        budget = _Budget(EXPRESSION_CHARS // len(outputs))
        formula = _expression(output, inputs, budget)
        cut = cut or budget.spent
        if output.names and output.kind != "leaf":
            formula = f"{_called(output)} = {formula}"
        value = boxes.get(output.id, Box()).value
        if value is not None and output.kind != "leaf":
            formula += f" = {value}"
        formulas.append(formula)
    head = "Autograd graph of " + (
        formulas[0] if len(formulas) == 1 else f"{len(formulas)} outputs: " + "; ".join(formulas)
    )
    return clip(f"{head}: {'; '.join(_counts(scene, boxes, tally=cut))}", LABEL_CHARS)


def _counts(scene: SceneRecord, boxes: Mapping[str, Box], tally: bool) -> list[str]:
    """How many operations (by kind, when the expression was cut short), boxes, leaves
    (with their numbers), inputs without gradient and nodes left out."""
    ops = [n for n in scene.nodes if n.kind in ("op", "output") and n.group_size is None]
    modules = [n for n in scene.nodes if n.group_size is not None and not n.more]
    leaves = scene.of_kind("leaf")
    cuts = scene.of_kind("cut")
    parts = [plural(len(ops), "operation") + (f" ({_tally(ops)})" if tally and ops else "")]
    if modules:
        inside = sum(module.group_size for module in modules)
        parts.append(f"{plural(len(modules), 'module box', 'module boxes')} standing for {plural(inside, 'node')}")
    if leaves:
        listed = [_leaf_text(leaf, boxes.get(leaf.id, Box())) for leaf in leaves[:LABEL_LEAVES]]
        more = f" and {len(leaves) - LABEL_LEAVES:,} more" if len(leaves) > LABEL_LEAVES else ""
        # unnamed leaves are called "leaf …" already: no "leaves leaf 1 = 2"
        word = "" if all(not leaf.names for leaf in leaves) else "leaves " if len(leaves) > 1 else "leaf "
        parts.append(f"{word}{', '.join(listed)}{more}")
    if cuts:
        parts.append(f"{plural(len(cuts), 'input')} with no gradient")
    if scene.hidden:
        parts.append(f"{scene.hidden:,} more nodes not drawn")
    return parts


def _tally(ops: Sequence[NodeRecord], kinds: int = 4) -> str:
    counts = Counter(_op(node) for node in ops).most_common()
    listed = ", ".join(f"{count:,} {op}" for op, count in counts[:kinds])
    return listed + (f" and {plural(len(counts) - kinds, 'other kind')}" if len(counts) > kinds else "")


KINDS = {"output": "Output", "op": "Operation", "leaf": "Leaf", "cut": "Input with no gradient"}


def _node_line(node: NodeRecord, box: Box, inputs: _Inputs) -> str:
    lines = list(box.lines) or [_called(node)]
    if node.kind == "leaf" and not node.names:  # the box says "leaf = 2": say which leaf
        lines[0] = lines[0].replace("leaf", _called(node), 1)
    kind = "Module box" if node.group_size is not None else KINDS.get(node.kind, "Node")
    text = f"{kind}: {', '.join(lines)}"
    below = inputs(node)
    if below:
        text += f"; {'inputs' if len(below) > 1 else 'input'} " + ", ".join(_called(source) for source in below)
    return text + "."


def _ghost_text(ghost: NodeRecord) -> str:
    return f"{ghost.name} ({ghost.op})" if ghost.names and ghost.kind != "leaf" else ghost.name


def description(scene: SceneRecord, boxes: Mapping[str, Box], limit: int = DESCRIBED_NODES) -> str:
    """Node by node, from the output back to the leaves, as the boxes read; at most `limit`
    nodes, then how many more there are; then what a switch removed."""
    if not scene.nodes:
        return "The graph has no nodes."
    inputs = _Inputs(scene)
    nodes = [node for node in scene.nodes if not node.more]
    lines = [f"{plural(len(nodes), 'node')}, from the output back to the leaves:"]
    lines += [_node_line(node, boxes.get(node.id, Box()), inputs) for node in nodes[:limit]]
    if len(nodes) > limit:
        lines.append(f"… and {len(nodes) - limit:,} more nodes.")
    if scene.hidden:
        lines.append(f"{scene.hidden:,} more nodes are not drawn: one box, …, stands for them.")
    ghosts = scene.ghost_nodes
    if ghosts:
        removed = ", ".join(_ghost_text(ghost) for ghost in ghosts[:limit])
        more = f" and {len(ghosts) - limit:,} more" if len(ghosts) > limit else ""
        lines.append(f"Removed by the last switch, drawn as grey dashed outlines: {removed}{more}.")
    return clip("\n".join(lines), DESCRIPTION_CHARS)


def text_alternative(scene: SceneRecord, boxes: Mapping[str, Box], title: str | None = None) -> Alternative:
    """The label and description of a picture of `scene` whose boxes show `boxes`."""
    return Alternative(label(scene, boxes), description(scene, boxes)).titled(title)


def side_by_side(panels: Sequence[tuple[str, Alternative]]) -> Alternative:
    """One picture holding several titled graphs."""
    count = f"{len(panels)} autograd graphs side by side"
    labels = "; ".join(f"{title}: {alt.label.removeprefix('Autograd graph of ')}" for title, alt in panels)
    texts = "\n\n".join(f"{title}:\n{alt.description}" for title, alt in panels)
    return Alternative(clip(f"{count}. {labels}", LABEL_CHARS), clip(f"{count}.\n\n{texts}", DESCRIPTION_CHARS))


# ---- into the SVG Graphviz writes --------------------------------------------------------

_SVG_TAG = re.compile(r"<svg\b[^>]*>")
# Graphviz titles the whole graph with its name, "%3" (or "%0") for an unnamed one; a screen
# reader would read that out. The picture's own <title> takes its place.
_GRAPH_TITLE = re.compile(r'(<g id="graph0" class="graph"[^>]*>\s*)<title>[^<]*</title>\s*')


def into_svg(svg: str, alternative: Alternative) -> str:
    """`svg` (as Graphviz writes it) marked as one image with the alternative as its name:
    role="img" and aria-label on <svg>, then <title> and <desc> as its first children."""
    tag = _SVG_TAG.search(svg)
    if tag is None:
        raise ValueError("into_svg takes SVG text with an <svg> element, as Graphviz writes it.")
    opening = tag.group(0)
    marked = opening[:-1].rstrip() + f' role="img" aria-label="{escape(alternative.label, quote=True)}">'
    children = (
        f"\n<title>{escape(alternative.label, quote=False)}</title>"
        f"\n<desc>{escape(alternative.description, quote=False)}</desc>"
    )
    rest = _GRAPH_TITLE.sub(r"\1", svg[tag.end() :], count=1)
    return svg[: tag.start()] + marked + children + rest
