from otter.test_files import test_case

OK_FORMAT = False

name = "q03_freeze"
points = 2

@test_case(points=None, hidden=False)
def test_freeze_the_first_layer(freeze):
    import torch
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 1))
    layer = model[0]
    before = [parameter.detach().clone() for parameter in model.parameters()]
    failure = None
    try:
        freeze(layer)
    except Exception as error:
        failure = f'{type(error).__name__} ({error})'
    assert failure is None, f'freeze(model[0]) stopped with {failure}.'
    model(torch.randn(5, 3)).sum().backward()
    still = [name for name, parameter in layer.named_parameters() if parameter.grad is not None]
    assert not (still and getattr(layer, 'requires_grad', None) is False), 'layer.requires_grad = False only gives the module a new attribute; its parameters still require grad. Switch it off on each parameter (or call layer.requires_grad_(False), which does them all).'
    assert len(still) < 2, "model[0]'s weight and bias still got a gradient: switch off requires_grad on each of its parameters. (A torch.no_grad() block inside freeze has no lasting effect: it covers only the code run inside the block.)"
    assert not still, f"model[0]'s {(still[0] if still else '')} still got a gradient: freeze every parameter of the layer, as layer.parameters() lists them."
    assert model[2].weight.grad is not None and model[2].bias.grad is not None, 'The last layer got no gradient either: freeze only the layer you are given.'
    after = [parameter.detach() for parameter in model.parameters()]
    assert all((torch.equal(a, b) for a, b in zip(before, after))), "freeze changed the parameters' values: it should only stop their gradients."

