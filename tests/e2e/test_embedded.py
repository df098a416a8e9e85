"""The README's run command, used as a person would: HTTP only, one process, no servers."""
import time

import pytest

from tests import factories
from tests.e2e.harness import Embedded, onestop

SPECIALIST = ("specialist", "s-1")
SUPERVISOR = ("supervisor", "regulator-1")


@pytest.fixture
def platform(tmp_path):
    platform = Embedded(tmp_path).start()
    platform.api.open_station()
    yield platform
    platform.stop()


def test_a_submitted_demand_is_assigned_and_archived_within_two_seconds(platform):
    api = platform.api
    registration = factories.institution()
    institution = api.call("POST", "/api/v1/institutions", as_=SPECIALIST, json=registration)
    assert institution.status_code == 201, institution.text
    again = api.call("POST", "/api/v1/institutions", as_=SPECIALIST, json=registration)
    assert again.status_code == 409
    assert again.json()["details"] == {"institution_id": institution.json()["id"]}
    enterprise = factories.credit_code()
    owner = ("enterprise", enterprise)

    started = time.monotonic()
    submitted = api.call("POST", "/api/v1/demands", as_=owner, json=factories.demand(enterprise))
    assert submitted.status_code == 201, submitted.text
    assert submitted.json()["status"] == "accepted"
    demand_id = submitted.json()["id"]
    shown = api.wait_status(demand_id, "assigned", owner, timeout=2)
    dossier = api.wait_dossier(demand_id, "assigned", SUPERVISOR, timeout=2 - (time.monotonic() - started))

    assert shown["assignment"]["institution_id"] == institution.json()["id"]
    assert [(e["service"], e["name"]) for e in dossier["events"]] == [
        ("intake", "DemandSubmitted"), ("intake", "DemandAccepted"), ("matching", "MatchingStarted"),
        ("matching", "AssignmentOffered"),
        ("matching", "InstitutionAssigned"), ("intake", "DemandAssigned")]
    assert all(e["occurred_at"] and e["data"]["demand_id"] == demand_id for e in dossier["events"])
    # The institution now sees the case; another enterprise does not.
    assert api.call("GET", f"/api/v1/demands/{demand_id}",
                    as_=("institution", institution.json()["id"])).status_code == 200
    # An id of another kind of record is no demand, nor institution.
    assert api.call("GET", f"/api/v1/demands/{shown['station_id']}", as_=SPECIALIST).status_code == 404
    assert api.call("GET", f"/api/v1/demands/{institution.json()['id']}", as_=SPECIALIST).status_code == 404
    assert api.call("GET", f"/api/v1/institutions/{demand_id}", as_=SPECIALIST).status_code == 404
    stranger = ("enterprise", factories.credit_code())
    assert api.call("GET", f"/api/v1/demands/{demand_id}", as_=stranger).status_code == 404
    assert api.call("GET", f"/api/v1/archive/demands/{demand_id}", as_=stranger).status_code == 404


def test_data_survives_a_restart_and_the_archive_rebuild_is_identical(platform):
    api = platform.api
    api.call("POST", "/api/v1/institutions", as_=SPECIALIST, json=factories.institution())
    ids = [api.call("POST", "/api/v1/demands", as_=SPECIALIST, json=factories.demand()).json()["id"]
           for _ in range(4)]
    ids.append(api.call("POST", "/api/v1/demands", as_=SPECIALIST,
                        json=factories.demand(category="metrology")).json()["id"])
    for demand_id in ids[:4]:
        api.wait_dossier(demand_id, "assigned", SUPERVISOR)
    api.wait_dossier(ids[4], "matching_failed", SUPERVISOR)
    live = {i: api.call("GET", f"/api/v1/archive/demands/{i}", as_=SUPERVISOR).json() for i in ids}
    platform.stop()

    rebuilt = onestop(platform.env, "archive", "rebuild")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "archive rebuilt:" in rebuilt.stdout

    platform.start()
    assert {i: api.call("GET", f"/api/v1/archive/demands/{i}", as_=SUPERVISOR).json() for i in ids} == live
    assert api.call("GET", f"/api/v1/demands/{ids[0]}", as_=SPECIALIST).json()["status"] == "assigned"


def test_a_second_platform_on_a_taken_port_refuses_to_start(platform, tmp_path):
    (tmp_path / "second").mkdir()
    second = Embedded(tmp_path / "second")
    second.port = platform.port
    second.env["ONESTOP_HTTP_ADDRESS"] = f"127.0.0.1:{platform.port}"
    second.process.start()
    try:
        second.process.popen.wait(timeout=30)
    finally:
        second.stop()
    assert second.process.popen.returncode != 0
    assert f"127.0.0.1:{platform.port} is already in use" in second.process.output()
    assert platform.api.call("GET", "/healthz").status_code == 200
