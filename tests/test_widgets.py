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
