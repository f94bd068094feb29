"""Processes on this machine as Linux's /proc shows them: which started which, whether a pid
still names the same process, and what a process costs (memory, CPU time).

A process that ends while it is read counts as gone, never as an error: a student's kernel or
a server may stop at any moment."""

from __future__ import annotations

import os
from pathlib import Path


def _stat_fields(pid: int | str) -> list[str] | None:
    """/proc/<pid>/stat after the command name (which may hold spaces and brackets): the
    state is field 0, the parent 1, the CPU times 11-14, the start time 19."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def children_by_parent() -> dict[int, list[int]]:
    """Every process's children, by the parent's pid (one read of /proc for a whole tree)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (fields := _stat_fields(entry)) is not None:
            children.setdefault(int(fields[1]), []).append(int(entry))
    return children


def children(pid: int) -> list[int]:
    """The processes `pid` started that still run."""
    return children_by_parent().get(int(pid), [])


def descendants(pid: int, tree: dict[int, list[int]] | None = None) -> list[int]:
    """Its children, their children and so on; `tree` is a children_by_parent() to reuse."""
    tree = children_by_parent() if tree is None else tree
    found, todo = [], list(tree.get(int(pid), []))
    while todo:
        child = todo.pop()
        found.append(child)
        todo.extend(tree.get(child, []))
    return found


def start_time(pid: int) -> int | None:
    """When the process started (clock ticks since boot); with the pid it names one process
    for good, since a pid is reused by a later process. None if it is gone."""
    fields = _stat_fields(pid)
    return int(fields[19]) if fields else None


def alive(pid: int, start: int | None) -> bool:
    """The process that had this pid and start time still runs (a zombie does not count)."""
    fields = _stat_fields(pid)
    return fields is not None and fields[0] not in "ZX" and start is not None and int(fields[19]) == start


def command_line(pid: int | str) -> bytes:
    """Its arguments, each ended by a NUL byte; b"" if it is gone."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def environment(pid: int) -> dict[str, str]:
    """The environment it started with; {} if it is gone or not ours to read."""
    try:
        raw = Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return {}
    return dict(item.split("=", 1) for item in raw.decode(errors="replace").split("\0") if "=" in item)


def memory_mib(pid: int | str) -> dict[str, float] | None:
    """Its memory in MiB: rss (resident), pss (resident, each shared page split among its
    sharers) and uss (resident and its own alone: what it costs next to the others). None if
    it is gone."""
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return None
    kib = {line.split(":")[0]: int(line.split()[1]) for line in rollup.splitlines()[1:] if line.endswith("kB")}
    return {
        "rss": kib["Rss"] / 1024,
        "pss": kib["Pss"] / 1024,
        "uss": (kib["Private_Clean"] + kib["Private_Dirty"]) / 1024,
    }


def cpu_seconds(pid: int) -> float:
    """CPU time (user and system) it has used so far, with its finished children's; 0 if it is gone."""
    fields = _stat_fields(pid)
    return sum(int(fields[i]) for i in (11, 12, 13, 14)) / os.sysconf("SC_CLK_TCK") if fields else 0.0
