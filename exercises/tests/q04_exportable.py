from otter.test_files import test_case

OK_FORMAT = False

name = "q04_exportable"
points = 2

@test_case(points=None, hidden=False)
def test_both_signs_and_export(sign_dependent):
    import torch

    def lesson(x):
        if x.sum() > 0:
            return (x * 0.5).sum()
        return x.exp().sum()

    def export_quietly(example):
        """sign_dependent exported through a module, and None; or None and why it could not be."""
        import contextlib
        import io
        import logging

        class AsModule(torch.nn.Module):

            def forward(self, x):
                return sign_dependent(x)
        logger = logging.getLogger('torch.fx.experimental.symbolic_shapes')
        level = logger.level
        logger.setLevel(logging.ERROR)
        try:
            with contextlib.redirect_stderr(io.StringIO()):
                return (torch.export.export(AsModule(), (example,)), None)
        except Exception as error:
            return (None, (str(error).splitlines() or [type(error).__name__])[0])
        finally:
            logger.setLevel(level)
    for values in ([1.0, 2.0, 0.5], [-1.0, -2.0, 0.5]):
        x = torch.tensor(values)
        result = sign_dependent(x)
        assert isinstance(result, torch.Tensor), 'sign_dependent(x) returns nothing yet: return a one-number tensor.'
        assert result.shape == (), f"sign_dependent(x) must return one number, as the lesson's does; yours has shape {tuple(result.shape)}."
        expected = lesson(x)
        per_number = torch.where(x > 0, x * 0.5, x.exp()).sum()
        assert torch.allclose(result, expected) or not torch.allclose(result, per_number), f"For x = {values} you chose per number (x > 0); the lesson's if decides once for the whole tensor: use the condition x.sum() > 0."
        swapped = (x * 0.5).sum() if x.sum() <= 0 else x.exp().sum()
        assert not torch.allclose(result, swapped), f'For x = {values} you returned the other branch: torch.where(condition, a, b) gives a where condition is true, so put (x * 0.5).sum() first.'
        assert torch.allclose(result, expected), f'sign_dependent({values}) should be {expected.item():.4f}, as in the lesson; yours is {result.item():.4f}.'
    program, failure = export_quietly(torch.ones(3))
    assert failure is None or 'data-dependent' not in failure, "torch.export could not capture your function: a Python if (or .item()) on a tensor's value needs a value that export's fake tensors do not have. Compute both results and pick one with torch.where(x.sum() > 0, a, b)."
    assert failure is None, f'torch.export.export could not capture your function ({failure}).'
    negative = torch.tensor([-1.0, -2.0, 0.5])
    assert torch.allclose(program.module()(negative), lesson(negative)), 'Exported with a positive example, your program gives the wrong result for a negative one: the choice must be made inside the program (torch.where), not while exporting.'

