"""Work that must run once among replicas: one process leads each role, another takes it over
when that process goes, and a relay that does not lead publishes nothing."""
import psycopg

from services.intake.application import Intake
from shared.eventstore import open_application, schema_of
from shared.leadership import Leadership
from shared.outbox import Relay
from tests import factories
from tests.conftest import PG, eventually

OPERATOR = {"role": "operator", "subject": "ops-1"}


def postgres(prefix: str) -> dict:
    return {"kind": "postgres", "postgres_host": PG["host"], "postgres_port": PG["port"],
            "postgres_dbname": PG["dbname"], "postgres_user": PG["user"],
            "postgres_schema_prefix": prefix}


def test_one_replica_leads_each_role_and_another_takes_it_over_when_it_goes(pg_schema_prefix):
    store = postgres(pg_schema_prefix)
    scope = schema_of(store, "intake")
    first, second = Leadership(store, scope), Leadership(store, scope)
    elsewhere = Leadership(store, schema_of(postgres(pg_schema_prefix + "x"), "intake"))
    try:
        assert first.holds("relay:relay") and first.holds("relay:relay")  # held, not taken twice
        assert not second.holds("relay:relay")
        assert second.holds("timer:check_deadlines")  # another role is another lock
        assert not first.holds("timer:check_deadlines")
        assert elsewhere.holds("relay:relay")  # another platform's intake has its own leader
        first.close()  # the process went: its connection, and so its locks, with it
        # The server releases a closed connection's locks when its backend notices the close,
        # a moment later: another replica takes the role at one of its next turns.
        assert eventually(lambda: second.holds("relay:relay"))
    finally:
        for leadership in (first, second, elsewhere):
            leadership.close()


def test_a_held_role_is_confirmed_with_the_server_once_an_interval(pg_schema_prefix):
    store, now = postgres(pg_schema_prefix), [0.0]
    scope = schema_of(store, "intake")
    leader, other = Leadership(store, scope, clock=lambda: now[0]), Leadership(store, scope)
    try:
        assert leader.holds("relay:relay")
        with psycopg.connect(**PG, autocommit=True) as admin:  # the leader's connection is cut
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = "
                          "'advisory' AND granted AND objid = (hashtext(%s)::bigint & 4294967295)::oid",
                          (f"{scope}:relay:relay",))
        # Within the interval the role is trusted without a round trip (a relay asks before
        # every batch) ...
        assert leader.holds("relay:relay")
        now[0] += Leadership.confirm_interval
        # ... and once it has passed, the server is asked: the lock went with the connection.
        assert not leader.holds("relay:relay")
        assert eventually(lambda: other.holds("relay:relay"))
        assert not leader.holds("relay:relay")
    finally:
        for leadership in (leader, other):
            leadership.close()


def test_a_store_of_one_process_leads_every_role(tmp_path):
    assert Leadership({"kind": "sqlite"}, "intake").holds("relay:relay")
    assert Leadership({"kind": "memory"}, "intake").holds("timer:check_deadlines")


def test_a_relay_publishes_only_while_it_leads(tmp_path):
    intake = open_application(Intake, {"EVENT_STORE": {"kind": "memory"}, "DATA_DIR": str(tmp_path)})
    intake.register_station(factories.station(), OPERATOR)
    published, asked = [], []

    def standing_by(role):
        asked.append(role)
        if len(asked) == 3:
            relay.stop()
        return False
    relay = Relay(intake, published.extend, poll_interval=0, leads=standing_by)
    relay.run()
    assert asked == ["relay:relay"] * 3 and published == [] and relay.position() == 0

    relay = Relay(intake, published.extend, poll_interval=0, leads=lambda role: True,
                  on_published=lambda count: relay.stop())
    relay.run()
    assert [m.event for m in published] == ["StationRegistered"] and relay.position() == published[0].id
    intake.close()
