"""Evaluation through the HTTP API alone: a scripted stretch of a station's month, its raw
figures recomputed independently (from the script and the archived events), scored under two
configuration versions, published, exported and refused to those who may not see it."""
import csv
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests import factories
from tests.conftest import wait_for
from tests.e2e.harness import Embedded, midday_zone

SUPERVISOR = ("supervisor", "regulator-1")
SPECIALIST = ("specialist", "s-1")
ZONE = midday_zone()
WINDOW_SECONDS = 10


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    # A round-the-clock station calendar in a zone where it is about noon: working hours are
    # wall-clock hours, and "today" is one local day for every service.
    platform = Embedded(tmp_path_factory.mktemp("evaluation"), ONESTOP_LIMIT_FIRST_RESPONSE="2s",
                        ONESTOP_DEADLINE_CHECK_INTERVAL="0.2", ONESTOP_EVALUATION_TIMEZONE=ZONE,
                        ONESTOP_COMPLAINT_ACKNOWLEDGEMENT="3s",
                        ONESTOP_FEEDBACK_WINDOW_DAYS=str(WINDOW_SECONDS / 86400),
                        ONESTOP_EVALUATION_CHECK_INTERVAL="0.2").start()
    platform.station = platform.api.open_station(auto_accept=[], calendar={
        "timezone": ZONE, "hours": ["00:00-23:59"], "weekend": []})
    yield platform
    platform.stop()


def hours(start: str, end: str) -> float:
    return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds() / 3600


def ok(response, status=200):
    assert response.status_code == status, response.text
    return response.json()


def test_a_scripted_month_yields_the_figures_recomputed_from_the_script(platform):
    api = platform.api
    station = platform.station["id"]
    lab = ok(api.call("POST", "/api/v1/institutions", as_=SPECIALIST, json=factories.institution()), 201)
    lab_as = ("institution", lab["id"])
    enterprises = [factories.credit_code() for _ in range(4)]

    def submit(enterprise, **overrides):
        return ok(api.call("POST", "/api/v1/demands", as_=("enterprise", enterprise),
                           json=factories.demand(enterprise, **overrides)), 201)["id"]

    def assess(demand, decision, **extra):
        ok(api.call("POST", f"/api/v1/demands/{demand}/assessment", as_=SPECIALIST,
                    json={"decision": decision, **extra}))

    def complete(demand):
        api.wait_status(demand, "assigned", SPECIALIST)
        (offer,) = [a for a in ok(api.call("GET", "/api/v1/assignments", as_=lab_as))["items"]
                    if a["demand_id"] == demand]
        ok(api.call("POST", f"/api/v1/assignments/{offer['assignment_id']}/completion", as_=lab_as,
                    json={"report_number": f"R-{demand[:6]}"}))
        api.wait_status(demand, "completed", SPECIALIST)

    def rate(demand, enterprise, overall):
        scores = {"overall": overall, "timeliness": 4, "professionalism": 4, "attitude": 5, "outcome": 4}
        return wait_for(lambda: api.call("POST", f"/api/v1/demands/{demand}/feedback",
                                         as_=("enterprise", enterprise), json=scores).status_code == 201,
                        message="evaluation to take in the completion")

    # The script: six demands from four enterprises.
    d1 = submit(enterprises[0], expected_by="2099-12-31")
    d2 = submit(enterprises[1], expected_by="2099-12-31")
    d3 = submit(enterprises[2])
    d4 = submit(enterprises[0])
    d5 = submit(enterprises[3], consultation=True)
    d6 = submit(enterprises[3])                         # never answered: first response breached
    for demand in (d1, d2, d3):
        assess(demand, "accept")
    assess(d4, "reject", reason="Not a quality service")
    assess(d5, "answer", answer="GB 7000.1 applies")
    api.wait_status(d1, "assigned", SPECIALIST)
    ok(api.call("POST", f"/api/v1/demands/{d1}/follow-ups", as_=SPECIALIST,
                json={"note": "Samples received", "contact": "Li Hua", "channel": "phone"}), 201)
    for demand in (d1, d2, d3):
        complete(demand)
    rate(d1, enterprises[0], 5)
    rate(d2, enterprises[1], 3)
    # A complaint about the lab, taken up and upheld; one about the station, left to lapse.
    about_lab = ok(api.call("POST", "/api/v1/complaints", as_=("enterprise", enterprises[1]), json={
        "against": {"kind": "institution", "id": lab["id"]}, "demand_id": d2,
        "summary": "Report delivered without the agreed explanation"}), 201)
    ok(api.call("POST", f"/api/v1/complaints/{about_lab['id']}/investigation", as_=SPECIALIST,
                json={"note": "Calling the lab"}))
    upheld = ok(api.call("POST", f"/api/v1/complaints/{about_lab['id']}/resolution", as_=SPECIALIST,
                         json={"outcome": "upheld", "resolution": "The lab explains the report"}))
    about_station = ok(api.call("POST", "/api/v1/complaints", as_=("enterprise", enterprises[2]), json={
        "against": {"kind": "station", "id": station}, "station_id": station,
        "summary": "Nobody at the counter on Tuesday"}), 201)
    # d3's feedback window lapses: the specialist revisits and records it.
    revisits = wait_for(lambda: ok(api.call("GET", "/api/v1/revisits", as_=SPECIALIST))["items"],
                        timeout=WINDOW_SECONDS + 20, message="the revisit task")
    assert [t["demand_id"] for t in revisits] == [d3]
    # Its instants where its station is, as recorded on request.
    (recorded,) = ok(api.call("GET", "/api/v1/revisits?utc=true", as_=SPECIALIST))["items"]
    assert revisits[0]["time_zone"] == ZONE
    for instant in ("raised_at", "feedback_due_at"):
        shown, kept = datetime.fromisoformat(revisits[0][instant]), datetime.fromisoformat(recorded[instant])
        assert shown == kept and kept.utcoffset() == timedelta(0)
        assert shown.utcoffset() == ZoneInfo(ZONE).utcoffset(kept.replace(tzinfo=None))
    ok(api.call("POST", f"/api/v1/demands/{d3}/feedback", as_=SPECIALIST, json={
        "overall": 4, "timeliness": 4, "professionalism": 4, "attitude": 4, "outcome": 4,
        "channel": "revisit_phone"}), 201)
    wait_for(lambda: ok(api.call("GET", f"/api/v1/complaints/{about_station['id']}", as_=SUPERVISOR))
             ["deadlines"]["acknowledgement"]["breached"], message="the complaint's breach")
    wait_for(lambda: any(e["name"] == "DeadlineBreached" for e in ok(api.call(
        "GET", f"/api/v1/archive/demands/{d6}", as_=SUPERVISOR))["events"]), message="d6's breach")

    # Recomputed from the archived events (intake's and matching's own record of each step).
    dossiers = {d: api.wait_dossier(d, status, SUPERVISOR) for d, status in [
        (d1, "completed"), (d2, "completed"), (d3, "completed"), (d4, "rejected"),
        (d5, "answered"), (d6, "submitted")]}
    # Every closed case is sealed once its feedback is in (d3: once its window lapsed).
    def sealed():
        found = {d: ok(api.call("GET", f"/api/v1/archive/demands/{d}", as_=SUPERVISOR))
                 for d in (d1, d2, d3, d4, d5)}
        return found if all(f["seal"] for f in found.values()) else None
    dossiers.update(wait_for(sealed, message="the seals"))

    def at(demand, name):
        return next(e["data"]["at"] for e in dossiers[demand]["events"] if e["name"] == name)

    decided = {d1: "DemandAccepted", d2: "DemandAccepted", d3: "DemandAccepted",
               d4: "DemandRejected", d5: "DemandAnswered"}
    response_hours = sum(hours(at(d, "DemandSubmitted"), at(d, name)) for d, name in decided.items())
    match_hours = sum(hours(at(d, "DemandAccepted"), at(d, "DemandAssigned")) for d in (d1, d2, d3))
    acceptance_hours = sum(hours(at(d, "AssignmentOffered"), at(d, "InstitutionAssigned"))
                           for d in (d1, d2, d3))
    breaches = sum(e["name"] == "DeadlineBreached" for d in dossiers.values() for e in d["events"])
    expected = {
        "demands_submitted": 6, "enterprises": 4,
        "first_responses": 5, "first_response_hours": response_hours,
        "assessments": 5, "assessment_hours": response_hours,
        "matches": 3, "match_hours": match_hours, "assignments": 3, "assignments_compliant": 3,
        "follow_ups": 1, "completions": 3, "completions_with_evidence": 3,
        "completions_dated": 2, "completions_on_time": 2, "closed": 5, "resolved": 4,
        "feedback": 3, "feedback_received": 3, "feedback_satisfied": 2, "feedback_score": 12,
        "score_timeliness": 12, "score_professionalism": 12, "score_attitude": 14, "score_outcome": 12,
        "feedback_from_revisits": 1, "revisit_tasks": 1,
        "complaints": 2, "complaints_resolved": 1, "complaints_upheld": 1,
        "complaint_hours": hours(upheld["received_at"], upheld["history"][-1]["at"]),
        "deadline_breaches": breaches + 1, "breaches_first_response": breaches,
        "breaches_complaint_acknowledgement": 1, "staff": 1, "staff_trained": 1,
        "archived": 5, "archived_on_time": 5,  # sealed within days of completion, not weeks
    }
    today = datetime.fromisoformat(at(d1, "DemandSubmitted")).astimezone(ZoneInfo(ZONE)).date().isoformat()
    month = today[:7]
    scope = f"station:{station}"
    wait_for(lambda: (counted := ok(api.call("GET", f"/api/v1/evaluation/figures?scope={scope}&period={month}",
                                             as_=SUPERVISOR))["figures"]).get("feedback") == 3
             and counted.get("archived") == 5, message="evaluation to count the feedback and seals")
    figures = ok(api.call("GET", f"/api/v1/evaluation/figures?scope={scope}&period={month}",
                          as_=SUPERVISOR))["figures"]
    for figure, value in expected.items():
        assert figures.get(figure) == pytest.approx(value, abs=1e-4), figure
    assert set(figures) - set(expected) <= {"deadline_warnings"}
    assert figures.get("deadline_warnings", 0) >= breaches  # a warning precedes each breach
    lab_scope = f"institution:{lab['id']}"
    served = ok(api.call("GET", f"/api/v1/evaluation/figures?scope={lab_scope}&period={today}..{today}",
                         as_=lab_as))["figures"]
    assert served["offers"] == served["offers_accepted"] == 3
    assert served["acceptance_hours"] == pytest.approx(acceptance_hours, abs=1e-4)
    assert served["complaints"] == 1  # the station's complaint is not the lab's

    # Scored indicator by indicator under the default configuration...
    default = ok(api.call("GET", f"/api/v1/evaluation/report?scope={scope}&period={month}",
                          as_=SUPERVISOR))
    values = {line["id"]: line["value"] for d in default["dimensions"] for line in d["indicators"]}
    assert values["demand_volume"] == 6 and values["enterprises_served"] == 4
    assert values["first_response_hours"] == pytest.approx(response_hours / 5, abs=1e-4)
    assert values["satisfaction_rate"] == pytest.approx(2 / 3, abs=1e-6)
    assert values["mean_score"] == 4 and values["feedback_coverage"] == 1
    assert values["resolution_rate"] == pytest.approx(4 / 5) and values["on_time_rate"] == 1
    assert values["complaint_rate"] == pytest.approx(200 / 6, abs=1e-4)
    assert values["follow_up_compliance"] == 1 and values["qualification_compliance"] == 1
    assert values["breach_rate"] == pytest.approx((breaches + 1) * 100 / 6, abs=1e-4)
    assert values["archive_timeliness"] == 1 and values["archive_completeness"] == 1
    assert "acceptance_rate" not in values  # an institution's indicator, not a station's
    # Six demands and three ratings are too few for the default configuration to grade.
    lines = {line["id"]: line for d in default["dimensions"] for line in d["indicators"]}
    assert default["insufficient_data"] == {"cases": 6, "minimum_cases": 10}
    assert default["total"] is None and default["grade"] is None
    assert lines["satisfaction_rate"]["sample"] == 3 and lines["satisfaction_rate"]["too_few_cases"]
    assert lines["satisfaction_rate"]["score"] is None and lines["demand_volume"]["score"] is not None
    document = ok(api.call("GET", "/api/v1/evaluation/configurations/2026.1-provisional",
                           as_=SUPERVISOR))["document"]
    # A configuration that grades any number of cases scores them all.
    counting = {**document, "version": "2026.1-any-sample", "minimum_cases": 0, "minimum_sample": 0}
    ok(api.call("POST", "/api/v1/evaluation/configurations", as_=SUPERVISOR, json=counting), 201)
    counted = ok(api.call("GET", f"/api/v1/evaluation/report?scope={scope}&period={month}"
                                 "&configuration=2026.1-any-sample", as_=SUPERVISOR))
    rule = next(i for d in document["dimensions"] for i in d["indicators"]
                if i["id"] == "satisfaction_rate")["linear"]
    scored = {line["id"]: line["score"] for d in counted["dimensions"] for line in d["indicators"]}
    assert scored["satisfaction_rate"] == pytest.approx(
        100 * min(max((2 / 3 - rule["floor"]) / (rule["target"] - rule["floor"]), 0), 1), abs=0.01)
    assert counted["grade"] is not None and counted["insufficient_data"] is None

    # ...and re-scored under new weights without touching the raw figures.
    reweighted = {**counting, "version": "2026.2-timeliness-first",
                  "dimensions": [{**d, "weight": 80 if d["id"] == "timeliness" else 5}
                                 for d in document["dimensions"]]}
    ok(api.call("POST", "/api/v1/evaluation/configurations", as_=SUPERVISOR, json=reweighted), 201)
    again = ok(api.call("GET", f"/api/v1/evaluation/report?scope={scope}&period={month}"
                               "&configuration=2026.2-timeliness-first", as_=SUPERVISOR))
    assert again["figures"] == default["figures"] == counted["figures"]
    assert again["total"] != counted["total"]
    assert again["configuration_version"] == "2026.2-timeliness-first"
    old = ok(api.call("GET", f"/api/v1/evaluation/report?scope={scope}&period={month}"
                             "&configuration=2026.1-provisional", as_=SUPERVISOR))
    assert old["total"] == default["total"]

    # Published (current configuration), exported as CSV, and followed as a trend.
    published = ok(api.call("POST", "/api/v1/evaluations", as_=SUPERVISOR,
                            json={"scope": scope, "period": month}), 201)
    assert published["configuration_version"] == "2026.2-timeliness-first"
    assert published["figures"] == default["figures"] and published["total"] == again["total"]
    assert ok(api.call("POST", "/api/v1/evaluations", as_=SUPERVISOR,
                       json={"scope": scope, "period": month}), 409)["details"]["evaluation_id"] == published["id"]
    exported = api.call("GET", f"/api/v1/evaluations/{published['id']}?format=csv", as_=SPECIALIST,
                        headers={"Accept-Language": "en"})
    assert exported.status_code == 200 and exported.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0]["section"] == "total" and float(rows[0]["score"]) == pytest.approx(published["total"], abs=0.01)
    assert {r["id"]: float(r["value"]) for r in rows if r["section"] == "figure"}["demands_submitted"] == 6
    # For a district bureau: Chinese by default, headers, sections, indicator names and units.
    chinese = api.call("GET", f"/api/v1/evaluations/{published['id']}?format=csv", as_=SPECIALIST)
    assert chinese.content.startswith("\ufeff".encode())  # a spreadsheet reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(chinese.content.decode("utf-8-sig"))))
    assert list(rows[0])[:4] == ["部分", "维度", "编号", "名称"] and rows[0]["部分"] == "总分"
    first_response = [r for r in rows if r["编号"] == "first_response_hours"][0]
    assert first_response["部分"] == "指标" and first_response["单位"] == "工作小时"
    assert first_response["名称"] == "首次响应时长"
    shown = ok(api.call("GET", f"/api/v1/evaluations/{published['id']}", as_=SPECIALIST))
    assert {d["id"]: d["label"] for d in shown["dimensions"]}["timeliness"] == "服务时效"
    trend = ok(api.call("GET", f"/api/v1/evaluation/trend?scope={scope}&period={month[:4]}&every=month",
                        as_=SUPERVISOR))
    assert len(trend["points"]) == 12
    (current,) = [p for p in trend["points"] if p["period"] == month]
    assert current["total"] == again["total"]

    # Under the default configuration the month is refused as too little data; a mistaken
    # publication is withdrawn, with the reason, and the month published again.
    refused = api.call("POST", "/api/v1/evaluations", as_=SUPERVISOR,
                       json={"scope": scope, "period": month, "configuration_version": "2026.1-provisional"})
    assert refused.status_code == 422 and refused.json()["error"] == "insufficient_data"
    assert refused.json()["details"] == {"cases": 6, "minimum_cases": 10}
    assert api.call("POST", f"/api/v1/evaluations/{published['id']}/withdrawal", as_=SPECIALIST,
                    json={"reason": "x"}).status_code == 403
    withdrawn = ok(api.call("POST", f"/api/v1/evaluations/{published['id']}/withdrawal",
                            as_=SUPERVISOR, json={"reason": "Published before the month closed"}))
    assert withdrawn["withdrawal"]["reason"] == "Published before the month closed"
    assert ok(api.call("POST", f"/api/v1/evaluations/{published['id']}/withdrawal", as_=SUPERVISOR,
                       json={"reason": "again"}), 409)["error"] == "conflict"
    republished = ok(api.call("POST", "/api/v1/evaluations", as_=SUPERVISOR,
                              json={"scope": scope, "period": month}), 201)
    listed = ok(api.call("GET", "/api/v1/evaluations", as_=SUPERVISOR, params={"scope": scope}))
    assert [(e["id"], e["withdrawn"]) for e in listed["items"]] == [
        (republished["id"], False), (published["id"], True)]

    # Who may read what.
    assert api.call("GET", f"/api/v1/evaluation/report?scope=all&period={month}", as_=SPECIALIST).status_code == 403
    assert api.call("GET", f"/api/v1/evaluation/figures?scope={scope}&period={month}", as_=lab_as).status_code == 403
    assert api.call("GET", f"/api/v1/evaluations/{published['id']}", as_=lab_as).status_code == 404
    assert api.call("GET", f"/api/v1/evaluation/figures?scope={scope}&period={month}",
                    as_=("enterprise", enterprises[0])).status_code == 403
    assert api.call("GET", f"/api/v1/complaints/{about_lab['id']}",
                    as_=("enterprise", enterprises[0])).status_code == 404
    # The complaint is in the case's dossier for the complainant and the regulator, not the lab.
    seen = {party: {e["name"] for e in ok(api.call("GET", f"/api/v1/archive/demands/{d2}", as_=party))["events"]}
            for party in (("enterprise", enterprises[1]), lab_as, SUPERVISOR)}
    assert {"ComplaintReceived", "ComplaintResolved"} <= seen[("enterprise", enterprises[1])]
    assert {"ComplaintReceived", "ComplaintResolved"} <= seen[SUPERVISOR]
    assert not any(name.startswith("Complaint") for name in seen[lab_as])


def test_feedback_only_from_the_demands_enterprise_or_a_specialist_revisit(platform):
    api = platform.api
    owner = factories.credit_code()
    demand = ok(api.call("POST", "/api/v1/demands", as_=("enterprise", owner),
                         json=factories.demand(owner)), 201)["id"]
    ok(api.call("POST", f"/api/v1/demands/{demand}/assessment", as_=SPECIALIST, json={"decision": "accept"}))
    lab = ("institution", api.wait_status(demand, "assigned", SPECIALIST)["assignment"]["institution_id"])
    (offer,) = [a for a in ok(api.call("GET", "/api/v1/assignments", as_=lab))["items"]
                if a["demand_id"] == demand]
    ok(api.call("POST", f"/api/v1/assignments/{offer['assignment_id']}/completion", as_=lab,
                json={"report_number": "R-9"}))
    api.wait_status(demand, "completed", SPECIALIST)
    scores = {"overall": 4, "timeliness": 4, "professionalism": 4, "attitude": 4, "outcome": 4}
    path = f"/api/v1/demands/{demand}/feedback"
    assert api.call("POST", path, as_=lab, json=scores).status_code == 403
    assert api.call("POST", path, as_=SUPERVISOR, json=scores).status_code == 403
    assert api.call("POST", path, as_=("enterprise", factories.credit_code()), json=scores).status_code == 404
    # A specialist of another station (or none) does not see the demand at all.
    assert api.call("POST", path, as_=("specialist", "nobody"),
                    json={**scores, "channel": "revisit_visit"}).status_code == 404
    bad = api.call("POST", path, as_=("enterprise", owner), json={**scores, "overall": 6})
    assert bad.status_code == 422 and "overall" in bad.json()["details"]
    assert wait_for(lambda: api.call("POST", path, as_=("enterprise", owner), json=scores).status_code == 201,
                    message="the owner's feedback")
    assert api.call("POST", path, as_=("enterprise", owner), json=scores).status_code == 409
