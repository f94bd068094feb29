import time

import pytest

from helpers import timing


def test_candidates_take_turns_within_each_round():
    calls = []
    times = timing.interleaved({"a": lambda: calls.append("a"), "b": lambda: calls.append("b")}, rounds=3, warm_up=1)
    assert calls == ["a", "b"] * 4  # one warm-up round, then three timed ones
    assert times.rounds == 3 and set(times.seconds) == {"a", "b"}


def test_prepare_runs_before_the_clock_and_hands_its_result_on():
    seen = []

    def prepare():
        time.sleep(0.05)
        return "built"

    times = timing.interleaved({"run": (prepare, seen.append)}, rounds=2, warm_up=0)
    assert seen == ["built", "built"]
    assert max(times.seconds["run"]) < 0.04  # the 50 ms of prepare() are not counted


def test_ratio_is_the_median_of_ratios_within_a_round():
    times = timing.Timings({"slow": [2.0, 4.0, 30.0], "fast": [1.0, 1.0, 10.0]})
    assert times.ratio("slow", "fast") == 3.0  # ratios 2, 4, 3: not the ratio of medians (4 / 1)
    assert times.median_ms("slow") == 4000.0
    with pytest.raises(KeyError, match="the candidates were 'slow', 'fast'"):
        times.median_ms("medium")


@pytest.mark.parametrize("rounds", [0, -1, 2.5, True])
def test_rounds_must_be_a_positive_whole_number(rounds):
    with pytest.raises(ValueError, match="rounds must be a whole number"):
        timing.interleaved({"a": lambda: None}, rounds=rounds)


def test_bad_candidates_say_what_is_expected():
    with pytest.raises(ValueError, match="at least one candidate"):
        timing.interleaved({}, rounds=1)
    with pytest.raises(TypeError, match="must be a function or a \\(prepare, run\\) pair, not int"):
        timing.interleaved({"a": 3}, rounds=1)
