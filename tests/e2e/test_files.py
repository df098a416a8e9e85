"""Downloading a case's files through the HTTP API: exactly the people entitled (the enterprise,
the station's specialists, the institution once assigned, supervisors), streamed with the
stored media type, as an attachment, each download in the audit trail; the completion's
evidence likewise, and only what the serving institution uploaded itself."""
from pathlib import Path

import pytest

from tests import factories
from tests.conftest import wait_for
from tests.e2e.harness import Embedded

SPECIALIST = ("specialist", "s-1")
SUPERVISOR = ("supervisor", "regulator-1")
SPEC = "检测规格书 (LED).pdf"


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    platform = Embedded(tmp_path_factory.mktemp("files")).start()
    platform.api.open_station()
    yield platform
    platform.stop()


def ok(response, status=200):
    assert response.status_code == status, response.text
    return response


def upload(api, who, name, data):
    return ok(api.call("POST", "/api/v1/attachments", as_=who, params={"name": name}, data=data,
                       headers={"Content-Type": "application/pdf"}), 201).json()["sha256"]


def test_a_case_s_files_reach_exactly_its_people_and_each_download_is_recorded(platform):
    api = platform.api
    code = factories.credit_code()
    owner, stranger = ("enterprise", code), ("enterprise", factories.credit_code())
    body = b"%PDF-1.7 the lamp's specification " + bytes(range(256)) * 40
    spec = upload(api, owner, SPEC, body)
    lab = ok(api.call("POST", "/api/v1/institutions", as_=SPECIALIST, json=factories.institution(
        auto_accept_offers=False, price_list=[{"item": "LED lamp", "price_cny": "800", "unit": "per sample"},
                                              {"item": "battery", "price_cny": "500", "unit": "per sample"}])),
             201).json()
    demand = ok(api.call("POST", "/api/v1/demands", as_=owner,
                         json=factories.demand(code, attachments=[spec])), 201).json()["id"]
    path = f"/api/v1/demands/{demand}/files/{spec}"

    got = ok(api.call("GET", path, as_=owner))
    assert got.content == body and got.headers["Content-Type"] == "application/pdf"
    assert got.headers["Content-Disposition"] == (
        "attachment; filename*=UTF-8''%E6%A3%80%E6%B5%8B%E8%A7%84%E6%A0%BC%E4%B9%A6%20%28LED%29.pdf")
    assert got.headers["X-Content-Type-Options"] == "nosniff" and got.headers["Cache-Control"] == "no-store"
    for who in (SPECIALIST, SUPERVISOR):
        assert ok(api.call("GET", path, as_=who)).content == body
    assert api.call("GET", path, as_=stranger).status_code == 404  # another enterprise's case
    assert api.call("GET", path, as_=("institution", lab["id"])).status_code == 404  # not yet its case
    assert api.call("GET", path, as_=("operator", "ops-1")).status_code == 403  # never may
    assert api.call("GET", f"/api/v1/demands/{demand}/files/{'0' * 64}", as_=owner).status_code == 404
    assert api.call("GET", f"/api/v1/demands/{demand}/files/not-a-hash", as_=owner).status_code == 404

    (offer,) = wait_for(lambda: api.call("GET", "/api/v1/assignments", as_=("institution", lab["id"]))
                        .json()["items"], message="the offer")
    ok(api.call("POST", f"/api/v1/assignments/{offer['assignment_id']}/acceptance",
                as_=("institution", lab["id"]), json={"promised_date": "2099-01-31"}))
    api.wait_status(demand, "assigned", SPECIALIST)
    assert ok(api.call("GET", path, as_=("institution", lab["id"]))).content == body
    # The enterprise reads who serves it, the qualification that made it eligible, its price.
    serving = ok(api.call("GET", f"/api/v1/demands/{demand}", as_=owner)).json()["institution"]
    assert serving["id"] == lab["id"] and serving["name"] == lab["name"]
    assert [q["number"] for q in serving["qualifications"]] == ["CMA-2021-0001"]
    assert serving["prices"] == [{"item": "LED lamp", "price_cny": "800", "unit": "per sample"}]
    assert serving["promised_date"] == "2099-01-31" and serving["progress"] == []
    assert serving["contact"] is None  # until the institution gives one
    ok(api.call("PATCH", f"/api/v1/institutions/{lab['id']}", as_=("institution", lab["id"]),
                json={"contact": {"name": "王工", "phone": "020-8888 0000"}, "reason": "本案联系人"}))
    assert ok(api.call("GET", f"/api/v1/demands/{demand}", as_=owner)).json()["institution"]["contact"] \
        == {"name": "王工", "phone": "020-8888 0000", "email": None}
    ok(api.call("POST", f"/api/v1/assignments/{offer['assignment_id']}/progress",
                as_=("institution", lab["id"]), json={"milestone": "样品已收到", "note": "3 个样品"}), 201)
    progress = wait_for(lambda: ok(api.call("GET", f"/api/v1/demands/{demand}", as_=owner)).json()
                        ["institution"]["progress"], message="the progress in the demand's view")
    assert [(p["milestone"], p["note"]) for p in progress] == [("样品已收到", "3 个样品")]
    assert "institution" not in ok(api.call("GET", f"/api/v1/demands/{demand}",
                                            as_=("institution", lab["id"]))).json()

    # The report the institution uploaded, named as evidence: the enterprise downloads it. A
    # hash of a file the institution did not upload is refused as evidence.
    report = upload(api, ("institution", lab["id"]), "report.pdf", b"%PDF-1.7 test report R-1")
    elsewhere = upload(api, stranger, "theirs.pdf", b"%PDF-1.7 another enterprise's file")
    completion = f"/api/v1/assignments/{offer['assignment_id']}/completion"
    refused = api.call("POST", completion, as_=("institution", lab["id"]), json={
        "report_number": "R-1", "documents": [{"name": "x.pdf", "sha256": elsewhere}]})
    assert refused.status_code == 422, refused.text
    ok(api.call("POST", completion, as_=("institution", lab["id"]), json={
        "report_number": "R-1", "documents": [{"name": "检测报告.pdf", "sha256": report}]}))
    api.wait_status(demand, "completed", SPECIALIST)
    assert ok(api.call("GET", f"/api/v1/demands/{demand}/files/{report}", as_=owner)).content \
        == b"%PDF-1.7 test report R-1"
    assert api.call("GET", f"/api/v1/demands/{demand}/files/{elsewhere}", as_=owner).status_code == 404

    # The archive keeps its own copy of every file the dossier names, verified by hash: the case
    # stays complete when intake's copy is gone, and an altered copy is reported.
    api.wait_dossier(demand, "completed", SUPERVISOR)
    data = Path(platform.env["ONESTOP_DATA_DIR"])
    archived = f"/api/v1/archive/demands/{demand}/files/{spec}"
    verified = ok(api.call("GET", f"/api/v1/archive/demands/{demand}/verify", as_=SUPERVISOR)).json()
    assert verified["intact"] is True and verified["files"] == []
    (data / "attachments" / spec).unlink()
    assert api.call("GET", path, as_=owner).status_code == 404  # intake's copy is gone
    got = ok(api.call("GET", archived, as_=SUPERVISOR))
    assert got.content == body and got.headers["Content-Disposition"].startswith("attachment;")
    assert ok(api.call("GET", f"/api/v1/archive/demands/{demand}/files/{report}", as_=SUPERVISOR)).content \
        == b"%PDF-1.7 test report R-1"
    assert api.call("GET", f"/api/v1/archive/demands/{demand}/files/{'0' * 64}", as_=SUPERVISOR).status_code == 404
    assert api.call("GET", archived, as_=owner).status_code == 403  # the regulator's copy
    (data / "archive-files" / report).write_bytes(b"%PDF-1.7 altered")
    verified = ok(api.call("GET", f"/api/v1/archive/demands/{demand}/verify", as_=SUPERVISOR)).json()
    assert verified["intact"] is False and verified["files"] == [{"sha256": report, "problem": "altered"}]

    trail = ok(api.call("GET", "/api/v1/audit", as_=SUPERVISOR, params={"per_page": 100})).json()["items"]
    downloads = [entry for entry in trail if entry.get("action", "").startswith("download")]
    assert {(entry["by"]["role"], entry["action"]) for entry in downloads} >= {
        ("enterprise", f"download {spec}"), ("specialist", f"download {spec}"),
        ("institution", f"download {spec}"), ("enterprise", f"download {report}")}
