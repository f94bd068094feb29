"""Rebinds the local name to a new tensor: the caller's weight never moves."""

QUESTION = "q03_sgd_step"
HINT = "update w in place (w -= lr * w.grad) under torch.no_grad()"
ANSWER = """
def sgd_step(w, lr):
    w = w - lr * w.grad
"""
