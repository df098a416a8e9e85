"""The archive's dossiers: hash chain and tampering, sealing and addenda, the case as of a past
moment, supervision search, and a rebuild equal to the live archive."""
import uuid
from datetime import datetime, timedelta

import mongomock
import pytest

from services.archive.projection import Archive
from services.archive.seals import ArchiveSeals
from shared.eventstore import open_application
from shared.errors import Invalid, NotFound
from tests import factories

SPECIALIST = {"role": "specialist", "subject": "s-1"}
SCORES = {"overall": 4, "timeliness": 4, "professionalism": 4, "attitude": 4, "outcome": 4}


def rejected(platform, **overrides):
    """A demand the station assesses by hand (metrology) and rejects."""
    intake = platform.apps["intake"]
    demand = intake.submit_demand(factories.demand(**{"category": "metrology", **overrides}), SPECIALIST)
    platform.settle()
    intake.assess(demand["id"], {"decision": "reject", "reason": "Out of scope"}, SPECIALIST)
    platform.settle()
    return demand


def completed(platform, lab):
    demand = platform.apps["intake"].submit_demand(factories.demand(), SPECIALIST)
    platform.settle()
    matching, institution = platform.apps["matching"], {"role": "institution", "subject": lab["id"]}
    (offer,) = [a for a in matching.assignments(institution)["items"] if a["demand_id"] == demand["id"]]
    matching.complete_service(offer["assignment_id"], {"report_number": "R-1"}, institution)
    platform.settle()
    return demand


@pytest.fixture
def park(open_platform):
    """A station that accepts testing demands by itself and assesses the rest by hand."""
    platform = open_platform(factories.station(auto_accept=["inspection_testing"]))
    platform.lab = platform.apps["matching"].register_institution(factories.institution(), SPECIALIST, station=factories.PANYU)
    platform.settle()
    return platform


def test_a_final_demand_is_sealed_once_with_its_retention_and_later_events_are_addenda(park):
    lab = park.lab
    demand = completed(park, lab)
    open_case = park.archive.dossier(demand["id"])
    assert open_case["status"] == "completed" and open_case["seal"] is None  # feedback pending
    owner = {"role": "enterprise", "subject": demand["enterprise"]["credit_code"]}
    park.apps["evaluation"].give_feedback(demand["id"], SCORES, owner)
    park.settle()
    sealed = park.archive.dossier(demand["id"])
    seal = sealed["seal"]
    assert seal["sealed_by_event"] == "FeedbackGiven" and seal["event_count"] == len(sealed["events"])
    sealed_on = datetime.fromisoformat(seal["sealed_at"]).date()
    assert seal["retention_until"] == sealed_on.replace(year=sealed_on.year + 10).isoformat()
    (archived,) = [m for m in park.read_log("archive", 0, 100) if m.data["demand_id"] == demand["id"]]
    assert archived.event == "DemandArchived" and archived.data["head"] == seal["head"]
    # A complaint after the seal is an addendum; the sealed part and its head stay as they were.
    park.apps["evaluation"].file_complaint(
        {"against": {"kind": "institution", "id": lab["id"]}, "demand_id": demand["id"],
         "summary": "The report came without its annex"}, owner)
    park.settle()
    later = park.archive.dossier(demand["id"])
    assert later["seal"] == seal
    assert later["events"][:seal["event_count"]] == sealed["events"]
    assert [e["name"] for e in later["events"] if e.get("addendum")] == ["ComplaintReceived"]
    assert len(park.read_log("archive", 0, 100)) == 1  # sealed once
    assert park.archive.verify(demand["id"])["intact"] is True
    # Evaluation counts the dossier archived in time (sealed at the feedback, days within 10).
    figures = park.apps["evaluation"].figures("all", "2026", {"role": "supervisor", "subject": "x"})
    assert figures["figures"]["archived"] == figures["figures"]["archived_on_time"] == 1


def test_an_altered_event_is_named_by_verification(park):
    demand = rejected(park)
    archive = park.archive
    archive.follow_upstreams(park.read_log, retry_backoff=0)
    assert archive.verify(demand["id"], check_sources=True) == {
        "demand_id": demand["id"], "entries": 2, "intact": True, "first_broken": None,
        "seal": {"recorded": park.archive.seals.seal_of(demand["id"]), "matches": True},
        "sources_checked": True, "files": []}
    # Someone with access to the document store softens the rejection's reason.
    events = archive.dossier(demand["id"])["events"]
    index = next(i for i, e in enumerate(events) if e["name"] == "DemandRejected")
    archive.db.entries.update_one({"demand_id": demand["id"], "name": "DemandRejected"},
                                  {"$set": {"data.reason": "Withdrawn politely"}})
    report = archive.verify(demand["id"])
    assert report["intact"] is False
    assert report["first_broken"]["index"] == index
    assert report["first_broken"]["name"] == "DemandRejected"
    assert report["first_broken"]["notification_id"] == events[index]["notification_id"]
    # Removing the entry instead leaves a chain that the summary's count gives away.
    archive.db.entries.delete_one({"demand_id": demand["id"], "name": "DemandRejected"})
    assert archive.verify(demand["id"])["first_broken"]["problem"] == \
        "the summary counts 2 entries, 1 are stored"


def test_a_rewritten_chain_is_caught_by_the_seal_and_by_the_event_stores(park):
    from services.archive.dossier import dossier, stored
    demand = rejected(park)
    archive = park.archive
    forged = [dict(e, data={**e["data"], "reason": "Forged"}) if e["name"] == "DemandRejected" else e
              for e in archive.dossier(demand["id"])["events"]]
    summary, entries = stored(dossier(demand["id"], forged))
    archive.db.dossiers.replace_one({"_id": demand["id"]}, summary)
    for entry in entries:
        archive.db.entries.replace_one({"_id": entry["_id"]}, entry)
    report = archive.verify(demand["id"])
    assert report["intact"] is False and report["seal"]["matches"] is False
    # Without the seal (an open case, say), the event stores still tell.
    unsealed = Archive(archive.db)
    unsealed.follow_upstreams(park.read_log, retry_backoff=0)
    from_sources = unsealed.verify(demand["id"], check_sources=True)
    assert from_sources["intact"] is False
    assert from_sources["first_broken"]["problem"] == "differs from the event store"
    assert from_sources["first_broken"]["name"] == "DemandRejected"


def test_the_case_as_it_stood_at_a_past_moment(park):
    demand = rejected(park)
    full = park.archive.dossier(demand["id"])
    moments = [datetime.fromisoformat(e["occurred_at"]) for e in full["events"]]
    before_rejection = (moments[-1] - timedelta(microseconds=1)).isoformat()
    then = park.archive.dossier(demand["id"], before_rejection)
    assert then["status"] == "submitted" and then["seal"] is None
    assert [e["name"] for e in then["events"]] == [e["name"] for e in full["events"][:-1]]
    assert then["as_of"] == before_rejection
    with pytest.raises(NotFound):
        park.archive.dossier(demand["id"], (moments[0] - timedelta(days=1)).isoformat())
    with pytest.raises(Invalid):
        park.archive.dossier(demand["id"], "2026-11-20T12:00:00")  # no offset: which zone?
    with pytest.raises(Invalid):
        park.archive.dossier(demand["id"], "yesterday")


def test_supervisors_search_dossiers(park):
    first = rejected(park)
    assigned = park.apps["intake"].submit_demand(factories.demand(), SPECIALIST)
    park.settle()
    search = park.archive.search
    assert {d["demand_id"] for d in search({})["items"]} == {first["id"], assigned["id"]}
    assert [d["demand_id"] for d in search({"status": "rejected"})["items"]] == [first["id"]]
    assert [d["demand_id"] for d in search({"institution": park.lab["id"]})["items"]] == [assigned["id"]]
    found = lambda query: [d["demand_id"] for d in search(query)["items"]]
    assert found({"enterprise": first["enterprise"]["credit_code"]}) == [first["id"]]
    assert found({"station": park.station["id"]}) == [assigned["id"], first["id"]]  # newest first
    assert found({"station": park.station["id"], "category": "metrology"}) == [first["id"]]
    assert found({"breached": "true"}) == [] and len(found({"breached": "false"})) == 2
    later = (park.clock() + timedelta(hours=1)).isoformat()
    assert found({"submitted_from": later}) == []
    newest = search({"submitted_to": later, "per_page": "1"})
    assert [d["demand_id"] for d in newest["items"]] == [assigned["id"]]
    rest = search({"submitted_to": later, "per_page": "1", "after": newest["next_after"]})
    assert [d["demand_id"] for d in rest["items"]] == [first["id"]] and rest["next_after"] is None
    assert "events" not in search({})["items"][0] and "fold" not in search({})["items"][0]
    with pytest.raises(Invalid):
        search({"status": "lost"})
    with pytest.raises(Invalid):
        search({"submitted_from": "2026-11-01"})  # a moment needs its offset
    with pytest.raises(Invalid):
        search({"after": "not-a-cursor"})


def test_a_rebuild_reproduces_sealed_and_open_dossiers_and_records_no_second_seal(park):
    completed(park, park.lab)
    done = completed(park, park.lab)
    park.apps["evaluation"].give_feedback(done["id"], SCORES,
                                          {"role": "enterprise", "subject": done["enterprise"]["credit_code"]})
    rejected(park)
    live = park.archive.dossiers()
    seals = park.read_log("archive", 0, 100)
    assert sum(d["seal"] is not None for d in live) == 2

    progress = []
    park.archive.rebuild(park.read_log, progress=lambda *step: progress.append(step))

    assert park.archive.dossiers() == live
    assert park.read_log("archive", 0, 100) == seals
    assert list(dict.fromkeys(step[0] for step in progress)) == ["intake", "matching", "evaluation", "dossiers"]
    assert all(park.archive.verify(d["demand_id"])["intact"] for d in live)


def test_a_run_of_notifications_files_the_same_dossiers_as_one_at_a_time(park):
    """A run writes each dossier's entries together and its summary once: the dossiers, their
    chains and seals are those of filing each notification alone."""
    completed(park, park.lab)
    done = completed(park, park.lab)
    park.apps["evaluation"].give_feedback(done["id"], SCORES,
                                          {"role": "enterprise", "subject": done["enterprise"]["credit_code"]})
    rejected(park)
    # Each upstream's whole log at once, in two orders: a later upstream's run sorts before
    # entries filed already (late arrivals, several of a dossier in one run).
    for order in (("intake", "matching", "evaluation"), ("evaluation", "matching", "intake")):
        in_runs, one_by_one = Archive(mongomock.MongoClient().db), Archive(mongomock.MongoClient().db)
        for upstream in order:
            messages = park.read_log(upstream, 0, 1000)
            in_runs.apply_all(messages)
            for message in messages:
                one_by_one.apply(message)
        filed = in_runs.dossiers()
        assert filed == one_by_one.dossiers() == park.archive.dossiers()
        assert sum(d["seal"] is not None for d in filed) == 2 and len(filed) == 3
        assert all(in_runs.verify(d["demand_id"])["intact"] for d in filed)


def test_a_rebuild_records_the_seals_its_event_store_lacks_once(park):
    done = completed(park, park.lab)
    park.apps["evaluation"].give_feedback(done["id"], SCORES,
                                          {"role": "enterprise", "subject": done["enterprise"]["credit_code"]})
    rejected(park)
    park.settle()
    live = park.archive.dossiers()
    fresh = Archive(mongomock.MongoClient().db,
                    open_application(ArchiveSeals, {"EVENT_STORE": {"kind": "memory"}}))
    try:
        fresh.rebuild(park.read_log)
        assert fresh.dossiers() == live
        recorded = fresh.seals.log(0, 100)
        assert sorted(m.data["head"] for m in recorded) == sorted(
            d["seal"]["head"] for d in live if d["seal"] is not None)
        fresh.rebuild(park.read_log)
        assert fresh.seals.log(0, 100) == recorded
        # A seal recorded between the rebuild's look at the seals and its own save (by a live
        # archive) fails the one transaction; the rebuild then records the rest one at a time.
        fresh.seals._recorded = lambda ids: set()
        fresh.rebuild(park.read_log)
        assert fresh.seals.log(0, 100) == recorded
    finally:
        fresh.close()


def test_an_unknown_dossier(park):
    with pytest.raises(NotFound):
        park.archive.verify(str(uuid.uuid4()))
