"""Evaluation followed through the platform on a controlled clock: working-hour figures,
revisits, complaint clocks, supervision, on-time rates, publication and improvement actions."""
from datetime import datetime

import pytest

from shared.errors import Conflict, Forbidden, InsufficientData, Invalid, NotFound
from tests import factories
from tests.conftest import SHANGHAI

SPECIALIST = {"role": "specialist", "subject": "s-1"}
SUPERVISOR = {"role": "supervisor", "subject": "regulator-1"}
OPERATOR = {"role": "operator", "subject": "ops-1"}
READER = SUPERVISOR
SCORES = {"overall": 5, "timeliness": 4, "professionalism": 5, "attitude": 5, "outcome": 4}


@pytest.fixture
def park(open_platform):
    """A station assessing by hand (09:00-12:00, 13:30-17:30, Mon-Fri, Shanghai), a lab that
    accepts its offers, and one clock for every service, starting Tuesday 1 December 2026."""
    platform = open_platform(factories.station(auto_accept=[]))
    platform.clock.set("2026-12-01T09:00")
    platform.lab = platform.apps["matching"].register_institution(factories.institution(), SPECIALIST, station=factories.PANYU)
    platform.settle()
    return platform


def submit(park, enterprise=None, **overrides):
    demand = park.apps["intake"].submit_demand(factories.demand(enterprise, **overrides), SPECIALIST)
    park.settle()
    return demand


def assess(park, demand, decision, **extra):
    park.apps["intake"].assess(demand["id"], {"decision": decision, **extra}, SPECIALIST)
    park.settle()


def complete(park, demand):
    matching = park.apps["matching"]
    lab = {"role": "institution", "subject": park.lab["id"]}
    (assignment,) = [a for a in matching.assignments(lab)["items"] if a["demand_id"] == demand["id"]]
    matching.complete_service(assignment["assignment_id"], {"report_number": "R-7"}, lab)
    park.settle()


def figures(park, scope="all", period="2026-12"):
    return park.apps["evaluation"].figures(scope, period, READER)["figures"]


def test_durations_are_working_hours_on_the_station_calendar_without_paused_time(park):
    one = submit(park)
    two = submit(park)
    three = submit(park)
    park.clock.set("2026-12-01T10:00")
    assess(park, one, "accept")                        # response and assessment: 1 h; assigned at once
    park.clock.set("2026-12-01T09:30")
    assess(park, two, "request_info", questions="Which standard?")  # response 0.5 h, clock paused
    park.clock.set("2026-12-01T11:00")
    park.apps["intake"].supply_information(two["id"], {"information": "GB 7000.1"},
                                           {"role": "enterprise", "subject": two["enterprise"]["credit_code"]})
    park.settle()                                      # 1.5 h paused
    park.clock.set("2026-12-01T11:30")
    assess(park, two, "accept")                        # assessment 2.5 h - 1.5 h paused = 1 h
    park.clock.set("2026-12-01T14:00")
    assess(park, three, "reject", reason="Out of scope")  # 3 h morning + 0.5 h afternoon

    found = figures(park)
    assert found["demands_submitted"] == 3 and found["enterprises"] == 3
    assert found["first_responses"] == 3
    assert found["first_response_hours"] == pytest.approx(1 + 0.5 + 3.5)
    assert found["assessments"] == 3
    assert found["assessment_hours"] == pytest.approx(1 + 1 + 3.5)
    assert found["matches"] == 2 and found["match_hours"] == 0  # the lab accepts at once
    assert found["closed"] == 1 and "resolved" not in found     # only the rejection closed
    report = park.apps["evaluation"].report({"period": "2026-12"}, READER)
    timeliness = {line["id"]: line for d in report["dimensions"] if d["id"] == "timeliness"
                  for line in d["indicators"]}
    assert timeliness["first_response_hours"]["value"] == pytest.approx(5 / 3)
    # Three responses are too few to score under the default configuration, and three demands
    # too few to grade; a configuration that scores any number shows the scoring.
    assert timeliness["first_response_hours"]["too_few_cases"] and report["grade"] is None
    assert report["insufficient_data"] == {"cases": 3, "minimum_cases": 10}
    default = park.apps["evaluation"].configuration()["document"]
    park.apps["evaluation"].register_configuration(
        {**default, "version": "any-sample", "minimum_sample": 0, "minimum_cases": 0}, SUPERVISOR)
    report = park.apps["evaluation"].report({"period": "2026-12"}, READER)
    timeliness = {line["id"]: line for d in report["dimensions"] if d["id"] == "timeliness"
                  for line in d["indicators"]}
    # Linear from a floor of 4 h to a target of 1 h: 5/3 h scores (4 - 5/3) / 3.
    assert timeliness["first_response_hours"]["score"] == pytest.approx(100 * (4 - 5 / 3) / 3, abs=0.01)
    assert report["grade"] is not None
    # The rejected case's dossier was sealed by its rejection, on 1 December.
    assert found["archived"] == 1 and found["archived_on_time"] == 1
    # November saw the station open and the specialist join (a level, carried into December).
    assert park.apps["evaluation"].figures("all", "2026-11", READER)["figures"] == {
        "staff": 1, "staff_trained": 1}


def test_a_lapsed_feedback_window_becomes_a_revisit_that_the_specialists_call_closes(park):
    demand = submit(park)
    assess(park, demand, "accept")
    complete(park, demand)
    evaluation = park.apps["evaluation"]
    park.clock.set("2026-12-08T08:59")                 # 7 days after completion, not quite
    assert evaluation.check_feedback_windows() == 0
    park.clock.set("2026-12-08T09:01")
    assert evaluation.check_feedback_windows() == 1
    assert evaluation.check_feedback_windows() == 0    # raised once
    tasks = evaluation.revisits(park.station["id"])["items"]
    assert [t["demand_id"] for t in tasks] == [demand["id"]]
    assert evaluation.revisits("another-station")["items"] == []
    with pytest.raises(Invalid):                       # a specialist records a revisit, not online
        evaluation.give_feedback(demand["id"], SCORES, SPECIALIST)
    evaluation.give_feedback(demand["id"], {**SCORES, "channel": "revisit_phone"}, SPECIALIST)
    assert evaluation.revisits(None)["items"] == []
    found = figures(park)
    assert found["revisit_tasks"] == 1 and found["feedback_from_revisits"] == 1
    assert found["feedback_received"] == found["completions"] == 1
    park.settle()
    # The lapsed window sealed the dossier; the revisit's feedback came after, as an addendum.
    dossier = park.archive.dossier(demand["id"])
    sealed = dossier["events"][dossier["seal"]["event_count"] - 1]
    assert sealed["name"] == dossier["seal"]["sealed_by_event"] == "RevisitTaskRaised"
    assert [e["name"] for e in dossier["events"] if e.get("addendum")] == ["FeedbackGiven"]


def test_complaint_clocks_warn_and_breach_and_an_escalated_complaint_is_the_supervisors(park):
    demand = submit(park)
    assess(park, demand, "accept")
    evaluation = park.apps["evaluation"]
    owner = {"role": "enterprise", "subject": demand["enterprise"]["credit_code"]}
    with pytest.raises(Invalid):
        evaluation.file_complaint({"against": {"kind": "institution", "id": park.lab["id"]},
                                   "demand_id": demand["id"], "summary": "Late"},
                                  {"role": "enterprise", "subject": factories.credit_code()})
    complaint = evaluation.file_complaint(
        {"against": {"kind": "institution", "id": park.lab["id"]}, "demand_id": demand["id"],
         "summary": "The lab never called back"}, owner)
    assert complaint["status"] == "received"
    # Filed Tuesday 09:00; acknowledgement within 1 working day (7 h): due Tuesday 17:30.
    ack = complaint["deadlines"]["acknowledgement"]
    assert datetime.fromisoformat(ack["due_at"]) == datetime(2026, 12, 1, 17, 30, tzinfo=SHANGHAI)
    park.clock.set("2026-12-01T16:30")                 # past 80 % of the working day: warned
    assert evaluation.check_complaints() == 1
    park.clock.set("2026-12-01T17:30")
    assert evaluation.check_complaints() == 1          # breached
    assert evaluation.check_complaints() == 0
    shown = evaluation.complaint(complaint["id"], owner)
    assert shown["deadlines"]["acknowledgement"]["breached"] is True
    with pytest.raises(NotFound):
        evaluation.complaint(complaint["id"], {"role": "enterprise", "subject": "someone else"})
    with pytest.raises(Conflict):                      # resolved only once taken up
        evaluation.handle_complaint(complaint["id"], "resolve",
                                    {"outcome": "upheld", "resolution": "x"}, {**SPECIALIST, "station_id": park.station["id"]})
    staff = {**SPECIALIST, "station_id": park.station["id"]}
    evaluation.handle_complaint(complaint["id"], "escalate", {"note": "Needs the regulator"}, staff)
    with pytest.raises(Forbidden):
        evaluation.handle_complaint(complaint["id"], "resolve",
                                    {"outcome": "upheld", "resolution": "Apology"}, staff)
    park.clock.set("2026-12-02T11:00")
    resolved = evaluation.handle_complaint(complaint["id"], "resolve",
                                           {"outcome": "upheld", "resolution": "Apology and refund"},
                                           SUPERVISOR)
    assert resolved["status"] == "resolved" and resolved["outcome"] == "upheld"
    assert [h["status"] for h in resolved["history"]] == ["received", "escalated", "resolved"]
    served = figures(park, f"institution:{park.lab['id']}")
    assert served["complaints"] == served["complaints_resolved"] == served["complaints_upheld"] == 1
    # Received Tuesday 09:00, resolved Wednesday 11:00: 7 + 2 working hours.
    assert served["complaint_hours"] == pytest.approx(9)
    assert figures(park)["breaches_complaint_acknowledgement"] == 1
    park.settle()
    names = [e["name"] for e in park.archive.dossier(demand["id"])["events"]]
    assert "ComplaintReceived" in names and "ComplaintDeadlineBreached" in names


def test_a_supervisors_finding_suspends_the_institution_through_matching(park):
    evaluation, matching = park.apps["evaluation"], park.apps["matching"]
    check = {"kind": "spot_check", "subject": {"kind": "institution", "id": park.lab["id"]},
             "findings": [{"severity": "major", "note": "Reports signed by an unqualified person"}],
             "suspend_institution": True, "reason": "Unqualified signatory"}
    with pytest.raises(Forbidden):
        evaluation.record_check(check, SPECIALIST)
    with pytest.raises(Invalid):
        evaluation.record_check({**check, "reason": None}, SUPERVISOR)
    with pytest.raises(Invalid):
        evaluation.record_check({**check, "subject": {"kind": "station", "id": park.station["id"]}},
                                SUPERVISOR)
    recorded = evaluation.record_check(check, SUPERVISOR)
    park.settle()
    institution = matching.institution(park.lab["id"])
    assert institution["status"] == "suspended"
    assert recorded["id"] in institution["status_reason"]
    found = figures(park, f"institution:{park.lab['id']}")
    assert found["supervision_checks"] == 1 and found["findings_serious"] == 1


def test_on_time_rates_are_published_and_matching_records_them(park):
    early = submit(park, expected_by="2026-12-31")
    late = submit(park, expected_by="2026-12-01")
    for demand in (early, late):
        assess(park, demand, "accept")
    park.clock.set("2026-12-02T10:00")
    complete(park, early)
    complete(park, late)
    assert park.apps["matching"].institution(park.lab["id"])["on_time_rate"] == 0.5
    found = figures(park, f"institution:{park.lab['id']}")
    assert found["completions_dated"] == 2 and found["completions_on_time"] == 1


def test_a_low_grade_raises_improvement_actions_tracked_to_closure(park):
    evaluation = park.apps["evaluation"]
    demand = submit(park)
    park.clock.set("2026-12-03T09:00")                 # two working days to respond
    assess(park, demand, "reject", reason="Incomplete")
    harsh = evaluation.configuration()["document"]
    harsh = {**harsh, "version": "harsh-1", "minimum_cases": 0, "minimum_sample": 0,
             "improvement": {**harsh["improvement"], "grades": ["C", "D"]}}
    evaluation.register_configuration(harsh, SUPERVISOR)
    with pytest.raises(Conflict):
        evaluation.register_configuration(harsh, SUPERVISOR)  # versions never change
    scope = f"station:{park.station['id']}"
    published = evaluation.publish({"scope": scope, "period": "2026-12"}, SUPERVISOR)
    assert published["configuration_version"] == "harsh-1"
    assert published["grade"] in ("C", "D") and published["improvement_actions"]
    with pytest.raises(Conflict):
        evaluation.publish({"scope": scope, "period": "2026-12"}, SUPERVISOR)
    staff = {**SPECIALIST, "station_id": park.station["id"]}
    actions = evaluation.improvement_actions(staff, {"status": "open"})["items"]
    assert {a["id"] for a in actions} == set(published["improvement_actions"])
    assert "first_response_hours" in {a["indicator"] for a in actions}
    action = actions[0]["id"]
    evaluation.improve(action, "progress", {"note": "A second specialist at the counter"}, staff)
    with pytest.raises(Forbidden):
        evaluation.improve(action, "close", {"outcome": "done"}, staff)
    closed = evaluation.improve(action, "close", {"outcome": "Checked on site"}, SUPERVISOR)
    assert closed["status"] == "closed" and len(closed["progress"]) == 1
    with pytest.raises(NotFound):
        evaluation.improve(action, "progress", {"note": "x"},
                           {"role": "institution", "subject": park.lab["id"]})
    assert evaluation.evaluations({"role": "institution", "subject": park.lab["id"]})["items"] == []


def test_an_assessment_decided_while_waiting_for_the_enterprise_leaves_the_wait_out(park):
    demand = submit(park)
    park.clock.set("2026-12-01T10:00")
    assess(park, demand, "request_info", questions="Which model?")
    park.clock.set("2026-12-04T17:00")                 # never answered; rejected on Friday
    assess(park, demand, "reject", reason="No answer")
    assert figures(park)["assessment_hours"] == 1


def test_complaints_name_their_target_and_nobody_judges_their_own(park):
    evaluation = park.apps["evaluation"]
    demand = submit(park)
    assess(park, demand, "accept")
    owner = {"role": "enterprise", "subject": demand["enterprise"]["credit_code"]}
    other_lab = park.apps["matching"].register_institution(factories.institution(), SPECIALIST, station=factories.PANYU)
    with pytest.raises(Invalid):                       # not the lab serving the demand
        evaluation.file_complaint({"against": {"kind": "institution", "id": other_lab["id"]},
                                   "demand_id": demand["id"], "summary": "x"}, owner)
    with pytest.raises(Invalid):                       # an institution only through a case
        evaluation.file_complaint({"against": {"kind": "institution", "id": park.lab["id"]},
                                   "station_id": park.station["id"], "summary": "x"}, owner)
    about_station = evaluation.file_complaint(
        {"against": {"kind": "station", "id": park.station["id"].upper()},
         "station_id": park.station["id"], "summary": "Closed at noon"}, owner)
    assert about_station["against"]["id"] == park.station["id"]
    about_me = evaluation.file_complaint({"against": {"kind": "specialist", "id": "s-1"},
                                          "demand_id": demand["id"], "summary": "Rude"}, owner)
    staff = {**SPECIALIST, "station_id": park.station["id"]}
    with pytest.raises(Forbidden):
        evaluation.handle_complaint(about_me["id"], "investigate", {"note": "Not true"}, staff)
    evaluation.handle_complaint(about_station["id"], "investigate", {"note": "Checking"}, staff)
    with pytest.raises(Forbidden):                     # the station does not clear itself
        evaluation.handle_complaint(about_station["id"], "resolve",
                                    {"outcome": "not_upheld", "resolution": "Fine"}, staff)
    evaluation.handle_complaint(about_station["id"], "resolve",
                                {"outcome": "partly_upheld", "resolution": "Rota fixed"}, SUPERVISOR)
    assert figures(park)["complaints"] == 2 and "complaints" not in figures(
        park, f"institution:{other_lab['id']}")


def test_a_specialist_records_a_revisit_only_once_the_enterprises_window_lapsed(park):
    demand = submit(park)
    assess(park, demand, "accept")
    complete(park, demand)
    with pytest.raises(Conflict) as refused:
        park.apps["evaluation"].give_feedback(demand["id"], {**SCORES, "channel": "revisit_visit"},
                                              SPECIALIST)
    assert "feedback_due_at" in refused.value.details
    owner = {"role": "enterprise", "subject": demand["enterprise"]["credit_code"]}
    assert park.apps["evaluation"].give_feedback(demand["id"], SCORES, owner)["channel"] == "online"


def test_only_known_scopes_are_published_and_one_period_once_however_written(park):
    evaluation = park.apps["evaluation"]
    with pytest.raises(Invalid):
        evaluation.publish({"scope": "station:00000000-0000-0000-0000-000000000000",
                            "period": "2026-12"}, SUPERVISOR)
    with pytest.raises(Invalid):
        evaluation.figures("nonsense", "2026-12", SUPERVISOR)
    scope = f"station:{park.station['id']}"
    with pytest.raises(InsufficientData):  # no case yet
        evaluation.publish({"scope": scope, "period": "2026-12"}, SUPERVISOR)
    evaluation.register_configuration({**evaluation.configuration()["document"],
                                       "version": "any-sample", "minimum_cases": 0}, SUPERVISOR)
    evaluation.publish({"scope": scope, "period": "2026-12"}, SUPERVISOR)
    with pytest.raises(Conflict):
        evaluation.publish({"scope": scope, "period": "2026-12-01..2026-12-31"}, SUPERVISOR)


def test_a_bad_evaluation_setting_is_refused_at_start(tmp_path):
    from services.evaluation.application import Evaluation
    from shared.config import ConfigurationError

    app = Evaluation(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    for settings in ({"timezone": "Asia/Shangai"}, {"complaint_resolution": "10 days"},
                     {"feedback_window_days": "soon"}):
        with pytest.raises(ConfigurationError):
            app.configure({"EVALUATION": settings})


def every_page(read, query=None, per_page=1):
    """Every item of a cursor-paged list, read ``per_page`` at a time, and the pages read."""
    items, after, pages = [], None, 0
    while True:
        page = read({**(query or {}), "per_page": per_page, **({"after": after} if after else {})})
        items += page["items"]
        pages += 1
        after = page["next_after"]
        if after is None:
            return items, pages


def test_complaints_checks_and_actions_page_by_cursor_showing_each_viewer_what_is_theirs(park):
    evaluation = park.apps["evaluation"]
    owners = [{"role": "enterprise", "subject": factories.credit_code()} for _ in range(2)]
    filed = []
    for n in range(5):
        filed.append(evaluation.file_complaint(
            {"against": {"kind": "station", "id": park.station["id"]},
             "station_id": park.station["id"], "summary": f"Closed at noon, {n}"}, owners[n % 2]))
        park.clock.advance(minutes=1)
    newest_first = [c["id"] for c in reversed(filed)]
    items, pages = every_page(lambda q: evaluation.complaints(SUPERVISOR, q), per_page=2)
    assert [c["id"] for c in items] == newest_first and pages == 3
    staff = {**SPECIALIST, "station_id": park.station["id"]}
    assert [c["id"] for c in every_page(lambda q: evaluation.complaints(staff, q))[0]] == newest_first
    mine, _ = every_page(lambda q: evaluation.complaints(owners[1], q))
    assert [c["id"] for c in mine] == newest_first[1::2]  # filed 1 and 3 of 0..4
    elsewhere = {**SPECIALIST, "station_id": factories.station()["park"] + "-x"}
    assert evaluation.complaints(elsewhere)["items"] == []
    assert evaluation.complaints({"role": "specialist", "subject": "s-9"})["items"] == []  # no station
    evaluation.handle_complaint(filed[0]["id"], "investigate", {"note": "Checking"}, staff)
    assert [c["id"] for c in evaluation.complaints(SUPERVISOR, {"status": "investigating"})["items"]] \
        == [filed[0]["id"]]

    check = {"kind": "spot_check", "subject": {"kind": "station", "id": park.station["id"]},
             "findings": [{"severity": "observation", "note": "Counter staffed"}]}
    recorded = []
    for _ in range(3):
        recorded.append(evaluation.record_check(check, SUPERVISOR)["id"])
        park.clock.advance(minutes=1)
    assert [c["id"] for c in every_page(evaluation.checks)[0]] == recorded[::-1]

    for bad in ({"after": "not-a-cursor"}, {"per_page": 0}, {"per_page": 101}, {"status": "lost"}):
        with pytest.raises(Invalid):
            evaluation.complaints(SUPERVISOR, bad)
    with pytest.raises(Invalid):
        evaluation.evaluations(SUPERVISOR, {"scope": "nowhere"})


def test_a_period_with_too_few_cases_is_not_graded_nor_published(park):
    evaluation = park.apps["evaluation"]
    submit(park)
    scope = f"station:{park.station['id']}"
    report = evaluation.report({"scope": scope, "period": "2026-Q4"}, READER)
    assert report["grade"] is None and report["total"] is None
    assert report["insufficient_data"] == {"cases": 1, "minimum_cases": 10}
    with pytest.raises(InsufficientData) as refused:
        evaluation.publish({"scope": scope, "period": "2026-Q4"}, SUPERVISOR)
    assert refused.value.details == {"cases": 1, "minimum_cases": 10}
    # A month before the platform existed: no case at all, so nothing to grade either.
    with pytest.raises(InsufficientData):
        evaluation.publish({"scope": "all", "period": "2025-01"}, SUPERVISOR)
    assert evaluation.evaluations(SUPERVISOR)["items"] == []


def test_a_mistaken_publication_is_withdrawn_with_its_actions_and_the_period_published_again(park):
    evaluation = park.apps["evaluation"]
    demand = submit(park)
    assess(park, demand, "reject", reason="Incomplete")
    harsh = {**evaluation.configuration()["document"], "version": "harsh-2", "minimum_cases": 0,
             "minimum_sample": 0}
    harsh["improvement"] = {**harsh["improvement"], "grades": ["B", "C", "D"]}
    evaluation.register_configuration(harsh, SUPERVISOR)
    scope = f"station:{park.station['id']}"
    published = evaluation.publish({"scope": scope, "period": "2026-12"}, SUPERVISOR)
    assert published["withdrawal"] is None and published["improvement_actions"]
    staff = {**SPECIALIST, "station_id": park.station["id"]}
    (closed, *still_open) = published["improvement_actions"]
    evaluation.improve(closed, "close", {"outcome": "Checked on site"}, SUPERVISOR)
    with pytest.raises(Forbidden):
        evaluation.withdraw_evaluation(published["id"], {"reason": "Wrong period"}, staff)
    with pytest.raises(Invalid):
        evaluation.withdraw_evaluation(published["id"], {}, SUPERVISOR)  # a reason is required
    withdrawn = evaluation.withdraw_evaluation(
        published["id"], {"reason": "Published before the month was over"}, SUPERVISOR)
    assert withdrawn["withdrawal"]["reason"] == "Published before the month was over"
    assert withdrawn["withdrawal"]["by"] == SUPERVISOR and withdrawn["grade"] == published["grade"]
    with pytest.raises(Conflict):
        evaluation.withdraw_evaluation(published["id"], {"reason": "Again"}, SUPERVISOR)
    # Its open actions went with it; the one already closed stays closed.
    assert {a["id"] for a in evaluation.improvement_actions(staff, {"status": "withdrawn"})["items"]} \
        == set(still_open)
    assert [a["id"] for a in evaluation.improvement_actions(staff)["items"]] == [closed]
    listed = evaluation.evaluations(SUPERVISOR)["items"]
    assert [(e["id"], e["withdrawn"]) for e in listed] == [(published["id"], True)]
    # The period can be published again, as a publication of its own.
    again = evaluation.publish({"scope": scope, "period": "2026-12"}, SUPERVISOR)
    assert again["id"] != published["id"] and again["withdrawal"] is None
    with pytest.raises(Conflict):
        evaluation.publish({"scope": scope, "period": "2026-12"}, SUPERVISOR)
    assert evaluation.evaluation(published["id"], SUPERVISOR)["withdrawal"] is not None


def test_configurations_page_by_cursor_the_shipped_default_first_the_last_registered_current(park):
    evaluation = park.apps["evaluation"]
    default = evaluation.configuration()["document"]
    for version in ("b-second", "a-third", "c-fourth"):  # registration order, not the names'
        evaluation.register_configuration({**default, "version": version}, SUPERVISOR)
    every = evaluation.configurations({"per_page": 100})
    # every shipped version, oldest first (the current default last), then the registered ones
    shipped = [{"version": version, "current": False} for version in evaluation.shipped_configurations]
    assert shipped[-1]["version"] == default["version"] and len(shipped) >= 2
    assert every["items"] == [*shipped,
                              {"version": "b-second", "current": False},
                              {"version": "a-third", "current": False},
                              {"version": "c-fourth", "current": True}]
    assert every["next_after"] is None

    for per_page in (1, 2, 3):
        seen, query = [], {"per_page": per_page}
        while True:
            page = evaluation.configurations(query)
            assert len(page["items"]) <= per_page
            seen += page["items"]
            if page["next_after"] is None:
                break
            query = {"per_page": per_page, "after": page["next_after"]}
        assert seen == every["items"], per_page
    with pytest.raises(Invalid):
        evaluation.configurations({"after": "not-a-cursor"})


def test_an_institution_reads_the_complaints_against_it_and_answers_them(park):
    evaluation = park.apps["evaluation"]
    demand = submit(park)
    assess(park, demand, "accept")
    owner = {"role": "enterprise", "subject": demand["enterprise"]["credit_code"]}
    lab = {"role": "institution", "subject": park.lab["id"]}
    other = {"role": "institution", "subject": park.apps["matching"].register_institution(
        factories.institution(), OPERATOR)["id"]}
    against_lab = evaluation.file_complaint({"against": {"kind": "institution", "id": park.lab["id"]},
                                             "demand_id": demand["id"], "summary": "报告延期"}, owner)
    evaluation.file_complaint({"against": {"kind": "station", "id": park.station["id"]},
                               "station_id": park.station["id"], "summary": "Closed at noon"}, owner)
    assert [c["id"] for c in evaluation.complaints(lab)["items"]] == [against_lab["id"]]
    assert evaluation.complaints(other)["items"] == []
    with pytest.raises(NotFound):
        evaluation.complaint(against_lab["id"], other)

    answered = evaluation.answer_complaint(against_lab["id"], {"note": "样品晚到两天，已说明"}, lab)
    assert answered["status"] == "received"  # an answer changes no status
    assert answered["history"][-1] == {"status": "received", "by": lab, "at": answered["history"][-1]["at"],
                                       "note": "样品晚到两天，已说明", "answer": True}
    with pytest.raises(NotFound):
        evaluation.answer_complaint(against_lab["id"], {"note": "not mine"}, other)
    evaluation.handle_complaint(against_lab["id"], "investigate", {"note": "Checking"},
                                {**SPECIALIST, "station_id": park.station["id"]})
    evaluation.handle_complaint(against_lab["id"], "resolve",
                                {"outcome": "not_upheld", "resolution": "Samples were late"}, SUPERVISOR)
    with pytest.raises(Conflict):
        evaluation.answer_complaint(against_lab["id"], {"note": "too late"}, lab)
    park.settle()
    names = [e["name"] for e in park.archive.dossier(demand["id"])["events"]]
    assert "ComplaintAnswered" in names
