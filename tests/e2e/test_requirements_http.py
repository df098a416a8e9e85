"""The station's own requirements through the HTTP API alone: a station failing a construction
minimum is non-conforming with the item named, and its evaluation's indicator says so; recording
the fix makes it conforming; a supervisor confirms; bad input is refused and nothing stored."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests import factories
from tests.conftest import wait_for
from tests.e2e.harness import Embedded, midday_zone

SPECIALIST = ("specialist", "s-1")
SUPERVISOR = ("supervisor", "regulator-1")
OPERATOR = ("operator", "ops-1")
ZONE = midday_zone()


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    # Evaluation's days in a zone where it is about noon: "this month" is one month everywhere.
    platform = Embedded(tmp_path_factory.mktemp("requirements"),
                        ONESTOP_EVALUATION_TIMEZONE=ZONE).start()
    platform.station = platform.api.open_station(staff=("s-1", "s-2"))
    yield platform
    platform.stop()


def ok(response, status=200):
    assert response.status_code == status, response.text
    return response.json()


def upload(api, name, as_=SPECIALIST):
    return ok(api.call("POST", f"/api/v1/attachments?name={name}", as_=as_,
                       data=f"%PDF-1.7 {name}".encode(), headers={"Content-Type": "application/pdf"}),
              201)["sha256"]


def path(platform, code=""):
    return f"/api/v1/stations/{platform.station['id']}/requirements" + (f"/{code}" if code else "")


def indicator(api, station_id):
    month = datetime.now(ZoneInfo(ZONE)).strftime("%Y-%m")
    report = ok(api.call("GET", f"/api/v1/evaluation/report?scope=station:{station_id}&period={month}",
                         as_=SUPERVISOR))
    return {line["id"]: line for d in report["dimensions"] for line in d["indicators"]}["station_conformity"]


def test_a_station_below_a_minimum_is_non_conforming_with_the_item_named_until_the_fix(platform):
    api, station_id = platform.api, platform.station["id"]
    checklist = ok(api.call("GET", path(platform), as_=SPECIALIST))
    assert checklist["conformity"]["status"] == "incomplete"
    for item in checklist["items"]:
        if item["derived"]:
            continue
        value = {"measure": 0.5, "fact": True, "document": None}[item["kind"]]
        body = {"value": value, "evidence": [upload(api, f"{item['code']}.pdf")]}
        if item["kind"] == "document":
            del body["value"]
        ok(api.call("PUT", path(platform, item["code"]), as_=SPECIALIST, json=body))

    shown = ok(api.call("GET", path(platform), as_=SUPERVISOR))
    assert shown["conformity"]["status"] == "non_conforming"
    assert shown["conformity"]["failing"] == ["area_m2"]
    area = next(item for item in shown["items"] if item["code"] == "area_m2")
    assert area["state"] == "not_met" and area["why"] == {"code": "below_minimum", "value": 0.5, "minimum": 20}
    assert area["record"]["recorded_by"]["subject"] == "s-1" and area["record"]["evidence"][0]["name"] == "area_m2.pdf"
    listed = ok(api.call("GET", "/api/v1/stations", as_=SUPERVISOR))["items"]
    assert next(s for s in listed if s["id"] == station_id)["conformity"]["failing"] == ["area_m2"]
    assert ok(api.call("GET", f"/api/v1/stations/{station_id}", as_=SUPERVISOR))["conformity"]["status"] == "non_conforming"
    total = shown["conformity"]["total"]
    failing = wait_for(lambda: (found := indicator(api, station_id))["value"] is not None and found,
                       message="the station's conformity in its evaluation")
    assert failing["value"] == pytest.approx((total - 1) / total, abs=1e-6) and failing["score"] == 0

    fixed = ok(api.call("PUT", path(platform, "area_m2"), as_=SPECIALIST,
                        json={"value": 120.5, "evidence": [upload(api, "floor-plan.pdf")]}))
    assert fixed["conformity"] == {**fixed["conformity"], "status": "conforming", "failing": []}
    conforming = wait_for(lambda: (found := indicator(api, station_id))["value"] == 1 and found,
                          message="the fix in the station's evaluation")
    assert conforming["score"] == 100

    evidence = next(item for item in fixed["items"] if item["code"] == "area_m2")["record"]["evidence"][0]
    download = api.call("GET", path(platform, f"area_m2/files/{evidence['sha256']}"), as_=SUPERVISOR)
    assert download.status_code == 200 and download.content == b"%PDF-1.7 floor-plan.pdf"


def test_a_supervisor_confirms_an_item_as_last_recorded_and_a_new_record_resets_it(platform):
    api = platform.api
    ok(api.call("PUT", path(platform, "station_rules"), as_=SPECIALIST,
                json={"note": "Rules of 2026", "evidence": [upload(api, "rules.pdf")]}))
    assert api.call("POST", path(platform, "station_rules/confirmation"), as_=SPECIALIST, json={}).status_code == 403
    confirmed = ok(api.call("POST", path(platform, "station_rules/confirmation"), as_=SUPERVISOR,
                            json={"note": "Read on the visit"}))
    record = next(item for item in confirmed["items"] if item["code"] == "station_rules")["record"]
    assert record["confirmed_by"]["subject"] == "regulator-1" and record["confirmed_at"]
    assert record["confirmation_note"] == "Read on the visit"
    again = api.call("POST", path(platform, "station_rules/confirmation"), as_=SUPERVISOR, json={})
    assert again.status_code == 409
    renewed = ok(api.call("PUT", path(platform, "station_rules"), as_=OPERATOR, json={"note": "Rules of 2027"}))
    record = next(item for item in renewed["items"] if item["code"] == "station_rules")
    assert record["record"]["confirmed_at"] is None and record["state"] == "not_met"  # no file now
    assert record["why"] == {"code": "no_evidence"}


@pytest.mark.parametrize("code, body, field", [
    ("area_m2", {"value": -3}, "value"),
    ("area_m2", {"value": "large"}, "value"),
    ("signage_gb_t_10001_1", {"value": 1}, "value"),
    ("site", {"value": 12}, "value"),
    ("helipad", {"value": True}, "code"),
    ("specialists", {"value": 5}, "code"),
    ("area_m2", {"value": 30, "evidence": ["not-a-hash"]}, "evidence"),
    ("area_m2", {"value": 30, "colour": "red"}, "colour"),
])
def test_a_value_that_makes_no_sense_is_422_naming_the_field_and_nothing_is_stored(platform, code, body, field):
    api = platform.api
    before = ok(api.call("GET", path(platform), as_=SUPERVISOR))
    refused = api.call("PUT", path(platform, code), as_=SPECIALIST, json=body)
    assert refused.status_code == 422, refused.text
    assert list(refused.json()["details"]) == [field]
    assert ok(api.call("GET", path(platform), as_=SUPERVISOR))["items"] == before["items"]


def test_a_file_the_recorder_did_not_upload_is_422_and_nothing_is_stored(platform):
    api = platform.api
    theirs = upload(api, "their-lease.pdf", as_=("enterprise", factories.credit_code()))
    before = ok(api.call("GET", path(platform), as_=SUPERVISOR))
    refused = api.call("PUT", path(platform, "site"), as_=SPECIALIST,
                       json={"evidence": [theirs]}, headers={"Accept-Language": "zh-CN"})
    assert refused.status_code == 422 and list(refused.json()["details"]) == ["evidence"]
    assert "你没有上传过附件" in str(refused.json()["details"]["evidence"])
    assert ok(api.call("GET", path(platform), as_=SUPERVISOR))["items"] == before["items"]
