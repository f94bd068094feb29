"""What a switch removed, kept as a grey outline: the ghosts of the explorer and the GAN lab."""

from __future__ import annotations

from collections import OrderedDict

from ..graph import Graph

GHOST_MEMORY = 8  # graphs of this many switch settings lend their ghosts, so they cannot pile up


class GhostMemory:
    """The outlines of the graphs drawn for the last few switch settings, so that what
    a switch removes can still be drawn as a ghost. Structure only, no tensors."""

    def __init__(self, size: int = GHOST_MEMORY):
        self.size = size
        self._graphs: OrderedDict[tuple, Graph] = OrderedDict()

    def forget(self) -> None:
        self._graphs.clear()

    def ghost(self) -> Graph:
        nodes, edges = {}, {}
        for graph in self._graphs.values():
            nodes.update((node.id, node) for node in graph.nodes)
            edges.update((edge, None) for edge in graph.edges)
        return Graph(list(nodes.values()), list(edges))

    def remember(self, key: tuple, graph: Graph) -> None:
        self._graphs.pop(key, None)
        self._graphs[key] = graph
        while len(self._graphs) > self.size:
            self._graphs.popitem(last=False)
