from otter.test_files import test_case

OK_FORMAT = False

name = "q06_generator_step"
points = 2

@test_case(points=None, hidden=False)
def test_gradient_reaches_g(generator_step):
    import copy
    import torch
    from torch import nn
    torch.manual_seed(0)
    G, D = (nn.Linear(2, 2), nn.Linear(2, 1))
    g_optimizer = torch.optim.SGD(G.parameters(), lr=0.1)
    noise = torch.randn(8, 2)
    fake = G(noise)
    before = copy.deepcopy(G)
    g_loss = generator_step(D, g_optimizer, fake)
    assert g_loss is not None and g_loss is not Ellipsis, "generator_step returns nothing yet: return g_loss, the generator's loss."
    assert G.weight.grad is not None, "G got no gradient from G's loss: do not detach the fake batch in the generator's step, the gradient must flow through D and fake back into G."
    value = float(torch.as_tensor(g_loss).detach())
    bce = nn.BCEWithLogitsLoss()
    with torch.no_grad():
        expected, zeros_label = (bce(D(before(noise)), torch.ones(8, 1)), bce(D(before(noise)), torch.zeros(8, 1)))
    assert abs(value - zeros_label.item()) > 1e-06, "Your label is wrong: G's loss labels the generated points 1, 'real', since G wins when D takes them for real ones."
    assert abs(value - expected.item()) < 1e-05, f"G's loss must be bce(D(fake), ones) = {expected.item():.4f}; yours is {value:.4f}."
    assert not torch.equal(G.weight, before.weight), "G's weights did not change: call g_optimizer.step() last."
    reference = copy.deepcopy(before)
    bce(D(reference(noise)), torch.ones(8, 1)).backward()
    assert torch.allclose(G.weight, before.weight - 0.1 * reference.weight.grad), "G's weights after your step are not what one step on G's loss gives: run g_loss.backward() once, then g_optimizer.step() once."

