"""How the archive keeps its dossiers at volume: a new event appends one entry and updates the
summary in place; late and repeated arrivals give the same dossier as the pure function; a
dossier kept in the earlier shape (its timeline inside it) stays readable and moves to the new
one at its next event; a rebuild writes a new generation beside the one in use, which stays
readable, resumes where it was cut short, and folds the dossiers a bounded step at a time."""
import random

import mongomock
import pytest

from services.archive import projection
from services.archive.dossier import dossier, entry_of
from services.archive.projection import Archive
from tests import factories
from tests.unit.conftest import Platform, store_config

SPECIALIST = {"role": "specialist", "subject": "s-1"}
SCORES = {"overall": 4, "timeliness": 4, "professionalism": 4, "attitude": 4, "outcome": 4}


class Crash(Exception):
    pass


@pytest.fixture
def park(clock, tmp_path, pg_schema_prefix):
    platform = Platform(store_config("memory", tmp_path, pg_schema_prefix), clock)
    lab = platform.apps["matching"].register_institution(factories.institution(), SPECIALIST, station=factories.PANYU)
    platform.settle()
    platform.served = []
    for n in range(4):
        demand = platform.apps["intake"].submit_demand(factories.demand(), SPECIALIST)
        platform.settle()
        if n % 2:
            institution = {"role": "institution", "subject": lab["id"]}
            (offer,) = [a for a in platform.apps["matching"].assignments(institution)["items"]
                        if a["demand_id"] == demand["id"]]
            platform.apps["matching"].complete_service(offer["assignment_id"], {"report_number": "R"},
                                                       institution)
            platform.settle()
            owner = {"role": "enterprise", "subject": demand["enterprise"]["credit_code"]}
            platform.apps["evaluation"].give_feedback(demand["id"], SCORES, owner)
            platform.settle()
        platform.served.append(demand)
    yield platform
    platform.close()


def every_message(platform):
    return [m for upstream in Archive.upstreams for m in platform.read_log(upstream, 0, 10000)]


def test_a_new_event_appends_an_entry_and_leaves_the_earlier_ones_as_they_are(park):
    demand = park.served[0]
    archive = park.archive
    before = archive.dossier(demand["id"])
    # Mark every stored entry: a rewrite of the dossier would replace them and lose the mark.
    archive.db.entries.update_many({"demand_id": demand["id"]}, {"$set": {"marked": True}})
    park.apps["intake"].record_follow_up(demand["id"], {"note": "Called", "contact": "Li Hua", "channel": "phone"},
                                         SPECIALIST)
    park.settle()
    after = archive.dossier(demand["id"])
    assert after["event_count"] > before["event_count"]
    assert archive.db.entries.count_documents({"demand_id": demand["id"], "marked": True}) == \
        before["event_count"]
    assert after["events"][:before["event_count"]] == [
        dict(e, marked=True) for e in before["events"]]
    assert archive.verify(demand["id"])["intact"]


def test_late_and_repeated_arrivals_give_the_dossier_of_the_pure_function(park):
    messages = every_message(park)
    expected = {}
    for message in messages:
        demand_id = message.data.get("demand_id")
        if demand_id:
            expected.setdefault(str(demand_id), []).append(entry_of(message))
    shuffled = random.Random(7)
    for _ in range(3):
        order = list(messages)
        shuffled.shuffle(order)
        archive = Archive(mongomock.MongoClient().db)
        for message in order + order[: len(order) // 3]:  # a third arrives twice
            archive.apply(message)
        assert {d["demand_id"]: d for d in archive.dossiers()} == {  # none under a legal hold
            demand_id: {**{k: v for k, v in dossier(demand_id, entries).items() if k != "_id"},
                        "legal_hold": None}
            for demand_id, entries in expected.items()}
        assert all(archive.verify(demand_id)["intact"] for demand_id in expected)


def test_a_dossier_kept_whole_is_read_as_it_was_and_moves_to_entries_at_its_next_event(park):
    demand = park.served[0]
    archive = park.archive
    current = archive.dossier(demand["id"])
    # The shape an archive written before entries were kept apart has: the timeline inside.
    archive.db.entries.delete_many({"demand_id": demand["id"]})
    archive.db.dossiers.replace_one({"_id": demand["id"]}, dossier(demand["id"], current["events"]))
    assert archive.dossier(demand["id"]) == current
    assert archive.verify(demand["id"])["intact"]
    park.apps["intake"].cancel(demand["id"], {"reason": "The enterprise closed"}, SPECIALIST)
    park.settle()
    moved = archive.db.dossiers.find_one({"_id": demand["id"]})
    assert "events" not in moved
    assert archive.db.entries.count_documents({"demand_id": demand["id"]}) == moved["event_count"]
    assert archive.dossier(demand["id"])["events"][:current["event_count"]] == current["events"]
    assert archive.verify(demand["id"])["intact"]


def test_a_rebuild_cut_short_leaves_the_archive_readable_and_resumes_where_it_stopped(park):
    archive = park.archive
    live = archive.dossiers()
    total = len(every_message(park))

    def crash_at(stage):
        def progress(step, position, count):
            if step == stage:
                raise Crash(stage)
        return progress

    with pytest.raises(Crash):
        archive.rebuild(park.read_log, progress=crash_at("matching"), page=2)
    assert archive.dossiers() == live  # the generation in use is untouched and still read
    with pytest.raises(Crash):
        archive.rebuild(park.read_log, progress=crash_at("dossiers"), page=2)
    assert archive.dossiers() == live
    copied = archive.rebuild(park.read_log)  # the copy is done: only the fold is left
    assert copied == 0
    assert archive.dossiers() == live
    assert all(archive.verify(d["demand_id"])["intact"] for d in live)
    (generation,) = {archive.generation().name}
    assert generation != "" and archive.db.archive_meta.find_one({"_id": "rebuild"}) is None
    assert "dossiers" not in archive.db.list_collection_names()  # the one replaced is dropped
    # Live following goes on in the new generation.
    park.apps["intake"].submit_demand(factories.demand(), SPECIALIST)
    park.settle()
    assert len(archive.dossiers()) == len(live) + 1
    # Cut short and started over, a rebuild copies everything again.
    with pytest.raises(Crash):
        archive.rebuild(park.read_log, progress=crash_at("evaluation"))
    assert archive.rebuild(park.read_log, restart=True) == len(every_message(park)) > total


def test_a_rebuild_folds_a_bounded_step_at_a_time_and_equals_the_live_archive(park, monkeypatch):
    live = park.archive.dossiers()
    monkeypatch.setattr(projection, "FOLD_STEP_EVENTS", 5)
    steps = []
    park.archive.rebuild(park.read_log, progress=lambda *step: steps.append(step))
    folds = [step for step in steps if step[0] == "dossiers"]
    assert len(folds) > 1 and folds[-1][1] == projection.BUCKETS and folds[-1][2] == len(live)
    assert park.archive.dossiers() == live


def test_a_reopened_archive_reads_only_the_lag_from_its_upstreams(park, tmp_path):
    """A restart on a file-backed store with history: the positions say where it stands, so
    it pulls what came after them and nothing before (counted, not timed)."""
    import litemongo

    db = litemongo.connect(str(tmp_path / "archive"))["onestop_archive"]
    first = Archive(db)
    first.follow_upstreams(park.read_log, retry_backoff=0)
    first.catch_up()
    served = first.dossiers()
    stood = {upstream: first.position(upstream) for upstream in Archive.upstreams}
    assert len(served) == len(park.served) and all(stood.values())
    db.client.close()
    park.apps["intake"].submit_demand(factories.demand(), SPECIALIST)  # while it was down
    park.settle()

    pulled = []

    def counted(upstream, after, limit):
        found = park.read_log(upstream, after, limit)
        pulled.extend(found)
        return found
    reopened = Archive(litemongo.connect(str(tmp_path / "archive"))["onestop_archive"])
    reopened.follow_upstreams(counted, retry_backoff=0)
    assert reopened.dossier(served[0]["demand_id"]) == served[0]  # readable before any pull
    reopened.catch_up()
    lag = [m for upstream in Archive.upstreams for m in park.read_log(upstream, 0, 10000)
           if m.id > stood[upstream]]
    assert lag and [(m.service, m.id) for m in pulled] == [(m.service, m.id) for m in lag]
    assert len(reopened.dossiers()) == len(served) + 1
    reopened.db.client.close()
