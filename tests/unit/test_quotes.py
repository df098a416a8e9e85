"""Testing and certification as the enterprise and the laboratory live them: no work before the
enterprise accepts the quote, one answer per quote, a lapsed quote refused, samples in and out,
what a completion must carry by category, and the register of reports and certificates."""
from datetime import datetime, timezone

import pytest

from shared.errors import Conflict, Forbidden, Invalid
from tests import factories
from tests.unit.test_matching import SPECIALIST, as_institution, matched

ENTERPRISE = {"role": "enterprise", "subject": "91440101MA59TEST01"}
QUOTE = {"amount": "3600.50", "valid_until": "2026-12-10",
         "items": [{"item": "GB 7000.1 safety", "amount": "3000"},
                   {"item": "report copies", "amount": "600.50"}]}


@pytest.fixture
def quoted(platform):
    """A testing demand assigned to a laboratory, waiting for a quote's acceptance."""
    matching = platform.apps["matching"]
    matching.quote_categories = ("inspection_testing", "certification_accreditation")
    lab = matching.register_institution(factories.institution(), SPECIALIST, station=factories.PANYU)
    demand = matched(platform)
    (assignment,) = matching.assignments(as_institution(lab))["items"]
    return matching, demand["id"], assignment["assignment_id"], as_institution(lab)


def test_work_waits_for_the_enterprise_to_accept_the_quote(quoted, platform):
    matching, demand_id, key, lab = quoted
    assert matching.assignment(key, lab)["status"] == "awaiting_quote_acceptance"
    for refused_work in (
            lambda: matching.record_progress(key, {"milestone": "samples received"}, lab),
            lambda: matching.complete_service(key, {"report_number": "R-1"}, lab),
            lambda: matching.receive_sample(key, {"sample_id": "S-1", "description": "lamp",
                                                  "quantity": 3, "received_on": "2026-11-30",
                                                  "condition": "sealed"}, lab)):
        with pytest.raises(Conflict) as refused:
            refused_work()
        assert refused.value.details["current_status"] == "awaiting_quote_acceptance"
    with pytest.raises(Conflict) as no_quote:
        matching.accept_quote(demand_id, {}, ENTERPRISE)
    assert no_quote.value.details["quote_status"] is None

    given = matching.give_quote(key, QUOTE, lab)
    assert given["quote"]["answer"] is None and given["quote"]["amount"] == "3600.50"
    with pytest.raises(Conflict):  # one quote at a time awaits the answer
        matching.give_quote(key, QUOTE, lab)
    accepted = matching.accept_quote(demand_id, {}, ENTERPRISE)
    assert accepted["status"] == "in_service" and accepted["quote"]["answer"] == "accepted"
    with pytest.raises(Conflict) as twice:
        matching.accept_quote(demand_id, {}, ENTERPRISE)
    assert twice.value.details == {"current_status": "in_service", "quote_status": "accepted"}
    matching.record_progress(key, {"milestone": "testing"}, lab)


def test_a_declined_quote_is_revised_and_a_lapsed_one_is_refused(quoted, platform):
    matching, demand_id, key, lab = quoted
    matching.give_quote(key, QUOTE, lab)
    declined = matching.decline_quote(demand_id, {"reason": "too dear"}, ENTERPRISE)
    assert declined["quote"]["answer"] == "declined" and declined["status"] == "awaiting_quote_acceptance"
    revised = matching.give_quote(key, {**QUOTE, "amount": "3000", "items": QUOTE["items"][:1]}, lab)
    assert revised["quote"]["revision"] == 2
    platform.clock.advance(days=11)  # past 10 December
    with pytest.raises(Conflict) as lapsed:
        matching.accept_quote(demand_id, {}, ENTERPRISE)
    assert lapsed.value.details["quote_status"] == "expired"
    matching.give_quote(key, {**QUOTE, "valid_until": "2026-12-31"}, lab)  # a lapsed quote is replaced
    assert matching.accept_quote(demand_id, {}, ENTERPRISE)["quote"]["revision"] == 3


def test_a_quote_that_does_not_add_up_or_lapsed_already_is_refused_naming_the_field(quoted):
    matching, _, key, lab = quoted
    for wrong, field in (({"amount": "3600.501"}, "amount"), ({"amount": "¥3600"}, "amount"),
                         ({"amount": "4000"}, "amount"), ({"valid_until": "2026-11-29"}, "valid_until")):
        with pytest.raises(Invalid) as refused:
            matching.give_quote(key, {**QUOTE, **wrong}, lab)
        assert field in refused.value.fields
    assert matching.assignment(key, lab)["quote"] is None


def test_samples_in_and_out_and_the_completion_found_in_the_register(quoted, platform):
    matching, demand_id, key, lab = quoted
    matching.give_quote(key, QUOTE, lab)
    matching.accept_quote(demand_id, {}, ENTERPRISE)
    sample = {"sample_id": "S-2026-001", "description": "LED lamp", "quantity": 3,
              "received_on": "2026-11-30", "condition": "sealed"}
    matching.receive_sample(key, sample, lab)
    with pytest.raises(Conflict):
        matching.receive_sample(key, sample, lab)
    with pytest.raises(Invalid) as bad_number:
        matching.complete_service(key, {"report_number": "R 1"}, lab)
    assert "report_number" in bad_number.value.fields
    matching.complete_service(key, {"report_number": "PY-2026-0042", "scope": "GB 7000.1"}, lab)
    shown = matching.dispose_sample(key, "S-2026-001", {"disposition": "returned", "on": "2026-11-30"}, lab)
    assert shown["samples"][0]["disposition"] == "returned"

    found = matching.search_reports({"number": "PY-2026"}, ENTERPRISE)["items"]
    assert [(r["number"], r["kind"], r["issued_on"], r["valid_today"]) for r in found] == [
        ("PY-2026-0042", "report", "2026-11-30", True)]
    with pytest.raises(Forbidden):
        matching.search_reports({"number": "PY", "valid": "true"}, ENTERPRISE)
    with pytest.raises(Invalid):
        matching.search_reports({}, ENTERPRISE)
    assert matching.search_reports({"institution_id": lab["subject"]}, SPECIALIST)["items"] == found
    platform.settle()
    demand = platform.apps["intake"].demand(demand_id, SPECIALIST)
    assert demand["outcome"]["evidence"]["report_number"] == "PY-2026-0042"


def test_a_certificate_needs_its_validity_and_ends_in_the_register(platform):
    matching = platform.apps["matching"]
    body = matching.register_institution(factories.institution(
        categories=["certification_accreditation"], qualifications=[{
            "type": "CERTIFICATION", "number": "CNCA-R-2021-001", "scope": ["LED lamp"],
            "valid_from": "2021-01-01", "valid_until": "2099-12-31"}]), SPECIALIST, station=factories.PANYU)
    matched(platform, category="certification_accreditation")
    (assignment,) = matching.assignments(as_institution(body))["items"]
    key, acting = assignment["assignment_id"], as_institution(body)
    assert assignment["status"] == "in_service"  # quotes are off unless configured
    with pytest.raises(Invalid) as refused:
        matching.complete_service(key, {"certificate_number": "CQC-1"}, acting)
    assert set(refused.value.fields) == {"valid_until"}
    with pytest.raises(Invalid) as backwards:
        matching.complete_service(key, {"certificate_number": "CQC-1", "issued_on": "2026-11-01",
                                        "valid_until": "2026-10-01"}, acting)
    assert set(backwards.value.fields) == {"valid_until"}
    matching.complete_service(key, {"certificate_number": "CQC-2026-7", "issued_on": "2026-11-01",
                                    "valid_until": "2026-12-31"}, acting)
    platform.clock.advance(days=40)
    (found,) = matching.search_reports({"number": "CQC-2026-7"}, SPECIALIST)["items"]
    assert (found["kind"], found["valid_until"], found["valid_today"]) == ("certificate", "2026-12-31", False)
    assert matching.search_reports({"valid": "false"}, SPECIALIST)["items"] == [found]


def test_quality_services_complete_with_their_deliverables(platform):
    matching = platform.apps["matching"]
    consultancy = matching.register_institution(factories.institution(
        categories=["quality_management"]), SPECIALIST, station=factories.PANYU)
    shown = matched(platform, category="quality_management")
    (assignment,) = matching.assignments(as_institution(consultancy))["items"]
    key, acting = assignment["assignment_id"], as_institution(consultancy)
    with pytest.raises(Invalid) as refused:
        matching.complete_service(key, {"report_number": "QM-1"}, acting)
    assert set(refused.value.fields) == {"deliverables"}
    document = {"name": "diagnosis.pdf", "sha256": "a" * 64}
    matching.complete_service(key, {"deliverables": [{
        "kind": "diagnosis_report", "title": "Quality diagnosis", "document": document,
        "milestones": [{"title": "ISO 9001 gap analysis", "due_on": "2026-12-15", "done_on": None}]}]},
        acting)
    platform.settle()
    evidence = platform.apps["intake"].demand(shown["id"], SPECIALIST)["outcome"]["evidence"]
    assert evidence["deliverables"][0]["milestones"][0]["due_on"] == "2026-12-15"
    assert evidence["documents"] == [document]  # downloadable and archived as evidence


def test_a_sample_received_today_in_guangdong_is_not_ahead_while_utc_is_still_yesterday(quoted, platform):
    """Dates people enter are dates where they are: at 01:30 in Shanghai the UTC date is the
    day before, and a sample received today there must not be refused as ahead."""
    matching, demand_id, key, lab = quoted
    matching.give_quote(key, QUOTE, lab)
    matching.accept_quote(demand_id, {}, ENTERPRISE)
    # The services' clocks run in UTC: 2026-11-30T17:30Z is 01:30 on 1 December in Shanghai.
    platform.clock.now = datetime(2026, 11, 30, 17, 30, tzinfo=timezone.utc)
    sample = {"sample_id": "S-2026-002", "description": "LED lamp", "quantity": 1,
              "received_on": "2026-12-01", "condition": "sealed"}
    assert matching.receive_sample(key, sample, lab)["samples"][0]["received_on"] == "2026-12-01"
    with pytest.raises(Invalid) as ahead:
        matching.receive_sample(key, {**sample, "sample_id": "S-2026-003", "received_on": "2026-12-02"}, lab)
    assert "received_on" in ahead.value.fields
