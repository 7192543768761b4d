"""Child processes (dbt, mf) that never outlive the process that started them.

A build or a publication starts `dbt` and `mf` as child processes. If the
parent is killed (kill -9 included), Linux's parent-death signal ends them
too, so no orphan keeps writing into a work copy or holding a file lock.
Elsewhere the children are started as usual.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import signal
import subprocess
import sys
from collections.abc import Callable, Sequence
from typing import Any

_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _die_with_parent() -> Callable[[], None] | None:
    """A preexec_fn asking Linux to send SIGINT to the child when its parent dies: dbt and
    mf take it as Ctrl-C and stop cleanly (a build removes its work copy)."""
    if not sys.platform.startswith("linux"):
        return None
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return None
    libc = ctypes.CDLL(libc_name, use_errno=True)

    def set_parent_death_signal() -> None:
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGINT, 0, 0, 0)

    return set_parent_death_signal


def run_child(args: Sequence[str], **kwargs: Any) -> subprocess.CompletedProcess[Any]:
    """subprocess.run(args, **kwargs), the child ending when this process ends."""
    return subprocess.run(list(args), preexec_fn=_die_with_parent(), **kwargs)
