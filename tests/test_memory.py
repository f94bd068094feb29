import torch

from helpers.memory import TensorMemoryMeter

MIB = 2**20


def test_counts_peak_and_what_stays_alive():
    with TensorMemoryMeter() as meter:
        kept = torch.ones(MIB // 4)  # 1 MiB of float32, still referenced
        temporary = torch.ones(2 * MIB // 4)  # 2 MiB, dropped inside the block
        del temporary
        view = kept[:10]  # a view allocates nothing new
    assert meter.peak_bytes == 3 * MIB
    assert meter.live_bytes == MIB
    del kept, view
    assert meter.live_bytes == 0


def test_sees_backward_and_retained_graphs():
    weight = torch.randn(256, 256, requires_grad=True)
    inputs = torch.randn(512, 256)

    def step(retain_graph):
        with TensorMemoryMeter() as meter:
            loss = torch.relu(inputs @ weight).sum()
            loss.backward(retain_graph=retain_graph)
        return meter, loss

    freed, _ = step(False)
    retained, loss = step(True)
    assert freed.peak_bytes >= 512 * 256 * 4  # the activation, at least
    assert retained.live_bytes > freed.live_bytes  # the kept graph holds its activations
    del loss


def test_a_view_of_memory_made_before_the_block_counts_nothing():
    weight = torch.ones(MIB // 4)  # 1 MiB, made before the block
    with TensorMemoryMeter() as meter:
        transposed = weight.view(256, -1).t()  # views of the old storage
        weight.mul_(2)  # in place: the same storage again
    assert meter.peak_bytes == 0 and meter.live_bytes == 0
    del transposed
