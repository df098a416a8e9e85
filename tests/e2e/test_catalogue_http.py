"""The service catalogue through the HTTP API alone: read, publish with a reason, refused when it
does not hold together, demands with their sub-item's fields, a change that applies to new
demands only, and matching by terms (a CNAS scope 灯具 serves an LED灯具 demand)."""
import copy

import pytest
import yaml

from services.intake.catalogue import DEFAULT_FILE
from tests import factories
from tests.conftest import wait_for
from tests.e2e.harness import Embedded

SPECIALIST = ("specialist", "s-1")
SUPERVISOR = ("supervisor", "regulator-1")
OPERATOR = ("operator", "ops-1")
ENTERPRISE_CODE = factories.credit_code()
OWNER = ("enterprise", ENTERPRISE_CODE)


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    platform = Embedded(tmp_path_factory.mktemp("catalogue")).start()
    platform.station = platform.api.open_station(auto_accept=[])
    yield platform
    platform.stop()


def default():
    return yaml.safe_load(DEFAULT_FILE.read_text(encoding="utf-8"))


def sub_item(document, category, code):
    found = next(c for c in document["categories"] if c["code"] == category)
    return next(s for s in found["sub_items"] if s["code"] == code)


def submit(api, status=201, **overrides):
    response = api.call("POST", "/api/v1/demands", as_=OWNER, json=factories.demand(ENTERPRISE_CODE, **overrides))
    assert response.status_code == status, response.text
    return response.json()


def mine(api):
    return len(api.call("GET", "/api/v1/demands?per_page=100", as_=OWNER).json()["items"])


def test_anyone_signed_in_reads_the_current_version_the_default_at_first(platform):
    api = platform.api
    current = api.call("GET", "/api/v1/service-catalogue", as_=OWNER)
    assert current.status_code == 200, current.text
    shown = current.json()
    assert shown["version"] >= 1
    testing = sub_item(shown["catalogue"], "inspection_testing", "product_testing")
    assert testing["qualifications"] == ["CMA", "CNAS"]
    assert testing["name"]["zh-CN"] == "产品检测"
    assert testing["fields"][0] == {"name": "samples", "label": {"zh-CN": "样品数量", "en": "Samples"},
                                    "kind": "number", "required": True, "choices": []}
    assert api.call("GET", "/api/v1/service-catalogue").status_code == 401


@pytest.mark.parametrize("change, path", [
    (lambda d: d["categories"][2]["sub_items"][0]["qualifications"].append("ISO9001"),
     ["categories", "2", "sub_items", "0", "qualifications", "1"]),
    (lambda d: d["categories"].pop(), ["categories"]),
    (lambda d: d["categories"][1]["sub_items"][0].update(code="training"),
     ["categories", "1", "sub_items", "0", "code"]),
    (lambda d: d["terms"][0]["broader"].append("LED灯具"), ["terms", "0", "broader"]),
    (lambda d: d["categories"][0]["sub_items"][0]["fields"][1].update(kind="file"),
     ["categories", "0", "sub_items", "0", "fields", "1", "kind"]),
    (lambda d: d["categories"][0]["sub_items"][0]["fields"][0].update(choices=[]),
     ["categories", "0", "sub_items", "0", "fields", "0", "choices"]),
    (lambda d: d["categories"][0]["sub_items"][0].update(time_limits={"follow_up": "90d"}),
     ["categories", "0", "sub_items", "0", "time_limits", "follow_up"]),
])
def test_a_catalogue_that_does_not_hold_together_is_refused_naming_the_field(platform, change, path):
    api = platform.api
    before = api.call("GET", "/api/v1/service-catalogue/versions", as_=SUPERVISOR).json()["items"]
    document = {**default(), "reason": "a careless change"}
    change(document)
    refused = api.call("PUT", "/api/v1/service-catalogue", as_=SUPERVISOR, json=document)
    assert refused.status_code == 422, refused.text
    found = refused.json()["details"]
    for key in path:
        found = found[key]
    assert found and all(isinstance(message, str) for message in found)
    assert api.call("GET", "/api/v1/service-catalogue/versions", as_=SUPERVISOR).json()["items"] == before


def test_a_demand_carries_its_sub_item_s_fields_and_is_refused_without_them(platform):
    api = platform.api
    shown = submit(api, sub_item="product_testing", details={"samples": 2, "standard": "GB 7000.1"})
    assert shown["sub_items"] == ["product_testing"]
    assert shown["details"] == {"samples": 2, "standard": "GB 7000.1"}
    assert shown["catalogue_version"] >= 1
    count = mine(api)
    for details, field in (({}, "samples"), ({"samples": "two"}, "samples"),
                           ({"samples": 2, "colour": "red"}, "colour")):
        refused = submit(api, 422, sub_item="product_testing", details=details)
        assert list(refused["details"]["details"]) == [field], refused
    refused = submit(api, 422, sub_item="calibration")  # a sub-item of metrology
    assert refused["details"]["sub_item"]
    assert mine(api) == count  # nothing stored


def test_a_change_applies_to_new_demands_only(platform):
    api = platform.api
    before = submit(api, sub_item="sampling", details={"batch": "B-1"})

    document = {**copy.deepcopy(default()), "reason": "抽样检验须写明抽样数量"}
    sub_item(document, "inspection_testing", "sampling")["fields"].append(
        {"name": "quantity", "label": {"zh-CN": "抽样数量", "en": "Quantity"}, "kind": "number", "required": True})
    sub_item(document, "inspection_testing", "sampling")["qualifications"] = ["CMA", "CNAS"]
    published = api.call("PUT", "/api/v1/service-catalogue", as_=SUPERVISOR, json=document)
    assert published.status_code == 200, published.text
    version = published.json()["version"]
    assert version == before["catalogue_version"] + 1
    history = api.call("GET", "/api/v1/service-catalogue/versions", as_=OPERATOR).json()["items"]
    assert history[0]["version"] == version
    assert (history[0]["reason"], history[0]["by"]["role"]) == ("抽样检验须写明抽样数量", "supervisor")
    assert [v["version"] for v in history] == sorted((v["version"] for v in history), reverse=True)

    refused = submit(api, 422, sub_item="sampling", details={"batch": "B-2"})
    assert list(refused["details"]["details"]) == ["quantity"]
    after = submit(api, sub_item="sampling", details={"batch": "B-2", "quantity": 5})
    assert after["catalogue_version"] == version

    # The demand of before keeps its version's rules: read back as it was, and assessed by them.
    again = api.call("GET", f"/api/v1/demands/{before['id']}", as_=OWNER).json()
    assert (again["catalogue_version"], again["details"]) == (before["catalogue_version"], {"batch": "B-1"})
    reclassified = api.call("POST", f"/api/v1/demands/{before['id']}/assessment", as_=SPECIALIST,
                            json={"decision": "accept", "sub_items": ["no_such_thing"]})
    assert reclassified.status_code == 422 and reclassified.json()["details"]["sub_items"]["0"]


def test_a_cnas_scope_of_lamps_serves_an_led_lamp_demand_and_an_unrelated_scope_does_not(platform):
    api = platform.api
    ids = {}
    for name, scope in (("lamps", ["灯具"]), ("cables", ["电线电缆"])):
        registered = api.call("POST", "/api/v1/institutions", as_=SPECIALIST, json=factories.institution(
            name=f"{name} lab", qualifications=[{"type": "CNAS", "number": f"CNAS-{name}", "scope": scope,
                                                 "valid_from": "2020-01-01", "valid_until": "2099-12-31"}]))
        assert registered.status_code == 201, registered.text
        ids[name] = registered.json()["id"]
    demand = submit(api, items=["LED灯具"], sub_item="product_testing", details={"samples": 1})
    accepted = api.call("POST", f"/api/v1/demands/{demand['id']}/assessment", as_=SPECIALIST,
                        json={"decision": "accept"})
    assert accepted.status_code == 200, accepted.text
    assigned = api.wait_status(demand["id"], "assigned", SPECIALIST)
    assert assigned["assignment"]["institution_id"] == ids["lamps"]

    explained = api.call("GET", f"/api/v1/demands/{demand['id']}/matching", as_=SPECIALIST).json()
    reasons = {c["institution_id"]: c["reason"] for c in explained["rounds"][-1]["candidates"]}
    assert reasons[ids["lamps"]] is None
    assert reasons[ids["cables"]] == "no valid qualification covers LED灯具"


def test_an_institution_with_a_track_record_serves_a_sub_item_that_needs_no_qualification(platform):
    api = platform.api
    registered = api.call("POST", "/api/v1/institutions", as_=SPECIALIST, json=factories.institution(
        name="光谱仪共享平台", categories=["equipment_sharing"], qualifications=[],
        track_record=[{"title": "积分球光谱仪共享", "client": "番禺某灯具厂", "year": 2025}]))
    assert registered.status_code == 201, registered.text
    assert registered.json()["track_record"][0]["client"] == "番禺某灯具厂"
    refused = api.call("POST", "/api/v1/institutions", as_=SPECIALIST,
                       json=factories.institution(qualifications=[]))
    assert refused.status_code == 422 and refused.json()["details"]["qualifications"]

    demand = submit(api, category="equipment_sharing", items=["积分球"], sub_item="instrument_booking",
                    details={"instrument": "积分球光谱仪", "date": "2099-03-02"})
    api.call("POST", f"/api/v1/demands/{demand['id']}/assessment", as_=SPECIALIST, json={"decision": "accept"})
    def matched():
        shown = api.call("GET", f"/api/v1/demands/{demand['id']}", as_=SPECIALIST).json()
        return shown if shown["status"] in ("assigned", "matching_failed") else None
    assigned = wait_for(matched, message="the matching's outcome")
    assert assigned["status"] == "assigned", assigned["unmatched_reasons"]
    assert assigned["assignment"]["institution_id"] == registered.json()["id"]
