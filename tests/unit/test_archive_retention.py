"""Retention acts on sealed dossiers (services/archive/seals.py, projection.py): the dossiers
past their retention listed for a decision, a legal hold that stops their disposal, and a
disposal recorded as an event that removes the content and files, keeps a tombstone, and that
neither a late event nor a rebuild undoes. On a controlled clock; SQLite and PostgreSQL (the
retention rows are SQL)."""
import pytest

from services.archive.files import ArchiveFiles
from services.archive.store import retention_years
from shared.config import ConfigurationError
from shared.errors import Conflict, Disposed, Invalid, NotFound
from tests import factories
from tests.unit.conftest import store_config
from tests.unit.test_archive import SCORES, SPECIALIST, completed
from tests.unit.test_intake import upload

SUPERVISOR = {"role": "supervisor", "subject": "regulator-1"}
REASON = {"reason": "保管期限届满，经局务会研究同意销毁"}


@pytest.fixture(params=["sqlite", "postgres"])
def config(request, tmp_path, pg_schema_prefix):
    return store_config(request.param, tmp_path, pg_schema_prefix)


@pytest.fixture
def park(open_platform, tmp_path, clock):
    platform = open_platform(factories.station(auto_accept=["inspection_testing"]))
    platform.archive.seals.clock = clock
    platform.archive.files = ArchiveFiles(platform.apps["intake"].attachments.path, tmp_path / "kept")
    platform.lab = platform.apps["matching"].register_institution(
        factories.institution(), SPECIALIST, station=factories.PANYU)
    platform.settle()
    return platform


def sealed(park, files=()):
    """A completed, rated (so sealed) case naming these uploaded files."""
    intake = park.apps["intake"]
    shas = [upload(intake, name, "application/pdf", data, SPECIALIST)["sha256"] for name, data in files]
    demand = intake.submit_demand(factories.demand(attachments=shas), SPECIALIST)
    park.settle()
    institution = {"role": "institution", "subject": park.lab["id"]}
    (offer,) = [a for a in park.apps["matching"].assignments(institution)["items"]
                if a["demand_id"] == demand["id"]]
    park.apps["matching"].complete_service(offer["assignment_id"], {"report_number": "R-1"}, institution)
    park.settle()
    park.apps["evaluation"].give_feedback(
        demand["id"], SCORES, {"role": "enterprise", "subject": demand["enterprise"]["credit_code"]})
    park.settle()
    assert park.archive.dossier(demand["id"])["seal"] is not None
    return demand["id"], shas


def due(park):
    return [item["demand_id"] for item in park.archive.disposals_due({})["items"]]


def test_only_dossiers_past_their_retention_are_listed_oldest_first_a_page_at_a_time(park, clock):
    first, _ = sealed(park)
    clock.advance(days=40)
    second, _ = sealed(park)
    completed(park, park.lab)  # open: never listed
    until = park.archive.dossier(first)["seal"]["retention_until"]
    assert until == "2036-11-30"  # sealed on 2026-11-30, kept ten years

    clock.set("2036-11-30T23:00")  # the last day of its retention (in UTC too)
    assert due(park) == []
    clock.set("2036-12-01T09:00")
    assert due(park) == [first]
    clock.set("2037-01-10T09:00")
    assert due(park) == [first, second]
    page = park.archive.disposals_due({"per_page": 1})
    assert [i["demand_id"] for i in page["items"]] == [first] and page["as_of"] == "2037-01-10"
    following = park.archive.disposals_due({"per_page": 1, "after": page["next_after"]})
    assert [i["demand_id"] for i in following["items"]] == [second] and following["next_after"] is None
    with pytest.raises(Invalid):
        park.archive.disposals_due({"per_page": 0})


def test_a_legal_hold_stops_the_disposal_until_it_is_released(park, clock):
    demand, _ = sealed(park)
    clock.set("2037-01-10T09:00")
    assert park.archive.dossier(demand)["legal_hold"] is None
    held = park.archive.place_legal_hold(demand, {"reason": "（2037）粤0113民初1号 诉讼保全"}, SUPERVISOR)
    assert held["legal_hold"]["by"] == SUPERVISOR and held["disposal"] is None
    # The dossier says so, who placed the hold, when and why, whole or as it stood before.
    assert park.archive.dossier(demand)["legal_hold"] == held["legal_hold"]
    assert park.archive.dossier(demand, "2036-12-01T00:00:00+08:00")["legal_hold"] == held["legal_hold"]
    assert park.archive.disposals_due({})["items"][0]["legal_hold"]["reason"].endswith("诉讼保全")
    with pytest.raises(Conflict) as refused:
        park.archive.dispose(demand, REASON, SUPERVISOR)
    assert refused.value.details["current_status"] == "legal_hold"
    with pytest.raises(Conflict):
        park.archive.place_legal_hold(demand, REASON, SUPERVISOR)  # one hold at a time
    assert park.archive.dossier(demand)["event_count"] > 0  # nothing removed

    park.archive.release_legal_hold(demand, {"reason": "判决已生效"}, SUPERVISOR)
    assert park.archive.dossier(demand)["legal_hold"] is None
    with pytest.raises(Conflict):
        park.archive.release_legal_hold(demand, {"reason": "again"}, SUPERVISOR)
    park.archive.dispose(demand, REASON, SUPERVISOR)
    events = [m.event for m in park.read_log("archive", 0, 100) if m.data["demand_id"] == demand]
    assert events == ["DemandArchived", "LegalHoldPlaced", "LegalHoldReleased", "DossierDisposed"]


def test_a_disposal_before_the_end_of_retention_or_without_a_reason_is_refused(park, clock):
    demand, _ = sealed(park)
    open_case = completed(park, park.lab)
    clock.set("2036-11-30T12:00")
    with pytest.raises(Conflict) as early:
        park.archive.dispose(demand, REASON, SUPERVISOR)
    assert early.value.details == {"retention_until": "2036-11-30"}
    clock.set("2037-01-10T09:00")
    for payload in ({}, {"reason": "  "}):
        with pytest.raises(Invalid) as invalid:
            park.archive.dispose(demand, payload, SUPERVISOR)
        assert "reason" in invalid.value.fields
    with pytest.raises(Conflict) as unsealed:
        park.archive.dispose(open_case["id"], REASON, SUPERVISOR)
    assert unsealed.value.details == {"current_status": "open"}
    with pytest.raises(NotFound):
        park.archive.dispose("0b0e6f2c-3c1d-4f7a-9a51-2d4c1b1e0a99", REASON, SUPERVISOR)


def test_a_disposal_is_recorded_removes_the_content_and_files_and_keeps_a_tombstone(park, clock):
    shared_file = ("共同文件.pdf", b"%PDF-1.7 named by both cases")
    demand, (own, common) = sealed(park, [("规格书.pdf", b"%PDF-1.7 only this case"), shared_file])
    other, _ = sealed(park, [shared_file])
    head = park.archive.dossier(demand)["chain_head"]
    kept = park.archive.files.path
    assert (kept / own).exists() and (kept / common).exists()
    clock.set("2037-01-10T09:00")

    tombstone = park.archive.dispose(demand, REASON, SUPERVISOR)
    assert tombstone["disposal"]["by"] == SUPERVISOR and tombstone["disposal"]["head"] == head
    assert tombstone["disposal"]["at"].startswith("2037-01-10T09:00")
    (recorded,) = [m for m in park.read_log("archive", 0, 100) if m.event == "DossierDisposed"]
    assert recorded.data["demand_id"] == demand and recorded.data["reason"] == REASON["reason"]
    assert recorded.data["head"] == head

    # The content is gone from every collection; the file another case names stays.
    generation = park.archive.generation()
    assert generation.dossiers.find_one({"_id": demand}) is None
    assert generation.entries.find_one({"demand_id": demand}) is None
    assert generation.events.find_one({"demand_id": demand}) is None
    assert not (kept / own).exists() and (kept / common).exists()
    assert park.archive.verify(other)["intact"] is True
    # What remains says it existed and was disposed of, and by whom.
    for read in (park.archive.dossier, park.archive.verify, park.archive.printable):
        with pytest.raises(Disposed) as gone:
            read(demand)
        assert gone.value.details["head"] == head and gone.value.details["disposed_by"] == "regulator-1"
    assert due(park) == [other]
    with pytest.raises(Disposed):  # asked again: the removal made sure of, the answer the same
        park.archive.dispose(demand, REASON, SUPERVISOR)
    with pytest.raises(Disposed):
        park.archive.place_legal_hold(demand, REASON, SUPERVISOR)


def test_neither_a_late_event_nor_a_rebuild_brings_a_disposed_dossier_back(park, clock):
    demand, _ = sealed(park)
    kept, _ = sealed(park)
    clock.set("2037-01-10T09:00")
    park.archive.dispose(demand, REASON, SUPERVISOR)
    # A complaint about the old case, after its disposal, joins no dossier.
    park.apps["evaluation"].file_complaint(
        {"against": {"kind": "institution", "id": park.lab["id"]}, "demand_id": demand,
         "summary": "Asking about an old report"}, {"role": "supervisor", "subject": "x"})
    park.settle()
    assert park.archive.generation().dossiers.find_one({"_id": demand}) is None
    live = park.archive.dossiers()

    park.archive.rebuild(park.read_log)

    assert park.archive.dossiers() == live and [d["demand_id"] for d in live] == [kept]
    assert park.archive.generation().events.find_one({"demand_id": demand}) is None
    with pytest.raises(Disposed):
        park.archive.dossier(demand)
    # The rebuild recorded no seal again, and the disposal stays the last word.
    log = [m.event for m in park.read_log("archive", 0, 100) if m.data["demand_id"] == demand]
    assert log == ["DemandArchived", "DossierDisposed"]


@pytest.mark.parametrize("configured, years", [(None, 10), ("", 10), ("0", 0), ("25", 25), ("-1", -1)])
def test_the_retention_years_are_taken_as_configured_zero_included(configured, years):
    assert retention_years({"ARCHIVE": {"retention_years": configured}}, 10) == years


@pytest.mark.parametrize("configured", ["-2", "101", "ten", "2.5"])
def test_retention_years_that_make_no_sense_stop_the_start(configured):
    with pytest.raises(ConfigurationError, match="retention_years"):
        retention_years({"ARCHIVE": {"retention_years": configured}}, 10)
