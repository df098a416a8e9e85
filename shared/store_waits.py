"""How psycopg waits for PostgreSQL in a process that runs on eventlet.

psycopg drives each statement as a generator that says what it waits for (the socket readable,
writable, or both), and a wait function that waits for it. The one that cooperates with the
hub, ``wait_select`` through eventlet's green ``select``, goes through the hub for every step,
even when the socket is ready already, which it nearly always is for writing: a submit took 36
trips through the hub (registering the socket, a timer, a switch, an ``epoll``), a fifth of the
CPU of saving it. ``wait_ready_first`` asks the kernel first, without the hub, and goes through
the hub only when it would otherwise block, so other green threads still run whenever a query
waits for the server.
"""
from __future__ import annotations

import select
import sys
from time import monotonic

from psycopg import errors, waiting
from psycopg.waiting import READY_R, READY_W, WAIT_R, WAIT_W


def cooperate() -> None:
    """Under eventlet (its ``select`` patched), make psycopg wait with ``wait_ready_first``,
    whichever wait it chose on import (its C build would choose one that blocks the hub)."""
    patcher = sys.modules.get("eventlet.patcher")
    if patcher is None or not patcher.is_monkey_patched("select"):
        return
    global _native_select
    _native_select = patcher.original("select").select
    waiting.wait = wait_ready_first  # psycopg's connections look it up at each wait


_native_select = select.select


def wait_ready_first(gen, fileno: int, interval: float = 0.0, timeout: float | None = None):
    """Run psycopg's generator ``gen`` on socket ``fileno`` to its end and return its result,
    as psycopg's own wait functions do (``interval``: the longest single wait; ``timeout``:
    the whole, then ``_WaitTimeout``)."""
    deadline = None if timeout is None else monotonic() + timeout
    try:
        wanted = next(gen)
        while True:
            ready = _ready(_native_select, fileno, wanted, 0)
            if not ready:
                wait = interval if deadline is None else max(0.0, min(interval, deadline - monotonic()))
                ready = _ready(select.select, fileno, wanted, wait)  # the green one: others run
            wanted = gen.send(ready)
            if deadline is not None and monotonic() >= deadline:
                raise errors._WaitTimeout("wait timeout expired")
    except OSError as error:
        raise errors.OperationalError("connection socket closed") from error
    except StopIteration as done:
        return done.value


def _ready(select_function, fileno: int, wanted: int, wait: float) -> int:
    """What the socket is ready for among what ``wanted`` asks (psycopg's Wait and Ready flags)."""
    fds = (fileno,)
    readable, writable, failed = select_function(
        fds if wanted & WAIT_R else (), fds if wanted & WAIT_W else (), fds, wait)
    if failed:
        raise errors.OperationalError("connection socket closed")
    return (READY_R if readable else 0) | (READY_W if writable else 0)
