"""Instants where people read them: an institution's assignments and a complaint in their
station's time zone, the audit trail in the platform's, each with its offset, and in UTC as
recorded when asked (``?utc=true``), as a demand's view already is (test_intake_http.py).

The station keeps Kathmandu's time (+05:45) and the platform Bogotá's (-05:00, no summer time):
offsets no other zone here has, so an instant shown in the wrong zone cannot pass.
"""
from datetime import datetime, timedelta

import pytest

from tests import factories
from tests.conftest import wait_for
from tests.e2e.harness import Embedded

STATION_ZONE, STATION_OFFSET = "Asia/Kathmandu", timedelta(hours=5, minutes=45)
PLATFORM_ZONE, PLATFORM_OFFSET = "America/Bogota", timedelta(hours=-5)
ENTERPRISE = ("enterprise", factories.credit_code())
SUPERVISOR = ("supervisor", "regulator-1")


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    platform = Embedded(tmp_path_factory.mktemp("zones"), ONESTOP_TIME_ZONE=PLATFORM_ZONE).start()
    platform.station = platform.api.open_station(calendar={"timezone": STATION_ZONE})
    lab = platform.api.call("POST", "/api/v1/institutions", as_=("specialist", "s-1"),
                            json=factories.institution(auto_accept_offers=False))
    assert lab.status_code == 201, lab.text
    platform.lab = ("institution", lab.json()["id"])
    made = platform.api.call("POST", "/api/v1/demands", as_=ENTERPRISE,
                             json=factories.demand(ENTERPRISE[1], title="时区"))
    assert made.status_code == 201, made.text
    platform.demand = made.json()["id"]
    yield platform
    platform.stop()


def ok(response, status=200):
    assert response.status_code == status, response.text
    return response.json()


def same_instant_shown_there(shown: str, recorded: str, offset: timedelta) -> None:
    """``shown`` is ``recorded`` (UTC, as recorded) with the zone's offset."""
    assert datetime.fromisoformat(recorded).utcoffset() == timedelta(0), recorded
    assert datetime.fromisoformat(shown).utcoffset() == offset, shown
    assert datetime.fromisoformat(shown) == datetime.fromisoformat(recorded)


def test_an_assignment_shows_its_instants_in_its_station_s_zone(platform):
    api = platform.api

    def offered():
        items = ok(api.call("GET", "/api/v1/assignments", as_=platform.lab))["items"]
        return next((item for item in items if item["demand_id"] == platform.demand), None)
    listed = wait_for(offered, message="the offer")
    assert listed["time_zone"] == STATION_ZONE
    path = f"/api/v1/assignments/{listed['assignment_id']}"
    recorded = ok(api.call("GET", path + "?utc=true", as_=platform.lab))
    same_instant_shown_there(listed["respond_by"], recorded["respond_by"], STATION_OFFSET)
    assert ok(api.call("GET", path, as_=platform.lab))["respond_by"] == listed["respond_by"]

    ok(api.call("POST", path + "/acceptance", as_=platform.lab, json={"promised_date": "2099-01-01"}))
    progressed = ok(api.call("POST", path + "/progress", as_=platform.lab,
                             json={"milestone": "样品已收到"}), 201)
    recorded = ok(api.call("GET", "/api/v1/assignments?utc=true", as_=platform.lab))["items"]
    (kept,) = [item for item in recorded if item["assignment_id"] == listed["assignment_id"]]
    same_instant_shown_there(progressed["progress"][-1]["at"], kept["progress"][-1]["at"], STATION_OFFSET)
    assert progressed["promised_date"] == kept["promised_date"] == "2099-01-01"  # a date stays a date
    refused = api.call("GET", path + "?utc=maybe", as_=platform.lab)
    assert refused.status_code == 422 and "utc" in refused.json()["details"]


def test_a_complaint_shows_its_instants_in_its_station_s_zone(platform):
    api = platform.api
    filed = ok(api.call("POST", "/api/v1/complaints", as_=ENTERPRISE, json={
        "demand_id": platform.demand, "against": {"kind": "station", "id": platform.station["id"]},
        "summary": "回复太慢"}), 201)
    assert filed["time_zone"] == STATION_ZONE
    path = f"/api/v1/complaints/{filed['id']}"
    shown, recorded = ok(api.call("GET", path, as_=ENTERPRISE)), ok(api.call("GET", path + "?utc=true", as_=ENTERPRISE))
    same_instant_shown_there(shown["received_at"], recorded["received_at"], STATION_OFFSET)
    same_instant_shown_there(shown["history"][0]["at"], recorded["history"][0]["at"], STATION_OFFSET)
    same_instant_shown_there(shown["deadlines"]["acknowledgement"]["due_at"],
                             recorded["deadlines"]["acknowledgement"]["due_at"], STATION_OFFSET)
    (listed,) = [item for item in ok(api.call("GET", "/api/v1/complaints", as_=ENTERPRISE))["items"]
                 if item["id"] == filed["id"]]
    assert listed["received_at"] == shown["received_at"] == filed["received_at"]
    (kept,) = [item for item in ok(api.call("GET", "/api/v1/complaints?utc=true", as_=ENTERPRISE))["items"]
               if item["id"] == filed["id"]]
    assert kept["received_at"] == recorded["received_at"]


def test_the_audit_trail_shows_its_instants_in_the_platform_s_zone(platform):
    api = platform.api
    wait_for(lambda: api.call("GET", f"/api/v1/archive/demands/{platform.demand}", as_=SUPERVISOR).ok,
             message="the dossier")  # the supervisor's read joins the trail

    def read_recorded(query=""):
        page = ok(api.call("GET", f"/api/v1/audit?event=DossierAccessed{query}", as_=SUPERVISOR))
        return page, next(item for item in page["items"] if item.get("demand_id") == platform.demand)
    page, shown = read_recorded()
    assert page["time_zone"] == PLATFORM_ZONE
    _, recorded = read_recorded("&utc=true")
    same_instant_shown_there(shown["at"], recorded["at"], PLATFORM_OFFSET)
