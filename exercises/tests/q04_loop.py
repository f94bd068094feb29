from otter.test_files import test_case

OK_FORMAT = False

name = "q04_loop"
points = 2

@test_case(points=None, hidden=False)
def test_value_gradient_and_graph(running_product):
    import torch

    def count(node_name, output):
        found, to_visit, seen = (0, [output.grad_fn], set())
        while to_visit:
            node = to_visit.pop()
            if node is None or node in seen:
                continue
            seen.add(node)
            found += type(node).__name__ == node_name
            to_visit.extend((next_node for next_node, _slot in node.next_functions))
        return found
    x = torch.tensor([2.0, 3.0, 4.0], requires_grad=True)
    failure = None
    try:
        product = running_product(x)
    except Exception as error:
        failure = f'{type(error).__name__} ({error})'
    assert failure is None or 'view of a leaf' not in failure, 'Your loop changed a piece of x in place (such as product = x[0], then product *= value): x[0] is a view of the leaf x, which cannot be changed in place while autograd records. Write product = product * value, which makes a new tensor at each step.'
    assert failure is None, f'running_product(x) stopped with {failure}.'
    assert product is not None and product is not Ellipsis, 'running_product(x) returns nothing yet: return the product, a one-number tensor.'
    assert isinstance(product, torch.Tensor), f'running_product(x) returned a {type(product).__name__}, not a tensor: .item() and float() turn numbers into plain Python numbers that autograd cannot follow; multiply the tensors themselves.'
    assert product.numel() == 1 and torch.allclose(product, torch.tensor(24.0)), f'The product of [2, 3, 4] is 24; yours is {product.detach().tolist()}.'
    assert product.grad_fn is not None, 'Your product carries no graph: keep the numbers as tensors (no .item(), no torch.tensor(...) around them, no torch.no_grad()), so that autograd records each multiplication.'
    multiplications = count('MulBackward0', product)
    assert not (multiplications == 0 and count('ProdBackward0', product)), 'torch.prod records a single node for the whole product: write the loop yourself, one multiplication per number, so that the graph grows with x.'
    assert multiplications in (2, 3), f'For 3 numbers the graph should hold 2 or 3 MulBackward0 nodes, one per multiplication; yours holds {multiplications}.'
    product.sum().backward()
    assert torch.allclose(x.grad, torch.tensor([12.0, 8.0, 6.0])), f"x.grad should be [12, 8, 6], each number's derivative being the product of the others; yours is {x.grad.tolist()}."

