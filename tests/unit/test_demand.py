import uuid

import pytest

from services.intake.domain import Demand
from shared.errors import Conflict

ACTOR = {"role": "specialist", "subject": "s1"}


def new_demand():
    return Demand(enterprise={"name": "E"}, park="p", category="metrology", title="t",
                  description="d", items=[], expected_by=None, channel="online", submitted_by=ACTOR)


def test_a_demand_moves_from_submitted_to_assigned():
    demand = new_demand()
    demand.accept(ACTOR)
    assignment, institution = uuid.uuid4(), uuid.uuid4()
    demand.assign(assignment, institution)
    assert demand.status == "assigned"
    assert demand.assignment == {"assignment_id": assignment, "institution_id": institution,
                                 "status": "assigned"}
    assert [type(e).__name__ for e in demand.collect_events()] == [
        "DemandSubmitted", "DemandAccepted", "DemandAssigned"]


def test_matching_failure_keeps_the_reasons():
    demand = new_demand()
    demand.accept(ACTOR)
    demand.record_matching_failure(["1 institution(s): has no capacity left"])
    assert demand.status == "matching_failed"
    assert demand.unmatched_reasons == ["1 institution(s): has no capacity left"]


def test_a_command_in_the_wrong_state_is_refused_and_changes_nothing():
    demand = new_demand()
    with pytest.raises(Conflict) as refused:
        demand.assign(uuid.uuid4(), uuid.uuid4())
    assert refused.value.args == ("cannot assign an institution to a demand that is submitted",
                                  {"current_status": "submitted"})
    assert demand.status == "submitted"
    assert len(demand.collect_events()) == 1
