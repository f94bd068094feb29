"""Walks every path without remembering what it has seen, so the shared leaf `a` is found twice."""

QUESTION = "q01_leaves"
HINT = "keep a set of the nodes already seen and count each once"
ANSWER = """
def leaves(t):
    found, to_visit = [], [t.grad_fn]
    while to_visit:
        node = to_visit.pop()
        if node is None:
            continue
        if hasattr(node, "variable"):
            found.append(node.variable)
        to_visit.extend(next_node for next_node, _slot in node.next_functions)
    return found
"""
