"""Issue-level walkthrough of the station's work, through the HTTP API alone."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests import factories
from tests.conftest import wait_for
from tests.e2e.harness import Embedded, midday_zone

OPERATOR = ("operator", "ops-1")
SPECIALIST = ("specialist", "s-1")
SUPERVISOR = ("supervisor", "regulator-1")
ENTERPRISE_CODE = factories.credit_code()
OWNER = ("enterprise", ENTERPRISE_CODE)


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    platform = Embedded(tmp_path_factory.mktemp("intake"), ONESTOP_LIMIT_FIRST_RESPONSE="2s",
                        ONESTOP_LIMIT_WARN_BEFORE="0.5", ONESTOP_DEADLINE_CHECK_INTERVAL="0.2").start()
    platform.station = platform.api.open_station(auto_accept=[], calendar={
        "timezone": midday_zone(), "hours": ["00:00-23:59"], "weekend": []})
    api = platform.api
    for institution in (factories.institution(), factories.institution(
            categories=["metrology"], qualifications=[{
                "type": "METROLOGY", "number": "M-1", "scope": ["caliper"],
                "valid_from": "2020-01-01", "valid_until": "2099-12-31"}])):
        assert api.call("POST", "/api/v1/institutions", as_=SPECIALIST, json=institution).status_code == 201
    yield platform
    platform.stop()


def demand(api, as_=OWNER, **overrides):
    response = api.call("POST", "/api/v1/demands", as_=as_,
                        json=factories.demand(ENTERPRISE_CODE, **overrides))
    assert response.status_code == 201, response.text
    return response.json()


def act(api, demand_id, action, body, as_=SPECIALIST, status=200):
    response = api.call("POST", f"/api/v1/demands/{demand_id}/{action}", as_=as_, json=body)
    assert response.status_code == status, response.text
    return response.json()


def dossier_events(api, demand_id, *names):
    def recorded():
        found = api.call("GET", f"/api/v1/archive/demands/{demand_id}", as_=SUPERVISOR)
        events = [e["name"] for e in found.json()["events"]] if found.ok else []
        return events if all(n in events for n in names) else None
    return wait_for(recorded, message=f"{names} in the dossier")


def test_a_lapsed_first_response_is_warned_then_breached_and_shows_everywhere(platform):
    api = platform.api
    submitted = demand(api)
    assert submitted["deadlines"]["first_response"]["state"] == "running"

    def breached():
        shown = api.call("GET", f"/api/v1/demands/{submitted['id']}", as_=OWNER).json()
        return shown if shown["deadlines"]["first_response"]["breached"] else None
    shown = wait_for(breached, message="the first response to be breached")
    assert shown["deadlines"]["first_response"]["warned"] is True
    assert shown["overdue"] is True
    events = dossier_events(api, submitted["id"], "DeadlineApproaching", "DeadlineBreached")
    assert events.index("DeadlineApproaching") < events.index("DeadlineBreached")
    overdue = api.call("GET", "/api/v1/demands?overdue=true", as_=SPECIALIST).json()
    assert submitted["id"] in [d["id"] for d in overdue["items"]]
    metrics = api.call("GET", "/metrics").text
    assert 'onestop_deadline_events_total{kind="breached",stage="first_response"}' in metrics


def test_information_pauses_and_resumes_the_assessment_clock(platform):
    api = platform.api
    submitted = demand(api)
    asked = act(api, submitted["id"], "assessment",
                {"decision": "request_info", "questions": "Which lamp model and wattage?"})
    assert asked["status"] == "awaiting_information"
    assert asked["deadlines"]["assessment"]["state"] == "paused"
    paused = asked["deadlines"]["assessment"]["paused_remaining_seconds"]
    assert 0 < paused <= asked["deadlines"]["assessment"]["limit_seconds"]

    supplied = act(api, submitted["id"], "information", {"information": "Model X-1, 12 W"}, as_=OWNER)
    assert supplied["status"] == "submitted"
    assert supplied["deadlines"]["assessment"]["state"] == "running"
    assert supplied["information"][0]["information"] == "Model X-1, 12 W"
    dossier_events(api, submitted["id"], "InformationRequested", "InformationSupplied")


def test_accept_assign_follow_up_then_a_wrong_state_is_409_and_cancellation_releases(platform):
    api = platform.api
    submitted = demand(api)
    act(api, submitted["id"], "assessment", {"decision": "accept", "urgency": "high",
                                              "sub_items": ["product_testing"]})
    assigned = api.wait_status(submitted["id"], "assigned", OWNER)
    assert assigned["urgency"] == "high" and assigned["deadlines"]["follow_up"]["state"] == "running"
    followed = act(api, submitted["id"], "follow-ups", {
        "note": "Samples delivered to the lab", "contact": "Li Hua", "channel": "phone"}, status=201)
    assert followed["follow_ups"][0]["contact"] == "Li Hua"

    def intake_entries():
        """Intake's entries of the case in its dossier, once the follow-up has reached it (what
        matching and evaluation record meanwhile may still arrive: it is theirs, not intake's)."""
        dossier = api.call("GET", f"/api/v1/archive/demands/{submitted['id']}", as_=SUPERVISOR).json()
        entries = [e for e in dossier.get("events", []) if e["service"] == "intake"]
        return entries if any(e["name"] == "FollowUpRecorded" for e in entries) else None

    before = wait_for(intake_entries, message="the follow-up in the dossier")
    refused = api.call("POST", f"/api/v1/demands/{submitted['id']}/withdrawal", as_=OWNER, json={})
    assert refused.status_code == 409
    assert refused.json()["details"] == {"current_status": "assigned"}
    assert "assigned" in refused.json()["message"]
    assert api.call("GET", f"/api/v1/demands/{submitted['id']}", as_=OWNER).json()["status"] == "assigned"
    assert intake_entries() == before  # the refusal recorded nothing

    cancelled = act(api, submitted["id"], "cancellation", {"reason": "Product discontinued"}, as_=OWNER)
    assert (cancelled["status"], cancelled["outcome"]) == ("cancelled", {"reason": "Product discontinued"})
    dossier_events(api, submitted["id"], "DemandCancelled", "AssignmentReleased")


@pytest.mark.parametrize("body, status", [
    ({"decision": "answer", "answer": "Any CMA lab may test to GB 7000.1."}, "answered"),
    ({"decision": "reject", "reason": "Outside quality infrastructure services."}, "rejected"),
])
def test_answer_and_reject_close_a_demand(platform, body, status):
    submitted = demand(platform.api, consultation=True)
    closed = act(platform.api, submitted["id"], "assessment", body)
    assert closed["status"] == status
    dossier_events(platform.api, submitted["id"], {"answered": "DemandAnswered",
                                                   "rejected": "DemandRejected"}[status])


def test_withdrawal_before_service(platform):
    submitted = demand(platform.api)
    withdrawn = act(platform.api, submitted["id"], "withdrawal", {"reason": "Solved in-house"}, as_=OWNER)
    assert withdrawn["status"] == "withdrawn"
    assert all(d["state"] == "closed" for d in withdrawn["deadlines"].values())


def test_reclassification_re_matches(platform):
    api = platform.api
    submitted = demand(api)
    act(api, submitted["id"], "assessment", {"decision": "accept"})
    first = api.wait_status(submitted["id"], "assigned", OWNER)["assignment"]["institution_id"]
    act(api, submitted["id"], "assessment", {"decision": "accept", "category": "metrology",
                                              "items": ["caliper"], "reason": "a calibration"})

    def re_matched():
        shown = api.call("GET", f"/api/v1/demands/{submitted['id']}", as_=OWNER).json()
        return shown if shown["status"] == "assigned" and shown["category"] == "metrology" else None
    shown = wait_for(re_matched, message="the demand to be re-matched")
    assert shown["assignment"]["institution_id"] != first


def test_a_specialist_enters_a_phone_demand_and_idempotency_keys_return_the_first(platform):
    api = platform.api
    upload = api.call("POST", "/api/v1/attachments?name=lamp-spec.pdf", as_=SPECIALIST,
                      data=b"%PDF-1.7 lamp specification", headers={"Content-Type": "application/pdf"})
    assert upload.status_code == 201, upload.text
    attachment = upload.json()
    body = factories.demand(ENTERPRISE_CODE, channel="phone", attachments=[attachment["sha256"]])
    headers = {"Idempotency-Key": "call-2026-11-24-0001"}
    first = api.call("POST", "/api/v1/demands", as_=SPECIALIST, json=body, headers=dict(headers))
    again = api.call("POST", "/api/v1/demands", as_=SPECIALIST, json=body, headers=dict(headers))
    assert first.status_code == again.status_code == 201
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.json() == first.json()
    assert first.json()["channel"] == "phone" and first.json()["attachments"] == [attachment]
    other = api.call("POST", "/api/v1/demands", as_=SPECIALIST,
                     json={**body, "title": "Another request"}, headers=dict(headers))
    assert other.status_code == 409
    events = dossier_events(api, first.json()["id"], "DemandSubmitted")
    assert events.count("DemandSubmitted") == 1


def test_the_enterprise_lists_only_its_own_demands(platform):
    api = platform.api
    stranger = factories.credit_code()
    theirs = api.call("POST", "/api/v1/demands", as_=("enterprise", stranger),
                      json=factories.demand(stranger)).json()
    mine = api.call("GET", "/api/v1/demands?per_page=100", as_=OWNER).json()
    assert mine["items"] and theirs["id"] not in [d["id"] for d in mine["items"]]
    assert mine["next_after"] is None  # every one of them on this page
    assert all(d["enterprise"]["credit_code"] == ENTERPRISE_CODE for d in mine["items"])
    everyone = api.call("GET", "/api/v1/demands?per_page=100", as_=SUPERVISOR).json()
    assert len(everyone["items"]) == len(mine["items"]) + 1 and everyone["next_after"] is None
    refused = api.call("GET", "/api/v1/demands?status=lost", as_=OWNER)
    assert refused.status_code == 422 and set(refused.json()["details"]) == {"status"}


def test_a_specialist_reads_only_their_own_stations_dossiers(platform):
    api = platform.api
    submitted = demand(api)
    other = api.open_station(staff=("s-7",), park="nansha-port-park")
    assert other["park"] == "nansha-port-park"
    assert api.call("GET", f"/api/v1/archive/demands/{submitted['id']}", as_=SPECIALIST).status_code == 200
    for stranger in (("specialist", "s-7"), ("specialist", "nobody")):
        refused = api.call("GET", f"/api/v1/archive/demands/{submitted['id']}", as_=stranger)
        assert refused.status_code == 404, refused.text


def test_uploads_without_a_content_length_and_with_odd_media_types(platform):
    api = platform.api

    def chunks(data):
        yield from (data[i:i + 1000] for i in range(0, len(data), 1000))

    chunked = api.call("POST", "/api/v1/attachments?name=chunked.txt", as_=SPECIALIST,
                       data=chunks(b"x" * 5000), headers={"Content-Type": "text/plain"})
    assert chunked.status_code == 201, chunked.text
    assert chunked.json()["size"] == 5000
    too_big = api.call("POST", "/api/v1/attachments?name=big.bin", as_=SPECIALIST,
                       data=chunks(b"x" * (10 * 1024 * 1024 + 1)),
                       headers={"Content-Type": "application/octet-stream"})
    assert too_big.status_code == 413, too_big.text
    odd = api.call("POST", "/api/v1/attachments?name=a.pdf", as_=SPECIALIST, data=b"%PDF",
                   headers={"Content-Type": "no slash here"})
    assert odd.status_code == 415 and odd.json()["error"] == "unsupported_media_type"
    long_name = api.call("POST", "/api/v1/attachments?name=" + "n" * 300, as_=SPECIALIST, data=b"x",
                         headers={"Content-Type": "text/plain"})
    assert long_name.status_code == 422 and "255" in long_name.json()["message"]


def test_a_demand_shows_its_instants_in_its_station_s_zone_with_the_offset_and_in_utc_when_asked(platform):
    api = platform.api
    made = demand(api, title="时区")
    path = f"/api/v1/demands/{made['id']}"
    local = api.call("GET", path, as_=OWNER).json()
    recorded = api.call("GET", path + "?utc=true", as_=OWNER).json()
    zone = ZoneInfo(platform.station["calendar"]["timezone"])
    assert local["time_zone"] == recorded["time_zone"] == zone.key
    for shown, kept in ((local["submitted_at"], recorded["submitted_at"]),
                        (local["deadlines"]["first_response"]["due_at"],
                         recorded["deadlines"]["first_response"]["due_at"])):
        moment = datetime.fromisoformat(kept)
        assert moment.utcoffset() == timedelta(0)
        assert datetime.fromisoformat(shown) == moment  # the same instant
        assert datetime.fromisoformat(shown).utcoffset() == moment.astimezone(zone).utcoffset()
    listed = api.call("GET", "/api/v1/demands?per_page=100", as_=OWNER).json()["items"]
    (item,) = [found for found in listed if found["id"] == made["id"]]
    assert item["submitted_at"] == local["submitted_at"] and item["time_zone"] == zone.key
    refused = api.call("GET", path + "?utc=maybe", as_=OWNER)
    assert refused.status_code == 422 and "utc" in refused.json()["details"]
