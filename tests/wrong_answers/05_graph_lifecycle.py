"""Returns the ReLU's own slope and forgets to multiply it by the gradient that arrived."""

QUESTION = "q05_relu_backward"
HINT = "ignores grad_output: multiply it by grad_output"
ANSWER = """
class MyReLU(torch.autograd.Function):
    @staticmethod
    def forward(ctx, inputs):
        ctx.save_for_backward(inputs)
        return inputs.clamp(min=0)

    @staticmethod
    def backward(ctx, grad_output):
        (inputs,) = ctx.saved_tensors
        return (inputs > 0).float()
"""
