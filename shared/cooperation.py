"""Long stretches of work without I/O, in a process of green threads.

nameko runs on eventlet, whose green threads switch only when one waits for I/O: a page of the
log decoded, or a run of reactions whose aggregates are loaded already, holds the process, and
the requests waiting in it (submits, reads) wait for the whole of it. Such loops call
``let_others_run`` between items. Outside eventlet (the benchmarks, the command line) it does
nothing: a real ``time.sleep(0)`` is a system call that costs tens of microseconds an item.
"""
from __future__ import annotations

import time

from eventlet.patcher import is_monkey_patched


def let_others_run() -> None:
    if is_monkey_patched("time"):
        time.sleep(0)  # eventlet's: a turn of the hub
