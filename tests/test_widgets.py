import ipywidgets as W
import pytest
import torch

import helpers as h
from sample_graphs import detach_build


def test_explorer_starts_with_the_full_graph_and_its_gradients():
    explorer = h.interact_graph(detach_build, detach_d=False, a_requires_grad=True)
    assert explorer.flags == {"detach_d": False, "a_requires_grad": True}
    assert [box.description for box in explorer.checkboxes.values()] == ["detach d", "a requires grad"]
    assert {k: None if v is None else v.item() for k, v in explorer.gradients.items()} == {
        "a": 1.0, "b": 1.0, "c": 1.0, "d": None, "f": None}
    assert "<svg" in explorer.picture.value and "ReluBackward0" in explorer.picture.value
    assert isinstance(explorer.picture, W.HTML)
    assert explorer.message.value == ""


def test_flipping_detach_changes_picture_and_table():
    explorer = h.interact_graph(detach_build, detach_d=False, a_requires_grad=True)
    picture, table = explorer.picture.value, explorer.table.value
    explorer.checkboxes["detach_d"].value = True  # what a click does
    assert explorer.picture.value != picture
    assert explorer.table.value != table
    assert explorer.gradients["a"] is None and explorer.gradients["b"] is None
    assert explorer.gradients["c"].item() == 1.0
    assert "no grad" in explorer.picture.value
    # what the switch removed stays as a grey ghost
    assert "ReluBackward0" in explorer.picture.value and "stroke-dasharray" in explorer.picture.value
    explorer.set(detach_d=False)
    assert explorer.gradients["a"].item() == 1.0


def test_requires_grad_switch_shows_in_table():
    explorer = h.interact_graph(detach_build, detach_d=False, a_requires_grad=True)
    explorer.set(a_requires_grad=False)
    assert explorer.gradients["a"] is None
    assert "requires_grad=False" in explorer.table.value
    assert explorer.gradients["b"].item() == 1.0


def test_gradients_do_not_pile_up_when_build_reuses_leaves():
    w = torch.tensor(2.0, requires_grad=True)
    explorer = h.interact_graph(lambda double: (w * (4 if double else 2), {"w": w}), double=False)
    for _ in range(3):
        explorer.set(double=True)
        explorer.set(double=False)
    assert explorer.gradients["w"].item() == 2.0


def test_a_raising_build_is_shown_and_the_widget_stays_usable():
    def build(broken):
        if broken:
            raise ValueError("shapes do not match")
        return detach_build(False, True)

    explorer = h.interact_graph(build, broken=False)
    picture = explorer.picture.value
    explorer.set(broken=True)
    assert "ValueError" in explorer.message.value and "shapes do not match" in explorer.message.value
    explorer.set(broken=False)
    assert explorer.message.value == "" and explorer.picture.value == picture


def test_output_without_grad_is_explained():
    explorer = h.interact_graph(lambda track: torch.tensor(1.0, requires_grad=track) * 2, track=True)
    explorer.set(track=False)
    assert "does not require grad" in explorer.picture.value
    assert explorer.message.value == ""


def test_build_returning_a_non_tensor_is_explained():
    explorer = h.interact_graph(lambda flag: 3.0, flag=True)
    assert "build must return a tensor" in explorer.message.value


def test_bad_switches():
    with pytest.raises(ValueError, match="at least one switch"):
        h.interact_graph(detach_build)
    with pytest.raises(TypeError, match="True or False"):
        h.interact_graph(detach_build, detach_d="yes")
    with pytest.raises(TypeError, match="build must be a function"):
        h.interact_graph(42, flag=True)
    explorer = h.interact_graph(detach_build, detach_d=False, a_requires_grad=True)
    with pytest.raises(KeyError, match="no switch named"):
        explorer.set(detach=True)


def test_quiz_typed_answer():
    q = h.quiz("What is a.grad?", 4, explanation="dd/da = 2a + b = 4.", hint="Use the product rule.")
    assert isinstance(q.input, W.Text)
    assert q.check("3") is False and "product rule" in q.feedback.value
    assert q.check(" 4.0 ") is True and "2a + b" in q.feedback.value
    assert q.check("four") is False


def test_quiz_options():
    q = h.quiz("Which has grad None?", "a", options=["a", "c"], why={"c": "c is still in the graph."},
               explanation="a was cut off by detach().")
    assert isinstance(q.input, W.RadioButtons)
    assert q.check("c") is False and "still in the graph" in q.feedback.value
    q.input.value = "a"
    q.button.click()
    assert q.correct is True and "Right" in q.feedback.value


def test_quiz_text_answers_ignore_case_and_backticks():
    q = h.quiz("Which op made d?", ["MulBackward0", "mul"])
    assert q.check("`mulbackward0`") and q.check("Mul")
    assert q.check("") is False and "answer first" in q.feedback.value


def test_quiz_bad_definition():
    with pytest.raises(ValueError, match="not one of the options"):
        h.quiz("?", "b", options=["a", "c"])
    with pytest.raises(ValueError, match="needs a question"):
        h.quiz("", 1)


def make_stepper():
    from test_backward import source_001

    r, params = source_001()
    return h.backward_stepper(r, params), params


def test_stepper_walks_the_steps():
    stepper, params = make_stepper()
    assert params["x"].grad.item() == 160  # the stepper ran the backward pass
    assert stepper.step == 0 and stepper.back.disabled and not stepper.next.disabled
    first = stepper.picture.value
    assert "step 1 of 7: PowBackward0 (r)" in stepper.explanation.value
    stepper.next.click()
    assert stepper.step == 1 and stepper.picture.value != first
    assert "40 × 5 = 200" in stepper.explanation.value and "40 × 4 = 160" in stepper.explanation.value
    stepper.slider.value = 6
    assert stepper.next.disabled and "adds it into y.grad" in stepper.explanation.value
    stepper.next.click()  # disabled in the page; from Python it stays on the last step
    assert stepper.step == 6
    stepper.back.click()
    assert stepper.step == 5 and "160 × 4 = 640" in stepper.text()
    stepper.go(-3)
    assert stepper.step == 0


def test_stepper_tensor_steps_are_summarised():
    x = torch.ones(3, 3, requires_grad=True)
    stepper = h.backward_stepper((x * 2).sum())
    stepper.go(1)
    assert "[3×3] mean 2, std 0" in stepper.text()


def test_stepper_bad_input():
    with pytest.raises(h.NoGraphError):
        h.backward_stepper(torch.tensor(1.0))
    with pytest.raises(h.NoGraphError, match="the root is a leaf"):
        h.backward_stepper(torch.tensor(1.0, requires_grad=True))
    stepper, _ = make_stepper()
    with pytest.raises(ValueError, match="between 0 and 6"):
        stepper.text(9)


def test_custom_backward_and_saved_option_show_retain_graph():
    def build(retain_graph):
        x = torch.tensor(3.0, requires_grad=True)
        loss = (x + 1 - 2 * x) ** 2
        return loss, {"x": x, "loss": loss}

    def twice(loss, retain_graph):
        loss.backward(retain_graph=retain_graph)
        loss.backward(retain_graph=retain_graph)

    explorer = h.interact_graph(build, backward=twice, saved=True, retain_graph=False)
    assert "Trying to backward through the graph a second time" in explorer.message.value
    assert explorer.gradients["x"].item() == 4.0  # the first pass went through
    assert "FREED" in explorer.picture.value
    explorer.set(retain_graph=True)
    assert explorer.message.value == ""
    assert explorer.gradients["x"].item() == 8.0  # two passes, added up
    assert "saved self = &#45;2" in explorer.picture.value and "FREED" not in explorer.picture.value
    with pytest.raises(TypeError, match="backward must be a function"):
        h.interact_graph(build, backward=1, retain_graph=False)
