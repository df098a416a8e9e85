"""Read models in the services' own stores: a service restarted on a store that holds thousands
of demands answers its queries from its tables and reads none of its history (counted, not
timed); and the tables change only with the events' transaction."""
import json
import uuid

import pytest
from eventsourcing.application import AggregateNotFoundError

from services.intake.application import Intake
from services.partners.outbound import Outbound
from shared.errors import Conflict
from shared.eventstore import open_application
from shared.readmodel import Statement
from tests import factories

OPERATOR = {"role": "operator", "subject": "ops-1"}
SPECIALIST = {"role": "specialist", "subject": "s-1"}
SUPERVISOR = {"role": "supervisor", "subject": "regulator-1"}
HISTORY = 2000


class CountedReads:
    """Counts the notifications an application reads from its own log."""

    def __init__(self, app):
        self.notifications = 0
        select = app.recorder.select_notifications

        def counted(*args, **kwargs):
            found = select(*args, **kwargs)
            self.notifications += len(found)
            return found
        app.recorder.select_notifications = counted


def test_a_restarted_intake_reads_none_of_its_history(durable_config, clock):
    intake = open_application(Intake, durable_config)
    intake.clock = clock
    station = intake.register_station(factories.station(auto_accept=[]), OPERATOR)
    intake.add_specialist(station["id"], factories.specialist(), OPERATOR)
    first = intake.submit_demand(factories.demand(), SPECIALIST)
    for _ in range(HISTORY - 1):
        intake.submit_demand(factories.demand(), SPECIALIST)
    intake.close()

    clock.set("2026-12-01T11:00")  # every first response (1 working hour) is overdue by now
    restarted = open_application(Intake, durable_config)
    restarted.clock = clock
    reads = CountedReads(restarted)
    page = restarted.list_demands({"overdue": "true", "per_page": "50"}, SPECIALIST)
    assert len(page["items"]) == 50 and all(d["overdue"] for d in page["items"])
    assert page["items"][-1]["id"] != first["id"] and page["next_after"]  # newest first
    assert dict(restarted.gauges()[0][3]) == {("inspection_testing", "submitted"): HISTORY}
    assert restarted.demand(first["id"], SPECIALIST)["status"] == "submitted"
    assert restarted.staff_station("s-1") == {"station_id": station["id"], "park": station["park"]}
    assert restarted.check_deadlines(batch=100) == 100  # what is due, a batch at a time
    restarted.submit_demand(factories.demand(), SPECIALIST)
    assert reads.notifications == 0
    restarted.close()


def test_read_model_rows_are_not_written_when_the_events_are_not(platform):
    """A save that fails (here, an Idempotency-Key reused for another body) leaves the table as
    the events are: the rows are part of the events' transaction."""
    intake = platform.apps["intake"]
    intake.submit_demand(factories.demand(), SPECIALIST, "key-1")
    with pytest.raises(Conflict):
        intake.submit_demand(factories.demand(title="Something else"), SPECIALIST, "key-1")
    rows = intake.read("SELECT id, summary FROM {s}demands")
    assert len(rows) == 1 and "Something else" not in rows[0]["summary"]


def test_a_store_written_before_its_tables_is_brought_up_to_date_and_only_read(durable_config, clock):
    """What an upgrade does: the events stay as they are; the rows are written from them."""
    intake = open_application(Intake, durable_config)
    intake.clock = clock
    station = intake.register_station(factories.station(), OPERATOR)
    intake.add_specialist(station["id"], factories.specialist(), OPERATOR)
    demands = [intake.submit_demand(factories.demand(), SPECIALIST)["id"] for _ in range(25)]
    before = intake.read("SELECT * FROM {s}demands ORDER BY id")
    stations = intake.list_stations({}, OPERATOR)
    assert stations["items"][0]["specialists"] == 1
    events = intake.last_notification_id()
    for table in ("demands", "staff", "stations", "dead_letters"):  # as a store of the previous version had
        intake.recorder.execute([Statement(f"DELETE FROM {{s}}{table}")])
    assert intake.list_demands({}, SUPERVISOR)["items"] == []

    progress = []
    read = intake.rebuild_read_model(lambda *step: progress.append(step), page=10)
    assert read == events and [step[0] for step in progress][-1] == events
    assert len(progress) == -(-events // 10)  # a page at a time
    assert intake.read("SELECT * FROM {s}demands ORDER BY id") == before
    assert intake.list_stations({}, OPERATOR) == stations
    assert {d["id"] for d in intake.list_demands({"per_page": "100"}, SPECIALIST)["items"]} == set(demands)
    assert intake.last_notification_id() == events  # nothing was recorded
    assert intake.rebuild_read_model() == events  # and a second run changes nothing
    assert intake.read("SELECT * FROM {s}demands ORDER BY id") == before
    # Keeping one aggregate between pages: the others are loaded as they stood before their event.
    intake.recorder.execute([Statement("DELETE FROM {s}demands")])
    assert intake.rebuild_read_model(page=3, keep=1) == events
    assert intake.read("SELECT * FROM {s}demands ORDER BY id") == before
    intake.close()


def test_the_rebuild_command_refuses_an_unknown_service_and_a_store_it_cannot_reach(
        tmp_path, capsys, monkeypatch):
    from onestop.cli import main

    with pytest.raises(SystemExit) as refused:
        main(["readmodels", "rebuild", "--service", "billing"])
    assert refused.value.code == 2 and "invalid choice: 'billing'" in capsys.readouterr().err

    empty = tmp_path / "nothing-here"
    assert main(["--data-dir", str(empty), "readmodels", "rebuild"]) == 1
    assert "no accounts event store in" in capsys.readouterr().err
    assert not empty.exists()  # no empty store was created in its place

    monkeypatch.setenv("ONESTOP_EVENT_STORE", "postgres")
    monkeypatch.setenv("ONESTOP_PG_PORT", "1")  # nothing listens there
    assert main(["readmodels", "rebuild", "--service", "matching"]) == 1
    error = capsys.readouterr().err
    assert "cannot reach matching's event store" in error and "events were not touched" in error


def test_the_rebuild_command_rebuilds_each_service_with_progress(tmp_path, capsys, clock):
    from onestop.cli import main

    config = {"EVENT_STORE": {"kind": "sqlite"}, "DATA_DIR": str(tmp_path)}
    intake = open_application(Intake, config)
    intake.clock = clock
    station = intake.register_station(factories.station(), OPERATOR)
    intake.add_specialist(station["id"], factories.specialist(), OPERATOR)
    demand = intake.submit_demand(factories.demand(), SPECIALIST)
    intake.recorder.execute([Statement("DELETE FROM {s}demands")])
    intake.close()
    assert main(["--data-dir", str(tmp_path), "readmodels", "rebuild", "--service", "intake"]) == 0
    printed = capsys.readouterr().out
    # Registered, a specialist joined (which moved the station's conformity to its requirements),
    # the service catalogue's default published (opened, version 1) at the first submission, a
    # demand submitted and accepted by the station's rules.
    assert "intake: notification 7 of 7" in printed and "s left" in printed
    assert "intake: read model rebuilt from 7 notifications" in printed
    reopened = open_application(Intake, config)
    assert [d["id"] for d in reopened.list_demands({}, SUPERVISOR)["items"]] == [demand["id"]]
    assert [v["version"] for v in reopened.catalogue_history()["items"]] == [1]
    reopened.close()


def test_a_restarted_partner_feed_reads_none_of_its_history(durable_config):
    from services.partners.application import PartnerFeed
    from services.partners.feed import PartnerMessage

    feed = open_application(PartnerFeed, durable_config)
    feed.outbound = Outbound(allowed_networks=["127.0.0.0/8"], allow_http=True)  # this machine, in tests
    lab, other = uuid.uuid4(), uuid.uuid4()
    recorded = []
    for n in range(HISTORY // 2):
        messages = [PartnerMessage(source=f"intake:{n}", institution_id=institution,
                                   event="standing.changed", schema_version=1,
                                   occurred_at="2026-12-01T09:00:00+08:00",
                                   data={"status": "active", "reason": f"review {n}"})
                    for institution in (lab, other)]
        feed.save(*messages)
        recorded.append(str(messages[0].id))
    feed.register_webhook(str(lab), {"url": "http://127.0.0.1:9/hook"})
    feed.close()

    restarted = open_application(PartnerFeed, durable_config)
    reads = CountedReads(restarted)
    first = restarted.stream(str(lab), limit=500)
    rest = restarted.stream(str(lab), after=first["next_after"], limit=500)
    assert [m["event_id"] for m in first["items"] + rest["items"]] == recorded
    assert first["more"] is True and rest["more"] is False
    posted = []
    assert restarted.deliver_webhooks(lambda url, body, headers: posted.append(body) or 204, batch=10) == 10
    assert [json.loads(body)["event_id"] for body in posted] == recorded[:10]
    assert reads.notifications == 0
    restarted.close()


def test_a_restarted_evaluation_reads_none_of_its_history(durable_config, clock):
    from services.evaluation.application import Evaluation
    from services.evaluation.ledger import Entries, Tally

    station = f"station:{uuid.uuid4()}"
    evaluation = open_application(Evaluation, durable_config)
    evaluation.clock = clock
    tallies = [Tally(source=f"intake:{n}", day="2026-11-30", entries=Entries(
        station).add("demands_submitted").member("enterprises", f"E{n % 7}").items)
        for n in range(HISTORY)]
    for start in range(0, HISTORY, 500):
        evaluation.save(*tallies[start:start + 500])
    evaluation.close()

    restarted = open_application(Evaluation, durable_config)
    restarted.clock = clock
    reads = CountedReads(restarted)
    figures = restarted.figures(station, "2026-11", SUPERVISOR)["figures"]
    assert figures == {"demands_submitted": HISTORY, "enterprises": 7}
    assert restarted.report({"scope": station, "period": "2026-11"}, SUPERVISOR)["figures"] == figures
    assert restarted.revisits(None)["items"] == [] and restarted.checks()["items"] == []
    assert restarted.check_feedback_windows() == 0 and restarted.check_complaints() == 0
    assert len(restarted.configurations()["items"]) == len(restarted.shipped_configurations)  # none registered
    assert reads.notifications == 0
    restarted.close()


def test_a_restarted_matching_folds_only_what_came_after_its_registry_snapshot(durable_config, clock):
    from services.matching.application import Matching
    from services.matching.registry import SNAPSHOT_EVERY

    intake, matching = (open_application(cls, durable_config) for cls in (Intake, Matching))
    for app in (intake, matching):
        app.clock = clock
    matching.follow_upstreams(lambda upstream, after, limit: intake.log(after, limit), retry_backoff=0)
    station = intake.register_station(factories.station(), OPERATOR)
    intake.add_specialist(station["id"], factories.specialist(), OPERATOR)
    labs = [matching.register_institution(factories.institution(capacity=HISTORY), SPECIALIST, station=factories.PANYU)["id"]
            for _ in range(3)]
    for _ in range(HISTORY // 2):
        intake.submit_demand(factories.demand(), SPECIALIST)
    matching.catch_up(["intake"])
    history = matching.last_notification_id()
    assert history > 2 * SNAPSHOT_EVERY
    matching.close()

    restarted = open_application(Matching, durable_config)
    restarted.clock = clock
    restarted.follow_upstreams(lambda upstream, after, limit: intake.log(after, limit), retry_backoff=0)
    reads = CountedReads(restarted)
    page = restarted.assignments({"role": "institution", "subject": labs[0]}, {"per_page": "100"})
    assert len(page["items"]) == 100 and page["next_after"]  # of some 333: rows, no fold
    assert reads.notifications == 0
    intake.submit_demand(factories.demand(), SPECIALIST)
    restarted.catch_up(["intake"])  # one decision, on the registry as resumed
    restarted.registry.refresh()  # and what that decision recorded
    assert 0 < reads.notifications <= SNAPSHOT_EVERY + 10
    loads = {p.id: p.open_assignments for p in restarted.registry.profiles.values()}
    assert sum(loads.values()) == HISTORY // 2 + 1 and set(loads) == set(labs)
    restarted.close()
    intake.close()


def test_connections_whose_prepared_statements_the_server_lost_are_renewed(tmp_path, pg_schema_prefix):
    """psycopg keeps a record of the statements it prepared on each connection; when that
    record and the server disagree (seen after a pipeline was cut short under the fault
    suite), every use of the statement failed, and a follower set good events aside. Here the
    server forgets them behind psycopg's back: the pool is renewed, and the library's retry of
    an outage saves the station."""
    from tests.unit.conftest import store_config

    intake = open_application(Intake, store_config("postgres", tmp_path, pg_schema_prefix))
    for _ in range(6):  # psycopg prepares a statement after five runs; the library at once
        intake.register_station(factories.station(park=f"park-{uuid.uuid4().hex[:8]}"), OPERATOR)
    pool = intake.recorder.datastore.pool
    held = [pool.getconn() for _ in range(pool.get_stats()["pool_available"])]
    for connection in held:
        connection.pgconn.exec_(b"DEALLOCATE ALL")  # not through psycopg: its record stays
        pool.putconn(connection)
    for park in ("after-the-loss", "and-after"):
        assert intake.register_station(factories.station(park=park), OPERATOR)["park"] == park
    intake.close()


def test_several_aggregates_are_loaded_in_one_query_as_each_alone(durable_config):
    intake = open_application(Intake, durable_config)
    try:
        ids = [uuid.UUID(intake.register_station(factories.station(park=f"park-{n}"), OPERATOR)["id"])
               for n in range(3)]
        intake.add_specialist(str(ids[1]), factories.specialist(), OPERATOR)  # a second version
        queries = []
        select = intake.recorder.select_events
        intake.recorder.select_events = lambda *a, **k: queries.append(a) or select(*a, **k)
        together = intake.repository.get_all([ids[2], ids[1], ids[0]])
        assert queries == []  # not one query per aggregate
        alone = [intake.repository.get(aggregate_id) for aggregate_id in (ids[2], ids[1], ids[0])]
        assert [(a.id, a.version, vars(a)) for a in together] == [
            (a.id, a.version, vars(a)) for a in alone]
        assert together[0].version == 1 and together[1].version > 1  # several events folded
        with pytest.raises(AggregateNotFoundError):
            intake.repository.get_all([ids[0], uuid.uuid4()])
    finally:
        intake.close()


def test_an_aggregate_loads_from_its_snapshot_and_the_events_after_it_as_the_library_would(durable_config):
    intake = open_application(Intake, durable_config)
    try:
        station = uuid.UUID(intake.register_station(factories.station(), OPERATOR)["id"])
        for n in range(60):  # past the station's snapshot interval
            intake.add_specialist(str(station), factories.specialist(f"s-{n}"), OPERATOR)
        assert intake.snapshots.recorder.select_events(station, desc=True, limit=1)
        loaded = intake.repository.get(station)
        as_the_library = intake.repository.get(station, version=loaded.version)
        assert loaded.version > intake.snapshotting_intervals[type(loaded)]
        assert vars(loaded) == vars(as_the_library)
        with pytest.raises(AggregateNotFoundError):
            intake.repository.get(uuid.uuid4())
    finally:
        intake.close()
