from otter.test_files import test_case

OK_FORMAT = False

name = "q02_central_difference"
points = 2

@test_case(points=None, hidden=False)
def test_the_lessons_formula(central_difference):
    import torch

    def formula(x, y, z):
        return (z * (x + y ** 2)) ** 2
    point, h = ({'x': 1.0, 'y': 2.0, 'z': 4.0}, 0.001)
    leaves = {name: torch.tensor(value, dtype=torch.float64, requires_grad=True) for name, value in point.items()}
    formula(**leaves).backward()
    for name in point:
        given = dict(point)
        estimate = central_difference(formula, given, name, h)
        assert estimate is not None and estimate is not Ellipsis, 'central_difference(f, point, name, h) returns nothing yet: return one number, the estimate.'
        assert given == point, f"Your function changed the caller's point (now {given}): nudge copies, up = dict(point) and down = dict(point), as the lesson does."
        estimate = float(estimate)
        up, down = (dict(point), dict(point))
        up[name] += h
        down[name] -= h
        forward, backward = ((formula(**up) - formula(**point)) / h, (formula(**point) - formula(**down)) / h)
        assert abs(estimate - forward) > 1e-09 and abs(estimate - backward) > 1e-09, f'For d/d{name} you took a one-sided difference, (f(x + h) - f(x)) / h: its error shrinks only as fast as h. Nudge both ways: (f(x + h) - f(x - h)) / (2 * h).'
        exact = leaves[name].grad.item()
        assert abs(estimate - 2 * exact) > 0.001 * abs(exact), f'Your d/d{name} is twice too big: divide by 2 * h, the distance between x - h and x + h.'
        assert abs(estimate - exact) < 1e-05 * abs(exact), f'd/d{name} at {point} is {exact:g} by autograd; your estimate is {estimate:.6g}.'

