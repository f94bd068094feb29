"""Takes the gradient without create_graph=True, so the penalty comes back as plain numbers."""

QUESTION = "q07_penalty"
HINT = "pass create_graph=True to torch.autograd.grad"
ANSWER = """
def gradient_penalty(critic, real, fake, mix):
    between = (mix * real + (1 - mix) * fake).requires_grad_()
    (grad_x,) = torch.autograd.grad(critic(between).sum(), between)
    return ((grad_x.norm(2, dim=1) - 1) ** 2).mean()
"""
