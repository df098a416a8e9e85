"""Intake as a station works: decisions, paused clocks, deadlines on the working calendar,
withdrawal, cancellation, re-matching, idempotent submission, attachments, who sees what."""
import uuid
from datetime import datetime

import pytest

from shared import metrics
from shared.calendar import WorkingCalendar
from shared.errors import Conflict, Forbidden, Invalid, NotFound
from tests import factories
from tests.conftest import SHANGHAI

SPECIALIST = {"role": "specialist", "subject": "s-1"}
OPERATOR = {"role": "operator", "subject": "ops-1"}
SUPERVISOR = {"role": "supervisor", "subject": "regulator-1"}


def local(text):
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.fixture
def station(open_platform):
    """A station that assesses by hand, with Monday 30 November 2026 a public holiday."""
    platform = open_platform(factories.station(auto_accept=[], calendar={"holidays": ["2026-11-30"]}))
    platform.clock.set("2026-11-27T17:25")
    return platform


def in_local(text):
    return datetime.fromisoformat(text).astimezone(SHANGHAI).strftime("%a %Y-%m-%d %H:%M")


def upload(intake, name, media_type, data, by):
    """As the gateway does: the bytes streamed into the incoming folder, then handed over."""
    incoming = uuid.uuid4().hex
    (intake.attachments.incoming / incoming).write_bytes(data)
    return intake.store_attachment(incoming, name, media_type, by)


def submit(platform, by=SPECIALIST, key=None, **overrides):
    return platform.apps["intake"].submit_demand(factories.demand(**overrides), by, key)


def test_friday_evening_before_a_holiday_the_first_response_is_due_tuesday(station):
    intake = station.apps["intake"]
    demand = submit(station)
    assert demand["status"] == "submitted"  # this station assesses by hand
    first, assessment = demand["deadlines"]["first_response"], demand["deadlines"]["assessment"]
    assert in_local(first["due_at"]) == "Tue 2026-12-01 09:55"
    assert in_local(assessment["due_at"]) == "Fri 2026-12-04 17:25"

    station.clock.set("2026-12-01T09:42")
    assert intake.check_deadlines() == 0
    station.clock.set("2026-12-01T09:43")
    breaches = metrics.DEADLINE_EVENTS.labels("first_response", "breached")
    before = breaches._value.get()
    assert intake.check_deadlines() == 1  # the warning: a fifth of the hour is left
    assert intake.check_deadlines() == 0
    station.clock.set("2026-12-01T09:55")
    assert intake.check_deadlines() == 1  # the breach
    assert breaches._value.get() == before + 1

    shown = intake.demand(demand["id"], SPECIALIST)
    assert shown["deadlines"]["first_response"]["state"] == "breached"
    assert shown["deadlines"]["first_response"]["warned"] is True
    assert shown["overdue"] is True
    overdue = intake.list_demands({"overdue": "true"}, SPECIALIST)
    assert [d["id"] for d in overdue["items"]] == [demand["id"]]
    station.settle()
    names = [e["name"] for e in station.archive.dossier(demand["id"])["events"]]
    assert names == ["DemandSubmitted", "DeadlineApproaching", "DeadlineBreached"]


def test_requesting_information_pauses_the_assessment_clock_across_a_weekend(station):
    intake = station.apps["intake"]
    demand = submit(station)
    station.clock.set("2026-12-01T09:50")
    intake.assess(demand["id"], {"decision": "request_info", "questions": "Which model?"}, SPECIALIST)
    station.clock.set("2026-12-01T16:30")
    shown = intake.demand(demand["id"], SPECIALIST)
    assert shown["status"] == "awaiting_information"
    assert shown["deadlines"]["first_response"]["state"] == "closed"
    # 09:50 to Friday 17:25: 6h10m on Tuesday (lunch 12:00-13:30 excluded), 7h each on
    # Wednesday and Thursday, 6h55m on Friday: 27h05m of working time were left.
    assert shown["deadlines"]["assessment"]["paused_remaining_seconds"] == 27 * 3600 + 5 * 60
    station.clock.set("2026-12-05T12:00")  # Saturday, long past nothing: a paused clock is silent
    assert intake.check_deadlines() == 0

    station.clock.set("2026-12-07T10:00")  # Monday
    supplied = intake.supply_information(
        demand["id"], {"information": "Model X-1, 12 W"}, {"role": "enterprise",
                                                          "subject": shown["enterprise"]["credit_code"]})
    assert supplied["status"] == "submitted"
    # 27h05m from Monday 10:00: 6h Monday, 7h each Tuesday to Thursday, then 5 minutes on Friday.
    assert in_local(supplied["deadlines"]["assessment"]["due_at"]) == "Fri 2026-12-11 09:05"
    assert supplied["information"][0]["information"] == "Model X-1, 12 W"


def test_a_stage_closed_after_its_due_time_is_recorded_as_breached(station):
    intake = station.apps["intake"]
    demand = submit(station)
    station.clock.set("2026-12-01T10:30")  # the first response was due at 09:55; no check ran
    accepted = intake.assess(demand["id"], {"decision": "accept"}, SPECIALIST)
    assert accepted["deadlines"]["first_response"]["breached"] is True
    assert accepted["deadlines"]["assessment"]["breached"] is False
    station.settle()
    names = [e["name"] for e in station.archive.dossier(demand["id"])["events"]]
    assert names[:3] == ["DemandSubmitted", "DeadlineBreached", "DemandAccepted"]


@pytest.mark.parametrize("decision, extra, status, outcome", [
    ("answer", {"answer": "GB 7000.1 applies; any CMA lab can test it."}, "answered",
     {"answer": "GB 7000.1 applies; any CMA lab can test it."}),
    ("reject", {"reason": "Not a quality infrastructure service."}, "rejected",
     {"reason": "Not a quality infrastructure service."}),
])
def test_answer_and_reject_close_the_demand(station, decision, extra, status, outcome):
    intake = station.apps["intake"]
    demand = submit(station, consultation=True)
    closed = intake.assess(demand["id"], {"decision": decision, **extra}, SPECIALIST)
    assert (closed["status"], closed["outcome"]) == (status, outcome)
    assert closed["overdue"] is False
    with pytest.raises(Conflict) as refused:
        intake.assess(demand["id"], {"decision": "accept"}, SPECIALIST)
    assert refused.value.details == {"current_status": status}


def test_each_decision_names_what_it_needs(station):
    demand = submit(station)
    for decision, field in (("answer", "answer"), ("request_info", "questions"), ("reject", "reason")):
        with pytest.raises(Invalid) as refused:
            station.apps["intake"].assess(demand["id"], {"decision": decision}, SPECIALIST)
        assert set(refused.value.fields) == {field}


def test_reassessment_re_matches_and_frees_the_first_institutions_capacity(station):
    matching, intake = station.apps["matching"], station.apps["intake"]
    lab = matching.register_institution(factories.institution(capacity=1), SPECIALIST, station=factories.PANYU)
    metrology = matching.register_institution(factories.institution(
        categories=["metrology"], qualifications=[{
            "type": "METROLOGY", "number": "M-1", "scope": ["caliper"],
            "valid_from": "2020-01-01", "valid_until": "2099-12-31"}]), SPECIALIST, station=factories.PANYU)
    demand = submit(station)
    intake.assess(demand["id"], {"decision": "accept"}, SPECIALIST)
    station.settle()
    assert intake.demand(demand["id"], SPECIALIST)["assignment"]["institution_id"] == lab["id"]

    intake.assess(demand["id"], {"decision": "accept", "category": "metrology", "items": ["caliper"],
                                 "reason": "the lamp maker needs its caliper calibrated"}, SPECIALIST)
    station.settle()
    shown = intake.demand(demand["id"], SPECIALIST)
    assert (shown["status"], shown["category"]) == ("assigned", "metrology")
    assert shown["assignment"]["institution_id"] == metrology["id"]
    # The lab, capacity 1, is free again for the next demand.
    other = submit(station)
    intake.assess(other["id"], {"decision": "accept"}, SPECIALIST)
    station.settle()
    assert intake.demand(other["id"], SPECIALIST)["assignment"]["institution_id"] == lab["id"]
    events = [e["name"] for e in station.archive.dossier(demand["id"])["events"]]
    assert events.count("InstitutionAssigned") == 2 and "AssignmentReleased" in events


def test_withdrawal_before_service_cancellation_after_and_capacity_released(station):
    matching, intake = station.apps["matching"], station.apps["intake"]
    matching.register_institution(factories.institution(capacity=1), SPECIALIST, station=factories.PANYU)
    enterprise = factories.credit_code()
    owner = {"role": "enterprise", "subject": enterprise}
    early = submit(station, by=owner, enterprise_code=enterprise)
    withdrawn = intake.withdraw(early["id"], {"reason": "found the answer myself"}, owner)
    assert (withdrawn["status"], withdrawn["outcome"]) == ("withdrawn", {"reason": "found the answer myself"})

    served = submit(station, by=owner, enterprise_code=enterprise)
    intake.assess(served["id"], {"decision": "accept"}, SPECIALIST)
    station.settle()
    with pytest.raises(Conflict) as refused:
        intake.withdraw(served["id"], {}, owner)
    assert refused.value.details == {"current_status": "assigned"}
    with pytest.raises(Invalid):
        intake.cancel(served["id"], {}, owner)  # a cancellation needs its reason
    cancelled = intake.cancel(served["id"], {"reason": "the product was discontinued"}, owner)
    assert cancelled["status"] == "cancelled"
    station.settle()
    assert "AssignmentReleased" in [e["name"] for e in station.archive.dossier(served["id"])["events"]]
    assert matching.registry.profiles[cancelled["assignment"]["institution_id"]].open_assignments == 0


def test_follow_ups_restart_the_follow_up_clock(station):
    station.apps["matching"].register_institution(factories.institution(), SPECIALIST, station=factories.PANYU)
    intake = station.apps["intake"]
    demand = submit(station)
    station.clock.set("2026-12-01T09:00")
    intake.assess(demand["id"], {"decision": "accept"}, SPECIALIST)
    station.settle()
    assigned = intake.demand(demand["id"], SPECIALIST)
    # Five working days of 7 h from Tuesday 09:00 run out at Monday's closing time.
    assert in_local(assigned["deadlines"]["follow_up"]["due_at"]) == "Mon 2026-12-07 17:30"
    station.clock.set("2026-12-03T15:00")
    followed = intake.record_follow_up(demand["id"], {
        "note": "Samples received by the lab", "contact": "Li Hua", "channel": "phone",
        "next_step_on": "2026-12-09"}, SPECIALIST)
    assert followed["follow_ups"][0]["next_step_on"] == "2026-12-09"
    assert in_local(followed["deadlines"]["follow_up"]["due_at"]) == "Thu 2026-12-10 15:00"


def test_a_repeated_submission_with_the_same_idempotency_key_returns_the_first(station):
    payload = factories.demand()
    intake = station.apps["intake"]
    first = intake.submit_demand(payload, SPECIALIST, "retry-7")
    again = intake.submit_demand(payload, SPECIALIST, "retry-7")
    assert again.pop("replayed") is True
    assert again == first
    with pytest.raises(Conflict) as refused:
        intake.submit_demand({**payload, "title": "Another test"}, SPECIALIST, "retry-7")
    assert refused.value.details == {"demand_id": first["id"]}
    assert len(intake.list_demands({}, SPECIALIST)["items"]) == 1


def test_attachments_are_kept_by_hash_and_referenced_by_demands(station):
    intake = station.apps["intake"]
    stored = upload(intake, "test-request.pdf", "application/pdf", b"%PDF-1.7 lamp", SPECIALIST)
    assert stored["size"] == 13 and len(stored["sha256"]) == 64
    demand = submit(station, attachments=[stored["sha256"]])
    assert demand["attachments"] == [stored]
    with pytest.raises(Invalid) as refused:
        submit(station, attachments=["0" * 64])
    assert "attachments" in refused.value.fields
    with pytest.raises(Invalid):
        upload(intake, "empty.txt", "text/plain", b"", SPECIALIST)


def test_who_may_submit_and_who_sees_what(station):
    intake = station.apps["intake"]
    other = intake.register_station(factories.station(park="nansha-port-park"), OPERATOR)
    intake.add_specialist(other["id"], factories.specialist("s-9"), OPERATOR)
    stranger = {"role": "specialist", "subject": "s-9"}
    enterprise = factories.credit_code()
    owner = {"role": "enterprise", "subject": enterprise}

    with pytest.raises(Forbidden):
        submit(station, by=stranger)  # s-9 works at another park's station
    with pytest.raises(Invalid) as refused:
        submit(station, by=owner, enterprise_code=enterprise, channel="counter")
    assert set(refused.value.fields) == {"channel"}
    with pytest.raises(Invalid) as refused:
        submit(station, park="nowhere-park")
    assert set(refused.value.fields) == {"park"}

    mine = submit(station, by=owner, enterprise_code=enterprise)
    theirs = submit(station, channel="phone")
    assert [d["id"] for d in intake.list_demands({}, owner)["items"]] == [mine["id"]]
    assert len(intake.list_demands({}, SPECIALIST)["items"]) == 2
    assert intake.list_demands({}, stranger)["items"] == []
    assert len(intake.list_demands({}, SUPERVISOR)["items"]) == 2
    with pytest.raises(NotFound):
        intake.demand(theirs["id"], owner)
    with pytest.raises(NotFound):
        intake.assess(mine["id"], {"decision": "accept"}, stranger)
    with pytest.raises(Forbidden):
        intake.assess(mine["id"], {"decision": "accept"}, owner)


def test_listing_filters_sorts_and_pages(station):
    intake = station.apps["intake"]
    ids = []
    for minute, category in enumerate(["metrology", "inspection_testing", "metrology"]):
        station.clock.set(f"2026-12-01T10:0{minute}")
        ids.append(submit(station, category=category)["id"])
    query = {"category": "metrology", "sort": "submitted_at", "per_page": "1"}
    first = intake.list_demands(query, SPECIALIST)
    assert [d["id"] for d in first["items"]] == [ids[0]] and first["next_after"]
    second = intake.list_demands({**query, "after": first["next_after"]}, SPECIALIST)
    assert [d["id"] for d in second["items"]] == [ids[2]] and second["next_after"] is None
    newest = intake.list_demands({}, SPECIALIST)
    assert [d["id"] for d in newest["items"]] == ids[::-1] and newest["next_after"] is None
    # A page of two, then the rest: descending by submission, nothing shown twice or skipped.
    two = intake.list_demands({"per_page": "2"}, SPECIALIST)
    rest = intake.list_demands({"per_page": "2", "after": two["next_after"]}, SPECIALIST)
    assert [d["id"] for d in two["items"] + rest["items"]] == ids[::-1]
    assert intake.list_demands({"submitted_from": "2026-12-02"}, SPECIALIST)["items"] == []
    assert len(intake.list_demands({"submitted_from": "2026-12-01"}, SPECIALIST)["items"]) == 3
    with pytest.raises(Invalid) as refused:
        intake.list_demands({"status": "lost", "per_page": "500", "colour": "red"}, SPECIALIST)
    assert set(refused.value.fields) == {"status", "per_page", "colour"}
    with pytest.raises(Invalid) as refused:
        intake.list_demands({"after": "not-a-cursor"}, SPECIALIST)
    assert refused.value.fields == {"after": ["Not a cursor of this list."]}


def test_overdue_lists_and_the_monitor_read_the_index_of_due_moments(station):
    """Friday 17:25: the first response (1 working hour) is due Tuesday 09:55 (Monday is a
    holiday); its warning, a fifth of the limit before."""
    intake = station.apps["intake"]
    demand = submit(station)
    assert intake.list_demands({"overdue": "true"}, SPECIALIST)["items"] == []
    assert intake.check_deadlines() == 0
    station.clock.set("2026-12-01T09:50")
    assert intake.check_deadlines() == 1  # the warning
    assert intake.check_deadlines() == 0  # recorded once
    station.clock.set("2026-12-01T09:55")
    (overdue,) = intake.list_demands({"overdue": "true"}, SPECIALIST)["items"]
    assert overdue["id"] == demand["id"] and overdue["overdue"] is True
    assert intake.list_demands({"overdue": "false"}, SPECIALIST)["items"] == []
    assert intake.check_deadlines() == 1  # the breach
    assert intake.check_deadlines() == 0
    assert [d["id"] for d in intake.list_demands({"overdue": "true"}, SPECIALIST)["items"]] == [demand["id"]]
    intake.assess(demand["id"], {"decision": "reject", "reason": "out of scope"}, SPECIALIST)
    assert intake.list_demands({"overdue": "true"}, SPECIALIST)["items"] == []
    assert intake.check_deadlines() == 0


def test_a_restarted_follow_up_clock_is_not_breached_by_the_monitor_that_saw_the_old_one(station):
    station.apps["matching"].register_institution(factories.institution(), SPECIALIST, station=factories.PANYU)
    intake = station.apps["intake"]
    demand = submit(station)
    intake.assess(demand["id"], {"decision": "accept"}, SPECIALIST)
    station.settle()
    station.clock.set("2026-12-15T10:00")  # the follow-up clock ran out on 7 December
    # The monitor found the demand due before the follow-up below restarted the clock.
    assert [row["id"] for row in intake.read("SELECT id FROM {s}demands WHERE next_check <= %s",
                                             "2026-12-15T02:00:00.000000Z")] == [demand["id"]]
    intake.record_follow_up(demand["id"], {"note": "Report due Friday", "contact": "Li Hua",
                                           "channel": "phone"}, SPECIALIST)
    assert intake._mark(uuid.UUID(demand["id"]), "breach", "follow_up", station.clock()) == 0
    shown = intake.demand(demand["id"], SPECIALIST)
    assert shown["deadlines"]["follow_up"]["breached"] is False  # the new clock
    station.settle()
    names = [e["name"] for e in station.archive.dossier(demand["id"])["events"]]
    assert names.count("DeadlineBreached") == 1  # the old follow-up clock, recorded once


def test_reclassifying_a_demand_at_a_full_institution_keeps_its_capacity(station):
    lab = station.apps["matching"].register_institution(factories.institution(capacity=1), SPECIALIST, station=factories.PANYU)
    intake = station.apps["intake"]
    demand = submit(station)
    intake.assess(demand["id"], {"decision": "accept"}, SPECIALIST)
    station.settle()
    intake.assess(demand["id"], {"decision": "accept", "urgency": "urgent"}, SPECIALIST)
    station.settle()
    shown = intake.demand(demand["id"], SPECIALIST)
    assert (shown["status"], shown["urgency"]) == ("assigned", "urgent")
    assert shown["assignment"]["institution_id"] == lab["id"]


def test_a_consultation_waits_for_a_specialist_even_where_rules_accept(open_platform):
    platform = open_platform()  # the default station accepts every category automatically
    intake = platform.apps["intake"]
    consultation = intake.submit_demand(factories.demand(consultation=True), SPECIALIST)
    assert consultation["status"] == "submitted"
    assert intake.assess(consultation["id"], {"decision": "answer", "answer": "See GB 7000.1"},
                         SPECIALIST)["status"] == "answered"
    published = platform.read_log("intake", 0, 1000)
    submitted = next(m for m in published if m.event == "DemandSubmitted")
    assert all(clock["closed_at"] is None for clock in submitted.data["deadlines"].values())


def test_a_station_without_working_days_is_refused(station):
    with pytest.raises(Invalid) as refused:
        station.apps["intake"].register_station(factories.station(
            park="nansha-port-park", calendar={"weekend": list(range(7))}), OPERATOR)
    assert set(refused.value.fields) == {"calendar"}


def test_stations_are_listed_a_page_at_a_time_by_name_and_found_by_park_or_name(station):
    intake = station.apps["intake"]
    panyu = intake.list_stations({}, OPERATOR)["items"][0]
    for park, name in (("nansha-port-park", "南沙港质量基础设施一站式服务站"),
                       ("huangpu-bio-park", "黄埔生物医药园一站式服务站")):
        registered = intake.register_station(factories.station(park=park, name=name), OPERATOR)
    intake.add_specialist(registered["id"], factories.specialist("s-hp-1"), OPERATOR)
    intake.add_specialist(registered["id"], factories.specialist("s-hp-2"), OPERATOR)

    first = intake.list_stations({"per_page": "2"}, OPERATOR)
    assert [s["name"] for s in first["items"]] == ["Panyu Energy Park Quality Station", "南沙港质量基础设施一站式服务站"]
    rest = intake.list_stations({"per_page": "2", "after": first["next_after"]}, OPERATOR)
    assert [s["park"] for s in rest["items"]] == ["huangpu-bio-park"] and rest["next_after"] is None
    assert rest["items"][0] == {
        "id": registered["id"], "name": "黄埔生物医药园一站式服务站", "park": "huangpu-bio-park",
        "address": registered["address"], "operating_institution": registered["operating_institution"],
        "parent_platform": None, "time_zone": "Asia/Shanghai", "specialists": 2,
        "registered_at": registered["registered_at"],
        # staffing is counted from the specialists: adding them moved its conformity
        "conformity": {"status": "incomplete", "failing": [], "at": rest["items"][0]["conformity"]["at"]}}
    assert [s["id"] for s in intake.list_stations({"name": "生物"}, OPERATOR)["items"]] == [registered["id"]]
    assert [s["id"] for s in intake.list_stations({"park": "panyu-energy-park"}, OPERATOR)["items"]] == [panyu["id"]]
    assert intake.list_stations({"name": "100%"}, OPERATOR)["items"] == []  # a wildcard typed is a character
    assert intake.station_zones() == sorted(
        [{"id": s["id"], "park": s["park"], "time_zone": "Asia/Shanghai"}
         for s in first["items"] + rest["items"]], key=lambda zone: zone["id"])
    with pytest.raises(Invalid) as refused:
        intake.list_stations({"park": "Panyu Park", "per_page": "0"}, OPERATOR)
    assert set(refused.value.fields) == {"park", "per_page"}
    with pytest.raises(Invalid) as refused:
        intake.list_stations({"after": "nope"}, OPERATOR)
    assert set(refused.value.fields) == {"after"}


def test_park_ids_have_one_spelling(station):
    with pytest.raises(Invalid) as refused:
        station.apps["intake"].register_station(factories.station(park=" Panyu-Energy-Park"), OPERATOR)
    assert set(refused.value.fields) == {"park"}


def test_attachment_names_belong_to_their_uploader(station):
    intake = station.apps["intake"]
    enterprise = factories.credit_code()
    owner = {"role": "enterprise", "subject": enterprise}
    mine = upload(intake, "merger-plan.pdf", "application/pdf", b"%PDF-1.4 same bytes", SPECIALIST)
    theirs = upload(intake, "report.pdf", "application/pdf", b"%PDF-1.4 same bytes", owner)
    assert (mine["name"], theirs["name"]) == ("merger-plan.pdf", "report.pdf")
    assert mine["sha256"] == theirs["sha256"]
    other = {"role": "enterprise", "subject": factories.credit_code()}
    with pytest.raises(Invalid):
        intake.submit_demand(factories.demand(other["subject"], attachments=[mine["sha256"]]), other)


def test_date_filters_use_the_stations_days(station):
    station.clock.set("2026-12-02T07:30")  # still 1 December in UTC
    demand = submit(station)
    found = station.apps["intake"].list_demands({"submitted_from": "2026-12-02",
                                                 "submitted_to": "2026-12-02"}, SPECIALIST)
    assert [d["id"] for d in found["items"]] == [demand["id"]]
    with pytest.raises(Invalid) as refused:
        station.apps["intake"].list_demands({"submitted_from": "2026-12-03",
                                             "submitted_to": "2026-12-02"}, SPECIALIST)
    assert set(refused.value.fields) == {"submitted_to"}


def test_dates_in_the_past_are_judged_by_the_services_clock(station):
    """Friday 27 November 2026 on the station's clock, whatever day the tests run."""
    with pytest.raises(Invalid) as refused:
        submit(station, expected_by="2026-11-26")
    assert refused.value.fields == {"expected_by": ["Must not be in the past."]}
    assert submit(station, expected_by="2026-11-27")["expected_by"] == "2026-11-27"


def test_a_read_of_one_demand_comes_from_its_row_and_shows_what_the_aggregate_would(
        station, monkeypatch):
    """Reading a demand loads no aggregate; what it shows, at any moment, is what the demand's
    own state gives: after each command, with a clock paused, running and breached."""
    from services.intake.views import demand_record, demand_view
    intake = station.apps["intake"]
    station.apps["matching"].register_institution(factories.institution(), SPECIALIST, station=factories.PANYU)
    owner = {"role": "enterprise", "subject": factories.credit_code()}
    answers = [submit(station, by=owner, enterprise_code=owner["subject"])]
    demand_id = answers[0]["id"]
    station.clock.set("2026-12-01T09:50")
    answers.append(intake.assess(demand_id, {"decision": "request_info", "questions": "Model?"},
                                 SPECIALIST))
    answers.append(intake.supply_information(demand_id, {"information": "Model LED-7."}, owner))

    def aggregate_view():
        demand = intake.repository.get(uuid.UUID(demand_id))
        now = intake.clock()
        return demand_view(demand_record(demand), now, demand.overdue(now), SHANGHAI)

    def read(viewer):
        with monkeypatch.context() as patched:
            patched.setattr(intake.repository, "get", lambda *a, **k: pytest.fail("loaded"))
            return intake.demand(demand_id, viewer)

    assert read(owner) == answers[-1] == aggregate_view()
    for moment in ("2026-12-03T10:00", "2026-12-07T12:00", "2027-01-04T09:00"):  # due, breached
        station.clock.set(moment)
        assert read(SPECIALIST) == aggregate_view()
    assert read(SPECIALIST)["overdue"] is True
    assert read(SPECIALIST)["deadlines"]["assessment"]["state"] == "breached"

    accepted = intake.assess(demand_id, {"decision": "accept"}, SPECIALIST)
    assert read(SUPERVISOR) == accepted and accepted["overdue"] is False
    station.settle()  # matching assigns: intake records it from matching's events
    institution = read(SUPERVISOR)["assignment"]["institution_id"]
    shown = read({"role": "institution", "subject": institution})
    assert shown == {**aggregate_view(), "excluded_institutions": []}
    with pytest.raises(NotFound):
        read({"role": "institution", "subject": str(uuid.uuid4())})
    with pytest.raises(NotFound):
        read({"role": "enterprise", "subject": factories.credit_code()})


def test_a_station_sets_shorter_limits_per_category_and_urgency_within_the_platform_s(station):
    intake = station.apps["intake"]
    station_id = station.station["id"]
    own = {"default": {"first_response": "30m"}, "categories": {"metrology": {"assessment": "1d"}},
           "urgencies": {"urgent": {"follow_up": "4h"}}}
    changed = intake.change_station_settings(station_id, {"time_limits": own, "reason": "站内承诺"},
                                             SPECIALIST)
    assert changed["time_limits"] == own
    testing, metrology = submit(station), submit(station, category="metrology", items=["caliper"])
    # Friday 17:25: five minutes left that day, the rest after the Monday holiday.
    assert in_local(testing["deadlines"]["first_response"]["due_at"]) == "Tue 2026-12-01 09:25"
    assert testing["deadlines"]["assessment"]["limit_seconds"] == \
        4 * metrology["deadlines"]["assessment"]["limit_seconds"]

    limits, calendar = intake.limits, WorkingCalendar()
    at = datetime(2026, 12, 2, 9, 0, tzinfo=SHANGHAI)
    stored = intake.station(station_id)["time_limits"]
    assert limits.start("follow_up", calendar, at, stored, "metrology", "urgent")["limit"] == 4 * 3600
    assert limits.start("follow_up", calendar, at, stored, "metrology", "normal")["limit"] == \
        limits.seconds("follow_up", calendar)  # nothing set for it here: the platform's

    for refused, where in (({"default": {"assessment": "5d"}}, "default"),
                           ({"urgencies": {"urgent": {"follow_up": "6d"}}}, "urgencies")):
        with pytest.raises(Invalid) as error:
            intake.change_station_settings(station_id, {"time_limits": refused, "reason": "x"}, SPECIALIST)
        assert where in error.value.fields["time_limits"]
    for malformed in ({"urgencies": {"whenever": {"follow_up": "1d"}}}, {"default": {"assessment": "2 days"}},
                      {"categories": {"cooking": {"assessment": "1d"}}}):
        with pytest.raises(Invalid):
            intake.change_station_settings(station_id, {"time_limits": malformed, "reason": "x"}, SPECIALIST)
    assert intake.station(station_id)["time_limits"] == own  # nothing refused was kept


def test_a_station_changes_its_calendar_and_rules_and_new_clocks_run_on_them(station):
    intake = station.apps["intake"]
    station_id = station.station["id"]
    before = submit(station)
    changed = intake.change_station_settings(station_id, {
        "calendar": {"holidays": ["2026-11-30", "2026-12-01"]}, "auto_accept": ["metrology"],
        "reason": "区政府通知 12 月 1 日放假"}, SPECIALIST)
    assert changed["calendar"]["holidays"] == ["2026-11-30", "2026-12-01"]
    assert changed["auto_accept"] == ["metrology"]
    after = submit(station)
    # The first response is due on the next working day after the holidays; the clock that was
    # already running keeps its due time.
    assert in_local(after["deadlines"]["first_response"]["due_at"]) == "Wed 2026-12-02 09:55"
    assert in_local(intake.demand(before["id"], SPECIALIST)["deadlines"]["first_response"]["due_at"]) \
        == "Tue 2026-12-01 09:55"
    assert submit(station, category="metrology")["status"] == "accepted"  # the rule, now

    other = intake.register_station(factories.station(park="nansha-port-park"), OPERATOR)
    intake.add_specialist(other["id"], factories.specialist("s-9"), OPERATOR)
    with pytest.raises(Forbidden):
        intake.change_station_settings(station_id, {"address": "x", "reason": "x"},
                                       {"role": "specialist", "subject": "s-9"})
    with pytest.raises(Invalid) as refused:
        intake.change_station_settings(station_id, {"calendar": {"timezone": "Asia/Urumqi"},
                                                    "reason": "x"}, OPERATOR)
    assert "calendar" in refused.value.fields
    with pytest.raises(Invalid):
        intake.change_station_settings(station_id, {"reason": "nothing"}, OPERATOR)

    station.settle()  # evaluation measures working hours on the calendar as it now stands
    from services.evaluation.cases import StationRecord
    record = station.apps["evaluation"].repository.get(StationRecord.create_id(station_id))
    assert record.calendar["holidays"] == ["2026-11-30", "2026-12-01"]
