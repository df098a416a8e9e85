"""PostgreSQL waits cooperate with the eventlet hub: while one green thread waits for a query,
the others run (a blocking wait would stop every request and relay of the process)."""
import eventlet
import psycopg

from tests.conftest import PG


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

    waiting = eventlet.spawn(query)
    running = eventlet.spawn(other)
    waiting.wait()
    running.wait()
    assert state["others_ran"] > 0, f"the {psycopg.pq.__impl__} psycopg blocked the hub"
