from otter.test_files import test_case

OK_FORMAT = False

name = "q02_by_hand"
points = 2

@test_case(points=None, hidden=False)
def test_three_points(by_hand):
    import torch

    def near(mine, expected):
        return abs(mine - expected) <= 1e-09 * max(1.0, abs(expected))
    for x0, y0 in [(1.0, 2.0), (0.5, -1.5), (2.0, 0.3)]:
        answer = by_hand(torch.tensor(x0, dtype=torch.float64), torch.tensor(y0, dtype=torch.float64))
        assert answer is not None and answer is not Ellipsis, 'by_hand(x, y) returns nothing yet: return the pair (dr_dx, dr_dy).'
        assert isinstance(answer, (tuple, list)) and len(answer) == 2, 'by_hand(x, y) must return a pair, (dr_dx, dr_dy), in that order.'
        dr_dx, dr_dy = (float(d) for d in answer)
        x = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
        y = torch.tensor(y0, dtype=torch.float64, requires_grad=True)
        ((x * y + torch.sin(x)) ** 2).backward()
        v = x0 * y0 + torch.sin(torch.tensor(x0, dtype=torch.float64)).item()
        cos_x = torch.cos(torch.tensor(x0, dtype=torch.float64)).item()
        where = f'at x = {x0}, y = {y0}'
        assert not near(dr_dx, y0 + cos_x), f'dr_dx {where} misses the outer factor: r = v², so every path starts with dr/dv = 2v, where v = x*y + sin x; multiply by it.'
        assert not near(dr_dx, v * (y0 + cos_x)), f'dr_dx {where} is half what it should be: the local derivative of v² is 2v, keep its 2.'
        assert not near(dr_dx, 2 * v * y0), f'dr_dx {where} misses the path through sin x: x reaches v through u = x*y (giving y) and through sin x (giving cos x); add both: 2v * (y + cos x).'
        assert near(dr_dx, x.grad.item()), f"dr_dx {where} should be {x.grad.item():.6g} (autograd's answer); yours is {dr_dx:.6g}."
        assert not near(dr_dy, x0), f'dr_dy {where} misses the outer factor: multiply the local derivative x by dr/dv = 2v.'
        assert not near(dr_dy, v * x0), f'dr_dy {where} is half what it should be: the local derivative of v² is 2v, keep its 2.'
        assert near(dr_dy, y.grad.item()), f"dr_dy {where} should be {y.grad.item():.6g} (autograd's answer); yours is {dr_dy:.6g}."

