from otter.test_files import test_case

OK_FORMAT = False

name = "q01_detach"
points = 2

@test_case(points=None, hidden=False)
def test_value_and_gradient(scaled):
    import torch
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = scaled(x)
    assert isinstance(y, torch.Tensor), 'scaled(x) returns nothing yet: return a tensor.'
    assert torch.equal(y.detach(), torch.tensor([3.0, 6.0])), f'scaled([1., 2.]) must be [3., 6.], x times its sum; yours is {y.detach().tolist()}.'
    assert y.requires_grad, 'Your result carries no gradient at all: detach only the sum, not the whole product.'
    y.sum().backward()
    assert not torch.equal(x.grad, torch.tensor([6.0, 6.0])), 'The gradient went through the sum too ([6., 6.]): call .detach() on the sum.'
    assert torch.equal(x.grad, torch.tensor([3.0, 3.0])), f'x.grad must be [3., 3.]; yours is {x.grad.tolist()}.'

