from otter.test_files import test_case

OK_FORMAT = False

name = "q08_sigmoid"
points = 2

@test_case(points=None, hidden=False)
def test_against_torch(Value, sigmoid):
    import torch

    def reachable(root):
        found, stack = (set(), [root])
        while stack:
            node = stack.pop()
            if id(node) not in found:
                found.add(id(node))
                stack.extend(node._prev)
        return found

    def torch_sigmoid(at, upstream=1.0):
        t = torch.tensor(at, dtype=torch.float64, requires_grad=True)
        (torch.sigmoid(t) * upstream).backward()
        return (torch.sigmoid(t).item(), t.grad.item())
    x = Value(0.5)
    s = sigmoid(x)
    assert isinstance(s, Value), 'sigmoid(x) returns nothing yet: return a new Value, out, with its rule attached.'
    value, slope = torch_sigmoid(0.5)
    assert abs(s.data - value) < 1e-09, f'sigmoid(Value(0.5)).data must be 1 / (1 + e^-0.5) = {value:.6f}; yours is {s.data}. Mind the sign: math.exp(-self.data).'
    s.backward()
    assert id(x) in reachable(s), "backward cannot reach x from your result: create out as Value(result, (self,), 'sigmoid'), so that it remembers its input."
    assert x.grad != 0, 'x.grad is still 0 after backward: define the local rule _backward inside sigmoid and attach it with out._backward = _backward.'
    for at in (-2.0, 0.0, 0.5, 3.0):
        x = Value(at)
        sigmoid(x).backward()
        value, slope = torch_sigmoid(at)
        wrong = at * (1 - at)
        assert at == 0.0 or abs(x.grad - wrong) > 1e-09, f'At x = {at} your gradient is x (1 - x) = {wrong}: the rule needs the output, s = out.data, not the input self.data.'
        assert abs(x.grad - slope) < 1e-09, f'dσ/dx at x = {at} is s (1 - s) = {slope:.6f} (PyTorch agrees); yours is {x.grad:.6f}. Check the local rule: s * (1 - s) * out.grad, with s = out.data.'
    x = Value(1.0)
    (3 * sigmoid(x)).backward()
    value, slope = torch_sigmoid(1.0, upstream=3.0)
    assert abs(x.grad - slope / 3) > 1e-09, 'For 3 * sigmoid(x) your rule ignored the gradient arriving from above (3): multiply the local derivative by out.grad.'
    assert abs(x.grad - slope) < 1e-09, f'd(3 σ(x))/dx at x = 1 is {slope:.6f}; yours is {x.grad:.6f}.'
    x = Value(1.0)
    (sigmoid(x) * x).backward()
    s_value, slope = torch_sigmoid(1.0)
    assert abs(x.grad - slope * 1.0) > 1e-09, 'x feeds two operations in sigmoid(x) * x, and your rule overwrote the share the product had already sent: write self.grad += ..., not self.grad = ....'
    assert abs(x.grad - (slope * 1.0 + s_value)) < 1e-09, f"d(σ(x) x)/dx at x = 1 is σ'(1) + σ(1) = {slope + s_value:.6f}; yours is {x.grad:.6f}."

