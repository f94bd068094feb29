from otter.test_files import test_case

OK_FORMAT = False

name = "q08_zero_grad"
points = 2

@test_case(points=None, hidden=False)
def test_two_passes(Value, zero_grad):
    x = Value(1.0)
    u = 3 * x
    square = u * u
    y = u + square
    y.backward()
    zero_grad(y)
    nodes = {'y': y, 'u * u': square, 'u': u, 'the constant 3': u._prev[1], 'x': x}
    grads = {name: node.grad for name, node in nodes.items()}
    assert None not in grads.values(), "Set grad to 0.0, not None: the engine's rules add to it with +=, and None + a number fails."
    assert grads != {'y': 1.0, 'u * u': 1.0, 'u': 7.0, 'the constant 3': 7.0, 'x': 21.0}, "zero_grad(y) changed no gradient yet: walk from root through each Value's _prev and set every grad to 0.0."
    assert [node.data for node in nodes.values()] == [12.0, 9.0, 3.0, 3.0, 1.0], 'zero_grad must reset grad only: the data of some Value changed.'
    assert x.grad == 0.0 or y.grad != 0.0, "y.grad is back to 0 but x.grad is not: walk all the way down, through the _prev of every Value you reach, not only y's own inputs."
    assert not (x.grad == 0.0 and (u.grad != 0.0 or square.grad != 0.0)), f'The leaves are reset but the Values in between still hold a gradient (u.grad = {u.grad}). In this engine every Value keeps one: reset them all, not only the leaves.'
    kept = [name for name, grad in grads.items() if grad != 0.0]
    assert not kept, f"After zero_grad(y) every grad must be 0.0; still set: {', '.join(kept)}."
    y.backward()
    assert x.grad == 21.0, f'After zero_grad and a second backward, x.grad must be 21.0 again; yours is {x.grad}: the gradients piled up across the two backward calls.'

