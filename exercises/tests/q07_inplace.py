from otter.test_files import test_case

OK_FORMAT = False

name = "q07_inplace"
points = 2

@test_case(points=None, hidden=False)
def test_values_and_backward(normalized_exp):
    import torch
    x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
    weights = torch.tensor([1.0, -2.0, 0.5])
    y = normalized_exp(x, 2.0)
    assert isinstance(y, torch.Tensor), 'normalized_exp(x, temperature) returns nothing yet: return a tensor.'
    expected = torch.softmax(x.detach() / 2.0, dim=0)
    assert torch.allclose(y.detach(), expected), f'The values changed: the fixed version must give what the original gives, {expected.tolist()}; yours gives {y.detach().tolist()}.'
    assert y.requires_grad, 'Your result carries no gradient: keep the computation recorded (no torch.no_grad(), no detach() of the result).'
    try:
        (y * weights).sum().backward()
    except RuntimeError as error:
        if 'inplace' in str(error):
            raise AssertionError('Backward still fails with the in-place error: exp saved its result e, and e /= ... changes it afterwards. Divide into a new tensor, e / e.sum().') from None
        raise AssertionError(f'Backward failed ({error}): compute the result from x with recorded operations.') from None
    reference = x.detach().clone().requires_grad_()
    (torch.softmax(reference / 2.0, dim=0) * weights).sum().backward()
    as_if_constant = weights * expected / 2.0
    assert not torch.allclose(x.grad, as_if_constant), 'The values are right but the gradient is not: it goes through exp alone, as if the sum were a constant. A division made through .data (or by a detached sum) is hidden from autograd: write e / e.sum().'
    assert torch.allclose(x.grad, reference.grad, atol=1e-06), f"x.grad must be {reference.grad.tolist()} (the softmax's gradient); yours is {x.grad.tolist()}."

