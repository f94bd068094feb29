import json

import ipywidgets as W
import pytest
import torch
from sample_graphs import detach_build, source_001

import helpers as h
from helpers import render as render_module
from helpers.widgets import explorer as explorer_module
from helpers.widgets.ghosts import GHOST_MEMORY


def test_explorer_starts_with_the_full_graph_and_its_gradients():
    explorer = h.interact_graph(detach_build, detach_d=False, a_requires_grad=True)
    assert explorer.switches == {"detach_d": False, "a_requires_grad": True}
    assert [box.description for box in explorer.checkboxes.values()] == ["detach d", "a requires grad"]
    assert {k: None if v is None else v.item() for k, v in explorer.gradients.items()} == {
        "a": 1.0,
        "b": 1.0,
        "c": 1.0,
        "d": None,
        "f": None,
    }
    assert isinstance(explorer.view, h.GraphView) and "ReluBackward0" in explorer.dot
    assert explorer.message == ""
    relu = next(n for n in explorer.graph if n.op == "ReluBackward0")
    assert explorer.view.details[relu.id]["op"] == "ReluBackward0"


def test_flipping_detach_changes_picture_and_table():
    explorer = h.interact_graph(detach_build, detach_d=False, a_requires_grad=True)
    picture, table = explorer.dot, explorer.table.value
    explorer.checkboxes["detach_d"].value = True  # what a click does: first the learner predicts
    assert explorer.dot == picture and explorer.view.stale and explorer.prediction.pending
    explorer.prediction.run_button.click()
    assert explorer.dot != picture and explorer.table.value != table and not explorer.view.stale
    assert explorer.gradients["a"] is None and explorer.gradients["b"] is None
    assert explorer.gradients["c"].item() == 1.0
    assert "no grad" in explorer.dot
    # what the switch removed stays as a grey ghost, and the panel knows it is one
    relu = next(n for n in h.autograd_graph(*detach_build(False, True)) if n.op == "ReluBackward0")
    assert f'{relu.id} [label=ReluBackward0 class="agl-ghost"' in explorer.dot
    assert explorer.view.details[relu.id]["ghost"] is True
    explorer.set(detach_d=False)
    assert explorer.gradients["a"].item() == 1.0 and "agl-ghost" not in explorer.dot


def test_a_flip_asks_for_a_prediction_then_marks_each_guess_with_its_reason():
    explorer = h.interact_graph(detach_build, detach_d=False, a_requires_grad=True)
    explorer.checkboxes["detach_d"].value = True
    asked = list(explorer.prediction.guesses)
    assert asked == ["a gets a .grad", "b gets a .grad", "c gets a .grad", "d gets a .grad", "f gets a .grad"]
    assert set(explorer.prediction.guesses.values()) == {None}  # nothing answered until the learner says
    explorer.checkboxes["a_requires_grad"].value = False  # a second flip keeps the question and answers
    explorer.predict(a=True, c=True, d=False)
    explorer.run()
    # what was left unanswered is not scored
    assert explorer.prediction.results == {"a gets a .grad": False, "c gets a .grad": True, "d gets a .grad": True}
    marks = explorer.prediction.marks.value
    assert "3 of 5 answered, 2 right" in marks and "it does not require grad" in marks  # a's reason
    assert "only leaves keep a .grad" in marks  # d's reason: d is the result of an op
    assert marks.count("not answered") == 2
    assert not explorer.prediction.pending and explorer.prediction.tick_row.layout.display == "none"
    with pytest.raises(KeyError, match="no statement 'z gets a .grad'"):
        explorer.predict(z=True)


def test_the_reasons_name_a_cut_path_and_a_failed_backward():
    def build(cut, broken):
        x = torch.tensor(2.0, requires_grad=True)
        w = torch.tensor(3.0, requires_grad=True)
        y = (x.detach() if cut else x) * w
        if broken:
            y = y.exp()
            y.add_(1)  # exp saved its output: backward will refuse
        return y, {"x": x, "w": w}

    explorer = h.interact_graph(build, cut=False, broken=False)
    explorer.checkboxes["cut"].value = True
    explorer.run()
    assert "no recorded operation leads back to it" in explorer.prediction.marks.value  # x, cut off
    explorer.checkboxes["broken"].value = True
    explorer.run()
    assert explorer.message.startswith("GraphModifiedError")
    assert explorer.message.count("PyTorch:") == 1 and "in place (version 1, expected 0)" in explorer.message
    assert "backward failed before reaching it" in explorer.prediction.marks.value


def test_asking_can_be_turned_off_and_set_shows_at_once():
    explorer = h.interact_graph(detach_build, predict=False, detach_d=False, a_requires_grad=True)
    assert not explorer.prediction.enabled.value
    explorer.checkboxes["detach_d"].value = True
    assert not explorer.prediction.pending and explorer.gradients["a"] is None
    asking = h.interact_graph(detach_build, detach_d=False, a_requires_grad=True)
    asking.checkboxes["detach_d"].value = True
    asking.prediction.enabled.value = False  # turned off while a question waits: the answer shows
    assert not asking.prediction.pending and asking.gradients["a"] is None
    marks = asking.prediction.marks.value
    assert "0 of 5 answered, 0 right" in marks  # the question that waited was shown, nothing scored
    asking.set(detach_d=False)  # no question asked: nothing new to mark
    assert asking.gradients["a"].item() == 1.0 and asking.prediction.marks.value == marks


def test_one_walk_one_trace_one_snapshot_and_one_redraw_per_set(monkeypatch):
    explorer = h.interact_graph(detach_build, detach_d=False, a_requires_grad=True)
    calls = {"walk": 0, "record_backward": 0, "take_snapshot": 0, "apply": 0}

    def counting(name, function):
        def counted(*args, **kwargs):
            calls[name] += 1
            return function(*args, **kwargs)

        return counted

    for module, name in (
        (render_module, "walk"),
        (explorer_module, "record_backward"),
        (render_module, "take_snapshot"),
    ):
        monkeypatch.setattr(module, name, counting(name, getattr(module, name)))
    monkeypatch.setattr(explorer.view, "apply", counting("apply", explorer.view.apply))
    explorer.set(detach_d=True, a_requires_grad=False)  # two switches, one redraw
    assert calls == {"walk": 1, "record_backward": 1, "take_snapshot": 1, "apply": 1}


def test_ghosts_do_not_pile_up_when_every_flip_changes_the_graph():
    count = iter(range(10_000))

    def build(flip):
        x = torch.tensor(1.0, requires_grad=True)
        y = x
        for _ in range(next(count) % 50 + 1):  # a different chain every time
            y = y * 1.0
        return y, {"x": x}

    explorer = h.interact_graph(build, flip=False)
    for i in range(60):
        explorer.set(flip=bool(i % 2))
    ghosts = explorer.dot.count('class="agl-ghost"')
    assert ghosts <= 2 * 50 * GHOST_MEMORY


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


def test_a_raising_build_is_shown_and_the_picture_marked_stale():
    def build(broken):
        if broken:
            raise ValueError("shapes do not match")
        return detach_build(False, True)

    explorer = h.interact_graph(build, broken=False)
    picture = explorer.dot
    explorer.set(broken=True)
    assert "ValueError" in explorer.message and "shapes do not match" in explorer.message
    assert explorer.view.message_kind == "error" and explorer.view.stale
    explorer.set(broken=False)
    assert explorer.message == "" and explorer.dot == picture and not explorer.view.stale


def test_output_without_grad_is_explained():
    explorer = h.interact_graph(lambda track: torch.tensor(1.0, requires_grad=track) * 2, track=True)
    explorer.set(track=False)
    assert "does not require grad" in explorer.message and explorer.dot == ""


def test_a_non_scalar_output_starts_from_ones_and_says_so():
    explorer = h.interact_graph(lambda double: torch.ones(3, requires_grad=True) * (2 if double else 1), double=True)
    assert explorer.gradients["leaf"].tolist() == [2.0, 2.0, 2.0]
    assert "backward started from ones" in explorer.message


def test_an_explorer_without_names_calls_the_leaves_what_its_picture_calls_them():
    def build(flip):
        a, b = torch.tensor(2.0, requires_grad=True), torch.tensor(3.0, requires_grad=True)
        return a * b if flip else a + b

    explorer = h.interact_graph(build, flip=False, predict=False)
    assert list(explorer.gradients) == ["leaf 1", "leaf 2"]
    assert "leaf 1 = 2 (grad 1), leaf 2 = 3 (grad 1)" in explorer.view.alt_label
    assert "leaf 1 gets a .grad" in explorer.recorded["states"]["0"]["outcomes"]
    panel = {record["label"] for record in explorer.view.details.values()}
    assert {"leaf 1", "leaf 2"} <= panel and "AccumulateGrad" not in panel


@pytest.mark.parametrize(
    "result, said",
    [
        (lambda: 3.0, "it returned float"),
        (lambda: (torch.tensor(1.0, requires_grad=True) * 2, {}, 3), "a tuple of 3"),
        (lambda: (torch.tensor(1.0, requires_grad=True) * 2, [1]), "a tuple of 2 (Tensor, list)"),
        (lambda: (torch.ones(1, requires_grad=True) * 2, torch.ones(1, requires_grad=True) * 3), "(Tensor, Tensor)"),
    ],
)
def test_build_returning_the_wrong_thing_is_explained(result, said):
    explorer = h.interact_graph(lambda flag: result(), flag=True)
    assert "build must return the output tensor" in explorer.message and said in explorer.message


def test_bad_switches():
    with pytest.raises(ValueError, match="at least one switch"):
        h.interact_graph(detach_build)
    with pytest.raises(TypeError, match="True or False"):
        h.interact_graph(detach_build, detach_d="yes", a_requires_grad=True)
    with pytest.raises(TypeError, match="build must be a function"):
        h.interact_graph(42, flag=True)
    with pytest.raises(TypeError, match="build has no parameter 'detach'"):
        h.interact_graph(detach_build, detach=False, a_requires_grad=True)
    with pytest.raises(TypeError, match="build needs 'a_requires_grad'"):
        h.interact_graph(detach_build, detach_d=False)
    with pytest.raises(TypeError, match="build's parameters are none"):
        h.interact_graph(lambda: torch.ones(1), flag=True)
    explorer = h.interact_graph(detach_build, detach_d=False, a_requires_grad=True)
    with pytest.raises(KeyError, match="no switch named"):
        explorer.set(detach=True)
    with pytest.raises(TypeError, match="takes True or False, got 'yes'"):
        explorer.set(detach_d="yes")


def test_every_widget_carries_a_static_picture_for_viewers_without_a_kernel():
    explorer = h.interact_graph(detach_build, detach_d=False, a_requires_grad=True)
    stepper = h.backward_stepper(*source_001())
    for widget in (explorer, stepper, explorer.view):
        bundle = widget._repr_mimebundle_()
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        assert "application/vnd.jupyter.widget-view+json" in data
        assert data["image/svg+xml"].lstrip().startswith("<?xml") and "</svg>" in data["image/svg+xml"]


def test_without_dot_the_widgets_still_draw_and_draw_shows_the_view(monkeypatch, source_graph):
    monkeypatch.setenv("PATH", "/nonexistent")
    explorer = h.interact_graph(detach_build, detach_d=False, a_requires_grad=True)
    assert "ReluBackward0" in explorer.dot  # the browser lays it out: no dot needed
    data, _metadata = explorer._repr_mimebundle_()
    assert "image/svg+xml" not in data and "application/vnd.jupyter.widget-view+json" in data
    d, params = source_graph
    shown = h.draw(d, params)._repr_mimebundle_()
    data = shown[0] if isinstance(shown, tuple) else shown
    assert "application/vnd.jupyter.widget-view+json" in data


def test_quiz_typed_answer():
    q = h.quiz("What is a.grad?", 4, explanation="dd/da = 2a + b = 4.", hint="Use the product rule.")
    assert isinstance(q.input, W.Text)
    assert q.check("3") is False and "product rule" in q.feedback.value
    assert q.check(" 4.0 ") is True and "2a + b" in q.feedback.value
    assert q.check("four") is False


def test_quiz_options():
    q = h.quiz(
        "Which has grad None?",
        "a",
        options=["a", "c"],
        why={"c": "c is still in the graph."},
        explanation="a was cut off by detach().",
    )
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
    numbers = h.quiz("?", 4, options=[4, 5])  # numbers as options are fine
    assert numbers.check(4) is True
    with pytest.raises(ValueError, match="'6' is not one of the options"):
        numbers.check("6")
    with pytest.raises(ValueError, match="needs a question"):
        h.quiz("", 1)


def make_stepper():
    r, params = source_001()
    return h.backward_stepper(r, params), params


def test_stepper_replays_the_recorded_steps():
    stepper, params = make_stepper()
    assert params["x"].grad.item() == 160  # the stepper ran the backward pass
    view = stepper.view
    assert view.mode == "stepper" and stepper.step_index == 0 and stepper.step_count == 7
    assert view.steps[0]["title"] == "step 1 of 7: PowBackward0 (r)"
    second = view.steps[1]
    assert any("40 × 5 = 200" in line for line in second["lines"])
    assert any("40 × 4 = 160" in line for line in second["lines"])
    w_node = stepper.trace.graph.named("w").id
    assert second["node"] == w_node and {s["text"] for s in second["sends"]} == {"200", "160"}
    # each node's box shows the gradient that reached it; the view hides it until its step
    assert view.details[w_node]["grad_line"] == "grad 40" and "grad 40" in view.dot
    stepper.go(6)
    assert stepper.step_index == 6 and "adds it into y.grad" in stepper.text()
    stepper.go(99)
    assert stepper.step_index == 6
    stepper.go(-3)
    assert stepper.step_index == 0
    assert "160 × 4 = 640" in stepper.text(5)
    edge = f"{stepper.trace.graph.named('v').id}->{w_node}"
    assert view.edges[edge] == {"grad": "160"}  # hovering that edge shows what it carried


def test_stepper_tensor_steps_are_summarised():
    x = torch.ones(3, 3, requires_grad=True)
    stepper = h.backward_stepper((x * 2).sum())
    assert "[3×3] mean 2, std 0" in stepper.text(1)
    leaf = stepper.trace.graph.of_kind("leaf")[0].id
    assert stepper.view.details[leaf]["value"] == "[[1, 1, 1], [1, 1, 1], [1, 1, 1]]"


def test_stepper_retain_graph_and_bad_input():
    r, params = source_001()
    h.backward_stepper(r, params, retain_graph=True)
    h.backward_stepper(r, params)  # the graph was kept, so a second pass works
    with pytest.raises(h.GraphFreedError, match="retain_graph=True"):
        h.backward_stepper(r, params)
    with pytest.raises(h.NoGraphError):
        h.backward_stepper(torch.tensor(1.0))
    with pytest.raises(h.NoGraphError, match="the root is a leaf"):
        h.backward_stepper(torch.tensor(1.0, requires_grad=True))
    with pytest.raises(TypeError, match="needs the output tensor"):
        h.backward_stepper(None)
    with pytest.raises(ValueError, match="grad has shape"):
        h.backward_stepper(torch.ones(3, requires_grad=True) * 2, grad=torch.ones(2))
    stepper, _ = make_stepper()
    with pytest.raises(ValueError, match="between 0 and 6"):
        stepper.text(9)


@pytest.mark.slow
def test_a_big_graph_is_shortened_in_every_widget_and_the_view_says_so():
    from sample_graphs import chain

    y, x = chain(3000)
    stepper = h.backward_stepper(y, {"x": x})
    assert len(stepper.view.details) <= 400 and stepper.step_count < 400
    assert stepper.view.omitted.startswith("5,6") and "more nodes are not shown" in stepper.view.omitted
    explorer = h.interact_graph(lambda flag: chain(3000)[0], flag=True)
    assert len(explorer.view.details) <= 400 and explorer.view.omitted


def test_custom_backward_and_saved_option_show_retain_graph():
    def build(retain_graph):
        x = torch.tensor(3.0, requires_grad=True)
        loss = (x + 1 - 2 * x) ** 2
        return loss, {"x": x, "loss": loss}

    def twice(loss, retain_graph):
        loss.backward(retain_graph=retain_graph)
        loss.backward(retain_graph=retain_graph)

    explorer = h.interact_graph(build, backward=twice, saved=True, retain_graph=False)
    assert "Trying to backward through the graph a second time" in explorer.message
    assert "retain_graph=True to the first backward()" in explorer.message
    assert explorer.gradients["x"].item() == 4.0  # the first pass went through
    assert "FREED" in explorer.dot
    loss_id = explorer.graph.named("loss").id
    assert explorer.view.details[loss_id]["saved"] == [{"name": "self", "state": "freed", "text": None}]
    explorer.set(retain_graph=True)
    assert explorer.message == ""
    assert explorer.gradients["x"].item() == 8.0  # two passes, added up
    assert "saved self = -2" in explorer.dot and "FREED" not in explorer.dot
    with pytest.raises(TypeError, match="backward must be a function"):
        h.interact_graph(build, backward=1, retain_graph=False)


def test_an_explorer_records_every_setting_for_pages_with_no_kernel(capsys):
    def build(detach_d: bool, a_requires_grad: bool):
        print("built")  # what build prints belongs to the learner's own runs only
        return detach_build(detach_d, a_requires_grad)

    explorer = h.interact_graph(build, detach_d=False, a_requires_grad=True)
    assert capsys.readouterr().out == "built\n"
    data, metadata = explorer._repr_mimebundle_()
    record = metadata[h.view.LIVE_KEY]
    assert record["kind"] == "explorer" and record["order"] == ["detach_d", "a_requires_grad"]
    assert set(record["states"]) == {"0,0", "0,1", "1,0", "1,1"}
    live = record["states"]["0,1"]["view"]  # the setting shown: the same boxes, with the same numbers
    assert {k: v["value"] for k, v in live["details"].items()} == {
        k: v["value"] for k, v in explorer.view.details.items()
    }
    detached = record["states"]["1,1"]
    # what detach_d cuts off is drawn as ghosts, and the backward steps come along for the replay
    assert detached["view"]["dot"].count("agl-ghost") >= 3 and detached["view"]["mode"] == "stepper"
    assert len(detached["view"]["steps"]) >= 2
    assert detached["outcomes"]["c gets a .grad"] == {"true": True, "reason": ANY_TEXT}
    assert detached["outcomes"]["a gets a .grad"]["true"] is False
    assert "<table" in detached["table"]
    json.dumps(record)
    # the live explorer is untouched by the recording: its own run is the one shown
    assert explorer.gradients["a"].item() == 1.0 and explorer.switches == {"detach_d": False, "a_requires_grad": True}
    assert "image/png" in data


class _AnyText(str):
    def __eq__(self, other):
        return isinstance(other, str) and len(other) > 10

    __hash__ = str.__hash__


ANY_TEXT = _AnyText()


def test_an_explorer_with_many_switches_is_not_recorded():
    def build(a: bool, b: bool, c: bool, d: bool, e: bool):
        x = torch.tensor(1.0, requires_grad=True)
        return x * (1 + a + b + c + d + e), {"x": x}

    explorer = h.interact_graph(build, a=False, b=False, c=False, d=False, e=False)
    record = explorer._repr_mimebundle_()[1][h.view.LIVE_KEY]
    assert record["kind"] == "view" and "needs a kernel" in record["note"]


def test_a_quiz_shows_its_question_as_html_and_records_itself():
    quiz = h.quiz("What is <code>d.grad</code>?", 4, options=["4", "None"], why={"None": "d is a leaf."})
    data, metadata = quiz._repr_mimebundle_()
    assert "<b>Quiz.</b> What is <code>d.grad</code>?" in data["text/html"] and "<li>None</li>" in data["text/html"]
    assert "4" not in data["text/html"].replace("<li>4</li>", "")  # the options, never the answer
    assert metadata[h.view.LIVE_KEY] == {
        "kind": "quiz",
        "question": "What is <code>d.grad</code>?",
        "options": ["4", "None"],
        "answers": [4],
        "explanation": "",
        "hint": "",
        "why": {"None": "d is a leaf."},
        "tries_before_reveal": 2,
    }


def test_after_a_refused_expression_the_old_gradients_are_marked_out_of_date():
    playground = h.playground()
    before = playground.lab.explorer.table.value
    playground.expression.value = "x.foo()"
    table = playground.lab.explorer.table.value
    assert "Out of date" in table and "opacity" in table and before in table
    playground.expression.value = "x * y"
    assert "Out of date" not in playground.lab.explorer.table.value


def test_a_quiz_offers_its_answer_after_two_wrong_tries():
    q = h.quiz("What is a.grad?", 4, explanation="dd/da = 2a + b = 4.", hint="Use the product rule.")
    assert q.reveal_button.layout.display == "none"
    q.check("3")
    assert q.reveal_button.layout.display == "none"
    q.check("5")
    assert q.reveal_button.layout.display is None  # offered now
    q.reveal_button.click()
    assert "The answer:</b> 4." in q.feedback.value and "2a + b" in q.feedback.value


def test_views_side_by_side_store_one_picture_of_both_and_each_scene():
    d, params = source_001()
    d.backward()
    graph, numbers = h.autograd_graph(d, params), h.snapshot(d, params)
    row = h.views_side_by_side(("ours", graph, numbers), ("PyTorch's", graph, numbers))
    assert [view.title for view in row.views] == ["ours", "PyTorch's"]
    data, metadata = row._repr_mimebundle_()
    assert "image/png" in data and data["image/svg+xml"].count('class="cluster"') == 2  # both, kept apart
    record = metadata[h.view.LIVE_KEY]
    assert record["kind"] == "row" and [v["title"] for v in record["views"]] == ["ours", "PyTorch's"]
    with pytest.raises(TypeError, match=r"\(title, graph, snapshot\) tuple"):
        h.views_side_by_side(("ours", d, numbers))
    with pytest.raises(ValueError, match="at least one"):
        h.views_side_by_side()


def test_an_unrecorded_explorer_says_why_flipping_needs_a_kernel():
    def build(flip: bool):
        x = torch.tensor(1.0, requires_grad=True)
        return x * (2 if flip else 3), {"x": x}

    assert "not recorded" in explorer_module.GraphExplorer(build, {"flip": False}, record=False).live_record()["note"]
    shared = torch.tensor(2.0, requires_grad=True) * 3  # built once, outside: every build extends it
    extends = h.interact_graph(lambda flip: shared * 2, flip=False)
    assert "extends a graph made outside it" in extends.live_record()["note"]
