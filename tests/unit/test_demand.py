import uuid

import pytest

from services.intake.demand import Demand, deadline
from shared.errors import Conflict

SPECIALIST = {"role": "specialist", "subject": "s-1"}
AT = "2026-11-24T10:00:00+08:00"


def new_demand(**overrides):
    values = dict(station_id=uuid.uuid4(), enterprise={"name": "E", "credit_code": "x"}, park="p",
                  category="metrology", title="t", description="d", items=[], expected_by=None,
                  channel="online", consultation=False, attachments=[], excluded_institutions=[],
                  request_hash="h",
                  idempotency_key=None, by=SPECIALIST, at=AT,
                  deadlines={"first_response": deadline(3600, AT, "2026-11-24T11:00:00+08:00",
                                                        "2026-11-24T10:48:00+08:00"),
                             "assessment": deadline(100800, AT, "2026-11-30T10:00:00+08:00",
                                                    "2026-11-27T10:00:00+08:00")})
    values.update(overrides)
    return Demand(**values)


def test_a_demand_moves_from_submitted_to_assigned_and_the_clocks_follow():
    demand = new_demand()
    demand.accept("metrology", ["caliper"], ["calibration"], "high", by=SPECIALIST, at=AT)
    assert demand.deadlines["first_response"]["closed_at"] == AT
    assert demand.deadlines["assessment"]["closed_at"] == AT
    assignment, institution = uuid.uuid4(), uuid.uuid4()
    follow_up = deadline(126000, AT, "2026-12-01T10:00:00+08:00", "2026-11-30T10:00:00+08:00")
    demand.assign(assignment, institution, follow_up, at=AT)
    assert demand.status == "assigned"
    assert demand.assignment == {"assignment_id": assignment, "institution_id": institution,
                                 "status": "assigned"}
    assert list(demand.open_stages()) == ["follow_up"]
    assert [type(e).__name__ for e in demand.collect_events()] == [
        "DemandSubmitted", "DemandAccepted", "DemandAssigned"]


def test_the_same_idempotency_key_from_the_same_submitter_names_the_same_demand():
    first = new_demand(idempotency_key="k-1")
    assert new_demand(idempotency_key="k-1").id == first.id
    assert new_demand(idempotency_key="k-2").id != first.id
    assert new_demand(idempotency_key="k-1", by={"role": "specialist", "subject": "s-2"}).id != first.id
    assert new_demand().id != new_demand().id


def test_requesting_information_pauses_the_assessment_clock_until_it_is_supplied():
    demand = new_demand()
    demand.request_information("Which model?", 7200.0, by=SPECIALIST, at=AT)
    assert demand.status == "awaiting_information"
    assert demand.paused_remaining("assessment") == 7200.0
    assert "assessment" not in demand.open_stages()
    assert demand.warn("assessment", AT) is False  # a paused clock raises nothing
    resumed = {"due_at": "2026-12-01T11:00:00+08:00", "warn_at": "2026-12-01T10:00:00+08:00"}
    demand.supply_information("Model X-1", [], resumed, by={"role": "enterprise", "subject": "x"}, at=AT)
    assert demand.status == "submitted"
    assert demand.open_stages()["assessment"]["due_at"] == "2026-12-01T11:00:00+08:00"
    assert demand.information[0]["information"] == "Model X-1"


def test_reassessing_a_demand_in_matching_opens_a_new_round():
    demand = new_demand()
    demand.accept("metrology", [], [], "normal", by=SPECIALIST, at=AT)
    assert demand.matching_round == 1
    demand.record_matching_failure(["none"], at=AT)
    demand.accept("inspection_testing", ["LED lamp"], [], "normal", by=SPECIALIST, at=AT,
                  reason="it is a product test")
    assert (demand.status, demand.category, demand.matching_round) == ("accepted", "inspection_testing", 2)
    assert type(demand.collect_events()[-1]).__name__ == "DemandReclassified"


def test_warnings_and_breaches_are_recorded_once_per_stage_and_only_when_due():
    demand = new_demand()
    assert demand.warn("first_response", "2026-11-24T10:47:00+08:00") is False  # not yet
    assert demand.warn("first_response", "2026-11-24T10:48:00+08:00") is True
    assert demand.warn("first_response", "2026-11-24T10:50:00+08:00") is False
    assert demand.breach("first_response", "2026-11-24T10:59:00+08:00") is False
    assert demand.breach("first_response", "2026-11-24T11:00:00+08:00") is True
    assert demand.breach("first_response", "2026-11-24T11:05:00+08:00") is False
    assert demand.deadlines["first_response"]["breached"] is True


def test_the_recorded_submission_keeps_its_clocks_as_they_were_at_submission():
    demand = new_demand()
    demand.accept("metrology", [], [], "normal", by=SPECIALIST, at=AT)
    submitted = demand.collect_events()[0]
    assert submitted.deadlines["assessment"]["closed_at"] is None
    assert demand.deadlines["assessment"]["closed_at"] == AT


def test_accepting_again_without_a_change_is_refused():
    demand = new_demand()
    demand.accept("metrology", [], [], "normal", by=SPECIALIST, at=AT)
    with pytest.raises(Conflict) as refused:
        demand.accept("metrology", [], [], "normal", by=SPECIALIST, at=AT)
    assert refused.value.details == {"current_status": "accepted"}


def test_a_demand_awaiting_information_can_still_be_answered_or_rejected():
    demand = new_demand()
    demand.request_information("Which model?", 7200.0, by=SPECIALIST, at=AT)
    demand.reject("No answer came", by=SPECIALIST, at=AT)
    assert demand.status == "rejected" and demand.open_stages() == {}


def test_withdrawal_before_service_and_cancellation_after():
    demand = new_demand()
    demand.withdraw("found another lab", by={"role": "enterprise", "subject": "x"}, at=AT)
    assert demand.status == "withdrawn"
    assert demand.open_stages() == {}
    with pytest.raises(Conflict) as refused:
        demand.cancel("too late", by=SPECIALIST, at=AT)
    assert refused.value.args == ("cannot cancel a demand that is withdrawn",
                                  {"current_status": "withdrawn"})


def test_a_command_in_the_wrong_state_is_refused_and_changes_nothing():
    demand = new_demand()
    with pytest.raises(Conflict) as refused:
        demand.assign(uuid.uuid4(), uuid.uuid4(), {}, at=AT)
    assert refused.value.args == ("cannot assign an institution to a demand that is submitted",
                                  {"current_status": "submitted"})
    assert demand.status == "submitted"
    assert len(demand.collect_events()) == 1
