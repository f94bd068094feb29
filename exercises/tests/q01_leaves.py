from otter.test_files import test_case

OK_FORMAT = False

name = "q01_leaves"
points = 2

@test_case(points=None, hidden=False)
def test_lesson_graph(leaves):
    import torch
    a = torch.tensor(2.0, requires_grad=True)
    b = torch.tensor(3.0, requires_grad=True)
    found = leaves((a + b) * a)
    assert found is not None and found is not Ellipsis, 'leaves(t) returns nothing yet: return a list of tensors.'
    found = list(found)
    assert not any((type(x).__name__ == 'AccumulateGrad' for x in found)), 'You returned AccumulateGrad nodes: return the leaf each one feeds, its .variable.'
    assert len(found) == 2, f'(a + b) * a has 2 leaves, a and b; you found {len(found)}. a is reached along two paths: keep a set of the nodes already seen and count each once.'
    assert {id(x) for x in found} == {id(a), id(b)}, 'Return the leaf tensors a and b themselves.'

