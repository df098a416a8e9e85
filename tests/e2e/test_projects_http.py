"""Standard projects and IP applications through the HTTP API alone: a standard moves through its
five stages with a document at each and the enterprise reads it; a skipped stage, a stage
without a document or with another party's file is refused naming the field, and nothing is
stored; an application with a bad number or an illegal move is refused; the dossier holds the
work and verifies."""
from pathlib import Path

import pytest

from tests import factories
from tests.conftest import wait_for
from tests.e2e.harness import Embedded

SUPERVISOR = ("supervisor", "regulator-1")
SPECIALIST = ("specialist", "s-1")
STAGES = ("initiation", "drafting", "consultation", "review", "publication")


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    platform = Embedded(tmp_path_factory.mktemp("projects")).start()
    platform.station = platform.api.open_station()
    yield platform
    platform.stop()


def ok(response, status=200):
    assert response.status_code == status, response.text
    return response.json()


def served(api, category, **request):
    """A demand of ``category`` an institution of that category serves: (demand id, the
    enterprise, the institution) as (role, party) pairs."""
    lab = ok(api.call("POST", "/api/v1/institutions", as_=SPECIALIST,
                      json=factories.institution(categories=[category])), 201)
    owner = factories.credit_code()
    enterprise = ("enterprise", owner)
    demand = ok(api.call("POST", "/api/v1/demands", as_=enterprise,
                         json=factories.demand(owner, category=category, **request)), 201)["id"]
    assigned = api.wait_status(demand, "assigned", enterprise)
    assert assigned["assignment"]["institution_id"] == lab["id"]
    return demand, enterprise, ("institution", lab["id"])


def archived(api, demand, event):
    """The demand's dossier once it holds ``event`` (the archive follows matching's log)."""
    def holding():
        response = api.call("GET", f"/api/v1/archive/demands/{demand}", as_=SUPERVISOR)
        return response.json() if response.ok and event in {
            e["name"] for e in response.json()["events"]} else None
    return wait_for(holding, message=f"{event} in the dossier of {demand}")


def upload(api, party, name):
    return ok(api.call("POST", f"/api/v1/attachments?name={name}", as_=party,
                       data=f"%PDF-1.7 {name}".encode(), headers={"Content-Type": "application/pdf"}),
              201)["sha256"]


def details(stage):
    if stage == "consultation":
        return {"consultation": {"comments_received": 5, "adopted": 3, "partly_adopted": 1, "not_adopted": 1}}
    if stage == "publication":
        return {"publication": {"number": "Q/PYLD 001-2026", "published_on": "2026-03-01",
                                "self_declaration": {"declared_on": "2026-03-01",
                                                     "reference": "企业标准信息公共服务平台 声明编号 440113-2026-001"}}}
    return {}


def test_a_standard_project_moves_through_its_stages_with_a_document_at_each(platform):
    api = platform.api
    demand, enterprise, lab = served(api, "standardization")
    project_path = f"/api/v1/demands/{demand}/standard-project"
    assert api.call("GET", project_path, as_=enterprise).status_code == 404
    assert api.call("POST", project_path, as_=enterprise, json={"kind": "enterprise", "title": "x"}).status_code == 403
    opened = ok(api.call("POST", project_path, as_=lab, json={
        "kind": "enterprise", "title": "LED 筒灯企业标准", "planned_number": "Q/PYLD 001-2026"}), 201)
    assert opened["next_stage"] == "initiation"
    assert api.call("POST", project_path, as_=lab, json={"kind": "group", "title": "again"}).status_code == 409

    stages = f"{project_path}/stages"
    first = upload(api, lab, "立项申请书.pdf")
    skipped = api.call("POST", stages, as_=lab, json={"stage": "drafting", "documents": [first], "note": "草案"})
    assert skipped.status_code == 422, skipped.text
    assert list(skipped.json()["details"]) == ["stage"]
    assert "stage_out_of_order" in skipped.json()["message"] and "initiation" in skipped.json()["message"]
    bare = api.call("POST", stages, as_=lab, json={"stage": "initiation", "documents": [], "note": "立项"})
    assert bare.status_code == 422 and list(bare.json()["details"]) == ["documents"]
    theirs = upload(api, enterprise, "企业的文件.pdf")
    borrowed = api.call("POST", stages, as_=lab, json={"stage": "initiation", "documents": [theirs], "note": "立项"})
    assert borrowed.status_code == 422 and list(borrowed.json()["details"]) == ["documents"]
    assert ok(api.call("GET", project_path, as_=lab))["stages"] == []  # nothing stored

    for stage in STAGES:
        document = first if stage == "initiation" else upload(api, lab, f"{stage}.pdf")
        shown = ok(api.call("POST", stages, as_=lab, json={
            "stage": stage, "documents": [document], "note": f"{stage} 完成", **details(stage)}), 201)
        assert shown["stages"][-1]["documents"][0]["sha256"] == document
    assert api.call("POST", stages, as_=lab, json={
        "stage": "publication", "documents": [first], "note": "again", **details("publication")}).status_code == 409

    seen = ok(api.call("GET", project_path, as_=enterprise))
    assert [s["stage"] for s in seen["stages"]] == list(STAGES)
    assert (seen["status"], seen["publication"]["number"]) == ("published", "Q/PYLD 001-2026")
    assert seen["publication"]["self_declaration"]["declared_on"] == "2026-03-01"
    assert ok(api.call("GET", project_path, as_=SPECIALIST))["status"] == "published"
    assert api.call("GET", project_path, as_=("enterprise", factories.credit_code())).status_code == 404
    downloaded = api.call("GET", f"{project_path}/files/{first}", as_=enterprise)
    assert downloaded.status_code == 200 and downloaded.content == "%PDF-1.7 立项申请书.pdf".encode()
    assert api.call("GET", f"{project_path}/files/{theirs}", as_=enterprise).status_code == 404
    assert api.call("GET", f"{project_path}/files/{first}", as_=("enterprise", factories.credit_code())).status_code == 404

    names = [event["name"] for event in archived(api, demand, "StandardPublished")["events"]]
    assert names.count("StandardStageCompleted") == 4 and "StandardPublished" in names
    assert "StandardProjectOpened" in names
    kept = api.call("GET", f"/api/v1/archive/demands/{demand}/files/{first}", as_=SUPERVISOR)
    assert kept.status_code == 200 and kept.content == downloaded.content  # the archive keeps the files
    # Intake's sweep removes the files no demand of its own references: the archive's copy serves.
    (Path(platform.api.env["ONESTOP_DATA_DIR"]) / "attachments" / first).unlink()
    again = api.call("GET", f"{project_path}/files/{first}", as_=enterprise)
    assert again.status_code == 200 and again.content == downloaded.content
    assert ok(api.call("GET", f"/api/v1/archive/demands/{demand}/verify", as_=SUPERVISOR))["intact"] is True
    mine = ok(api.call("GET", f"/api/v1/archive/demands/{demand}", as_=enterprise))
    assert "StandardPublished" in [event["name"] for event in mine["events"]]


def test_ip_applications_are_recorded_with_checked_numbers_and_move_only_forward(platform):
    api = platform.api
    # A trademark filing needs no statutory qualification in the default catalogue (a patent
    # filing needs a patent agency's, which the factory's laboratory lacks).
    demand, enterprise, lab = served(api, "intellectual_property", sub_item="trademark_filing")
    path = f"/api/v1/demands/{demand}/ip-applications"
    patent = {"kind": "invention_patent", "number": "201710601862.3", "filed_on": "2017-07-10",
              "title": "一种 LED 筒灯散热结构"}
    bad = api.call("POST", path, as_=lab, json={**patent, "number": "201710601862.4"})
    assert bad.status_code == 422 and list(bad.json()["details"]) == ["number"]
    assert bad.json()["details"]["number"] == ["校验位不正确，请核对申请号"]
    assert ok(api.call("GET", path, as_=enterprise))["items"] == []  # nothing stored
    recorded = ok(api.call("POST", path, as_=lab, json=patent), 201)
    assert api.call("POST", path, as_=lab, json=patent).status_code == 409

    status = f"{path}/{recorded['id']}/status"
    illegal = api.call("POST", status, as_=lab, json={"status": "granted", "on": "2018-01-01"})
    assert illegal.status_code == 409 and illegal.json()["details"]["current_status"] == "filed"
    ok(api.call("POST", status, as_=lab, json={"status": "accepted", "on": "2017-07-12", "note": "受理"}))
    assert api.call("POST", status, as_=enterprise, json={"status": "withdrawn", "on": "2017-08-01"}).status_code == 403
    (seen,) = ok(api.call("GET", path, as_=enterprise))["items"]
    assert seen["status"] == "accepted" and [h["status"] for h in seen["history"]] == ["filed", "accepted"]
    assert api.call("GET", path, as_=("enterprise", factories.credit_code())).status_code == 404
    dossier = archived(api, demand, "IpApplicationStatusChanged")
    assert "IpApplicationRecorded" in {e["name"] for e in dossier["events"]}
