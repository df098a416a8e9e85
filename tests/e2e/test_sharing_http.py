"""Equipment sharing through the HTTP API alone: an institution lists an instrument, an
enterprise books a slot, a second booking of it is refused with the reason, a slot outside the
owner's calendar is refused naming the field, the owner confirms and records the usage, and
utilisation follows; each party does only what is theirs.

The instrument's calendar is in a zone where it is about noon now, open 08:00-20:00 every day,
so "tomorrow at 10:00" is always ahead and "today" always has usage behind it."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests import factories
from tests.e2e.harness import Embedded, midday_zone

SPECIALIST = ("specialist", "s-1")
SUPERVISOR = ("supervisor", "regulator-1")
ENTERPRISE_A = ("enterprise", factories.credit_code())
ENTERPRISE_B = ("enterprise", factories.credit_code())
ZONE = midday_zone()
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    platform = Embedded(tmp_path_factory.mktemp("sharing")).start()
    platform.api.open_station()
    yield platform
    platform.stop()


@pytest.fixture(scope="module")
def owner(platform):
    lab = platform.api.call("POST", "/api/v1/institutions", as_=SPECIALIST, json=factories.institution())
    assert lab.status_code == 201, lab.text
    return ("institution", lab.json()["id"])


def at(days: int, hour: int) -> str:
    """An instant in the calendar's zone, ``days`` from today at ``hour`` o'clock."""
    today = datetime.now(ZoneInfo(ZONE)).date()
    return datetime.combine(today + timedelta(days=days), datetime.min.time(), ZoneInfo(ZONE)) \
        .replace(hour=hour).isoformat()


def instrument(code, **overrides):
    return {"code": code, "name": "X 射线荧光光谱仪", "model": "EDX-7000",
            "capabilities": ["RoHS 筛查", "元素分析"], "park": factories.PARK,
            "address": "番禺节能科技园 3 号楼 201", "fees": [{"amount_cny": "300.00", "unit": "per_hour"}],
            "calendar": {"timezone": ZONE, "weekly": {day: ["08:00-20:00"] for day in DAYS},
                         "slot_minutes": 60}, **overrides}


def booking(start, end, **overrides):
    return {"start": start, "end": end, "purpose": "RoHS 筛查 20 个样品",
            "enterprise_name": "番禺灯具有限公司", "contact": "李华", **overrides}


def listed(api, owner, code):
    response = api.call("POST", "/api/v1/instruments", as_=owner, json=instrument(code))
    assert response.status_code == 201, response.text
    return response.json()


def test_a_slot_is_booked_once_confirmed_used_and_counted(platform, owner):
    api = platform.api
    shown = listed(api, owner, "XRF-01")
    assert (shown["status"], shown["taken"], shown["fees"][0]["amount_cny"]) == ("listed", [], "300.00")
    found = api.call("GET", "/api/v1/instruments?capability=RoHS", as_=ENTERPRISE_A).json()["items"]
    assert shown["id"] in [i["id"] for i in found]

    first = api.call("POST", f"/api/v1/instruments/{shown['id']}/bookings", as_=ENTERPRISE_A,
                     json=booking(at(1, 10), at(1, 12)))
    assert first.status_code == 201, first.text
    assert first.json()["status"] == "requested"

    # The same slot, and one that overlaps it: refused with the reason and the slot taken.
    for start, end in ((at(1, 10), at(1, 12)), (at(1, 11), at(1, 13))):
        second = api.call("POST", f"/api/v1/instruments/{shown['id']}/bookings", as_=ENTERPRISE_B,
                          json=booking(start, end))
        assert second.status_code == 409, second.text
        refused = second.json()
        assert refused["error"] == "slot_taken" and refused["title"] == "该时段已被预约，请另选时段"
        assert datetime.fromisoformat(refused["details"]["slot"]["start"]) == datetime.fromisoformat(at(1, 10))
        assert ENTERPRISE_A[1] not in second.text
    # B sees the slot taken, not by whom; A sees it is its own.
    seen_by_b = api.call("GET", f"/api/v1/instruments/{shown['id']}", as_=ENTERPRISE_B)
    assert [t["mine"] for t in seen_by_b.json()["taken"]] == [False] and ENTERPRISE_A[1] not in seen_by_b.text
    assert [t["mine"] for t in api.call("GET", f"/api/v1/instruments/{shown['id']}",
                                        as_=ENTERPRISE_A).json()["taken"]] == [True]

    booking_id = first.json()["id"]
    confirmed = api.call("POST", f"/api/v1/bookings/{booking_id}/confirmation", as_=owner)
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed", confirmed.text
    # The enterprise came in earlier today instead: the owner records what was used.
    now = datetime.now(ZoneInfo(ZONE)).replace(second=0, microsecond=0)
    used = api.call("POST", f"/api/v1/bookings/{booking_id}/usage", as_=owner, json={
        "actual_start": (now - timedelta(hours=2)).isoformat(),
        "actual_end": (now - timedelta(hours=1)).isoformat(), "note": "提前到场"})
    assert used.status_code == 200, used.text
    assert (used.json()["status"], used.json()["usage"]["hours"]) == ("used", 1.0)

    today = now.date().isoformat()
    figure = api.call("GET", f"/api/v1/instruments/utilisation?from={today}&to={today}", as_=owner)
    assert figure.status_code == 200, figure.text
    line = next(line for line in figure.json()["instruments"] if line["instrument_id"] == shown["id"])
    assert (line["open_hours"], line["used_hours"], line["utilisation"]) == (12.0, 1.0, 0.0833)
    assert figure.json()["from"] == today
    mine = api.call("GET", "/api/v1/bookings?status=used", as_=ENTERPRISE_A).json()["items"]
    assert [b["id"] for b in mine] == [booking_id]


def test_a_slot_outside_the_calendar_is_refused_naming_the_field_and_nothing_is_stored(platform, owner):
    api = platform.api
    shown = listed(api, owner, "XRF-02")
    for start, end, field in ((at(1, 20), at(1, 21), "slot"), (at(1, 7), at(1, 9), "slot"),
                              (at(1, 10), at(1, 9), "end"), (at(-1, 10), at(-1, 11), "start")):
        refused = api.call("POST", f"/api/v1/instruments/{shown['id']}/bookings", as_=ENTERPRISE_A,
                           json=booking(start, end))
        assert refused.status_code == 422, refused.text
        assert refused.json()["error"] == "validation_failed" and list(refused.json()["details"]) == [field]
    half = api.call("POST", f"/api/v1/instruments/{shown['id']}/bookings", as_=ENTERPRISE_A,
                    json=booking(at(1, 10), at(1, 10).replace(":00:00", ":30:00")))
    assert half.status_code == 422 and half.json()["details"]["slot"] == ["须按仪器的最小时段对齐（从开放时间起，按最小时段的整数倍）"], half.text
    assert api.call("GET", f"/api/v1/instruments/{shown['id']}", as_=ENTERPRISE_A).json()["taken"] == []
    assert api.call("GET", f"/api/v1/bookings?instrument_id={shown['id']}", as_=owner).json()["items"] == []
    bad = api.call("POST", "/api/v1/instruments", as_=owner, json=instrument(
        "XRF-03", calendar={"timezone": "Mars/Olympus", "weekly": {"monday": ["18:00-08:00"]}}))
    assert bad.status_code == 422 and set(bad.json()["details"]["calendar"]) == {"timezone", "weekly"}, bad.text


def test_cancellation_frees_the_slot_and_each_party_does_only_its_part(platform, owner):
    api = platform.api
    shown = listed(api, owner, "XRF-04")
    path = f"/api/v1/instruments/{shown['id']}/bookings"
    made = api.call("POST", path, as_=ENTERPRISE_A, json=booking(at(2, 8), at(2, 9))).json()
    other_lab = api.call("POST", "/api/v1/institutions", as_=SPECIALIST, json=factories.institution()).json()
    stranger = ("institution", other_lab["id"])
    assert api.call("POST", f"/api/v1/bookings/{made['id']}/confirmation", as_=stranger).status_code == 404
    assert api.call("POST", f"/api/v1/bookings/{made['id']}/cancellation", as_=ENTERPRISE_B,
                    json={"reason": "x"}).status_code == 404
    assert api.call("POST", f"/api/v1/bookings/{made['id']}/confirmation", as_=ENTERPRISE_A).status_code == 403
    assert api.call("POST", path, as_=owner, json=booking(at(2, 9), at(2, 10))).status_code == 403
    assert api.call("PATCH", f"/api/v1/instruments/{shown['id']}", as_=stranger,
                    json={"name": "改名", "reason": "x"}).status_code == 404
    assert api.call("GET", "/api/v1/bookings", as_=stranger).json()["items"] == []
    assert made["id"] in [b["id"] for b in api.call("GET", "/api/v1/bookings", as_=SUPERVISOR).json()["items"]]
    assert made["id"] in [b["id"] for b in api.call("GET", "/api/v1/bookings", as_=SPECIALIST).json()["items"]]

    cancelled = api.call("POST", f"/api/v1/bookings/{made['id']}/cancellation", as_=ENTERPRISE_A,
                         json={"reason": "改期"})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled", cancelled.text
    again = api.call("POST", f"/api/v1/bookings/{made['id']}/cancellation", as_=ENTERPRISE_A, json={"reason": "x"})
    assert again.status_code == 409 and again.json()["error"] == "conflict"
    assert api.call("POST", path, as_=ENTERPRISE_B, json=booking(at(2, 8), at(2, 9))).status_code == 201
    declined = api.call("POST", f"/api/v1/bookings/{made['id']}/decline", as_=owner, json={"reason": "x"})
    assert declined.status_code == 409

    withdrawn = api.call("POST", f"/api/v1/instruments/{shown['id']}/withdrawal", as_=owner, json={"reason": "报废"})
    assert withdrawn.status_code == 409 and len(withdrawn.json()["details"]["open_bookings"]) == 1


def test_instants_out_of_range_and_a_confirmation_twice_are_clear_answers(platform, owner):
    api = platform.api
    shown = listed(api, owner, "XRF-05")
    far = api.call("POST", f"/api/v1/instruments/{shown['id']}/bookings", as_=ENTERPRISE_A,
                   json=booking("9999-12-31T22:00:00-05:00", "9999-12-31T23:00:00-05:00"))
    assert far.status_code == 422 and set(far.json()["details"]) == {"start", "end"}, far.text
    ancient = api.call("GET", "/api/v1/instruments/utilisation?from=0001-01-01&to=0001-01-02", as_=owner)
    assert ancient.status_code == 422 and set(ancient.json()["details"]) == {"from", "to"}, ancient.text
    made = api.call("POST", f"/api/v1/instruments/{shown['id']}/bookings", as_=ENTERPRISE_A,
                    json=booking(at(3, 8), at(3, 9))).json()
    assert api.call("POST", f"/api/v1/bookings/{made['id']}/confirmation", as_=owner).status_code == 200
    again = api.call("POST", f"/api/v1/bookings/{made['id']}/confirmation", as_=owner)
    assert again.status_code == 409 and again.json()["details"]["current_status"] == "confirmed"
