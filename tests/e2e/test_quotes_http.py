"""Testing and certification through the HTTP API alone: the work waits for the enterprise to
accept the institution's quote, a quote is accepted once, the report or certificate is found in
the register by its number, and the quality services complete with their deliverables."""
import uuid

import pytest

from tests import factories
from tests.conftest import wait_for
from tests.e2e.harness import Embedded

QUOTE = {"amount": "3600.50", "valid_until": "2099-12-31",
         "items": [{"item": "GB 7000.1 safety test", "amount": "3000"},
                   {"item": "report copies", "amount": "600.50"}]}


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    platform = Embedded(tmp_path_factory.mktemp("quotes"),
                        ONESTOP_QUOTE_CATEGORIES="[inspection_testing, certification_accreditation]").start()
    yield platform
    platform.stop()


@pytest.fixture
def park(platform):
    name = f"quotes-{uuid.uuid4().hex[:8]}"
    staff = f"staff-{name}"
    platform.api.open_station(staff=(staff,), park=name)
    return name, ("specialist", staff)


def ok(response, status=200):
    assert response.status_code == status, response.text
    return response.json()


def assigned(api, park, specialist, category="inspection_testing", **institution):
    """A demand of ``category`` and the institution it was assigned to: (demand id, enterprise,
    institution, assignment id)."""
    lab = ok(api.call("POST", "/api/v1/institutions", as_=specialist, json=factories.institution(
        parks=[park], categories=[category], **institution)), 201)
    code = factories.credit_code()
    enterprise = ("enterprise", code)
    demand_id = ok(api.call("POST", "/api/v1/demands", as_=specialist, json=factories.demand(
        code, park=park, category=category)), 201)["id"]
    wait_for(lambda: ok(api.call("GET", f"/api/v1/demands/{demand_id}", as_=specialist))["status"]
             == "assigned", message="the assignment")
    acting = ("institution", lab["id"])
    (assignment,) = ok(api.call("GET", "/api/v1/assignments", as_=acting))["items"]
    return demand_id, enterprise, acting, assignment["assignment_id"]


def test_a_testing_demand_waits_for_the_enterprise_to_accept_the_quote(platform, park):
    api, (name, specialist) = platform.api, park
    demand_id, enterprise, lab, key = assigned(api, name, specialist)
    waiting = ok(api.call("GET", f"/api/v1/assignments/{key}", as_=lab))
    assert waiting["status"] == "awaiting_quote_acceptance" and waiting["quote"] is None
    for path, body in (("progress", {"milestone": "samples received"}),
                       ("completion", {"report_number": "R-1"}),
                       ("samples", {"sample_id": "S-1", "description": "lamp", "quantity": 2,
                                    "received_on": "2026-01-05", "condition": "sealed"})):
        refused = api.call("POST", f"/api/v1/assignments/{key}/{path}", as_=lab, json=body)
        assert refused.status_code == 409, (path, refused.text)
        assert refused.json()["details"]["current_status"] == "awaiting_quote_acceptance"

    ok(api.call("POST", f"/api/v1/assignments/{key}/quote", as_=lab, json=QUOTE))
    shown = ok(api.call("GET", f"/api/v1/demands/{demand_id}", as_=enterprise))["institution"]
    assert (shown["status"], shown["quote"]["amount"], shown["quote"]["answer"]) == (
        "awaiting_quote_acceptance", "3600.50", None)
    assert ok(api.call("GET", f"/api/v1/demands/{demand_id}", as_=specialist))["institution"][
        "status"] == "awaiting_quote_acceptance"
    stranger = ("enterprise", factories.credit_code())
    assert api.call("POST", f"/api/v1/demands/{demand_id}/quote/acceptance", as_=stranger,
                    json={}).status_code == 404
    accepted = ok(api.call("POST", f"/api/v1/demands/{demand_id}/quote/acceptance",
                           as_=enterprise, json={}))
    assert accepted["institution"]["status"] == "in_service"
    twice = api.call("POST", f"/api/v1/demands/{demand_id}/quote/acceptance", as_=enterprise, json={})
    assert twice.status_code == 409 and twice.json()["details"] == {
        "current_status": "in_service", "quote_status": "accepted"}

    ok(api.call("POST", f"/api/v1/assignments/{key}/samples", as_=lab, json={
        "sample_id": "S-1", "description": "LED downlight", "quantity": 2,
        "received_on": "2026-01-05", "condition": "sealed"}), 201)
    number = f"PY-{uuid.uuid4().hex[:8].upper()}"
    ok(api.call("POST", f"/api/v1/assignments/{key}/completion", as_=lab, json={
        "report_number": number, "scope": "GB 7000.1 safety"}))
    returned = ok(api.call("POST", f"/api/v1/assignments/{key}/samples/S-1/disposition", as_=lab,
                           json={"disposition": "returned", "on": "2026-01-06"}))
    assert returned["samples"][0]["disposition"] == "returned"
    demand = wait_for(lambda: (lambda d: d if d["status"] == "completed" else None)(
        ok(api.call("GET", f"/api/v1/demands/{demand_id}", as_=enterprise))), message="completion")
    assert demand["institution"]["samples"][0]["sample_id"] == "S-1"
    assert demand["outcome"]["evidence"]["report_number"] == number

    for reader in (enterprise, ("institution", str(uuid.uuid4())), ("operator", "ops-1")):
        (found,) = ok(api.call("GET", "/api/v1/reports", as_=reader,
                               params={"number": number[:6]}))["items"]
        assert (found["number"], found["kind"], found["valid_today"]) == (number, "report", True)
        assert set(found) == {"number", "kind", "institution_id", "institution_name", "issued_on",
                              "valid_until", "scope", "valid_today"}  # nothing of the enterprise


def test_a_declined_quote_is_revised(platform, park):
    api, (name, specialist) = platform.api, park
    demand_id, enterprise, lab, key = assigned(api, name, specialist)
    ok(api.call("POST", f"/api/v1/assignments/{key}/quote", as_=lab, json=QUOTE))
    declined = ok(api.call("POST", f"/api/v1/demands/{demand_id}/quote/decline", as_=enterprise,
                           json={"reason": "over our budget"}))
    assert declined["institution"]["quote"]["answer"] == "declined"
    revised = ok(api.call("POST", f"/api/v1/assignments/{key}/quote", as_=lab, json={
        **QUOTE, "amount": "3000", "items": QUOTE["items"][:1]}))
    assert (revised["quote"]["revision"], revised["status"]) == (2, "awaiting_quote_acceptance")


def test_a_certificate_is_found_by_its_number_and_filtered_by_staff(platform, park):
    api, (name, specialist) = platform.api, park
    demand_id, enterprise, body, key = assigned(
        api, name, specialist, "certification_accreditation", qualifications=[{
            "type": "CERTIFICATION", "number": f"CNCA-{uuid.uuid4().hex[:6]}", "scope": ["LED lamp"],
            "valid_from": "2021-01-01", "valid_until": "2099-12-31"}])
    ok(api.call("POST", f"/api/v1/assignments/{key}/quote", as_=body, json=QUOTE))
    ok(api.call("POST", f"/api/v1/demands/{demand_id}/quote/acceptance", as_=enterprise, json={}))
    number = f"CQC-{uuid.uuid4().hex[:8].upper()}"
    missing = api.call("POST", f"/api/v1/assignments/{key}/completion", as_=body,
                       json={"certificate_number": number})
    assert missing.status_code == 422 and set(missing.json()["details"]) == {"valid_until"}
    ok(api.call("POST", f"/api/v1/assignments/{key}/completion", as_=body, json={
        "certificate_number": number, "issued_on": "2025-01-01", "valid_until": "2025-12-31"}))
    (lapsed,) = ok(api.call("GET", "/api/v1/reports", as_=("supervisor", "regulator-1"), params={
        "institution_id": body[1], "valid": "false"}))["items"]
    assert (lapsed["number"], lapsed["kind"], lapsed["valid_today"]) == (number, "certificate", False)
    assert ok(api.call("GET", "/api/v1/reports", as_=specialist, params={
        "institution_id": body[1], "valid": "true"}))["items"] == []
    refused = api.call("GET", "/api/v1/reports", as_=enterprise, params={"number": number, "valid": "true"})
    assert refused.status_code == 403


def test_quality_services_complete_with_their_deliverables(platform, park):
    api, (name, specialist) = platform.api, park
    demand_id, enterprise, consultancy, key = assigned(api, name, specialist, "quality_management")
    refused = api.call("POST", f"/api/v1/assignments/{key}/completion", as_=consultancy,
                       json={"report_number": "QM-1"})
    assert refused.status_code == 422 and set(refused.json()["details"]) == {"deliverables"}
    upload = ok(api.call("POST", "/api/v1/attachments", as_=consultancy,
                         params={"name": "diagnosis.pdf"}, data=b"%PDF-1.4\n%%EOF\n",
                         headers={"Content-Type": "application/pdf"}), 201)
    ok(api.call("POST", f"/api/v1/assignments/{key}/completion", as_=consultancy, json={
        "deliverables": [{"kind": "diagnosis_report", "title": "Quality diagnosis",
                          "document": {"name": "diagnosis.pdf", "sha256": upload["sha256"]},
                          "milestones": [{"title": "ISO 9001 gap analysis", "due_on": "2026-03-01",
                                          "done_on": None}]}]}))
    demand = wait_for(lambda: (lambda d: d if d["status"] == "completed" else None)(
        ok(api.call("GET", f"/api/v1/demands/{demand_id}", as_=enterprise))), message="completion")
    (deliverable,) = demand["outcome"]["evidence"]["deliverables"]
    assert (deliverable["kind"], deliverable["milestones"][0]["due_on"]) == ("diagnosis_report", "2026-03-01")
    file = api.call("GET", f"/api/v1/demands/{demand_id}/files/{upload['sha256']}", as_=enterprise)
    assert file.status_code == 200 and file.content.startswith(b"%PDF")
    dossier = wait_for(lambda: (lambda d: d if d["status"] == "completed" else None)(
        ok(api.call("GET", f"/api/v1/archive/demands/{demand_id}", as_=specialist))), message="dossier")
    assert "deliverables" in str(dossier)


@pytest.mark.parametrize("body, field", [
    ({**QUOTE, "amount": "3600.5.0"}, "amount"),
    ({**QUOTE, "amount": "4000"}, "amount"),
    ({**QUOTE, "valid_until": "2020-01-01"}, "valid_until"),
    ({**QUOTE, "items": [{"item": "x", "amount": "-1"}]}, "items"),
])
def test_a_bad_quote_is_refused_naming_the_field_and_nothing_is_stored(platform, park, body, field):
    api, (name, specialist) = platform.api, park
    _, _, lab, key = assigned(api, name, specialist)
    refused = api.call("POST", f"/api/v1/assignments/{key}/quote", as_=lab, json=body)
    assert refused.status_code == 422 and field in refused.json()["details"], refused.text
    assert ok(api.call("GET", f"/api/v1/assignments/{key}", as_=lab))["quote"] is None


def test_a_report_number_with_spaces_is_refused(platform, park):
    api, (name, specialist) = platform.api, park
    demand_id, enterprise, lab, key = assigned(api, name, specialist)
    ok(api.call("POST", f"/api/v1/assignments/{key}/quote", as_=lab, json=QUOTE))
    ok(api.call("POST", f"/api/v1/demands/{demand_id}/quote/acceptance", as_=enterprise, json={}))
    refused = api.call("POST", f"/api/v1/assignments/{key}/completion", as_=lab,
                       json={"report_number": "R 1; drop"})
    assert refused.status_code == 422 and "report_number" in refused.json()["details"]
    assert ok(api.call("GET", f"/api/v1/assignments/{key}", as_=lab))["status"] == "in_service"
