from otter.test_files import test_case

OK_FORMAT = False

name = "q07_penalty"
points = 2

@test_case(points=None, hidden=False)
def test_lesson_critic(gradient_penalty):
    import torch
    from torch import nn
    torch.manual_seed(0)
    critic = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 1))
    real, fake = (torch.randn(6, 2) + 2, torch.randn(6, 2))
    mix = torch.rand(6, 1)
    try:
        penalty = gradient_penalty(critic, real, fake, mix)
    except RuntimeError as error:
        if 'does not require grad' in str(error):
            raise AssertionError('torch.autograd.grad needs the points to require grad: call .requires_grad_() on them before the critic sees them.') from None
        if 'scalar outputs' in str(error):
            raise AssertionError("critic(points) holds one score per point: take the gradient of critic(points).sum(), whose gradient with respect to each point is that point's own.") from None
        raise AssertionError(f'gradient_penalty failed ({error}): follow the three steps above.') from None
    except Exception as error:
        raise AssertionError(f'gradient_penalty failed ({type(error).__name__}: {error}): follow the three steps above.') from None
    assert isinstance(penalty, torch.Tensor), 'gradient_penalty(critic, real, fake, mix) returns nothing yet: return the penalty, a tensor.'
    assert all((p.grad is None for p in critic.parameters())), "gradient_penalty left gradients in the critic's .grad: take the gradient with torch.autograd.grad, which returns it without storing it (no backward() in here)."
    assert penalty.grad_fn is not None, 'Your penalty has no grad_fn, so its backward has nothing to walk: pass create_graph=True to torch.autograd.grad.'
    between = (mix * real + (1 - mix) * fake).requires_grad_()
    grad_x, = torch.autograd.grad(critic(between).sum(), between, create_graph=True)
    expected = ((grad_x.norm(2, dim=1) - 1) ** 2).mean()
    swapped = (1 - mix) * real + mix * fake
    grad_swapped, = torch.autograd.grad(critic(swapped.requires_grad_()).sum(), swapped)
    value = penalty.item()
    assert abs(value - ((grad_swapped.norm(2, dim=1) - 1) ** 2).mean().item()) > 1e-06, 'Your points sit at the mirror position: mix weights real, so the points are mix * real + (1 - mix) * fake.'
    assert abs(value - ((grad_x.norm() - 1) ** 2).item()) > 1e-06, 'You took one norm over the whole batch: take one norm per point, grad.norm(2, dim=1), then the mean of the squares.'
    assert abs(value - expected.item()) < 1e-05, f'The penalty must be {expected.item():.4f}; yours is {value:.4f}.'
    penalty.backward()
    reference = torch.autograd.grad(expected, list(critic.parameters())[:3])
    assert all((p.grad is not None and torch.allclose(p.grad, r, atol=1e-06) for p, r in zip(list(critic.parameters())[:3], reference))), "penalty.backward() did not give the critic the penalty's gradient: build the penalty from the grad_x you took."

