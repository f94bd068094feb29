from otter.test_files import test_case

OK_FORMAT = False

name = "q09_pick_mode"
points = 2

@test_case(points=None, hidden=False)
def test_cheaper_mode(cheaper_mode):
    choice = cheaper_mode(10000000, 1)
    assert choice is not None and choice is not Ellipsis, 'cheaper_mode(n_inputs, n_outputs) returns nothing yet: return a pair such as ("reverse", 1).'
    assert isinstance(choice, tuple) and len(choice) == 2, f'Return a pair (mode, passes), e.g. ("reverse", 1); cheaper_mode(10_000_000, 1) gave {choice!r}.'
    assert choice[0] in ('forward', 'reverse'), f'Name the mode "forward" or "reverse"; yours is {choice[0]!r}.'
    assert choice[0] == 'reverse', 'A loss with 10 million inputs and 1 output needs 10 million forward passes (a column each) but 1 reverse pass (its one row): you swapped the modes.'
    assert choice == ('reverse', 1), f"Reverse mode takes one pass per output, so cheaper_mode(10_000_000, 1) is ('reverse', 1); yours is {choice!r}."
    assert cheaper_mode(1, 2000) == ('forward', 1), f'One input and 2000 outputs: forward mode, 1 pass (one column); yours is {cheaper_mode(1, 2000)!r}.'
    assert cheaper_mode(3, 3) == ('forward', 3), f"""On a tie both modes take as many passes: pick "forward", which records no graph. cheaper_mode(3, 3) must be ('forward', 3); yours is {cheaper_mode(3, 3)!r}."""

@test_case(points=None, hidden=False)
def test_jacobian_cheaper(jacobian_cheaper):
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
    generator = torch.Generator().manual_seed(0)
    for n, m, mode, count in [(6, 1, 'reverse', 1), (2, 5, 'forward', 2)]:
        w1 = torch.randn(8, n, generator=generator)
        w2 = torch.randn(m, 8, generator=generator)
        x = torch.randn(n, generator=generator)

        def f(x, w1=w1, w2=w2):
            return w2 @ torch.tanh(w1 @ x)
        expected = torch.autograd.functional.jacobian(f, x)
        passes.update(forward=0, reverse=0)
        J = jacobian_cheaper(lambda x, f=f: f(Counted.apply(x)), x)
        assert isinstance(J, torch.Tensor), 'jacobian_cheaper(f, x) returns nothing yet: return the Jacobian, a tensor.'
        assert not (J.shape == (n, m) and torch.allclose(J, expected.T, atol=1e-06)), f'For f: R^{n} → R^{m} your Jacobian is transposed, shape ({n}, {m}): stack the columns of forward mode along dim=1 and the rows of reverse mode along dim=0.'
        assert J.shape == (m, n) and torch.allclose(J, expected, atol=1e-06), f"For f: R^{n} → R^{m} the Jacobian has shape ({m}, {n}) and equals torch.autograd.functional.jacobian's; yours is {J.tolist()}."
        other = 'forward' if mode == 'reverse' else 'reverse'
        assert passes[other] == 0, f"For f: R^{n} → R^{m} the passes needed are {count} in {mode} mode and {(n if mode == 'reverse' else m)} in {other} mode, but yours ran {passes[other]} in {other} mode: choose with cheaper_mode(x.numel(), f(x).numel())."
        assert passes[mode] == count, f"For f: R^{n} → R^{m} {mode} mode makes one pass per {('output' if mode == 'reverse' else 'input')}, {count} in all; yours made {passes[mode]}. Loop over the unit vectors yourself (no jacfwd, jacrev or vmap)."

