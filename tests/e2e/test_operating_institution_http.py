"""A station's operating institution through the HTTP API alone: an operator registers it (by the
credit code the station names) and one of its people; the person signs in, lists the stations it
runs, records an item it owns with a file it uploaded, is refused an item of the station's own
(403, the item named) and a station another institution runs (404); a supervisor confirms."""
import pytest

from tests import factories
from tests.e2e.harness import Embedded

PASSWORD = "Operating-2026-world!"
SUPERVISOR = ("supervisor", "regulator-1")
RUNNER = factories.credit_code()


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    platform = Embedded(tmp_path_factory.mktemp("operating")).start()
    yield platform
    platform.stop()


def ok(response, status=200):
    assert response.status_code == status, response.text
    return response.json()


def run_by(credit_code):
    return {"operating_institution": {"name": "番禺质量服务有限公司", "credit_code": credit_code}}


def test_the_operating_institution_records_the_items_it_owns_of_the_stations_it_runs(platform):
    api = platform.api
    operator = api.first_operator_token(PASSWORD)
    runs = api.open_station(**run_by(RUNNER))
    elsewhere = api.open_station(staff=("s-9",), park="nansha-port-park", **run_by(factories.credit_code()))
    organisation = ok(api.call("POST", "/api/v1/organisations", as_=operator, json={
        "kind": "operating_institution", "party": RUNNER, "name": "番禺质量服务有限公司"}), 201)
    assert organisation["kind"] == "operating_institution" and organisation["verified"] is True
    _, tokens = api.new_person(operator, organisation["id"], "runner.li", ["operating_institution_member"],
                               PASSWORD)
    assert tokens["acts"] == {"operating_institution": RUNNER}
    member = tokens["access_token"]

    listed = ok(api.call("GET", "/api/v1/stations", as_=member))["items"]
    assert [station["id"] for station in listed] == [runs["id"]]
    assert listed[0]["operating_institution"]["credit_code"] == RUNNER
    requirements = f"/api/v1/stations/{runs['id']}/requirements"
    owned = {item["code"] for item in ok(api.call("GET", requirements, as_=member))["items"]
             if item["owner"] == "operating_institution"}
    assert owned == {"institution_rules", "staff_training", "confidentiality"}

    rules = ok(api.call("POST", "/api/v1/attachments?name=rules.pdf", as_=member, data=b"%PDF-1.7 rules",
                        headers={"Content-Type": "application/pdf"}), 201)["sha256"]
    recorded = ok(api.call("PUT", f"{requirements}/institution_rules", as_=member,
                           json={"note": "2026 版", "evidence": [rules]}))
    item = next(item for item in recorded["items"] if item["code"] == "institution_rules")
    assert item["state"] == "met" and item["record"]["evidence"][0]["name"] == "rules.pdf"
    assert item["record"]["recorded_by"]["role"] == "operating_institution"
    assert item["record"]["recorded_by"]["subject"] == RUNNER
    downloaded = api.call("GET", f"{requirements}/institution_rules/files/{rules}", as_=member)
    assert downloaded.status_code == 200 and downloaded.content == b"%PDF-1.7 rules"

    refused = api.call("PUT", f"{requirements}/site", as_=member, json={"evidence": [rules]})
    assert refused.status_code == 403 and refused.json()["error"] == "forbidden", refused.text
    assert "固定服务场所" in refused.json()["message"]
    for call in (("GET", f"/api/v1/stations/{elsewhere['id']}/requirements", None),
                 ("PUT", f"/api/v1/stations/{elsewhere['id']}/requirements/institution_rules",
                  {"evidence": [rules]})):
        response = api.call(call[0], call[1], as_=member, json=call[2])
        assert response.status_code == 404 and response.json()["error"] == "not_found", response.text
    # Nothing was stored by the refusals.
    site = next(item for item in ok(api.call("GET", requirements, as_=SUPERVISOR))["items"]
                if item["code"] == "site")
    assert site["record"] is None

    # An independent check: a supervisor confirms what the institution recorded; it may not.
    assert api.call("POST", f"{requirements}/institution_rules/confirmation", as_=member,
                    json={}).status_code == 403
    confirmed = ok(api.call("POST", f"{requirements}/institution_rules/confirmation", as_=SUPERVISOR,
                            json={"note": "制度文件已核对"}))
    record = next(item for item in confirmed["items"] if item["code"] == "institution_rules")["record"]
    assert record["confirmed_by"]["role"] == "supervisor" and record["recorded_by"]["subject"] == RUNNER


def test_an_operating_institution_is_registered_by_its_credit_code_and_nothing_else(platform):
    api, operator = platform.api, ("operator", "ops-1")
    for language, said in (("zh-CN", "运营机构须以统一社会信用代码登记"),
                           ("en", "An operating institution's party is its unified social credit code.")):
        refused = api.call("POST", "/api/v1/organisations", as_=operator, headers={"Accept-Language": language},
                           json={"kind": "operating_institution", "party": "station-7", "name": "某运营机构"})
        assert refused.status_code == 422 and refused.json()["error"] == "validation_failed", refused.text
        assert refused.json()["details"] == {"party": [said]}
    listed = ok(api.call("GET", "/api/v1/organisations?kind=operating_institution", as_=operator))["items"]
    assert "station-7" not in {organisation["party"] for organisation in listed}
