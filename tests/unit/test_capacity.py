"""Two matching replicas never give away more than an institution's capacity: the load record,
saved in the match's own transaction, refuses the second of two saves taking the last slot,
and the reaction that made it decides again on what was committed."""
from services.matching.application import Matching
from shared.eventstore import open_application
from shared.readmodel import Statement
from tests import factories
from tests.unit.conftest import Platform

SPECIALIST = {"role": "specialist", "subject": "s-1"}


def loads(app) -> dict[str, tuple[int, int]]:
    return {row["institution_id"]: (row["open"], row["capacity"])
            for row in app.read("SELECT * FROM {s}institution_load")}


def accepted(intake, demand_id: str):
    (message,) = [m for m in intake.log(0, 1000)
                  if m.event == "DemandAccepted" and m.data["demand_id"] == demand_id]
    return message


def test_two_replicas_deciding_at_once_on_the_last_slot_never_exceed_it(durable_config, clock):
    platform = Platform(durable_config, clock)
    intake, matching = platform.apps["intake"], platform.apps["matching"]
    labs = {matching.register_institution(factories.institution(capacity=1), SPECIALIST, station=factories.PANYU)["id"]
            for _ in range(2)}
    first = intake.submit_demand(factories.demand(), SPECIALIST)  # the rules accept both
    second = intake.submit_demand(factories.demand(), SPECIALIST)

    replica = open_application(Matching, durable_config)
    replica.clock = clock
    replica.follow_upstreams(platform.read_log, retry_backoff=0)
    replica.registry.refresh()  # what the replica knew when both demands came in
    refreshed = replica.registry.refresh
    decisions = []

    def seen_before_the_other_replica_saved():
        decisions.append(len(decisions) + 1)
        if len(decisions) > 1:  # its first decision is on the stale view, then as it is
            refreshed()
    replica.registry.refresh = seen_before_the_other_replica_saved

    matching.apply(accepted(intake, first["id"]))
    replica.apply(accepted(intake, second["id"]))

    assert decisions == [1, 2]  # the stale choice was refused, and decided again
    assert set(loads(matching).values()) == {(1, 1)} and set(loads(matching)) == labs
    held = {row["match_id"]: row["institution_id"] for row in matching.read("SELECT * FROM {s}holds")}
    assert len(held) == 2 and set(held.values()) == labs  # one demand at each laboratory
    replica.close()
    platform.close()


def test_releases_free_the_slot_and_a_rebuild_changes_no_load(platform):
    intake, matching = platform.apps["intake"], platform.apps["matching"]
    lab = matching.register_institution(factories.institution(capacity=1), SPECIALIST, station=factories.PANYU)["id"]
    demand = intake.submit_demand(factories.demand(), SPECIALIST)
    platform.settle()
    assert loads(matching) == {lab: (1, 1)}
    intake.cancel(demand["id"], {"reason": "no longer needed"}, SPECIALIST)
    platform.settle()
    assert loads(matching) == {lab: (0, 1)}
    again = intake.submit_demand(factories.demand(), SPECIALIST)
    platform.settle()
    assert intake.demand(again["id"], SPECIALIST)["assignment"]["institution_id"] == lab
    matching.rebuild_read_model()
    assert loads(matching) == {lab: (1, 1)}


def test_a_rebuild_of_emptied_tables_counts_each_institutions_load_a_page_at_a_time(platform):
    intake, matching = platform.apps["intake"], platform.apps["matching"]
    labs = [matching.register_institution(factories.institution(capacity=c), SPECIALIST, station=factories.PANYU)["id"]
            for c in (3, 4)]
    demands = [intake.submit_demand(factories.demand(), SPECIALIST)["id"] for _ in range(6)]
    platform.settle()
    intake.cancel(demands[0], {"reason": "no longer needed"}, SPECIALIST)
    platform.settle()
    counted = loads(matching)
    assert sum(open for open, _ in counted.values()) == 5 and set(counted) == set(labs)
    holds = sorted(map(repr, matching.read("SELECT * FROM {s}holds")))

    matching.recorder.execute([Statement("DELETE FROM {s}holds"),
                               Statement("DELETE FROM {s}institution_load")])
    for page in (1000, 7, 1000):  # all in one page, pages splitting the matches, and again
        matching.rebuild_read_model(page=page)
        assert loads(matching) == counted, page
        assert sorted(map(repr, matching.read("SELECT * FROM {s}holds"))) == holds
