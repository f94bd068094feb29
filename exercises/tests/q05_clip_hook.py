from otter.test_files import test_case

OK_FORMAT = False

name = "q05_clip_hook"
points = 2

@test_case(points=None, hidden=False)
def test_clips_both_sides(add_clip_hook):
    import torch
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    t = x * 3
    handle = add_clip_hook(t, 1.0)
    assert isinstance(handle, torch.utils.hooks.RemovableHandle), 'add_clip_hook(t, limit) returns nothing yet: register the hook with t.register_hook and return the handle it gives.'
    (t * torch.tensor([-5.0, 0.5, 2.0])).sum().backward()
    got = x.grad.tolist()
    assert got != [-15.0, 1.5, 6.0], 'The gradient passed unchanged: a hook that returns None leaves it as it was. Return the clipped gradient, grad.clamp(-limit, limit).'
    assert got != [-15.0, 1.5, 3.0], 'Only the positive side was clipped: stop the negative values at -limit too.'
    assert got != [-3.0, 1.5, 6.0], 'Only the negative side was clipped: stop the positive values at limit too.'
    assert got == [-3.0, 1.5, 3.0], f"t's gradient [-5, 0.5, 2] clipped to [-1, 1] gives x.grad = 3 * [-1, 0.5, 1] = [-3, 1.5, 3]; yours is {got}."

