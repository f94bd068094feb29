"""Stacks the jvp columns along dim=0, so the Jacobian comes out transposed, one row per input."""

QUESTION = "q09_jacobian_forward"
HINT = "column j is the jvp with the j-th unit vector"
ANSWER = """
def jacobian_forward(f, x):
    unit = torch.eye(x.numel())
    return torch.stack([jvp(f, (x,), (unit[j],))[1] for j in range(x.numel())])
"""
