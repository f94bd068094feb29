"""Feeds D the generated batch itself, so D's backward pass runs on into G."""

QUESTION = "q06_discriminator_step"
HINT = "received gradients from the discriminator's loss: detach the fake batch"
ANSWER = """
def discriminator_step(D, d_optimizer, real, fake):
    bce = nn.BCEWithLogitsLoss()
    d_optimizer.zero_grad()
    d_loss = bce(D(real), torch.ones(len(real), 1)) + bce(D(fake), torch.zeros(len(fake), 1))
    d_loss.backward()
    d_optimizer.step()
    return d_loss
"""
