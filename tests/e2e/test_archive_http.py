"""The archive for a supervisor, through HTTP and the CLI: a full dossier, the case as of a
past moment, verification, search and export; the parties kept to their own cases; an altered
document caught by `onestop archive verify`."""
import io
from datetime import datetime
from pathlib import Path

import pikepdf
import pytest

from tests import factories
from tests.conftest import wait_for
from tests.e2e.harness import Embedded, onestop

SUPERVISOR = ("supervisor", "regulator-1")
SPECIALIST = ("specialist", "s-1")


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    platform = Embedded(tmp_path_factory.mktemp("archive")).start()
    platform.station = platform.api.open_station()
    yield platform
    platform.stop()


def ok(response, status=200):
    assert response.status_code == status, response.text
    return response.json()


def test_a_supervisor_reads_verifies_and_exports_a_case_and_the_parties_only_their_own(platform):
    api = platform.api
    lab = ok(api.call("POST", "/api/v1/institutions", as_=SPECIALIST, json=factories.institution()), 201)
    owner = factories.credit_code()
    demand = ok(api.call("POST", "/api/v1/demands", as_=("enterprise", owner),
                         json=factories.demand(owner)), 201)["id"]
    assigned = api.wait_dossier(demand, "assigned", SUPERVISOR)
    (offer,) = [a for a in ok(api.call("GET", "/api/v1/assignments", as_=("institution", lab["id"])))["items"]
                if a["demand_id"] == demand]
    ok(api.call("POST", f"/api/v1/assignments/{offer['assignment_id']}/completion",
                as_=("institution", lab["id"]), json={"report_number": "R-77"}))
    full = api.wait_dossier(demand, "completed", SUPERVISOR)
    assert full["seal"] is None  # the feedback is still to come
    assert [e["name"] for e in full["events"]][:2] == ["DemandSubmitted", "DemandAccepted"]
    assert all(len(e["hash"]) == 64 for e in full["events"]) and full["chain_head"] == full["events"][-1]["hash"]

    # As of the moment it was assigned (before the completion's events).
    assigned_at = max(e["occurred_at"] for e in assigned["events"])
    then = ok(api.call("GET", f"/api/v1/archive/demands/{demand}", as_=SUPERVISOR,
                       params={"as_of": assigned_at}))
    assert then["status"] == "assigned" and then["event_count"] == assigned["event_count"]
    assert then["events"] == assigned["events"]
    bad = api.call("GET", f"/api/v1/archive/demands/{demand}", as_=SUPERVISOR, params={"as_of": "noon"})
    assert bad.status_code == 422 and "as_of" in bad.json()["details"]

    verified = ok(api.call("GET", f"/api/v1/archive/demands/{demand}/verify", as_=SUPERVISOR))
    assert verified["intact"] is True and verified["sources_checked"] is True
    assert verified["entries"] == full["event_count"]

    exported = api.call("GET", f"/api/v1/archive/demands/{demand}/export", as_=SUPERVISOR)
    assert exported.status_code == 200 and "attachment" in exported.headers["Content-Disposition"]
    assert exported.json()["dossier"]["events"] == full["events"]
    assert exported.json()["verification"]["intact"] is True

    found = ok(api.call("GET", "/api/v1/archive/demands", as_=SUPERVISOR,
                        params={"institution": lab["id"], "status": "completed"}))
    assert [d["demand_id"] for d in found["items"]] == [demand] and "events" not in found["items"][0]
    assert api.call("GET", "/api/v1/archive/demands", as_=SUPERVISOR,
                    params={"per_page": "1000"}).status_code == 422
    bad_cursor = api.call("GET", "/api/v1/archive/demands", as_=SUPERVISOR, params={"after": "abc"})
    assert bad_cursor.status_code == 422 and "after" in bad_cursor.json()["details"]

    # The parties: their own case yes, anyone else's no; verification and search are the regulator's.
    other = ("enterprise", factories.credit_code())
    assert api.call("GET", f"/api/v1/archive/demands/{demand}", as_=("enterprise", owner)).status_code == 200
    assert api.call("GET", f"/api/v1/archive/demands/{demand}", as_=other).status_code == 404
    other_lab = ok(api.call("POST", "/api/v1/institutions", as_=SPECIALIST,
                            json=factories.institution(auto_accept_offers=False)), 201)
    assert api.call("GET", f"/api/v1/archive/demands/{demand}",
                    as_=("institution", other_lab["id"])).status_code == 404
    assert api.call("GET", f"/api/v1/archive/demands/{demand}",
                    as_=("institution", other_lab["id"]), params={"as_of": assigned_at}).status_code == 404
    for path in (f"/api/v1/archive/demands/{demand}/verify", f"/api/v1/archive/demands/{demand}/export",
                 "/api/v1/archive/demands"):
        assert api.call("GET", path, as_=("enterprise", owner)).status_code == 403
        assert api.call("GET", path, as_=("institution", lab["id"])).status_code == 403

    # Rated: the dossier is sealed, with its retention date.
    scores = {"overall": 5, "timeliness": 5, "professionalism": 5, "attitude": 5, "outcome": 5}
    ok(api.call("POST", f"/api/v1/demands/{demand}/feedback", as_=("enterprise", owner), json=scores), 201)

    def sealed():
        shown = ok(api.call("GET", f"/api/v1/archive/demands/{demand}", as_=SUPERVISOR))
        return shown if shown["seal"] else None
    seal = wait_for(sealed, message="the seal")["seal"]
    assert seal["sealed_by_event"] == "FeedbackGiven"
    sealed_on = datetime.fromisoformat(seal["sealed_at"]).date()
    assert seal["retention_until"] == sealed_on.replace(year=sealed_on.year + 10).isoformat()
    platform.sealed_demand = demand


def test_a_supervisor_downloads_the_dossier_printed_as_pdf_a_and_no_one_else_may(platform):
    demand, api = platform.sealed_demand, platform.api
    printed = api.call("GET", f"/api/v1/archive/demands/{demand}/export", as_=SUPERVISOR,
                       params={"format": "pdf"})
    assert printed.status_code == 200, printed.text
    assert printed.headers["Content-Type"] == "application/pdf"
    assert printed.headers["Content-Disposition"] == f"attachment; filename*=UTF-8''dossier-{demand}.pdf"
    with pikepdf.open(io.BytesIO(printed.content)) as pdf, pdf.open_metadata() as xmp:
        assert xmp["pdfaid:part"] == "3" and xmp["pdfaid:conformance"] == "B"
    # Streamed once: the print is not kept beside the archive's files.
    assert not list((Path(platform.env["ONESTOP_DATA_DIR"]) / "archive-files" / "prints").iterdir())

    unknown = api.call("GET", f"/api/v1/archive/demands/{demand}/export", as_=SUPERVISOR,
                       params={"format": "docx"})
    assert unknown.status_code == 422 and unknown.json()["error"] == "unsupported_export_format"
    assert "不支持" in unknown.json()["message"] and "format" in unknown.json()["details"]
    for caller in (("enterprise", factories.credit_code()), SPECIALIST):
        refused = api.call("GET", f"/api/v1/archive/demands/{demand}/export", as_=caller,
                           params={"format": "pdf"})
        assert refused.status_code == 403 and refused.json()["error"] == "forbidden"


def test_retention_acts_over_http(platform):
    """Ten years are not waited for here: a dossier sealed today is refused disposal, and a
    legal hold is refused it first (the clock-dependent cases: tests/unit/test_archive_retention.py)."""
    demand, api = platform.sealed_demand, platform.api
    assert ok(api.call("GET", "/api/v1/archive/disposals/due", as_=SUPERVISOR))["items"] == []
    early = api.call("POST", f"/api/v1/archive/demands/{demand}/disposal", as_=SUPERVISOR,
                     json={"reason": "保管期限届满"})
    assert early.status_code == 409 and "retention_until" in early.json()["details"], early.text
    held = ok(api.call("POST", f"/api/v1/archive/demands/{demand}/legal-hold", as_=SUPERVISOR,
                       json={"reason": "诉讼保全"}), 201)
    assert held["legal_hold"]["reason"] == "诉讼保全" and held["legal_hold"]["by"]["role"] == "supervisor"
    # The dossier's view says so, to the regulator only.
    read = ok(api.call("GET", f"/api/v1/archive/demands/{demand}", as_=SUPERVISOR))
    assert read["legal_hold"] == held["legal_hold"]
    assert "legal_hold" not in ok(api.call("GET", f"/api/v1/archive/demands/{demand}", as_=SPECIALIST))
    stopped = api.call("POST", f"/api/v1/archive/demands/{demand}/disposal", as_=SUPERVISOR,
                       json={"reason": "保管期限届满"})
    assert stopped.status_code == 409 and stopped.json()["error"] == "under_legal_hold", stopped.text
    missing = api.call("POST", f"/api/v1/archive/demands/{demand}/disposal", as_=SUPERVISOR, json={})
    assert missing.status_code == 422 and "reason" in missing.json()["details"]
    released = ok(api.call("POST", f"/api/v1/archive/demands/{demand}/legal-hold/release",
                           as_=SUPERVISOR, json={"reason": "判决已生效"}))
    assert released["legal_hold"] is None
    assert ok(api.call("GET", f"/api/v1/archive/demands/{demand}", as_=SUPERVISOR))["legal_hold"] is None
    assert api.call("POST", f"/api/v1/archive/demands/{demand}/legal-hold", as_=SPECIALIST,
                    json={"reason": "x"}).status_code == 403


def test_an_altered_document_is_named_by_onestop_archive_verify(platform):
    demand = platform.sealed_demand
    platform.stop()
    try:
        clean = onestop(platform.env, "archive", "verify")
        assert clean.returncode == 0, clean.stdout + clean.stderr
        assert "dossiers intact" in clean.stdout

        import litemongo

        from services.archive.projection import Archive
        archive = Archive(litemongo.connect(platform.env["ONESTOP_DATA_DIR"] + "/archive")["onestop_archive"])
        events = archive.dossier(demand)["events"]
        index = next(i for i, e in enumerate(events) if e["name"] == "ServiceCompleted")
        archive.generation().entries.update_one(
            {"demand_id": demand, "name": "ServiceCompleted"},
            {"$set": {"data.evidence.report_number": "R-78"}})
        archive.db.client.close()  # litemongo's file, released for the commands below

        broken = onestop(platform.env, "archive", "verify")
        assert broken.returncode == 1
        assert f"BROKEN {demand}" in broken.stdout and "'name': 'ServiceCompleted'" in broken.stdout
        assert f"'index': {index}" in broken.stdout

        rebuilt = onestop(platform.env, "archive", "rebuild")
        assert rebuilt.returncode == 0, rebuilt.stderr
        assert "dossiers: " in rebuilt.stdout and "archive rebuilt" in rebuilt.stdout
        assert onestop(platform.env, "archive", "verify").returncode == 0  # rebuilt from the stores
    finally:
        platform.start()
