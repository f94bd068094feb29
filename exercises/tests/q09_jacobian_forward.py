from otter.test_files import test_case

OK_FORMAT = False

name = "q09_jacobian_forward"
points = 2

@test_case(points=None, hidden=False)
def test_lesson_function(jacobian_forward):
    import torch
    passes = {'forward': 0, 'reverse': 0}

    class Counted(torch.autograd.Function):
        """The identity, counting the forward-mode and the reverse-mode passes through it."""
        generate_vmap_rule = True

        @staticmethod
        def forward(x):
            return x.clone()

        @staticmethod
        def setup_context(ctx, inputs, output):
            pass

        @staticmethod
        def backward(ctx, grad):
            passes['reverse'] += 1
            return grad

        @staticmethod
        def jvp(ctx, tangent):
            passes['forward'] += 1
            return tangent

    def f(x):
        return torch.stack([x[0] * x[1] + torch.sin(x[2]), x[1] * x[2] * x[2]])
    x = torch.tensor([1.0, 2.0, 3.0])
    expected = torch.autograd.functional.jacobian(f, x)
    J = jacobian_forward(lambda x: f(Counted.apply(x)), x)
    assert isinstance(J, torch.Tensor), 'jacobian_forward(f, x) returns nothing yet: return the Jacobian, a tensor.'
    assert passes['reverse'] == 0, f"Your function ran backward passes ({passes['reverse']}): that is reverse mode (vjp, backward, autograd.grad, and torch.autograd.functional.jvp, which is built on backward passes). Use torch.func.jvp, one call per input."
    assert passes['forward'] > 0, 'No forward-mode pass went through f: call jvp(f, (x,), (v,)) once per input, with v the unit vector e_j.'
    assert passes['forward'] > 1, 'One batched pass (jacfwd or vmap) made all the columns at once: write the loop yourself, one jvp call per input.'
    value = f(x)
    assert not (J.shape == (2, 3) and torch.allclose(J, value[:, None].expand(2, 3))), 'Each column you stacked is f(x) itself: jvp returns a pair (f(x), J v), and the column is the second.'
    assert not (J.shape == (3, 2) and torch.allclose(J, expected.T)), 'Your matrix is transposed: column j is the jvp with the j-th unit vector, so stack the columns side by side, along dim=1 (one row per output).'
    assert J.shape == (2, 3), f'The Jacobian of f: R³ → R² has shape (2, 3), one row per output and one column per input; yours has {tuple(J.shape)}.'
    assert torch.allclose(J, expected, atol=1e-06), f"Your Jacobian {J.tolist()} differs from torch.autograd.functional.jacobian's {expected.tolist()}."
    assert passes['forward'] == 3, f"A Jacobian with 3 columns takes 3 jvps, one per unit vector; you made {passes['forward']}."

