from otter.test_files import test_case

OK_FORMAT = False

name = "q03_sgd_step"
points = 2

@test_case(points=None, hidden=False)
def test_the_lessons_step(sgd_step):
    import torch
    w = torch.tensor([1.0, -2.0], requires_grad=True)
    (w ** 2).sum().backward()
    before, gradient = (w.detach().clone(), w.grad.clone())
    failure = None
    try:
        sgd_step(w, 0.1)
    except Exception as error:
        failure = f'{type(error).__name__} ({error})'
    assert failure is None or 'leaf Variable' not in failure, 'sgd_step changed w in place while autograd was recording, which PyTorch refuses for a leaf that requires grad: make the update inside a `with torch.no_grad():` block.'
    assert failure is None, f'sgd_step(w, lr) stopped with {failure}.'
    unchanged = torch.equal(w.detach(), before)
    cleared = w.grad is None or not w.grad.any()
    assert not (unchanged and cleared and (w.grad is not None)), 'You cleared w.grad before using it, so w did not move: update w first, then zero the gradient.'
    assert not unchanged, "sgd_step(w, lr) left the caller's w as it was. `w = w - lr * w.grad` inside the function only points its local name at a new tensor: update w in place (w -= lr * w.grad) under torch.no_grad()."
    assert w.is_leaf and w.requires_grad, "After sgd_step, w must still be a leaf that requires grad, ready for the next backward(): don't detach it or switch its requires_grad off."
    assert not torch.allclose(w.detach(), before + 0.1 * gradient), "w moved uphill, along its gradient: subtract lr * w.grad, don't add it."
    expected = before - 0.1 * gradient
    assert torch.allclose(w.detach(), expected), f'w should now be {expected.tolist()} (w - lr * w.grad with lr = 0.1); yours is {w.detach().tolist()}.'
    assert cleared, 'Your weight changed but its .grad was not zeroed: call w.grad.zero_() (or set w.grad = None) after the update, or the next backward() adds onto the old gradient.'

