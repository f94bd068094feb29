from otter.test_files import test_case

OK_FORMAT = False

name = "q05_relu_backward"
points = 2

@test_case(points=None, hidden=False)
def test_gradient_times_slope(MyReLU):
    import torch
    x = torch.tensor([-2.0, -0.5, 0.3, 1.7], dtype=torch.float64, requires_grad=True)
    arriving = torch.tensor([1.0, 2.0, -3.0, 4.0], dtype=torch.float64)
    try:
        MyReLU.apply(x).backward(arriving.clone())
    except RuntimeError as error:
        raise AssertionError(f'The backward pass failed ({error}): return one tensor shaped like grad_output.') from None
    assert x.grad is not None, 'MyReLU.backward returns nothing yet: return the gradient for inputs, a tensor shaped like grad_output.'
    slope = (x.detach() > 0).double()
    assert not torch.equal(x.grad, slope), "Your backward returns the ReLU's own slope (0 or 1) and ignores grad_output: multiply it by grad_output, the gradient that arrived (the chain rule)."
    assert not torch.equal(x.grad, arriving), 'Your backward passes grad_output on unchanged: it must be 0 where the input was negative.'
    assert not torch.equal(x.grad, arriving * (1 - slope)), 'You blocked the wrong side: the gradient must pass where the input was positive and stop where it was negative.'
    assert torch.equal(x.grad, arriving * slope), f'With grad_output {arriving.tolist()} the gradient for inputs {x.detach().tolist()} must be {(arriving * slope).tolist()}; yours is {x.grad.tolist()}.'
    points = torch.tensor([-2.0, -0.5, 0.3, 1.7], dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(MyReLU.apply, (points,), raise_exception=False), 'gradcheck found your backward different from finite differences: return grad_output times the slope.'

