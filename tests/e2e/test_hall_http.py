"""The demand hall through the HTTP API alone: a station opens it for a category, its demands wait
there without who asks, an eligible institution expresses interest and gets the demand, an
ineligible one is refused with the reason, and other categories are matched at once.

The processes run on the machine's clock, so a window that ends by itself would make the test
wait on time; here the window is long and the station closes it early, which decides the same
way (the window's end on a controlled clock: tests/unit/test_hall.py)."""
import uuid

import pytest

from tests import factories
from tests.conftest import wait_for
from tests.e2e.harness import Embedded

SUPERVISOR = ("supervisor", "regulator-1")


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    platform = Embedded(tmp_path_factory.mktemp("hall"), ONESTOP_HALL_CHECK_INTERVAL="0.3").start()
    yield platform
    platform.stop()


@pytest.fixture
def park(platform):
    name = f"hall-park-{uuid.uuid4().hex[:8]}"
    staff = f"staff-{name}"
    station = platform.api.open_station(staff=(staff,), park=name)
    return name, station["id"], ("specialist", staff)


def register(api, by, park, **overrides):
    response = api.call("POST", "/api/v1/institutions", as_=by,
                        json=factories.institution(**{"parks": [park], "auto_accept_offers": True, **overrides}))
    assert response.status_code == 201, response.text
    return response.json()["id"], ("institution", response.json()["id"])


def open_hall(api, specialist, station_id, categories=("inspection_testing",)):
    response = api.call("PATCH", f"/api/v1/stations/{station_id}", as_=specialist, json={
        "hall": {"categories": list(categories), "window_hours": 20}, "reason": "interest first"})
    assert response.status_code == 200, response.text
    assert response.json()["hall"] == {"categories": list(categories), "window_hours": 20}


def test_a_hall_demand_waits_without_who_asks_and_goes_to_the_interested_institution(platform, park):
    name, station_id, specialist = park
    api = platform.api
    open_hall(api, specialist, station_id)
    home_id, home = register(api, specialist, name, name="Home Lab", home_park=name)
    keen_id, keen = register(api, specialist, name, name="Keen Lab")
    narrow_id, narrow = register(api, specialist, name, qualifications=[{
        "type": "CMA", "number": "CMA-N", "scope": ["battery"], "valid_from": "2021-01-01",
        "valid_until": "2099-12-31"}])
    _, elsewhere = register(api, ("operator", "ops-1"), "some-other-park")
    code = factories.credit_code()
    demand = factories.demand(code, park=name)
    submitted = api.call("POST", "/api/v1/demands", as_=specialist, json=demand)
    assert submitted.status_code == 201, submitted.text
    demand_id = submitted.json()["id"]

    listed = wait_for(lambda: api.call("GET", "/api/v1/hall", as_=keen).json()["items"],
                      message="the demand in the hall")
    (entry,) = listed
    assert entry["demand_id"] == demand_id and entry["request"]["title"] == demand["title"]
    assert entry["seconds_left"] > 0 and entry["interest_count"] == 0 and entry["exclusion"] is None
    for answer in (api.call("GET", "/api/v1/hall", as_=keen), api.call("GET", f"/api/v1/hall/{demand_id}", as_=keen),
                   api.call("GET", "/api/v1/hall", as_=specialist)):
        for identity in (code, demand["enterprise"]["name"], demand["enterprise"]["contact"],
                         demand["enterprise"]["phone"]):
            assert identity not in answer.text
    assert api.call("GET", f"/api/v1/demands/{demand_id}", as_=specialist).json()["status"] == "accepted"

    refused = api.call("POST", f"/api/v1/hall/{demand_id}/interest", as_=narrow, json={"note": "we could"})
    assert refused.status_code == 409, refused.text
    assert "机构没有覆盖以下项目的有效资质：LED lamp" in refused.json()["message"]
    assert refused.json()["details"]["exclusion"] == "no valid qualification covers LED lamp"
    assert api.call("GET", "/api/v1/hall", as_=elsewhere).json()["items"] == []
    assert api.call("GET", f"/api/v1/hall/{demand_id}", as_=elsewhere).status_code == 404

    blank = api.call("POST", f"/api/v1/hall/{demand_id}/interest", as_=keen, json={"note": " "})
    assert blank.status_code == 422 and "note" in blank.json()["details"], blank.text
    expressed = api.call("POST", f"/api/v1/hall/{demand_id}/interest", as_=keen,
                         json={"note": "LED lamps are our daily work", "proposed_date": "2099-01-15"})
    assert expressed.status_code == 201, expressed.text
    assert expressed.json()["my_interest"]["proposed_date"] == "2099-01-15"
    assert api.call("POST", f"/api/v1/hall/{demand_id}/interest", as_=keen,
                    json={"note": "again"}).status_code == 409
    assert api.call("POST", f"/api/v1/hall/{demand_id}/interest", as_=home, json={"note": "us too"}).status_code == 201
    withdrawn = api.call("POST", f"/api/v1/hall/{demand_id}/interest/withdrawal", as_=home)
    assert withdrawn.status_code == 200 and withdrawn.json()["interest_count"] == 1, withdrawn.text

    seen = api.call("GET", f"/api/v1/hall/{demand_id}", as_=specialist).json()
    assert [(i["institution_id"], i["name"]) for i in seen["interests"]] == [(keen_id, "Keen Lab")]
    closed = api.call("POST", f"/api/v1/hall/{demand_id}/closing", as_=specialist)
    assert closed.status_code == 200 and closed.json()["open"] is False, closed.text
    assigned = api.wait_status(demand_id, "assigned", specialist)
    assert assigned["assignment"]["institution_id"] == keen_id != home_id != narrow_id
    (decision,) = api.call("GET", f"/api/v1/demands/{demand_id}/matching", as_=specialist).json()["rounds"]
    assert decision["interested"] == [keen_id]
    assert {c["institution_id"]: c["components"]["interest"] for c in decision["candidates"]
            if c["eligible"]} == {keen_id: 1.0, home_id: 0.0}
    late = api.call("POST", f"/api/v1/hall/{demand_id}/interest", as_=home, json={"note": "late"})
    assert late.status_code == 409, late.text
    assert api.call("GET", "/api/v1/hall", as_=keen).json()["items"] == []


def test_other_categories_are_matched_at_once_and_bad_settings_are_refused(platform, park):
    name, station_id, specialist = park
    api = platform.api
    open_hall(api, specialist, station_id, categories=("metrology",))
    lab_id, lab = register(api, specialist, name)
    submitted = api.call("POST", "/api/v1/demands", as_=specialist, json=factories.demand(park=name))
    assert api.wait_status(submitted.json()["id"], "assigned", specialist)["assignment"]["institution_id"] == lab_id
    assert api.call("GET", "/api/v1/hall", as_=SUPERVISOR).status_code == 200
    assert api.call("GET", "/api/v1/hall", as_=lab).json()["items"] == []

    for hall, field in (({"categories": ["metrology"], "window_hours": 0}, "window_hours"),
                        ({"categories": ["astrology"], "window_hours": 4}, "categories"),
                        ({"window_hours": 4}, "categories")):
        refused = api.call("PATCH", f"/api/v1/stations/{station_id}", as_=specialist,
                           json={"hall": hall, "reason": "try"})
        assert refused.status_code == 422, refused.text
        assert field in refused.json()["details"]["hall"], refused.text
    assert api.call("GET", f"/api/v1/stations/{station_id}", as_=specialist).json()["hall"]["categories"] == ["metrology"]
