import pytest
import torch

import helpers as h
import helpers.gan as g


@pytest.fixture
def batch():
    generator = torch.Generator().manual_seed(1)
    return g.ring_of_gaussians(128, generator), torch.randn(128, g.NOISE_SIZE, generator=generator)


def test_ring_data():
    points = g.ring_of_gaussians(4000, torch.Generator().manual_seed(0))
    distance, counts = g.mode_report(points)
    assert points.shape == (4000, 2) and distance < 0.05
    assert len(counts) == 8 and min(counts) > 400  # every spot gets its share
    assert torch.allclose(g.ring_centers().norm(dim=1), torch.full((8,), 2.0))


@pytest.mark.slow
def test_training_moves_samples_onto_the_ring():
    gan = g.make_gan(seed=0, hidden=64)
    noise = torch.randn(1000, g.NOISE_SIZE, generator=torch.Generator().manual_seed(2))
    with torch.no_grad():
        before, _ = g.mode_report(gan.G(noise))
    history = g.train(gan, steps=600, batch_size=128)
    with torch.no_grad():
        after, _ = g.mode_report(gan.G(noise))
    assert len(history) == 600 and all(len(losses) == 2 for losses in history)
    assert after < before / 2


def test_detach_keeps_g_out_of_the_d_step(batch):
    gan = g.make_gan()
    outcome = g.d_then_g_step(gan, *batch, detach=True)
    assert outcome.g_grad_after_d_step is None and outcome.d_grad_after_d_step > 0
    assert outcome.g_step_error is None and outcome.g_grad_after_g_step > 0


def test_without_detach_the_g_step_fails(batch):
    gan = g.make_gan()
    outcome = g.d_then_g_step(gan, *batch, detach=False)
    assert outcome.g_grad_after_d_step > 0  # D's loss leaked into G
    assert outcome.g_step_error.startswith("Trying to backward through the graph a second time")
    assert outcome.g_grad_after_g_step is None


def test_retain_graph_is_a_remedy_at_a_cost(batch):
    gan = g.make_gan()
    outcome = g.d_then_g_step(gan, *batch, detach=False, retain_graph=True)
    assert outcome.g_step_error is None
    detached = g.measure_d_step(gan, *batch, detach=True, retain_graph=False, repeats=3)
    retained = g.measure_d_step(gan, *batch, detach=False, retain_graph=True, repeats=3)
    assert retained.kept_bytes > detached.kept_bytes and retained.peak_bytes > detached.peak_bytes
    assert detached.median_ms > 0


def test_models_are_not_updated_by_the_experiment(batch):
    gan = g.make_gan()
    before = [p.clone() for p in gan.G.parameters()]
    g.d_then_g_step(gan, *batch, detach=False, retain_graph=True)
    assert all(torch.equal(a, b) for a, b in zip(before, gan.G.parameters()))


def test_gan_lab_widget(batch):
    lab = h.gan_detach_lab(g.make_gan(), *batch, measure=False)
    assert lab.remedy.disabled and "works" in lab.report.value
    assert "G.0.weight" not in lab.view.dot and "None: no gradient" in lab.report.value
    lab.set(detach=False)
    assert not lab.remedy.disabled and "G.0.weight" in lab.view.dot
    assert "RuntimeError: Trying to backward through the graph a second time" in lab.report.value
    lab.set(remedy="retain_graph=True")
    assert lab.retain_graph and lab.outcome.g_step_error is None and "works" in lab.report.value
    lab.set(detach=True)
    assert not lab.retain_graph
    assert "G.0.weight" in lab.view.dot and 'class="agl-ghost"' in lab.view.dot  # G's part, now a ghost
    assert h.autograd_graph(lab.outcome.d_loss).of_kind("cut")  # and cut in the real graph
    with pytest.raises(ValueError, match="remedy must be"):
        lab.set(remedy="retain")


def test_gan_lab_asks_before_it_shows_and_marks_the_guess(batch):
    lab = h.gan_detach_lab(g.make_gan(), *batch, measure=False)
    dot = lab.view.dot
    lab.detach.value = False  # a click: nothing runs yet, the picture is marked out of date
    assert lab.prediction.pending and lab.view.stale and lab.view.dot == dot
    assert lab.outcome.g_step_error is None  # still the detached run's outcome
    lab.predict(g_gets_grad=True, g_step_works=True)
    lab.prediction.run_button.click()
    assert not lab.prediction.pending and not lab.view.stale and "G.0.weight" in lab.view.dot
    assert list(lab.prediction.results.values()) == [True, False]
    assert (
        "2 of 2 answered, 1 right" in lab.prediction.marks.value
        and "freed its saved tensors" in lab.prediction.marks.value
    )
    lab.prediction.enabled.value = False  # asking turned off: a click shows the result at once
    lab.detach.value = True
    assert not lab.prediction.pending and lab.outcome.g_grad_after_d_step is None


def test_gan_lab_measures(batch):
    lab = h.gan_detach_lab(g.make_gan(), *batch)
    assert "D step&#x27;s backward time (median of 50)" in lab.report.value and "MFLOP" in lab.report.value
    assert "MiB" in lab.report.value


def test_gan_lab_bad_input(batch):
    real, noise = batch
    with pytest.raises(TypeError, match="make_gan"):
        h.gan_detach_lab("gan", real, noise)
    with pytest.raises(ValueError, match=r"real must be a batch of shape \(N, 2\), got \(4, 3\)"):
        h.gan_detach_lab(g.make_gan(), torch.ones(4, 3), noise)
    with pytest.raises(ValueError, match="noise must be a batch"):
        h.gan_detach_lab(g.make_gan(), real, torch.ones(4))


def test_d_step_cost_counts_work_and_memory_exactly(batch):
    gan = g.make_gan()
    detached = g.measure_d_step(gan, *batch, detach=True, retain_graph=False, repeats=3)
    linked = g.measure_d_step(gan, *batch, detach=False, retain_graph=False, repeats=3)
    g_bytes = sum(p.numel() * p.element_size() for p in gan.G.parameters())
    assert linked.backward_flops > 1.4 * detached.backward_flops  # the backward runs on through G
    assert linked.kept_bytes - detached.kept_bytes == g_bytes  # G's gradients, nothing else
    assert detached.repeats == 3 and detached.median_ms > 0
    with pytest.raises(ValueError, match="repeats must be"):
        g.measure_d_step(gan, *batch, detach=True, retain_graph=False, repeats=0)


def test_interleaved_backward_times(batch):
    times = g.time_d_backward(g.make_gan(), *batch, rounds=3)
    assert times.rounds == 3 and set(times.seconds) == set(g.D_STEP_SETTINGS)
    assert times.ratio("no detach()", "no detach()") == 1.0
    with pytest.raises(ValueError, match="rounds must be"):
        g.time_d_backward(g.make_gan(), *batch, rounds=0)
