import pytest
import torch

import helpers as h
from helpers.examples import EXAMPLES


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.title)
def test_every_example_builds_with_every_switch_setting(example):
    names = list(example.switches)
    explorer = h.interact_graph(example.build, **example.switches)
    for bits in range(2 ** len(names)):
        flags = {name: bool(bits >> i & 1) for i, name in enumerate(names)}
        root, params = example.build(**flags)
        assert root.numel() == 1 and all(isinstance(t, torch.Tensor) for t in params.values())
        explorer.set(**flags)
        assert explorer.view.message_kind != "error", (flags, explorer.message)


def test_examples_carry_the_source_numbers():
    grads = {}
    for example in EXAMPLES:
        root, params = example.build(**example.switches)
        root.backward()
        grads[example.title[:2] + example.title[5:8]] = {k: v.grad.item() for k, v in params.items() if v.is_leaf}
    assert grads["01d ="] == {"a": 4.0, "b": 1.0}
    assert grads["01f ="] == {"a": 1.0, "b": 1.0, "c": 1.0}
    assert grads["02r ="] == {"x": 160.0, "y": 640.0, "z": 200.0}
    assert grads["03z ="] == {"x": 16.0, "w": 23.0}


def test_lab_picks_switches_and_steps():
    lab = h.graph_lab()
    assert lab.tabs.titles == ("Switches", "Backward pass")
    assert lab.tabs.children[0] is lab.explorer and lab.stepper_box.children == (lab.stepper,)
    stepper = lab.stepper
    assert "step 1 of 4: MulBackward0 (d)" in stepper.text()
    assert stepper.view.dot == ""  # its tab is hidden: nothing drawn yet
    lab.tabs.selected_index = 1
    assert stepper.view.steps[0]["title"] == "step 1 of 4: MulBackward0 (d)"
    lab.pick("02")
    assert lab.stepper is stepper  # the same widget, loaded with the new graph
    assert "step 1 of 7" in stepper.text() and "∂r/∂r = 1" in stepper.text()
    lab.explorer.set(detach_v=True)
    assert len(stepper.trace.steps) == 3  # x and y dropped out of the backward pass
    assert len(stepper.view.steps) == 3  # seen: redrawn at once
    assert lab.explorer.gradients["x"] is None
    lab.tabs.selected_index = 0
    before = stepper.view.dot
    lab.explorer.set(detach_v=False)
    assert stepper.view.dot == before  # hidden again: the redraw waits until it is seen
    lab.tabs.selected_index = 1
    assert len(stepper.view.steps) == 7


@pytest.mark.slow
def test_picking_again_and_again_leaves_no_widgets_behind():
    import ipywidgets as W

    lab = h.graph_lab()
    titles = [e.title[:5] for e in lab.examples]
    lab.pick(titles[1])
    lab.pick(titles[0])
    live = W.widgets.widget._instances  # every widget not yet closed
    before = len(live)
    for i in range(500):
        lab.pick(titles[i % len(titles)])
    assert len(live) <= before + 10, (before, len(live))


def test_lab_explains_a_graph_without_backward_pass():
    lab = h.graph_lab()
    lab.explorer.set(a_requires_grad=False, b_requires_grad=False)
    assert lab.stepper_box.children == (lab.stepper_note,)
    assert "No backward pass" in lab.stepper_note.value
    lab.explorer.set(a_requires_grad=True)
    assert lab.stepper_box.children == (lab.stepper,)


def test_lab_bad_input():
    lab = h.graph_lab()
    with pytest.raises(KeyError, match="no example titled"):
        lab.pick("99")
    with pytest.raises(ValueError, match="at least one example"):
        h.graph_lab([])
    with pytest.raises(TypeError, match="list of helpers.examples.Example"):
        h.graph_lab("01")
