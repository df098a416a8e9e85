"""PostgreSQL waits under eventlet: while one green thread waits for the server the others run
(a blocking wait would stop every request and relay of the process), and a socket that is ready
already is not waited for through the hub (that was a fifth of the CPU of a save)."""
import os
import select
import socket

import eventlet
import psycopg
import pytest
from psycopg import errors, waiting
from psycopg.waiting import READY_R, READY_W, WAIT_R, WAIT_W

from shared.store_waits import wait_ready_first
from tests.conftest import PG


def test_psycopg_waits_with_the_cooperating_wait_whichever_build_it_is():
    assert waiting.wait is wait_ready_first, psycopg.pq.__impl__


def test_other_green_threads_run_while_a_query_is_waited_for():
    state = {"querying": False, "done": False, "others_ran": 0}

    def query():
        with psycopg.connect(**PG) as connection:
            state["querying"] = True
            connection.execute("SELECT pg_sleep(0.3)")
            state["querying"] = False
        state["done"] = True

    def other():
        while not state["done"]:
            if state["querying"]:
                state["others_ran"] += 1
            eventlet.sleep(0.01)

    waiting_thread, running = eventlet.spawn(query), eventlet.spawn(other)
    waiting_thread.wait()
    running.wait()
    assert state["others_ran"] > 0, f"the {psycopg.pq.__impl__} psycopg blocked the hub"


def steps(*wanted):
    """A generator as psycopg's are: it yields what it waits for, gets what is ready, and
    returns what it was sent."""
    got = []
    for flags in wanted:
        got.append((yield flags))
    return got


@pytest.fixture
def through_the_hub(monkeypatch):
    """Counts the waits that go through eventlet's (green) select."""
    calls = []
    green = select.select

    def counted(*args):
        calls.append(args)
        return green(*args)
    monkeypatch.setattr(select, "select", counted)
    return calls


def test_a_ready_socket_is_not_waited_for_through_the_hub(through_the_hub):
    ours, theirs = socket.socketpair()
    with ours, theirs:
        theirs.sendall(b"answer")
        assert wait_ready_first(steps(WAIT_W, WAIT_R, WAIT_W), ours.fileno(), interval=1) == [
            READY_W, READY_R, READY_W]
    assert through_the_hub == []


def test_a_socket_not_ready_is_waited_for_through_the_hub_while_others_run(through_the_hub):
    ours, theirs = socket.socketpair()
    with ours, theirs:
        answering = eventlet.spawn(theirs.sendall, b"answer")  # runs only if the wait yields
        assert wait_ready_first(steps(WAIT_R), ours.fileno(), interval=5) == [READY_R]
        answering.wait()
    assert len(through_the_hub) >= 1


def test_a_wait_that_never_ends_stops_at_its_timeout():
    ours, theirs = socket.socketpair()
    with ours, theirs, pytest.raises(errors._WaitTimeout):
        wait_ready_first(steps(*[WAIT_R] * 10_000), ours.fileno(), interval=0.01, timeout=0.05)


def test_a_socket_numbered_past_select_s_limit_is_waited_for(through_the_hub):
    """select() takes no socket numbered 1024 or more; a process with many files open gets
    such numbers for its connections."""
    ours, theirs = socket.socketpair()
    high = os.dup2(ours.fileno(), 1500)
    try:
        with ours, theirs:
            theirs.sendall(b"answer")
            assert wait_ready_first(steps(WAIT_W, WAIT_R), high, interval=1) == [READY_W, READY_R]
    finally:
        os.close(high)


def test_a_busy_reader_gives_way_to_the_others(through_the_hub, monkeypatch):
    """A socket that stays ready (a long result streaming in) goes through the hub at least
    every MAX_BUSY, so the other green threads get their turn during a long read."""
    monkeypatch.setattr("shared.store_waits.MAX_BUSY", -1.0)  # every step, for the test
    ours, theirs = socket.socketpair()
    with ours, theirs:
        theirs.sendall(b"answer")
        wait_ready_first(steps(WAIT_R, WAIT_R, WAIT_R), ours.fileno(), interval=1)
    assert len(through_the_hub) == 3
