import torch

import helpers as h  # noqa: F401  (importing sets the thread count)
from helpers import threads


def test_a_cgroup_quota_lowers_the_cores_given(tmp_path):
    cpu_max = tmp_path / "cpu.max"
    cpu_max.write_text("150000 100000\n")  # a limit of 1.5 CPUs
    assert threads.cores_given(cpu_max) == min(2, threads.cores_given(tmp_path / "absent"))
    cpu_max.write_text("max 100000\n")
    assert threads.cores_given(cpu_max) == threads.cores_given(tmp_path / "absent")
    cpu_max.write_text("50000 100000\n")  # half a CPU still runs one thread
    assert threads.cores_given(cpu_max) == 1


def test_half_the_cores_at_least_one_and_the_user_wins():
    assert [threads.choose_threads(n, {}) for n in (1, 2, 3, 8)] == [1, 1, 1, 4]
    assert threads.choose_threads(8, {"OMP_NUM_THREADS": "3"}) == 3
    assert threads.choose_threads(8, {"AUTOGRAD_LAB_THREADS": "2", "OMP_NUM_THREADS": "3"}) == 2
    assert threads.choose_threads(8, {"OMP_NUM_THREADS": "lots"}) == 4


def test_importing_helpers_set_torch_threads():
    assert torch.get_num_threads() == threads.choose_threads(threads.cores_given())
