"""How psycopg waits for PostgreSQL in a process that runs on eventlet.

psycopg drives each statement as a generator that says what it waits for (the socket readable,
writable, or both), and a wait function that waits for it. The one that cooperates with the
hub, ``wait_select`` through eventlet's green ``select``, goes through the hub for every step,
even when the socket is ready already, which it nearly always is for writing: a submit took 36
trips through the hub (registering the socket, a timer, a switch, an ``epoll``), a fifth of the
CPU of saving it. ``wait_ready_first`` asks the kernel first (``poll``, which has no limit on
socket numbers, unlike ``select``), without the hub, and goes through the hub when it would
otherwise block, or when it has not for ``MAX_BUSY`` seconds, so other green threads still run
whenever a query waits for the server and during a long read that never has to.
"""
from __future__ import annotations

import select
import sys
from time import monotonic

from psycopg import errors, waiting
from psycopg.waiting import READY_R, READY_W, WAIT_R, WAIT_W

#: The longest a green thread keeps reading or writing a ready socket before it lets the
#: others run (psycopg's own asyncio wait gives way after the same).
MAX_BUSY = 0.005


def cooperate() -> None:
    """Under eventlet (its ``select`` patched), make psycopg wait with ``wait_ready_first``,
    whichever wait it chose on import (its C build would choose one that blocks the hub)."""
    patcher = sys.modules.get("eventlet.patcher")
    if patcher is None or not patcher.is_monkey_patched("select"):
        return
    global _native_poll
    _native_poll = patcher.original("select").poll
    waiting.wait = wait_ready_first  # psycopg's connections look it up at each wait


# eventlet's patching removes ``poll`` from ``select``; ``cooperate`` finds the original.
_native_poll = getattr(select, "poll", None)


def wait_ready_first(gen, fileno: int, interval: float = 0.0, timeout: float | None = None):
    """Run psycopg's generator ``gen`` on socket ``fileno`` to its end and return its result,
    as psycopg's own wait functions do (``interval``: the longest single wait; ``timeout``:
    the whole, then ``_WaitTimeout``)."""
    deadline = None if timeout is None else monotonic() + timeout
    gave_way = monotonic()
    try:
        wanted = next(gen)
        while True:
            ready = _ready_now(fileno, wanted)
            if not ready or monotonic() - gave_way > MAX_BUSY:
                wait = interval if deadline is None else max(0.0, min(interval, deadline - monotonic()))
                ready = _ready_through_the_hub(fileno, wanted, wait)
                gave_way = monotonic()
            wanted = gen.send(ready)
            if deadline is not None and monotonic() >= deadline:
                raise errors._WaitTimeout("wait timeout expired")
    except OSError as error:
        raise errors.OperationalError("connection socket closed") from error
    except StopIteration as done:
        return done.value


def _ready_now(fileno: int, wanted: int) -> int:
    """What the socket is ready for at once among what ``wanted`` asks (psycopg's Wait and
    Ready flags); an error or a hang-up is left to the wait through the hub to report."""
    poller = _native_poll()
    poller.register(fileno, (select.POLLIN if wanted & WAIT_R else 0)
                    | (select.POLLOUT if wanted & WAIT_W else 0))
    ready = 0
    for _, events in poller.poll(0):
        if events & select.POLLIN:
            ready |= READY_R
        if events & select.POLLOUT:
            ready |= READY_W
    return ready


def _ready_through_the_hub(fileno: int, wanted: int, wait: float) -> int:
    """The same, waiting up to ``wait`` seconds through eventlet's green ``select``, so that
    the other green threads run meanwhile."""
    fds = (fileno,)
    readable, writable, failed = select.select(
        fds if wanted & WAIT_R else (), fds if wanted & WAIT_W else (), fds, wait)
    if failed:
        raise errors.OperationalError("connection socket closed")
    return (READY_R if readable else 0) | (READY_W if writable else 0)
