"""The environment check's lines on torch's CPU kernels and threads, and how the notebook
tests compare them."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from nbval.plugin import get_sanitize_patterns

import helpers as h
from helpers import environment

SANITIZE = Path(__file__).parent / "nbval_sanitize.cfg"


def sanitized(text: str) -> str:
    """`text` as the notebook tests compare it, after every rule of nbval_sanitize.cfg."""
    for regex, replace in get_sanitize_patterns(SANITIZE.read_text()):
        text = re.sub(regex, replace, text)
    return text


def test_the_check_reports_torchs_cpu_kernels_and_threads(capsys):
    assert h.check_environment() is True
    lines = capsys.readouterr().out.splitlines()
    assert f"cpu kernels {torch.backends.cpu.get_cpu_capability()}" in lines
    assert f"threads     {torch.get_num_threads()}" in lines
    assert [line.split()[0] for line in lines[-3:]] == ["cpu", "threads", "dot"]


def test_the_thread_count_is_the_one_torch_has_now():
    before = torch.get_num_threads()
    try:
        torch.set_num_threads(1)
        assert environment.cpu_settings()["threads"] == "1"
    finally:
        torch.set_num_threads(before)


@pytest.mark.slow
def test_the_kernels_and_threads_set_from_outside_are_reported():
    # ATEN_CPU_CAPABILITY lowers the kernels torch picks; AUTOGRAD_LAB_THREADS sets the threads
    # (helpers.threads). The machine this runs on has at least the DEFAULT kernels.
    env = {**os.environ, "ATEN_CPU_CAPABILITY": "default", "AUTOGRAD_LAB_THREADS": "2"}
    code = "import helpers; print(helpers.environment.cpu_settings())"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert result.stdout.strip() == "{'cpu kernels': 'DEFAULT', 'threads': '2'}"


def test_the_notebook_tests_compare_only_the_labels_of_those_two_lines():
    here = "torch       2.13.0+cpu\ncpu kernels AVX512\nthreads     1\n"
    elsewhere = "torch       2.13.0\ncpu kernels Z VECTOR\nthreads     16\n"
    assert sanitized(here) == sanitized(elsewhere)
    assert sanitized(here).splitlines()[1:] == ["cpu kernels (this machine's)", "threads     (this machine's)"]
    # Any other line keeps its value: a changed version or another label still shows.
    assert sanitized("torch       2.12.0\n") != sanitized("torch       2.13.0\n")
    assert sanitized("threads: 1\n") != sanitized("threads: 2\n")
