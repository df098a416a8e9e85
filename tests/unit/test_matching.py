"""Matching as a regulator would question it: who was eligible, who was not and why, whether
work spreads fairly, and whether lapsed or suspended qualifications ever slip through."""
import uuid
from collections import Counter
from datetime import datetime, timezone

import pytest

from shared.errors import Conflict, Forbidden, Invalid, NotFound
from tests import factories
from tests.unit.conftest import OPERATOR

SPECIALIST = {"role": "specialist", "subject": "s-1"}
SUPERVISOR = {"role": "supervisor", "subject": "regulator-1"}


def cma(number="CMA-1", valid_from="2021-01-01", valid_until="2099-12-31", **overrides):
    return {"type": "CMA", "number": number, "scope": ["LED lamp", "GB 7000.1"],
            "valid_from": valid_from, "valid_until": valid_until, **overrides}


def matched(platform, **overrides):
    demand = platform.apps["intake"].submit_demand(factories.demand(**overrides), SPECIALIST)
    platform.settle()
    return platform.apps["intake"].demand(demand["id"], SPECIALIST)


def test_thirty_equal_demands_spread_over_three_equal_institutions(platform):
    ids = [platform.apps["matching"].register_institution(factories.institution(), SPECIALIST, station=factories.PANYU)["id"]
           for _ in range(3)]
    load = Counter()
    for _ in range(30):
        platform.apps["intake"].submit_demand(factories.demand(), SPECIALIST)
    platform.settle()
    for demand in platform.apps["intake"].list_demands({"per_page": "100"}, SPECIALIST)["items"]:
        load[demand["assignment"]["institution_id"]] += 1
    assert set(load) == set(ids)
    assert all(9 <= count <= 11 for count in load.values()), load


def test_a_suspended_institution_is_never_matched_until_reinstated(platform):
    matching = platform.apps["matching"]
    lab = matching.register_institution(factories.institution(), SPECIALIST, station=factories.PANYU)
    suspended = matching.change_standing(lab["id"], {"action": "suspend",
                                                     "reason": "complaints under investigation"}, SUPERVISOR)
    assert (suspended["status"], suspended["status_reason"]) == ("suspended", "complaints under investigation")
    shown = matched(platform)
    assert shown["status"] == "matching_failed"
    assert shown["unmatched_reasons"] == ["1 institution(s): is suspended"]
    with pytest.raises(Conflict) as refused:
        matching.change_standing(lab["id"], {"action": "suspend", "reason": "again"}, SUPERVISOR)
    assert refused.value.details == {"current_status": "suspended"}

    matching.change_standing(lab["id"], {"action": "reinstate", "reason": "cleared"}, SUPERVISOR)
    assert matched(platform)["assignment"]["institution_id"] == lab["id"]


@pytest.mark.parametrize("status", ["suspended", "withdrawn"])
def test_a_qualification_that_is_not_valid_is_never_matched(platform, status):
    matching = platform.apps["matching"]
    lab = matching.register_institution(factories.institution(qualifications=[cma()]), SPECIALIST, station=factories.PANYU)
    changed = matching.change_qualification_status(lab["id"], "CMA-1",
                                                   {"status": status, "reason": "CNCA notice"}, SUPERVISOR)
    assert changed["qualifications"][0]["status"] == status
    shown = matched(platform)
    assert shown["unmatched_reasons"] == ["1 institution(s): has no qualification valid on the service date"]


def test_a_scope_missing_one_item_excludes_and_the_explanation_says_so(platform):
    matching = platform.apps["matching"]
    narrow = matching.register_institution(factories.institution(), SPECIALIST, station=factories.PANYU)
    broad = matching.register_institution(factories.institution(
        qualifications=[cma(scope=["LED lamp", "battery"])]), SPECIALIST, station=factories.PANYU)
    shown = matched(platform, items=["LED lamp", "battery"])
    assert shown["assignment"]["institution_id"] == broad["id"]
    explanation = matching.explanation(shown["id"])
    (round_,) = explanation["rounds"]
    lines = {line["institution_id"]: line for line in round_["candidates"]}
    assert lines[narrow["id"]]["reason"] == "no valid qualification covers battery"
    assert lines[broad["id"]]["eligible"] and set(lines[broad["id"]]["components"]) == {
        "load", "home_park", "satisfaction", "on_time", "reliability"}
    assert round_["weights"]["load"] == 0.4 and round_["answer"] == "accepted"


def test_qualification_expiry_is_warned_ninety_days_ahead_and_recorded_on_the_day(platform):
    matching = platform.apps["matching"]
    lab = matching.register_institution(factories.institution(
        qualifications=[cma(valid_until="2027-03-31")]), SPECIALIST, station=factories.PANYU)

    def on(day):
        matching.clock = lambda: datetime.fromisoformat(day).replace(tzinfo=timezone.utc)
        return matching.check_qualifications()

    assert on("2026-12-30") == 0   # 91 days ahead
    assert on("2026-12-31") == 1   # 90 days ahead: QualificationExpiring
    assert on("2027-01-15") == 0   # warned once
    assert on("2027-03-31") == 0   # still valid on its last day
    assert on("2027-04-01") == 1   # QualificationExpired
    record = matching.institution(lab["id"])["qualifications"][0]
    assert (record["status"], record["expiry_warned"]) == ("expired", True)
    names = [m.event for m in platform.read_log("matching", 0, 1000)]
    assert names.count("QualificationExpiring") == 1 and names.count("QualificationExpired") == 1
    shown = matched(platform, expected_by="2027-06-01")
    assert shown["status"] == "matching_failed"


def test_a_renewal_must_follow_its_predecessor(platform):
    matching = platform.apps["matching"]
    lab = matching.register_institution(factories.institution(
        qualifications=[cma(valid_until="2027-03-31")]), SPECIALIST, station=factories.PANYU)
    with pytest.raises(Invalid) as refused:
        matching.add_qualification(lab["id"], cma("CMA-2", valid_from="2027-03-01"), SPECIALIST, station=factories.PANYU)
    assert "overlaps" in refused.value.fields["qualifications"][0]
    with pytest.raises(Conflict):
        matching.add_qualification(lab["id"], cma("CMA-1", valid_from="2027-04-01"), SPECIALIST, station=factories.PANYU)
    renewed = matching.add_qualification(lab["id"], cma("CMA-2", valid_from="2027-04-01",
                                                         valid_until="2033-03-31"), SPECIALIST, station=factories.PANYU)
    assert [q["number"] for q in renewed["qualifications"]] == ["CMA-1", "CMA-2"]


@pytest.mark.parametrize("change, fields", [
    ({"categories": ["astrology"]}, {"categories"}),
    ({"qualifications": [cma(), cma("CMA-2", valid_from="2030-01-01")]}, {"qualifications"}),
    ({"qualifications": [cma(), {**cma(), "type": "CNAS"}]}, {"qualifications"}),
    ({"qualifications": [cma(scope=[])]}, {"qualifications"}),
    ({"capacity": -1}, {"capacity"}),
    ({"home_park": "  "}, {"home_park"}),
])
def test_bad_registrations_are_refused_with_the_field_named(platform, change, fields):
    with pytest.raises(Invalid) as refused:
        platform.apps["matching"].register_institution(factories.institution(**change), SPECIALIST, station=factories.PANYU)
    assert set(refused.value.fields) == fields
    assert platform.apps["matching"].last_notification_id() == 0


def answering(**overrides):
    """An institution that answers offers by hand."""
    return factories.institution(auto_accept_offers=False, **overrides)


def as_institution(institution):
    return {"role": "institution", "subject": institution["id"]}


def offers_to(platform, institution):
    return [a for a in platform.apps["matching"].assignments(as_institution(institution))["items"]
            if a["status"] == "offered"]


def test_an_offer_waits_for_the_institution_and_acceptance_assigns(platform):
    matching = platform.apps["matching"]
    lab = matching.register_institution(answering(), SPECIALIST, station=factories.PANYU)
    shown = matched(platform, expected_by="2099-06-30")
    assert shown["status"] == "accepted"  # offered, not yet assigned
    (offer,) = offers_to(platform, lab)
    assert (offer["demand_id"], offer["category"], offer["items"]) == (shown["id"], "inspection_testing",
                                                                     ["LED lamp"])
    assert "enterprise" not in offer  # no contact details before the case is theirs
    accepted = matching.accept_offer(offer["assignment_id"], {"promised_date": "2099-06-15"},
                                     as_institution(lab))
    assert (accepted["status"], accepted["promised_date"]) == ("in_service", "2099-06-15")
    platform.settle()
    demand = platform.apps["intake"].demand(shown["id"], SPECIALIST)
    assert demand["status"] == "assigned" and demand["assignment"]["institution_id"] == lab["id"]
    other = matching.register_institution(answering(), SPECIALIST, station=factories.PANYU)
    with pytest.raises(NotFound):
        matching.accept_offer(offer["assignment_id"], {"promised_date": "2099-06-15"},
                              as_institution(other))


def test_decline_and_expiry_move_to_the_next_candidate_then_matching_fails(platform):
    matching = platform.apps["matching"]
    labs = [matching.register_institution(answering(), SPECIALIST, station=factories.PANYU) for _ in range(3)]
    matching.clock = lambda: datetime(2026, 11, 24, 2, 0, tzinfo=timezone.utc)  # 10:00 in Guangzhou
    shown = matched(platform)
    first = next(lab for lab in labs if offers_to(platform, lab))
    matching.decline_offer(offers_to(platform, first)[0]["assignment_id"],
                           {"reason": "our lamp lab is fully booked"}, as_institution(first))
    platform.settle()
    second = next(lab for lab in labs if offers_to(platform, lab))
    assert second["id"] != first["id"]
    respond_by = offers_to(platform, second)[0]["respond_by"]
    assert respond_by == "2026-11-25T02:00:00+00:00"  # one working day of 7 h later
    assert matching.check_offers() == 0
    matching.clock = lambda: datetime(2026, 11, 25, 2, 0, tzinfo=timezone.utc)
    assert matching.check_offers() == 1
    platform.settle()
    third = next(lab for lab in labs if offers_to(platform, lab))
    assert third["id"] not in (first["id"], second["id"])
    matching.decline_offer(offers_to(platform, third)[0]["assignment_id"], {"reason": "no"},
                           as_institution(third))
    platform.settle()
    demand = platform.apps["intake"].demand(shown["id"], SPECIALIST)
    assert demand["status"] == "matching_failed"
    assert demand["unmatched_reasons"] == ["3 institution(s) declined or let the offer expire"]
    rounds = matching.explanation(shown["id"])["rounds"]
    assert [r["outcome"] for r in rounds] == ["offered", "offered", "offered", "failed"]
    assert {line["reason"] for line in rounds[-1]["candidates"]} == {
        "was offered this round and declined or let the offer expire"}


def test_a_specialist_assigns_by_hand_within_the_constraints_unless_a_supervisor_overrides(platform):
    matching, intake = platform.apps["matching"], platform.apps["intake"]
    elsewhere = matching.register_institution(factories.institution(parks=["nansha-port-park"]),
                                              OPERATOR)
    shown = matched(platform)
    assert shown["status"] == "matching_failed"
    with pytest.raises(Conflict) as refused:
        matching.assign_manually(shown["id"], {"institution_id": elsewhere["id"],
                                               "reason": "they agreed by phone"}, SPECIALIST, station=factories.PANYU)
    assert refused.value.details == {"exclusion": "does not serve park panyu-energy-park"}
    with pytest.raises(Forbidden):
        matching.assign_manually(shown["id"], {"institution_id": elsewhere["id"], "override": True,
                                               "reason": "they agreed by phone"}, SPECIALIST, station=factories.PANYU)
    matching.assign_manually(shown["id"], {"institution_id": elsewhere["id"], "override": True,
                                           "reason": "the only lab able to test this lamp"}, SUPERVISOR)
    platform.settle()
    demand = intake.demand(shown["id"], SPECIALIST)
    assert demand["status"] == "assigned" and demand["assignment"]["institution_id"] == elsewhere["id"]
    assert matching.explanation(shown["id"])["rounds"][-1]["outcome"] == "assigned manually"


def test_progress_and_completion_close_the_demand_and_free_the_capacity(platform):
    matching, intake = platform.apps["matching"], platform.apps["intake"]
    lab = matching.register_institution(factories.institution(capacity=1), SPECIALIST, station=factories.PANYU)
    shown = matched(platform)
    (assignment,) = matching.assignments(as_institution(lab))["items"]
    key, institution = assignment["assignment_id"], as_institution(lab)
    with pytest.raises(Invalid) as refused:
        matching.complete_service(key, {"documents": []}, institution)
    assert set(refused.value.fields) == {"report_number"}
    matching.record_progress(key, {"milestone": "samples received"}, institution)
    done = matching.complete_service(key, {"report_number": "PY-2026-0042"}, institution)
    assert done["status"] == "completed" and done["progress"][0]["milestone"] == "samples received"
    with pytest.raises(Conflict):
        matching.record_progress(key, {"milestone": "late note"}, institution)
    platform.settle()
    demand = intake.demand(shown["id"], SPECIALIST)
    assert demand["status"] == "completed"
    assert demand["outcome"]["evidence"]["report_number"] == "PY-2026-0042"
    assert matched(platform)["assignment"]["institution_id"] == lab["id"]  # capacity 1 is free again


def test_an_institution_the_enterprise_excluded_is_never_offered_its_demand(platform):
    matching = platform.apps["matching"]
    unwanted = matching.register_institution(factories.institution(home_park="panyu-energy-park"),
                                             SPECIALIST, station=factories.PANYU)
    other = matching.register_institution(factories.institution(), SPECIALIST, station=factories.PANYU)
    shown = matched(platform, excluded_institutions=[unwanted["id"]])
    assert shown["excluded_institutions"] == [unwanted["id"]]
    assert shown["assignment"]["institution_id"] == other["id"]
    lines = {l["institution_id"]: l for l in matching.explanation(shown["id"])["rounds"][0]["candidates"]}
    assert lines[unwanted["id"]]["reason"] == "was excluded by the enterprise"


def test_an_institution_applies_and_is_matched_only_once_approved(platform):
    matching = platform.apps["matching"]
    payload = factories.institution()
    applicant = {"role": "institution", "subject": payload["credit_code"]}
    with pytest.raises(Forbidden):
        matching.register_institution(payload, {"role": "institution", "subject": "someone-else"})
    applied = matching.register_institution(payload, applicant)
    assert applied["status"] == "applied"
    assert matched(platform)["unmatched_reasons"] == ["1 institution(s): is awaiting review"]
    reviewed = matching.review(applied["id"], {"decision": "approve", "reason": "CMA checked"},
                               SPECIALIST, station=factories.PANYU)
    assert (reviewed["status"], reviewed["status_reason"]) == ("active", "CMA checked")
    with pytest.raises(Conflict):
        matching.review(applied["id"], {"decision": "reject", "reason": "again"}, SPECIALIST, station=factories.PANYU)
    assert matched(platform)["assignment"]["institution_id"] == applied["id"]


def test_price_lists_are_recorded_as_given_and_malformed_amounts_refused(platform):
    matching = platform.apps["matching"]
    entry = {"item": "LED lamp safety test", "price_cny": "1200.50", "unit": "per sample"}
    lab = matching.register_institution(factories.institution(price_list=[entry]), SPECIALIST, station=factories.PANYU)
    assert matching.institution(lab["id"])["price_list"] == [entry]
    with pytest.raises(Invalid) as refused:
        matching.register_institution(factories.institution(
            price_list=[{**entry, "price_cny": "-3"}]), SPECIALIST, station=factories.PANYU)
    assert set(refused.value.fields) == {"price_list"}


def test_no_manual_assignment_on_a_withdrawn_demand_or_while_an_offer_is_pending(platform):
    matching, intake = platform.apps["matching"], platform.apps["intake"]
    lab = matching.register_institution(answering(), SPECIALIST, station=factories.PANYU)
    pending = matched(platform)
    with pytest.raises(Conflict) as refused:
        matching.assign_manually(pending["id"], {"institution_id": lab["id"], "reason": "x"}, SPECIALIST, station=factories.PANYU)
    assert refused.value.details == {"current_status": "offered"}
    intake.withdraw(pending["id"], {}, SPECIALIST)
    platform.settle()
    with pytest.raises(Conflict) as refused:
        matching.assign_manually(pending["id"], {"institution_id": lab["id"], "reason": "x"}, SPECIALIST, station=factories.PANYU)
    assert refused.value.details == {"current_status": "closed"}
    assert platform.apps["matching"].registry.profiles[lab["id"]].open_assignments == 0


def test_a_late_or_ineligible_acceptance_is_refused(platform):
    matching = platform.apps["matching"]
    lab = matching.register_institution(answering(), SPECIALIST, station=factories.PANYU)
    matching.clock = lambda: datetime(2026, 11, 24, 2, 0, tzinfo=timezone.utc)
    matched(platform)
    (offer,) = offers_to(platform, lab)
    matching.clock = lambda: datetime(2026, 11, 26, 2, 0, tzinfo=timezone.utc)  # past its window
    with pytest.raises(Conflict) as refused:
        matching.accept_offer(offer["assignment_id"], {"promised_date": "2099-01-01"},
                              as_institution(lab))
    assert refused.value.details == {"current_status": "expired"}
    matching.clock = lambda: datetime(2026, 11, 24, 3, 0, tzinfo=timezone.utc)
    matching.change_standing(lab["id"], {"action": "exit", "reason": "closed its lab"}, SUPERVISOR)
    with pytest.raises(Conflict) as refused:
        matching.accept_offer(offer["assignment_id"], {"promised_date": "2099-01-01"},
                              as_institution(lab))
    assert refused.value.details == {"exclusion": "is exited"}


def test_an_override_never_sets_aside_the_enterprise_or_the_institutions_standing(platform):
    matching = platform.apps["matching"]
    unwanted = matching.register_institution(factories.institution(), SPECIALIST, station=factories.PANYU)
    shown = matched(platform, excluded_institutions=[unwanted["id"]])
    with pytest.raises(Conflict) as refused:
        matching.assign_manually(shown["id"], {"institution_id": unwanted["id"], "override": True,
                                               "reason": "they are the only lab"}, SUPERVISOR)
    assert refused.value.details == {"exclusion": "was excluded by the enterprise"}


def test_a_reassessment_crossing_a_completion_does_not_free_capacity_twice(platform):
    matching, intake = platform.apps["matching"], platform.apps["intake"]
    lab = matching.register_institution(factories.institution(capacity=2), SPECIALIST, station=factories.PANYU)
    shown = matched(platform)
    (assignment,) = matching.assignments(as_institution(lab))["items"]
    matching.complete_service(assignment["assignment_id"], {"report_number": "R-1"}, as_institution(lab))
    # Intake reassesses before it has seen the completion.
    intake.assess(shown["id"], {"decision": "accept", "urgency": "urgent"}, SPECIALIST)
    platform.settle()
    rounds = matching.explanation(shown["id"])["rounds"]
    (line,) = [c for c in rounds[-1]["candidates"] if c["institution_id"] == lab["id"]]
    assert line["components"]["load"] == 1.0  # 0 of 2 taken, not "minus one"
    matching.registry.refresh()
    assert matching.registry.profiles[lab["id"]].open_assignments == 1


def test_a_round_that_reaches_the_offer_limit_says_so(platform):
    matching = platform.apps["matching"]
    matching.max_offers = 1
    labs = [matching.register_institution(answering(), SPECIALIST, station=factories.PANYU) for _ in range(2)]
    shown = matched(platform)
    first = next(lab for lab in labs if offers_to(platform, lab))
    matching.decline_offer(offers_to(platform, first)[0]["assignment_id"], {"reason": "busy"},
                           as_institution(first))
    platform.settle()
    assert platform.apps["intake"].demand(shown["id"], SPECIALIST)["unmatched_reasons"] == [
        "1 institution(s) declined or let the offer expire", "the offer limit (1) was reached"]
    assert matching.explanation(shown["id"])["rounds"][0]["answer"] == "declined"


def test_a_rejected_applicant_may_be_reviewed_again(platform):
    matching = platform.apps["matching"]
    payload = factories.institution()
    applied = matching.register_institution(payload, {"role": "institution", "subject": payload["credit_code"]})
    matching.review(applied["id"], {"decision": "reject", "reason": "CMA certificate missing"}, SPECIALIST, station=factories.PANYU)
    approved = matching.review(applied["id"], {"decision": "approve", "reason": "certificate sent"},
                               SPECIALIST, station=factories.PANYU)
    assert approved["status"] == "active"


def test_a_manual_assignment_records_its_promise_and_clears_the_failure(platform):
    matching, intake = platform.apps["matching"], platform.apps["intake"]
    shown = matched(platform)  # nobody serves the category yet
    lab = matching.register_institution(factories.institution(), SPECIALIST, station=factories.PANYU)
    matching.assign_manually(shown["id"], {"institution_id": lab["id"], "reason": "agreed by phone",
                                           "promised_date": "2099-03-01"}, SPECIALIST, station=factories.PANYU)
    platform.settle()
    demand = intake.demand(shown["id"], SPECIALIST)
    assert demand["status"] == "assigned" and demand["unmatched_reasons"] == []
    (record,) = matching.assignments(as_institution(lab))["items"]
    assert record["promised_date"] == "2099-03-01"
    round_ = matching.explanation(shown["id"])["rounds"][-1]
    assert (round_["by"], round_["overridden"]) == (SPECIALIST, None)
    assert intake.demand(shown["id"], as_institution(lab))["excluded_institutions"] == []


def test_answering_an_offer_that_is_over_names_its_status(platform):
    matching = platform.apps["matching"]
    lab = matching.register_institution(answering(), SPECIALIST, station=factories.PANYU)
    matched(platform)
    (offer,) = offers_to(platform, lab)
    matching.decline_offer(offer["assignment_id"], {"reason": "busy"}, as_institution(lab))
    with pytest.raises(Conflict) as refused:
        matching.decline_offer(offer["assignment_id"], {"reason": "again"}, as_institution(lab))
    assert refused.value.details == {"current_status": "declined"}


@pytest.mark.parametrize("change, field", [
    ({"qualifications": [cma(scope=["cable", "CABLE"])]}, "qualifications"),
    ({"home_park": "nansha-port-park"}, "home_park"),
])
def test_scopes_and_home_parks_must_make_sense(platform, change, field):
    with pytest.raises(Invalid) as refused:
        platform.apps["matching"].register_institution(factories.institution(**change), SPECIALIST, station=factories.PANYU)
    assert field in refused.value.fields


def test_an_already_expired_qualification_is_not_added(platform):
    matching = platform.apps["matching"]
    lab = matching.register_institution(factories.institution(qualifications=[cma()]), SPECIALIST, station=factories.PANYU)
    with pytest.raises(Invalid) as refused:
        matching.add_qualification(lab["id"], {"type": "CNAS", "number": "L-1", "scope": ["x"],
                                               "valid_from": "2010-01-01", "valid_until": "2011-12-31"},
                                   SPECIALIST, station=factories.PANYU)
    assert set(refused.value.fields) == {"valid_until"}


def test_a_decision_event_carries_a_shortlist_and_the_whole_explanation_is_kept_once(platform):
    """Thirty institutions serve the category, twelve of them outside the park: the offer
    event names the best five with their scores, counts the exclusions, and the whole
    explanation is shown from matching's store by its digest."""
    from services.matching.domain import SHORTLIST, digest

    matching = platform.apps["matching"]
    for n in range(30):
        matching.register_institution(factories.institution(
            **({"parks": ["nansha-port-park"]} if n < 12 else {})), OPERATOR)
    shown = matched(platform)
    (offered,) = [m for m in matching.log(0, 1000) if m.event == "AssignmentOffered"]
    assert len(offered.data["explanation"]) == SHORTLIST
    assert all(line["eligible"] for line in offered.data["explanation"])
    assert offered.data["considered"] == 30 and sum(offered.data["excluded"].values()) == 12
    (round_,) = matching.explanation(shown["id"])["rounds"]
    assert len(round_["candidates"]) == 30
    assert digest(round_["candidates"]) == offered.data["explanation_digest"]
    kept = matching.read("SELECT digest FROM {s}explanations")
    assert [row["digest"] for row in kept] == [offered.data["explanation_digest"]]
    # The dossier keeps the event as published: the shortlist, not the thirty.
    (entry,) = [e for e in platform.archive.dossier(shown["id"])["events"] if e["name"] == "AssignmentOffered"]
    assert len(entry["data"]["explanation"]) == SHORTLIST


def test_an_offer_recorded_with_every_candidate_is_shown_and_published_as_it_was(platform):
    """Events recorded before explanations were kept by digest carry every candidate and no
    digest: they load, show and publish exactly as before."""
    import uuid

    from services.matching.domain import Match

    matching = platform.apps["matching"]
    lab = matching.register_institution(factories.institution(), SPECIALIST, station=factories.PANYU)["id"]
    old_line = {"institution_id": lab, "eligible": True, "reason": None, "score": 0.9,
                "components": {"load": 1.0}}
    match = Match(demand_id=uuid.uuid4(), category="inspection_testing", items=["LED lamp"],
                  park="panyu-energy-park", expected_by=None, excluded_institutions=[], round=1)
    match._offered(demand_id=match.demand_id, institution_id=uuid.UUID(lab),
                   assignment_id=uuid.uuid4(), round=1, respond_by="2026-12-01T17:30:00+08:00",
                   explanation=[old_line], weights={"load": 0.4}, at="2026-11-30T09:00:00+08:00")
    created, offered = match.collect_events()
    for added in ("explanation_digest", "excluded", "considered"):  # as the old class recorded it
        offered.__dict__.pop(added)
    matching.recorder.insert_events([matching.mapper.to_stored_event(e) for e in (created, offered)])
    (round_,) = matching.explanation(str(match.demand_id))["rounds"]
    assert round_["candidates"] == [old_line]
    (published,) = [m for m in matching.log(0, 1000) if m.originator_id == str(match.id)
                    and m.event == "AssignmentOffered"]
    assert published.data["explanation"] == [old_line]
    assert not {"explanation_digest", "excluded", "considered"} & set(published.data)


def test_an_institutions_offers_and_assignments_page_by_cursor(platform):
    matching = platform.apps["matching"]
    lab = matching.register_institution(factories.institution(), SPECIALIST, station=factories.PANYU)
    for _ in range(5):
        matched(platform)
    me = as_institution(lab)
    first = matching.assignments(me, {"per_page": "2"})
    second = matching.assignments(me, {"per_page": "2", "after": first["next_after"]})
    rest = matching.assignments(me, {"per_page": "2", "after": second["next_after"]})
    shown = [a["assignment_id"] for page in (first, second, rest) for a in page["items"]]
    assert len(shown) == 5 == len(set(shown)) and shown == sorted(shown)
    assert rest["next_after"] is None
    assert [a["status"] for a in matching.assignments(me, {"status": "in_service"})["items"]] == ["in_service"] * 5
    assert matching.assignments(me, {"status": "offered"})["items"] == []
    with pytest.raises(Invalid) as refused:
        matching.assignments(me, {"status": "lost", "per_page": "500"})
    assert set(refused.value.fields) == {"status", "per_page"}


def test_a_specialist_acts_on_the_institutions_and_demands_of_their_own_park_only(platform):
    """The station's park as intake tells it: a specialist of Nansha may not register a Panyu
    institution, approve its application, add to its qualifications or assign a Panyu demand;
    an operator is held to no park."""
    matching = platform.apps["matching"]
    nansha = {"station_id": "nansha-station", "park": "nansha-port-park"}
    stranger = {"role": "specialist", "subject": "s-9"}
    with pytest.raises(Forbidden) as refused:
        matching.register_institution(factories.institution(), stranger, nansha)
    assert refused.value.details == {"park": "nansha-port-park"}
    with pytest.raises(Forbidden):  # a specialist whose station intake does not know
        matching.register_institution(factories.institution(), SPECIALIST)
    both = matching.register_institution(factories.institution(
        parks=["panyu-energy-park", "nansha-port-park"]), stranger, nansha)
    assert both["parks"] == ["panyu-energy-park", "nansha-port-park"]

    payload = factories.institution()
    applied = matching.register_institution(payload, {"role": "institution", "subject": payload["credit_code"]})
    renewal = {"type": "CNAS", "number": "L-9", "scope": ["LED lamp"], "valid_from": "2026-01-01",
               "valid_until": "2030-12-31"}
    with pytest.raises(Forbidden):
        matching.review(applied["id"], {"decision": "approve", "reason": "checked"}, stranger, nansha)
    with pytest.raises(Forbidden):
        matching.add_qualification(applied["id"], renewal, stranger, nansha)
    assert matching.institution(applied["id"])["qualifications"][-1]["number"] != "L-9"
    matching.review(applied["id"], {"decision": "approve", "reason": "checked"}, SPECIALIST, factories.PANYU)
    matching.add_qualification(applied["id"], renewal, OPERATOR)

    shown = platform.apps["intake"].submit_demand(factories.demand(excluded_institutions=[
        both["id"], applied["id"]]), SPECIALIST)
    platform.settle()
    lab = matching.register_institution(factories.institution(), OPERATOR)
    with pytest.raises(Forbidden):
        matching.assign_manually(shown["id"], {"institution_id": lab["id"], "reason": "by phone"},
                                 stranger, nansha)
    matching.assign_manually(shown["id"], {"institution_id": lab["id"], "reason": "by phone"},
                             SPECIALIST, factories.PANYU)


def test_the_directory_finds_institutions_by_any_part_of_a_chinese_name_and_by_what_they_hold(platform):
    matching = platform.apps["matching"]
    enterprise = {"role": "enterprise", "subject": factories.credit_code()}

    def qualification(kind, number, scope):
        return {"type": kind, "number": number, "scope": scope, "valid_from": "2021-01-01",
                "valid_until": "2099-12-31"}
    lamps = matching.register_institution(factories.institution(
        name="广州番禺灯具质量检测中心", qualifications=[qualification("CMA", "C-1", ["LED灯具", "GB 7000.1"])],
        price_list=[{"item": "LED灯具", "price_cny": "1200", "unit": "每个样品"}]), OPERATOR)
    meters = matching.register_institution(factories.institution(
        name="南沙计量测试所", categories=["metrology"], parks=["nansha-port-park"],
        qualifications=[qualification("METROLOGY", "M-1", ["电能表"])]), OPERATOR)
    matching.change_standing(meters["id"], {"action": "suspend", "reason": "资质核查"}, OPERATOR)

    def names(query, viewer=enterprise):
        return [item["name"] for item in matching.search_institutions(query, viewer)["items"]]
    assert names({"name": "灯具"}) == ["广州番禺灯具质量检测中心"]  # a part of the name
    assert names({"item": "LED"}) == ["广州番禺灯具质量检测中心"]  # a part of a scope item
    assert names({"qualification": "CMA", "category": "inspection_testing",
                  "park": "panyu-energy-park"}) == ["广州番禺灯具质量检测中心"]
    assert names({"name": "计量"}) == []  # suspended: not in the public directory
    assert names({"name": "计量"}, OPERATOR) == ["南沙计量测试所"]
    assert names({"name": "%"}) == [] and names({"name": "_"}) == []  # taken as text
    with pytest.raises(Forbidden):
        matching.search_institutions({"status": "suspended"}, enterprise)

    (public,) = matching.search_institutions({"name": "番禺"}, enterprise)["items"]
    assert public["price_list"] == [{"item": "LED灯具", "price_cny": "1200", "unit": "每个样品"}]
    assert not {"credit_code", "status", "capacity", "open_assignments"} & set(public)
    (whole,) = matching.search_institutions({"name": "番禺"}, SUPERVISOR)["items"]
    assert whole["credit_code"] and whole["open_assignments"] == 0 and whole["status"] == "active"

    for n in range(5):  # pages by name, every institution once
        matching.register_institution(factories.institution(name=f"检测机构{n}"), OPERATOR)
    seen, after = [], None
    while True:
        page = matching.search_institutions({"name": "检测", "per_page": 2, **({"after": after} if after else {})}, enterprise)
        seen += [item["name"] for item in page["items"]]
        if (after := page["next_after"]) is None:
            break
    assert seen == sorted(seen) and len(seen) == len(set(seen)) == 6


def test_an_institution_changes_its_contact_capacity_and_prices_with_the_reason(platform):
    matching, intake = platform.apps["matching"], platform.apps["intake"]
    lab = matching.register_institution(factories.institution(capacity=5), OPERATOR)
    me = {"role": "institution", "subject": lab["id"]}
    changed = matching.change_profile(lab["id"], {
        "contact": {"name": "王工", "phone": "020-8888 0000", "email": "wang@lab.example"},
        "price_list": [{"item": "LED lamp", "price_cny": "950.50", "unit": "per sample"}],
        "reason": "新的联系人与价格"}, me)
    assert changed["contact"]["name"] == "王工" and changed["price_list"][0]["price_cny"] == "950.50"
    (event,) = [m for m in matching.log(0, 1000) if m.event == "InstitutionProfileChanged"]
    assert event.data["reason"] == "新的联系人与价格" and event.data["by"]["subject"] == lab["id"]

    with pytest.raises(NotFound):  # another institution's profile is not its own
        matching.change_profile(lab["id"], {"capacity": 9, "reason": "x"},
                                {"role": "institution", "subject": str(uuid.uuid4())})
    with pytest.raises(Forbidden):
        matching.change_profile(lab["id"], {"capacity": 9, "reason": "x"},
                                {"role": "enterprise", "subject": factories.credit_code()})
    with pytest.raises(Forbidden):
        matching.change_profile(lab["id"], {"capacity": 9, "reason": "x"},
                                {"role": "specialist", "subject": "s-9"},
                                {"station_id": "x", "park": "nansha-port-park"})
    with pytest.raises(Invalid):  # nothing to change
        matching.change_profile(lab["id"], {"reason": "x"}, me)

    # Matching weighs the new capacity at once: with room for two, the third demand waits.
    matching.change_profile(lab["id"], {"capacity": 2, "reason": "设备检修"}, me)
    shown = [intake.submit_demand(factories.demand(), SPECIALIST) for _ in range(3)]
    platform.settle()
    assert [intake.demand(d["id"], SPECIALIST)["status"] for d in shown] == \
        ["assigned", "assigned", "matching_failed"]
    with pytest.raises(Conflict) as refused:  # not below what it holds
        matching.change_profile(lab["id"], {"capacity": 1, "reason": "再减"}, me)
    assert refused.value.details == {"open_assignments": 2}
