"""Keeps the lesson's Python `if` on a tensor's value: right in eager mode, but torch.export cannot capture it."""

QUESTION = "q04_exportable"
HINT = "torch.where(x.sum() > 0, a, b)"
ANSWER = """
def sign_dependent(x):
    if x.sum() > 0:
        return (x * 0.5).sum()
    return x.exp().sum()
"""
