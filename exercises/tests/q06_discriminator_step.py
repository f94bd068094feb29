from otter.test_files import test_case

OK_FORMAT = False

name = "q06_discriminator_step"
points = 2

@test_case(points=None, hidden=False)
def test_detached_step(discriminator_step):
    import copy
    import torch
    from torch import nn
    torch.manual_seed(0)
    G, D = (nn.Linear(2, 2), nn.Linear(2, 1))
    d_optimizer = torch.optim.SGD(D.parameters(), lr=0.1)
    real, noise = (torch.randn(8, 2) + 2, torch.randn(8, 2))
    fake = G(noise)
    before = copy.deepcopy(D)
    d_loss = discriminator_step(D, d_optimizer, real, fake)
    assert d_loss is not None and d_loss is not Ellipsis, "discriminator_step returns nothing yet: return d_loss, the discriminator's loss."
    assert all((p.grad is None for p in G.parameters())), "The generator's weights received gradients from the discriminator's loss: detach the fake batch (use fake.detach() where D sees it)."
    value = float(torch.as_tensor(d_loss).detach())
    bce = nn.BCEWithLogitsLoss()
    ones, zeros = (torch.ones(8, 1), torch.zeros(8, 1))
    with torch.no_grad():
        expected = bce(before(real), ones) + bce(before(fake), zeros)
        swapped = bce(before(real), zeros) + bce(before(fake), ones)
    assert abs(value - swapped.item()) > 1e-06, "Your labels are swapped: D's loss labels the real points 1 and the generated ones 0."
    assert abs(value - expected.item()) < 1e-05, f"D's loss must be bce(D(real), ones) + bce(D(fake), zeros) = {expected.item():.4f}, computed before the update; yours is {value:.4f}."
    assert not torch.equal(D.weight, before.weight), "D's weights did not change: call d_optimizer.step() after d_loss.backward() (and zero_grad() before backward, not between them)."
    reference = copy.deepcopy(before)
    reference_optimizer = torch.optim.SGD(reference.parameters(), lr=0.1)
    (bce(reference(real), ones) + bce(reference(fake.detach()), zeros)).backward()
    reference_optimizer.step()
    assert torch.allclose(D.weight, reference.weight) and torch.allclose(D.bias, reference.bias), "D's weights after your step are not what one step on D's loss gives: run d_loss.backward() once, then d_optimizer.step() once."
    try:
        bce(D(fake), ones).backward()
    except RuntimeError as error:
        raise AssertionError(f"After your step the generator's step fails ({error.args[0][:50]}...): your backward pass ran through G and freed its graph. Detach the fake batch.") from None

