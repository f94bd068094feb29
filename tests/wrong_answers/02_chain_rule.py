"""Nudges the input one way only: a forward difference, whose error shrinks only as fast as h."""

QUESTION = "q02_central_difference"
HINT = "Nudge both ways: (f(x + h) - f(x - h)) / (2 * h)."
ANSWER = """
def central_difference(f, point, name, h):
    up = dict(point)
    up[name] += h
    return (f(**up) - f(**point)) / h
"""
