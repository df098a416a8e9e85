"""Long stretches of work without I/O, in a process of green threads.

nameko runs on eventlet, whose green threads switch only when one waits for I/O: a page of the
log decoded, or a run of reactions whose aggregates are loaded already, holds the process, and
the requests waiting in it (submits, reads) wait for the whole of it. Such loops call
``let_others_run`` between items. Outside eventlet (the benchmarks, the command line) it does
nothing: a real ``time.sleep(0)`` is a system call that costs tens of microseconds an item.

A turn of the hub is not enough while a backlog is applied: a request's worker waits for I/O
several times, and at each wait the background work takes the process for another item. So
while a request is being answered in the process (``answering``), background work gives way
to it: it waits at each item until no request is left, ``GIVE_WAY`` seconds at most, so that
a steady stream of requests slows the background work but never stops it.
"""
from __future__ import annotations

import time

from eventlet import getcurrent
from eventlet.patcher import is_monkey_patched

#: The most an item of background work waits for the requests being answered.
GIVE_WAY = 0.005
_answering: set = set()


def answering(began: bool) -> None:
    """Called by a request's worker as it begins and as it ends, in its own green thread."""
    if began:
        _answering.add(getcurrent())
    else:
        _answering.discard(getcurrent())


def let_others_run() -> None:
    if not is_monkey_patched("time"):
        return
    time.sleep(0)  # eventlet's: a turn of the hub
    if getcurrent() in _answering:
        return  # a request's own long loop gives way to nobody
    deadline = None
    while _answering:
        # A worker killed, or whose reply failed, ends without its teardown: not waited for.
        _answering.difference_update([worker for worker in list(_answering) if worker.dead])
        if not _answering:
            return
        now = time.monotonic()
        if deadline is None:
            deadline = now + GIVE_WAY
        elif now >= deadline:
            return
        time.sleep(0.0005)
