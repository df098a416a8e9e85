"""Matching through the HTTP API alone: who is eligible, why others are not, offers that are
declined or expire, fair spread, and bad registrations."""
import json
import uuid
from collections import Counter

import pytest

from tests import factories
from tests.conftest import wait_for
from tests.e2e.harness import Embedded, midday_zone

SUPERVISOR = ("supervisor", "regulator-1")


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    calendar = f'{{timezone: "{midday_zone()}", hours: ["00:00-23:59"], weekend: []}}'
    platform = Embedded(tmp_path_factory.mktemp("matching"), ONESTOP_OFFER_RESPONSE="4s",
                        ONESTOP_OFFER_CHECK_INTERVAL="0.3",
                        ONESTOP_MATCHING_CALENDAR=calendar).start()
    yield platform
    platform.stop()


@pytest.fixture
def park(platform, request):
    """A park of its own for each test, with its station and a specialist."""
    base = request.node.name.split("[")[0].replace("_", "-")[5:35].strip("-")
    name = f"{base}-{uuid.uuid4().hex[:6]}"
    staff = f"staff-{name}"
    platform.api.open_station(staff=(staff,), park=name)
    return name, ("specialist", staff)


def register(api, specialist, park, **overrides):
    response = api.call("POST", "/api/v1/institutions", as_=specialist,
                        json=factories.institution(parks=[park], **overrides))
    assert response.status_code == 201, response.text
    return response.json()


def submit(api, specialist, park, **overrides):
    response = api.call("POST", "/api/v1/demands", as_=specialist,
                        json=factories.demand(park=park, **overrides))
    assert response.status_code == 201, response.text
    return response.json()["id"]


def settled(api, demand_id, specialist):
    def done():
        shown = api.call("GET", f"/api/v1/demands/{demand_id}", as_=specialist).json()
        return shown if shown["status"] in ("assigned", "matching_failed") else None
    return wait_for(done, message=f"demand {demand_id} to be matched")


def test_thirty_equal_demands_spread_over_three_equal_institutions(platform, park):
    name, specialist = park
    api = platform.api
    ids = {register(api, specialist, name)["id"] for _ in range(3)}
    demands = [submit(api, specialist, name) for _ in range(30)]
    load = Counter(settled(api, d, specialist)["assignment"]["institution_id"] for d in demands)
    assert set(load) == ids and all(9 <= n <= 11 for n in load.values()), load


def test_lapsed_suspended_and_narrow_institutions_are_excluded_with_reasons(platform, park):
    name, specialist = park
    api = platform.api
    lapsed = register(api, specialist, name, qualifications=[{
        "type": "CMA", "number": "CMA-OLD", "scope": ["LED lamp"], "valid_from": "2015-01-01",
        "valid_until": "2020-12-31"}])
    suspended = register(api, specialist, name)
    assert api.call("POST", f"/api/v1/institutions/{suspended['id']}/standing", as_=SUPERVISOR,
                    json={"action": "suspend", "reason": "under investigation"}).status_code == 200
    narrow = register(api, specialist, name)
    broad = register(api, specialist, name, qualifications=[{
        "type": "CMA", "number": "CMA-B", "scope": ["LED lamp", "battery"],
        "valid_from": "2021-01-01", "valid_until": "2099-12-31"}])
    demand_id = submit(api, specialist, name, items=["LED lamp", "battery"])
    assert settled(api, demand_id, specialist)["assignment"]["institution_id"] == broad["id"]

    explanation = api.call("GET", f"/api/v1/demands/{demand_id}/matching", as_=SUPERVISOR)
    assert explanation.status_code == 200, explanation.text
    lines = {line["institution_id"]: line for line in explanation.json()["rounds"][0]["candidates"]}
    assert lines[lapsed["id"]]["reason"] == "has no qualification valid on the service date"
    assert lines[suspended["id"]]["reason"] == "is suspended"
    assert lines[narrow["id"]]["reason"] == "no valid qualification covers battery"
    assert lines[broad["id"]]["eligible"] is True and lines[broad["id"]]["score"] > 0


def test_a_declined_offer_and_an_expired_one_move_to_the_next_candidate(platform, park):
    name, specialist = park
    api = platform.api
    labs = [register(api, specialist, name, auto_accept_offers=False) for _ in range(3)]
    for lab in labs:  # each lab's token minted now, so answering an offer takes no time
        api.token("institution", lab["id"])
    demand_id = submit(api, specialist, name)

    def offered_to():
        for lab in labs:
            mine = api.call("GET", "/api/v1/assignments", as_=("institution", lab["id"])).json()
            for offer in mine["items"]:
                if offer["demand_id"] == demand_id and offer["status"] == "offered":
                    return lab, offer
        return None

    first, offer = wait_for(offered_to, message="the first offer")
    declined = api.call("POST", f"/api/v1/assignments/{offer['assignment_id']}/decline",
                        as_=("institution", first["id"]), json={"reason": "fully booked"})
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    second, offer = wait_for(lambda: (found := offered_to()) and found[0] != first and found,
                             message="the second offer")
    # The second lets its 4 s window pass: the third is asked, and accepts.
    third, offer = wait_for(lambda: (found := offered_to()) and found[0] not in (first, second)
                            and found, timeout=30, message="the offer to expire and move on")
    refused = api.call("POST", f"/api/v1/assignments/{offer['assignment_id']}/acceptance",
                       as_=("institution", third["id"]), json={})
    assert refused.status_code == 422 and "promised_date" in refused.json()["details"]
    accepted = api.call("POST", f"/api/v1/assignments/{offer['assignment_id']}/acceptance",
                        as_=("institution", third["id"]), json={"promised_date": "2099-06-30"})
    assert accepted.status_code == 200, accepted.text
    shown = settled(api, demand_id, specialist)
    assert shown["assignment"]["institution_id"] == third["id"]
    rounds = api.call("GET", f"/api/v1/demands/{demand_id}/matching", as_=SUPERVISOR).json()["rounds"]
    assert [r["institution_id"] for r in rounds] == [first["id"], second["id"], third["id"]]
    dossier = api.call("GET", f"/api/v1/archive/demands/{demand_id}", as_=SUPERVISOR).json()
    names = [e["name"] for e in dossier["events"]]
    assert "OfferDeclined" in names and "OfferExpired" in names
    # The institution completes; the enterprise rates it once; matching weighs the rate.
    lab = ("institution", third["id"])
    done = api.call("POST", f"/api/v1/assignments/{offer['assignment_id']}/completion", as_=lab,
                    json={"report_number": "PY-0042"})
    assert done.status_code == 200, done.text
    api.wait_status(demand_id, "completed", specialist)
    owner = ("enterprise", shown["enterprise"]["credit_code"])
    scores = {"overall": 5, "timeliness": 4, "professionalism": 5, "attitude": 5, "outcome": 4}
    rated = api.call("POST", f"/api/v1/demands/{demand_id}/feedback", as_=owner, json=scores)
    assert rated.status_code == 201, rated.text
    again = api.call("POST", f"/api/v1/demands/{demand_id}/feedback", as_=owner, json=scores)
    assert again.status_code == 409
    wait_for(lambda: api.call("GET", f"/api/v1/institutions/{third['id']}", as_=SUPERVISOR)
             .json()["satisfaction"] == 1.0, message="matching to take in the rating")
    # The enterprise and the institution read the case without its competitors' scores; the
    # institution reads its own offer, not the two before it (docs/disclosure.md).
    for party in (("enterprise", shown["enterprise"]["credit_code"]), ("institution", third["id"])):
        seen = api.call("GET", f"/api/v1/archive/demands/{demand_id}", as_=party).json()
        assert not {"OfferDeclined", "OfferExpired"} & {e["name"] for e in seen["events"]}
        assert all("explanation" not in e["data"] for e in seen["events"])
        offers = [e["data"]["institution_id"] for e in seen["events"] if e["name"] == "AssignmentOffered"]
        assert offers == ([third["id"]] if party[0] == "institution" else []), party


@pytest.mark.parametrize("change, field", [
    ({"categories": ["astrology"]}, "categories"),
    ({"qualifications": [
        {"type": "CMA", "number": "A", "scope": ["x"], "valid_from": "2021-01-01", "valid_until": "2026-12-31"},
        {"type": "CMA", "number": "B", "scope": ["x"], "valid_from": "2026-06-01", "valid_until": "2031-12-31"}]},
     "qualifications"),
    ({"qualifications": [{"type": "CMA", "number": "A", "scope": [], "valid_from": "2021-01-01",
                          "valid_until": "2026-12-31"}]}, "qualifications"),
    ({"capacity": -1}, "capacity"),
])
def test_bad_registrations_are_422_naming_the_field(platform, park, change, field):
    name, specialist = park
    response = platform.api.call("POST", "/api/v1/institutions", as_=specialist,
                                 json=factories.institution(parks=[name], **change))
    assert response.status_code == 422 and field in response.json()["details"], response.text


def test_only_staff_onboard_and_strict_booleans(platform, park):
    name, specialist = park
    api = platform.api
    ghost = api.call("POST", "/api/v1/institutions", as_=("specialist", "ghost"),
                     json=factories.institution(parks=[name]))
    assert ghost.status_code == 403, ghost.text
    loose = api.call("POST", "/api/v1/institutions", as_=specialist,
                     json=factories.institution(parks=[name], auto_accept_offers="no"))
    assert loose.status_code == 422 and "auto_accept_offers" in loose.json()["details"]


def test_a_specialist_finds_an_institution_in_chinese_and_assigns_it_by_hand(platform, park):
    """As a new user would: the round fails (the only lab is excluded by the enterprise); the
    specialist searches the directory by part of a Chinese name and assigns the one found."""
    name, specialist = park
    api = platform.api
    excluded = register(api, specialist, name, name="番禺排除检测所")
    demand_id = submit(api, specialist, name, excluded_institutions=[excluded["id"]])
    api.wait_status(demand_id, "matching_failed", specialist)
    wanted = register(api, specialist, name, name="番禺电器安全检测站")
    found = api.call("GET", "/api/v1/institutions", as_=specialist,
                     params={"name": "电器安全", "park": name}).json()["items"]
    assert [item["id"] for item in found] == [wanted["id"]] and found[0]["open_assignments"] == 0
    seen = api.call("GET", "/api/v1/institutions", as_=("enterprise", factories.credit_code()),
                    params={"name": "电器安全"}).json()["items"]
    assert [item["name"] for item in seen] == ["番禺电器安全检测站"] and "credit_code" not in seen[0]
    assigned = api.call("POST", f"/api/v1/demands/{demand_id}/assignment", as_=specialist,
                        json={"institution_id": found[0]["id"], "reason": "电话确认可以承接"})
    assert assigned.status_code == 200, assigned.text
    assert settled(api, demand_id, specialist)["assignment"]["institution_id"] == wanted["id"]


def test_an_offer_carries_the_whole_request_but_not_who_asks(platform, park):
    name, specialist = park
    api = platform.api
    lab = register(api, specialist, name, auto_accept_offers=False)
    owner = factories.credit_code()
    upload = api.call("POST", "/api/v1/attachments", as_=specialist, params={"name": "灯具规格.pdf"},
                      data=b"%PDF-1.7 spec", headers={"Content-Type": "application/pdf"})
    assert upload.status_code == 201, upload.text
    submit(api, specialist, name, enterprise_code=owner, title="LED 灯具安全检测",
           description="三款筒灯，依据 GB 7000.1", attachments=[upload.json()["sha256"]])

    def offered():
        items = api.call("GET", "/api/v1/assignments", as_=("institution", lab["id"])).json()["items"]
        return items if items and items[0]["request"] else None
    (offer,) = wait_for(offered, message="the offer with its request")
    assert offer["status"] == "offered"
    assert offer["request"]["title"] == "LED 灯具安全检测"
    assert offer["request"]["description"] == "三款筒灯，依据 GB 7000.1"
    assert offer["request"]["attachments"] == [{"name": "灯具规格.pdf", "media_type": "application/pdf", "size": 13}]
    shown = json.dumps(offer, ensure_ascii=False)  # who asks comes with the assignment
    assert owner not in shown and "Guangzhou Lamp Co." not in shown
