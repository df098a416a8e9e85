"""Who may call what: every gateway endpoint against every role, on real cases.

The endpoints come from the gateway's own route declarations, so a new endpoint (or a role added
to one) fails `test_the_matrix_covers_every_route_and_every_role_it_lists` until MATRIX says what
that role gets. A role a route does not list is refused by the gateway itself (403), and a
missing, expired or forged token is refused before that (401); both are checked on every route.

MATRIX is the rest: for each role a route lists, what the call gets on a real resource, both
the caller's own and another party's. Two stations, two enterprises and two institutions (A and
B) each have a case; the callers are named after them. A change the caller may make is shown,
where it cannot be repeated, on a case already past it (the completed case, the resolved
complaint): the caller passes the access checks and is stopped by the state check (409), so
the rows change nothing another row reads and run in any order.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from werkzeug.routing import Map, Rule

from gateway.auth import PERSON
from gateway.roles import ROLES
from gateway.http import routes_of
from gateway.service import GatewayService
from services.intake.catalogue import default_document
from tests import factories
from tests.conftest import wait_for
from tests.e2e import forged
from tests.e2e.harness import Embedded, midday_zone, onestop

ROUTES = [route for _, route in routes_of(GatewayService)]
SECURED = [route for route in ROUTES if route.roles]
OTHER_PARK = "nansha-port-park"
ENTERPRISE_A, ENTERPRISE_B = factories.credit_code(), factories.credit_code()
APPLICANT = factories.credit_code()  # an institution applying, known by its credit code
UNVERIFIED = factories.credit_code()
#: The operating institutions of the two stations, known by their credit codes.
RUNNER, RUNNER_ELSEWHERE = factories.credit_code(), factories.credit_code()
SCORES = {"overall": 4, "timeliness": 4, "professionalism": 4, "attitude": 4, "outcome": 4}
MONTH = datetime.now(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m")  # evaluation's days
#: Shared instruments' calendar: open 08:00-20:00 every day where it is about noon now, so a
#: slot tomorrow is always ahead.
INSTRUMENT_ZONE = midday_zone()
CALLERS = {  # name: (the role it acts in, who it is); every one a person who signed in
    "enterprise A": ("enterprise", "the administrator of enterprise A"),
    "enterprise B": ("enterprise", "the administrator of enterprise B"),
    "unverified enterprise": ("enterprise", "an enterprise that registered itself, not verified yet"),
    "lab A": ("institution", "a member of lab A"),
    "lab B": ("institution", "a member of lab B"),
    "applicant": ("institution", "a member of an institution applying, known by its credit code"),
    "specialist": ("specialist", "of the station serving both enterprises"),
    "specialist elsewhere": ("specialist", "of another park's station"),
    "no station's specialist": ("specialist", "a station's person on no station's staff"),
    "supervisor": ("supervisor", "of the district's agency, with a second factor"),
    "operator": ("operator", "the first operator, with a second factor"),
    "operating institution": ("operating_institution", "a member of the institution running the station"),
    "operating institution elsewhere": ("operating_institution", "a member of the one running the other station"),
    "operator, own account": ("person", "the first operator, about their own account"),
}
#: Every person's password once the one-time one is changed.
PASSWORD = "Matrix-world-2026!"
#: Who stands for a role when the role alone decides (the 401 and 403 checks): the party
#: closest to the resource, so a refusal is the route's doing, not the resource's.
FOR_ROLE = {"enterprise": "enterprise A", "institution": "lab A", "specialist": "specialist",
            "supervisor": "supervisor", "operator": "operator",
            "operating_institution": "operating institution"}
#: The real resource each path parameter names in the 401 and 403 checks.
RESOURCE_OF = {"demand_id": "demand_a", "assignment_id": "assignment_a", "institution_id": "lab_a",
               "station_id": "station", "complaint_id": "complaint_a", "action_id": "action_a",
               "evaluation_id": "evaluation_a", "version": "configuration", "number": "CMA-A",
               "organisation_id": "organisation_a", "person_id": "person_a", "staff_id": "s-1",
               "sha256": "attachment_a", "notice_id": "notice_a", "instrument_id": "instrument_a",
               "application_id": "9b0f7c1e-6d2a-5e3b-8c4f-1a2b3c4d5e6f", "sample_id": "S-NONE",
               "booking_id": "booking_a", "code": "site"}


@dataclass(frozen=True)
class Listing:
    """A 200 whose ``items`` include the ``shows`` and none of the ``hides`` (by ``key``), and
    whose text names none of the ``conceals`` anywhere."""
    shows: tuple = ()
    hides: tuple = ()
    items: str = "items"
    key: str = "id"
    conceals: tuple = ()
    status: int = 200


def sees(*shows, hides=(), **where):
    return Listing(tuple(shows), hides if isinstance(hides, tuple) else (hides,), **where)


def conceals(*names):
    return Listing(conceals=names)


def tomorrow(hour: int) -> str:
    day = datetime.now(ZoneInfo(INSTRUMENT_ZONE)).date() + timedelta(days=1)
    return datetime(day.year, day.month, day.day, hour, tzinfo=ZoneInfo(INSTRUMENT_ZONE)).isoformat()


def shared_instrument(code, **overrides):
    return {"code": code, "name": "拉力试验机", "capabilities": ["拉伸强度"], "park": factories.PARK,
            "address": "3 号楼", "calendar": {"timezone": INSTRUMENT_ZONE, "slot_minutes": 60, "weekly": {
                day: ["08:00-20:00"] for day in ("monday", "tuesday", "wednesday", "thursday", "friday",
                                                 "saturday", "sunday")}}, **overrides}


def shared_slot(hour, **overrides):
    return {"start": tomorrow(hour), "end": tomorrow(hour + 1), "purpose": "拉伸试验",
            "enterprise_name": "企业", "contact": "李华", **overrides}


def note(text="Checked with the enterprise"):
    return {"note": text}


FOLLOW_UP = {"note": "Samples delivered to the lab", "contact": "Li Hua", "channel": "phone"}
INSTRUMENT = {"name": "压力表", "model": "Y-100", "mandatory": True, "interval_months": 12}
AREA = {"value": 120.5, "note": "Ground floor, park service centre"}

PROJECT = {"kind": "enterprise", "title": "LED 筒灯企业标准"}
PATENT = {"kind": "invention_patent", "number": "201710601862.3", "filed_on": "2017-07-10", "title": "散热结构"}


MATRIX = [
    # call                                                      caller                    expected            body
    # Demands: an enterprise its own, an institution those assigned to it, a specialist its station's.
    ("GET /api/v1/demands?per_page=100",                        "enterprise A",           sees("demand_a", hides="demand_b")),
    ("GET /api/v1/demands?per_page=100",                        "enterprise B",           sees("demand_b", hides="demand_a")),
    ("GET /api/v1/demands?per_page=100",                        "lab A",                  sees("demand_a", hides="demand_b")),
    ("GET /api/v1/demands?per_page=100",                        "lab B",                  sees("demand_b", hides="demand_a")),
    ("GET /api/v1/demands?per_page=100",                        "specialist",             sees("demand_a", "demand_b")),
    ("GET /api/v1/demands?per_page=100",                        "specialist elsewhere",   sees(hides=("demand_a", "demand_b"))),
    ("GET /api/v1/demands?per_page=100",                        "supervisor",             sees("demand_a", "demand_b")),
    ("GET /api/v1/demands?per_page=100",                        "operator",               sees("demand_a", "demand_b")),
    ("GET /api/v1/demands/{demand_a}",                          "enterprise A",           200),
    ("GET /api/v1/demands/{demand_b}",                          "enterprise A",           404),
    # Whom the enterprise turned down (spare lab) is its own affair, wherever the lab looks.
    ("GET /api/v1/demands/{demand_a}",                          "lab A",                  conceals("spare_lab")),
    ("GET /api/v1/demands/{demand_b}",                          "lab A",                  404),
    ("GET /api/v1/demands/{demand_a}",                          "specialist",             200),
    ("GET /api/v1/demands/{demand_a}",                          "specialist elsewhere",   404),
    ("GET /api/v1/demands/{demand_a}",                          "no station's specialist", 404),
    ("GET /api/v1/demands/{demand_a}",                          "supervisor",             200),
    ("GET /api/v1/demands/{demand_a}",                          "operator",               200),
    ("POST /api/v1/demands",                                    "enterprise A",           201, factories.demand(ENTERPRISE_A)),
    ("POST /api/v1/demands",                                    "enterprise A",           403, factories.demand(ENTERPRISE_B)),
    # B cannot attach a file A uploaded (nor learn its name).
    ("POST /api/v1/demands",                                    "enterprise B",           422, {**factories.demand(ENTERPRISE_B), "attachments": ["{attachment_a}"]}),
    ("POST /api/v1/demands",                                    "specialist",             201, factories.demand(channel="phone")),
    ("POST /api/v1/demands",                                    "specialist elsewhere",   403, factories.demand(channel="phone")),
    ("POST /api/v1/demands/{demand_done}/assessment",           "specialist",             409, {"decision": "reject", "reason": "Out of scope"}),
    ("POST /api/v1/demands/{demand_done}/assessment",           "specialist elsewhere",   404, {"decision": "reject", "reason": "Out of scope"}),
    ("POST /api/v1/demands/{demand_done}/information",          "enterprise A",           409, {"information": "Model X-1"}),
    ("POST /api/v1/demands/{demand_done}/information",          "enterprise B",           404, {"information": "Model X-1"}),
    ("POST /api/v1/demands/{demand_b}/information",             "enterprise A",           404, {"information": "Model X-1"}),
    ("POST /api/v1/demands/{demand_done}/information",          "specialist",             409, {"information": "Model X-1"}),
    ("POST /api/v1/demands/{demand_done}/information",          "specialist elsewhere",   404, {"information": "Model X-1"}),
    ("POST /api/v1/demands/{demand_done}/withdrawal",           "enterprise A",           409, {"reason": "Solved in-house"}),
    ("POST /api/v1/demands/{demand_b}/withdrawal",              "enterprise A",           404, {"reason": "Solved in-house"}),
    ("POST /api/v1/demands/{demand_done}/withdrawal",           "specialist",             409, {"reason": "Solved in-house"}),
    ("POST /api/v1/demands/{demand_done}/withdrawal",           "specialist elsewhere",   404, {"reason": "Solved in-house"}),
    ("POST /api/v1/demands/{demand_done}/cancellation",         "enterprise A",           409, {"reason": "Discontinued"}),
    ("POST /api/v1/demands/{demand_b}/cancellation",            "enterprise A",           404, {"reason": "Discontinued"}),
    ("POST /api/v1/demands/{demand_done}/cancellation",         "specialist",             409, {"reason": "Discontinued"}),
    ("POST /api/v1/demands/{demand_done}/cancellation",         "specialist elsewhere",   404, {"reason": "Discontinued"}),
    ("POST /api/v1/demands/{demand_a}/follow-ups",              "specialist",             201, FOLLOW_UP),
    ("POST /api/v1/demands/{demand_a}/follow-ups",              "specialist elsewhere",   404, FOLLOW_UP),
    ("POST /api/v1/demands/{demand_done}/feedback",             "enterprise A",           201, SCORES),
    ("POST /api/v1/demands/{demand_done}/feedback",             "enterprise B",           404, SCORES),
    ("POST /api/v1/demands/{demand_done}/feedback",             "specialist",             409, {**SCORES, "channel": "revisit_phone"}),
    ("POST /api/v1/demands/{demand_done}/feedback",             "specialist elsewhere",   404, {**SCORES, "channel": "revisit_phone"}),
    # A case's files: its enterprise, its station's specialists, its institution, supervisors.
    ("GET /api/v1/demands/{demand_a}/files/{attachment_a}",     "enterprise A",           200),
    ("GET /api/v1/demands/{demand_a}/files/{attachment_a}",     "enterprise B",           404),
    ("GET /api/v1/demands/{demand_a}/files/{attachment_a}",     "specialist",             200),
    ("GET /api/v1/demands/{demand_a}/files/{attachment_a}",     "specialist elsewhere",   404),
    ("GET /api/v1/demands/{demand_a}/files/{attachment_a}",     "lab A",                  200),
    ("GET /api/v1/demands/{demand_a}/files/{attachment_a}",     "lab B",                  404),
    ("GET /api/v1/demands/{demand_a}/files/{attachment_a}",     "supervisor",             200),
    ("GET /api/v1/archive/demands/{demand_a}/files/{attachment_a}", "supervisor",         200),
    # The demand hall: enterprise B's battery demand waits there, without who asks; lab B may
    # take it, lab A (no battery scope) is refused with the reason; another park sees nothing.
    ("GET /api/v1/hall",                                        "lab A",                  sees("demand_hall", key="demand_id", conceals=(ENTERPRISE_B, "Guangzhou Lamp Co.", "Li Hua"))),
    ("GET /api/v1/hall",                                        "lab B",                  sees("demand_hall", hides="demand_a", key="demand_id")),
    ("GET /api/v1/hall",                                        "specialist",             sees("demand_hall", key="demand_id", conceals=(ENTERPRISE_B,))),
    ("GET /api/v1/hall",                                        "specialist elsewhere",   sees(hides="demand_hall", key="demand_id")),
    ("GET /api/v1/hall",                                        "no station's specialist", 403),
    ("GET /api/v1/hall",                                        "supervisor",             sees("demand_hall", key="demand_id")),
    ("GET /api/v1/hall/{demand_hall}",                          "lab A",                  conceals(ENTERPRISE_B, "Guangzhou Lamp Co.")),
    ("GET /api/v1/hall/{demand_a}",                             "lab A",                  404),
    ("GET /api/v1/hall/{demand_hall}",                          "specialist",             200),
    ("GET /api/v1/hall/{demand_hall}",                          "specialist elsewhere",   404),
    ("GET /api/v1/hall/{demand_hall}",                          "supervisor",             200),
    ("POST /api/v1/hall/{demand_hall}/interest",                "lab A",                  409, {"note": "We could"}),
    ("POST /api/v1/hall/{demand_hall}/interest",                "lab B",                  201, {"note": "Batteries are our trade"}),
    ("POST /api/v1/hall/{demand_hall}/interest/withdrawal",     "lab A",                  409),
    ("POST /api/v1/hall/{demand_a}/closing",                    "specialist",             409),
    ("POST /api/v1/hall/{demand_hall}/closing",                 "specialist elsewhere",   404),
    ("POST /api/v1/hall/{demand_a}/closing",                    "supervisor",             409),
    ("GET /api/v1/demands/{demand_a}/matching",                 "specialist",             200),
    ("GET /api/v1/demands/{demand_a}/matching",                 "specialist elsewhere",   404),
    ("GET /api/v1/demands/{demand_a}/matching",                 "supervisor",             200),
    ("POST /api/v1/demands/{demand_a}/assignment",              "specialist",             409, {"institution_id": "{lab_a}", "reason": "By hand"}),
    ("POST /api/v1/demands/{demand_a}/assignment",              "specialist elsewhere",   404, {"institution_id": "{lab_a}", "reason": "By hand"}),
    ("POST /api/v1/demands/{demand_b}/assignment",              "supervisor",             409, {"institution_id": "{lab_b}", "reason": "By hand"}),
    ("POST /api/v1/attachments?name=spec.pdf",                  "enterprise A",           201, b"%PDF-1.7 enterprise"),
    ("POST /api/v1/attachments?name=spec.pdf",                  "specialist",             201, b"%PDF-1.7 specialist"),
    ("POST /api/v1/attachments?name=report.pdf",                "lab A",                  201, b"%PDF-1.7 lab"),
    ("POST /api/v1/attachments?name=rules.pdf",                 "operating institution",  201, b"%PDF-1.7 rules"),
    ("POST /api/v1/attachments?name=rules.pdf",                 "operator",               201, b"%PDF-1.7 station rules"),

    # Dossiers: the parties read their own case (without what is not theirs), staff their station's.
    ("GET /api/v1/archive/demands/{demand_a}",                  "enterprise A",           sees("ComplaintReceived", items="events", key="name")),
    ("GET /api/v1/archive/demands/{demand_b}",                  "enterprise A",           404),
    ("GET /api/v1/archive/demands/{demand_a}",                  "lab A",                  sees("InstitutionAssigned", hides="ComplaintReceived", items="events", key="name", conceals=("spare_lab",))),
    ("GET /api/v1/archive/demands/{demand_b}",                  "lab A",                  404),
    ("GET /api/v1/archive/demands/{demand_a}",                  "specialist",             200),
    ("GET /api/v1/archive/demands/{demand_a}",                  "specialist elsewhere",   404),
    ("GET /api/v1/archive/demands/{demand_a}",                  "supervisor",             sees("ComplaintReceived", items="events", key="name")),
    ("GET /api/v1/archive/demands?per_page=100",                "supervisor",             sees("demand_a", "demand_b", key="demand_id")),
    ("GET /api/v1/archive/demands/{demand_a}/verify",           "supervisor",             200),
    ("GET /api/v1/archive/demands/{demand_a}/export",           "supervisor",             200),
    ("GET /api/v1/archive/demands/{demand_a}/export?format=pdf", "supervisor",            200),
    # Retention acts: the regulator's only. The cases here are open (not sealed): the acts pass
    # the access checks and are refused by the state check.
    ("GET /api/v1/archive/disposals/due",                       "supervisor",             200),
    ("POST /api/v1/archive/demands/{demand_a}/legal-hold",      "supervisor",             409, {"reason": "诉讼保全"}),
    ("POST /api/v1/archive/demands/{demand_a}/legal-hold/release", "supervisor",          409, {"reason": "判决已生效"}),
    ("POST /api/v1/archive/demands/{demand_a}/disposal",        "supervisor",             409, {"reason": "保管期限届满"}),

    # Standard projects and IP applications: the demand's parties read them, its institution
    # does the work (demand_a is a testing demand: no project, no application; the work's own
    # rules are tests/e2e/test_projects_http.py's).
    ("GET /api/v1/demands/{demand_a}/standard-project",         "enterprise A",           404),
    ("GET /api/v1/demands/{demand_a}/standard-project",         "lab A",                  404),
    ("GET /api/v1/demands/{demand_a}/standard-project",         "specialist",             404),
    ("GET /api/v1/demands/{demand_a}/standard-project",         "supervisor",             404),
    ("POST /api/v1/demands/{demand_a}/standard-project",        "lab A",                  409, PROJECT),
    ("POST /api/v1/demands/{demand_a}/standard-project",        "lab B",                  404, PROJECT),
    ("POST /api/v1/demands/{demand_a}/standard-project",        "specialist",             409, PROJECT),
    ("POST /api/v1/demands/{demand_a}/standard-project",        "specialist elsewhere",   404, PROJECT),
    # A stage's document is a file the institution uploaded itself, not the enterprise's.
    ("POST /api/v1/demands/{demand_a}/standard-project/stages", "lab A",                  422, {"stage": "initiation", "documents": ["{attachment_a}"], "note": "立项"}),
    ("POST /api/v1/demands/{demand_a}/standard-project/stages", "lab B",                  404, {"stage": "initiation", "documents": ["{attachment_a}"], "note": "立项"}),
    ("GET /api/v1/demands/{demand_a}/standard-project/files/{attachment_a}", "enterprise A", 404),
    ("GET /api/v1/demands/{demand_a}/standard-project/files/{attachment_a}", "lab A",     404),
    ("GET /api/v1/demands/{demand_a}/standard-project/files/{attachment_a}", "specialist", 404),
    ("GET /api/v1/demands/{demand_a}/standard-project/files/{attachment_a}", "supervisor", 404),
    ("GET /api/v1/demands/{demand_a}/ip-applications",          "enterprise A",           200),
    ("GET /api/v1/demands/{demand_a}/ip-applications",          "enterprise B",           404),
    ("GET /api/v1/demands/{demand_a}/ip-applications",          "lab A",                  200),
    ("GET /api/v1/demands/{demand_a}/ip-applications",          "lab B",                  404),
    ("GET /api/v1/demands/{demand_a}/ip-applications",          "specialist",             200),
    ("GET /api/v1/demands/{demand_a}/ip-applications",          "specialist elsewhere",   404),
    ("GET /api/v1/demands/{demand_a}/ip-applications",          "supervisor",             200),
    ("POST /api/v1/demands/{demand_a}/ip-applications",         "lab A",                  409, PATENT),
    ("POST /api/v1/demands/{demand_a}/ip-applications",         "lab B",                  404, PATENT),
    ("POST /api/v1/demands/{demand_a}/ip-applications/9b0f7c1e-6d2a-5e3b-8c4f-1a2b3c4d5e6f/status", "lab A", 409, {"status": "accepted", "on": "2017-07-12"}),
    ("POST /api/v1/demands/{demand_a}/ip-applications/9b0f7c1e-6d2a-5e3b-8c4f-1a2b3c4d5e6f/status", "lab B", 404, {"status": "accepted", "on": "2017-07-12"}),

    # Assignments and partner events: an institution its own only.
    ("GET /api/v1/assignments",                                 "lab A",                  sees("assignment_a", hides="assignment_b", key="assignment_id")),
    ("GET /api/v1/assignments",                                 "lab B",                  sees("assignment_b", hides="assignment_a", key="assignment_id")),
    ("GET /api/v1/assignments/{assignment_a}",                  "lab A",                  200),
    ("GET /api/v1/assignments/{assignment_a}",                  "lab B",                  404),
    ("POST /api/v1/assignments/{assignment_done}/acceptance",   "lab A",                  409, {"promised_date": "2099-01-01"}),
    ("POST /api/v1/assignments/{assignment_done}/acceptance",   "lab B",                  404, {"promised_date": "2099-01-01"}),
    ("POST /api/v1/assignments/{assignment_done}/decline",      "lab A",                  409, {"reason": "Fully booked"}),
    ("POST /api/v1/assignments/{assignment_done}/decline",      "lab B",                  404, {"reason": "Fully booked"}),
    ("POST /api/v1/assignments/{assignment_a}/progress",        "lab A",                  201, {"milestone": "Samples received"}),
    ("POST /api/v1/assignments/{assignment_a}/progress",        "lab B",                  404, {"milestone": "Samples received"}),
    ("POST /api/v1/assignments/{assignment_done}/completion",   "lab A",                  409, {"report_number": "R-1"}),
    ("POST /api/v1/assignments/{assignment_b}/completion",      "lab A",                  404, {"report_number": "R-1"}),
    # Evidence is a file the lab uploaded itself, not one of the enterprise's.
    ("POST /api/v1/assignments/{assignment_done}/completion",   "lab A",                  422, {"report_number": "R-1", "documents": [{"name": "a.pdf", "sha256": "{attachment_a}"}]}),
    # Testing and certification: quotes are off in this world, so no case waits for one.
    ("POST /api/v1/assignments/{assignment_done}/quote",        "lab A",                  409, {"amount": "100", "items": [{"item": "test", "amount": "100"}], "valid_until": "2099-01-01"}),
    ("POST /api/v1/assignments/{assignment_done}/quote",        "lab B",                  404, {"amount": "100", "items": [{"item": "test", "amount": "100"}], "valid_until": "2099-01-01"}),
    ("POST /api/v1/assignments/{assignment_a}/samples",         "lab A",                  201, {"sample_id": "S-MATRIX", "description": "lamp", "quantity": 1, "received_on": "2026-01-05", "condition": "sealed"}),
    ("POST /api/v1/assignments/{assignment_a}/samples",         "lab B",                  404, {"sample_id": "S-MATRIX", "description": "lamp", "quantity": 1, "received_on": "2026-01-05", "condition": "sealed"}),
    ("POST /api/v1/assignments/{assignment_done}/samples/S-NONE/disposition", "lab A",    404, {"disposition": "returned", "on": "2026-01-05"}),
    ("POST /api/v1/assignments/{assignment_done}/samples/S-NONE/disposition", "lab B",    404, {"disposition": "returned", "on": "2026-01-05"}),
    ("POST /api/v1/demands/{demand_done}/quote/acceptance",     "enterprise A",           409, {}),
    ("POST /api/v1/demands/{demand_done}/quote/acceptance",     "enterprise B",           404, {}),
    ("POST /api/v1/demands/{demand_done}/quote/decline",        "enterprise A",           409, {"reason": "Too dear"}),
    ("POST /api/v1/demands/{demand_done}/quote/decline",        "enterprise B",           404, {"reason": "Too dear"}),
    # The register by number for anyone signed in; by institution and validity for staff.
    ("GET /api/v1/reports?number=R-0",                          "enterprise B",           sees("R-0", key="number")),
    ("GET /api/v1/reports?number=R-0",                          "lab B",                  sees("R-0", key="number")),
    ("GET /api/v1/reports?number=R-0",                          "specialist elsewhere",   sees("R-0", key="number")),
    ("GET /api/v1/reports?institution_id={lab_a}&valid=true",   "supervisor",             sees("R-0", key="number")),
    ("GET /api/v1/reports?institution_id={lab_a}",              "operator",               403),
    ("GET /api/v1/reports?institution_id={lab_a}",              "enterprise A",           403),
    ("GET /api/v1/partner/events?limit=500",                    "lab A",                  sees("lab_a", hides="lab_b", key="institution_id", conceals=("spare_lab",))),
    ("GET /api/v1/partner/events?limit=500",                    "lab B",                  sees("lab_b", hides="lab_a", key="institution_id")),
    ("PUT /api/v1/partner/webhook",                             "lab A",                  200, {"url": "http://127.0.0.1:9/lab-a"}),
    ("POST /api/v1/partner/webhook/secret",                     "lab A",                  201),
    ("POST /api/v1/partner/webhook/secret",                     "lab B",                  404),
    ("GET /api/v1/partner/webhook",                             "lab A",                  200),
    # An institution's user on the partner exchange: the operators' to give (a real RabbitMQ's
    # management API answers; tests/service/test_partner_exchange.py grants and revokes).
    ("GET /api/v1/institutions/{lab_a}/partner-access",         "operator",               200),
    ("POST /api/v1/institutions/{application}/partner-access",  "operator",               409),
    ("POST /api/v1/institutions/{lab_a}/partner-access/revocation", "operator",           404, {"reason": "协议终止"}),
    ("GET /api/v1/partner/webhook",                             "lab B",                  404),
    ("POST /api/v1/partner/webhook/redelivery",                 "lab A",                  200, {"from_event_id": "{event_a}"}),
    ("POST /api/v1/partner/webhook/redelivery",                 "lab B",                  404, {"from_event_id": "{event_a}"}),

    # Institutions.
    # A specialist registers, reviews and qualifies the institutions of their own park only.
    ("POST /api/v1/institutions",                               "specialist",             201, factories.institution()),
    ("POST /api/v1/institutions",                               "specialist",             403, factories.institution(parks=["elsewhere-park"])),
    ("POST /api/v1/institutions",                               "specialist elsewhere",   403, factories.institution()),
    ("POST /api/v1/institutions",                               "no station's specialist", 403, factories.institution(parks=["elsewhere-park"])),
    ("POST /api/v1/institutions",                               "operator",               201, factories.institution(parks=["elsewhere-park"])),
    ("POST /api/v1/institutions",                               "applicant",              409, factories.institution(credit_code=APPLICANT)),
    ("POST /api/v1/institutions",                               "lab A",                  403, factories.institution()),
    # The directory: the public part for enterprises, everything for staff.
    ("GET /api/v1/institutions?name=lab",                       "enterprise A",           200),
    ("GET /api/v1/institutions?status=suspended",               "enterprise A",           403),
    ("GET /api/v1/institutions?status=suspended",               "specialist",             200),
    ("GET /api/v1/institutions",                                "supervisor",             200),
    ("GET /api/v1/institutions",                                "operator",               200),
    ("GET /api/v1/institutions/{lab_a}",                        "lab A",                  200),
    # Its profile: the institution itself, a specialist of its park, an operator.
    ("PATCH /api/v1/institutions/{lab_a}",                      "lab A",                  200, {"contact": {"name": "王工", "phone": "020-1"}, "reason": "新联系人"}),
    ("PATCH /api/v1/institutions/{lab_a}",                      "lab B",                  404, {"contact": {"name": "x", "phone": "1"}, "reason": "x"}),
    ("PATCH /api/v1/institutions/{lab_a}",                      "specialist",             200, {"contact": {"name": "王工", "phone": "020-1"}, "reason": "核对"}),
    ("PATCH /api/v1/institutions/{lab_a}",                      "specialist elsewhere",   403, {"contact": {"name": "x", "phone": "1"}, "reason": "x"}),
    ("PATCH /api/v1/institutions/{lab_a}",                      "operator",               200, {"contact": {"name": "王工", "phone": "020-1"}, "reason": "核对"}),
    ("GET /api/v1/institutions/{lab_b}",                        "lab A",                  404),
    ("GET /api/v1/institutions/{lab_a}",                        "specialist",             200),
    ("GET /api/v1/institutions/{lab_a}",                        "supervisor",             200),
    ("GET /api/v1/institutions/{lab_a}",                        "operator",               200),
    ("POST /api/v1/institutions/{application}/review",          "specialist elsewhere",   403, {"decision": "approve", "reason": "Papers in order"}),
    ("POST /api/v1/institutions/{application}/review",          "specialist",             200, {"decision": "approve", "reason": "Papers in order"}),
    ("POST /api/v1/institutions/{application}/review",          "no station's specialist", 403, {"decision": "approve", "reason": "Papers in order"}),
    ("POST /api/v1/institutions/{lab_a}/review",                "operator",               409, {"decision": "approve", "reason": "Papers in order"}),
    ("POST /api/v1/institutions/{lab_to_suspend}/standing",     "supervisor",             200, {"action": "suspend", "reason": "Under investigation"}),
    ("POST /api/v1/institutions/{lab_to_exit}/standing",        "operator",               200, {"action": "exit", "reason": "Left the park"}),
    ("POST /api/v1/institutions/{lab_a}/qualifications",        "specialist",             201, {**factories.institution()["qualifications"][0], "type": "CERTIFICATION", "number": "CERT-S3"}),
    ("POST /api/v1/institutions/{lab_a}/qualifications",        "specialist elsewhere",   403, {**factories.institution()["qualifications"][0], "type": "OTHER", "number": "OTHER-S6"}),
    ("POST /api/v1/institutions/{spare_lab}/qualifications",    "specialist",             403, {**factories.institution()["qualifications"][0], "type": "OTHER", "number": "OTHER-S7"}),
    ("POST /api/v1/institutions/{spare_lab}/qualifications",    "operator",               201, {**factories.institution()["qualifications"][0], "type": "OTHER", "number": "OTHER-S4"}),
    ("POST /api/v1/institutions/{spare_lab}/qualifications",    "no station's specialist", 403, {**factories.institution()["qualifications"][0], "type": "OTHER", "number": "OTHER-S5"}),
    ("POST /api/v1/institutions/{spare_lab}/qualifications/CNAS-S1/status", "supervisor", 200, {"status": "suspended", "reason": "Audit"}),
    ("POST /api/v1/institutions/{spare_lab}/qualifications/MET-S2/status", "operator",    200, {"status": "withdrawn", "reason": "Lapsed"}),

    # Stations.
    ("POST /api/v1/stations",                                   "operator",               201, factories.station(park="matrix-park-1")),
    ("POST /api/v1/stations",                                   "supervisor",             201, factories.station(park="matrix-park-2")),
    # Every station, to the regulator and the platform's operators.
    ("GET /api/v1/stations?per_page=100",                       "supervisor",             sees("station", "station_elsewhere")),
    ("GET /api/v1/stations?per_page=100",                       "operator",               sees("station", "station_elsewhere")),
    ("GET /api/v1/stations?per_page=100",                       "operating institution",  sees("station", hides="station_elsewhere")),
    ("GET /api/v1/stations?per_page=100",                       "operating institution elsewhere", sees("station_elsewhere", hides="station")),
    ("GET /api/v1/stations/{station}",                          "specialist",             200),
    ("GET /api/v1/stations/{station}",                          "specialist elsewhere",   200),
    ("GET /api/v1/stations/{station}",                          "supervisor",             200),
    ("GET /api/v1/stations/{station}",                          "operator",               200),
    ("PATCH /api/v1/stations/{station}",                        "specialist",             200, {"address": "番禺区兴业大道 1 号", "reason": "搬迁"}),
    ("PATCH /api/v1/stations/{station}",                        "specialist elsewhere",   403, {"address": "x", "reason": "x"}),
    ("PATCH /api/v1/stations/{station}",                        "operator",               200, {"opening_hours": "周一至周五 9:00-17:30", "reason": "更正"}),
    # A station's requirements: its specialists and operators record, supervisors confirm.
    ("GET /api/v1/stations/{station}/requirements",             "specialist",             200),
    ("GET /api/v1/stations/{station}/requirements",             "specialist elsewhere",   404),
    ("GET /api/v1/stations/{station}/requirements",             "supervisor",             200),
    ("GET /api/v1/stations/{station}/requirements",             "operator",               200),
    # Its operating institution reads them and records the items it owns, only those.
    ("GET /api/v1/stations/{station}/requirements",             "operating institution",  200),
    ("GET /api/v1/stations/{station}/requirements",             "operating institution elsewhere", 404),
    ("PUT /api/v1/stations/{station}/requirements/institution_rules", "operating institution", 200, {"evidence": ["{runner_evidence}"]}),
    ("PUT /api/v1/stations/{station}/requirements/institution_rules", "operating institution elsewhere", 404, {"evidence": []}),
    ("PUT /api/v1/stations/{station}/requirements/area_m2",     "operating institution",  403, AREA),
    ("PUT /api/v1/stations/{station}/requirements/area_m2",     "specialist",             200, AREA),
    ("PUT /api/v1/stations/{station}/requirements/area_m2",     "specialist elsewhere",   403, AREA),
    ("PUT /api/v1/stations/{station}/requirements/area_m2",     "operator",               200, AREA),
    ("PUT /api/v1/stations/{station}/requirements/station_rules", "operator",             200, {"note": "Rules", "evidence": ["{operator_evidence}"]}),
    # Never recorded (no row records it): nothing to confirm.
    ("POST /api/v1/stations/{station}/requirements/layout/confirmation", "supervisor",   409, {}),
    ("GET /api/v1/stations/{station}/requirements/site/files/{evidence}", "specialist",  200),
    ("GET /api/v1/stations/{station}/requirements/site/files/{evidence}", "specialist elsewhere", 404),
    ("GET /api/v1/stations/{station}/requirements/site/files/{evidence}", "supervisor",  200),
    ("GET /api/v1/stations/{station}/requirements/site/files/{evidence}", "operator",    200),
    ("GET /api/v1/stations/{station}/requirements/site/files/{evidence}", "operating institution", 200),
    ("GET /api/v1/stations/{station}/requirements/site/files/{evidence}", "operating institution elsewhere", 404),
    ("POST /api/v1/stations/{station}/specialists",             "operator",               201, factories.specialist("s-3")),

    # Complaints: the complainant's own, the station's, or (supervisor) all.
    ("POST /api/v1/complaints",                                 "enterprise A",           201, {"demand_id": "{demand_a}", "against": {"kind": "station", "id": "{station}"}, "summary": "Slow"}),
    ("POST /api/v1/complaints",                                 "enterprise A",           422, {"demand_id": "{demand_b}", "against": {"kind": "station", "id": "{station}"}, "summary": "Slow"}),
    ("GET /api/v1/complaints",                                  "enterprise A",           sees("complaint_a", hides="complaint_b")),
    ("GET /api/v1/complaints",                                  "enterprise B",           sees("complaint_b", hides="complaint_a")),
    ("GET /api/v1/complaints",                                  "specialist",             sees("complaint_a", "complaint_b")),
    ("GET /api/v1/complaints",                                  "specialist elsewhere",   sees(hides=("complaint_a", "complaint_b"))),
    ("GET /api/v1/complaints",                                  "supervisor",             sees("complaint_a", "complaint_b")),
    # An institution reads (and answers) the complaints against it, no other.
    ("GET /api/v1/complaints",                                  "lab A",                  sees("complaint_done", hides=("complaint_a", "complaint_b"))),
    ("GET /api/v1/complaints",                                  "lab B",                  sees(hides=("complaint_done", "complaint_a"))),
    ("GET /api/v1/complaints/{complaint_done}",                 "lab A",                  200),
    ("GET /api/v1/complaints/{complaint_done}",                 "lab B",                  404),
    ("GET /api/v1/complaints/{complaint_a}",                    "lab A",                  404),
    ("POST /api/v1/complaints/{complaint_lab}/answer",          "lab A",                  201, note()),
    ("POST /api/v1/complaints/{complaint_done}/answer",         "lab A",                  409, note()),
    ("POST /api/v1/complaints/{complaint_done}/answer",         "lab B",                  404, note()),
    ("POST /api/v1/complaints/{complaint_a}/answer",            "lab A",                  404, note()),
    ("GET /api/v1/complaints/{complaint_a}",                    "enterprise A",           200),
    ("GET /api/v1/complaints/{complaint_b}",                    "enterprise A",           404),
    ("GET /api/v1/complaints/{complaint_a}",                    "specialist",             200),
    ("GET /api/v1/complaints/{complaint_a}",                    "specialist elsewhere",   404),
    ("GET /api/v1/complaints/{complaint_a}",                    "supervisor",             200),
    ("POST /api/v1/complaints/{complaint_done}/investigation",  "specialist",             409, note()),
    ("POST /api/v1/complaints/{complaint_done}/investigation",  "specialist elsewhere",   404, note()),
    ("POST /api/v1/complaints/{complaint_done}/investigation",  "supervisor",             409, note()),
    ("POST /api/v1/complaints/{complaint_done}/escalation",     "specialist",             409, note()),
    ("POST /api/v1/complaints/{complaint_done}/escalation",     "specialist elsewhere",   404, note()),
    ("POST /api/v1/complaints/{complaint_done}/escalation",     "supervisor",             409, note()),
    ("POST /api/v1/complaints/{complaint_done}/resolution",     "specialist",             409, {"outcome": "upheld", "resolution": "Retested"}),
    ("POST /api/v1/complaints/{complaint_done}/resolution",     "specialist elsewhere",   404, {"outcome": "upheld", "resolution": "Retested"}),
    ("POST /api/v1/complaints/{complaint_done}/resolution",     "supervisor",             409, {"outcome": "upheld", "resolution": "Retested"}),
    ("GET /api/v1/revisits",                                    "specialist",             200),
    ("GET /api/v1/revisits",                                    "supervisor",             200),

    # Supervision and evaluation: a supervisor every scope, a specialist its station's, an institution its own.
    ("POST /api/v1/supervision/checks",                         "supervisor",             201, {"kind": "spot_check", "subject": {"kind": "station", "id": "{station}"}, "findings": [{"severity": "observation", "note": "Tidy"}]}),
    ("GET /api/v1/supervision/checks",                          "supervisor",             200),
    ("GET /api/v1/evaluation/configurations",                   "supervisor",             200),
    ("GET /api/v1/evaluation/configurations",                   "specialist",             200),
    ("GET /api/v1/evaluation/configurations",                   "lab A",                  200),
    ("GET /api/v1/evaluation/configurations/{configuration}",   "supervisor",             200),
    ("GET /api/v1/evaluation/configurations/{configuration}",   "specialist",             200),
    ("GET /api/v1/evaluation/configurations/{configuration}",   "lab A",                  200),
    ("POST /api/v1/evaluation/configurations",                  "supervisor",             201, lambda world: {**world["configuration_document"], "version": "matrix-1"}),
    ("GET /api/v1/evaluation/figures?scope=all&period=" + MONTH, "supervisor",            200),
    ("GET /api/v1/evaluation/figures?scope=station:{station}&period=" + MONTH, "specialist", 200),
    ("GET /api/v1/evaluation/figures?scope=station:{station}&period=" + MONTH, "specialist elsewhere", 403),
    ("GET /api/v1/evaluation/figures?scope=all&period=" + MONTH, "specialist",            403),
    ("GET /api/v1/evaluation/figures?scope=institution:{lab_a}&period=" + MONTH, "lab A", 200),
    ("GET /api/v1/evaluation/figures?scope=institution:{lab_b}&period=" + MONTH, "lab A", 403),
    ("GET /api/v1/evaluation/report?scope=all&period=" + MONTH, "supervisor",             200),
    ("GET /api/v1/evaluation/report?scope=station:{station}&period=" + MONTH, "specialist", 200),
    ("GET /api/v1/evaluation/report?scope=station:{station}&period=" + MONTH, "specialist elsewhere", 403),
    ("GET /api/v1/evaluation/report?scope=institution:{lab_a}&period=" + MONTH, "lab A",  200),
    ("GET /api/v1/evaluation/report?scope=institution:{lab_b}&period=" + MONTH, "lab A",  403),
    ("GET /api/v1/evaluation/trend?scope=all&period=" + MONTH, "supervisor",              200),
    ("GET /api/v1/evaluation/trend?scope=station:{station}&period=" + MONTH, "specialist", 200),
    ("GET /api/v1/evaluation/trend?scope=station:{station}&period=" + MONTH, "specialist elsewhere", 403),
    ("GET /api/v1/evaluation/trend?scope=institution:{lab_a}&period=" + MONTH, "lab A",   200),
    ("GET /api/v1/evaluation/trend?scope=institution:{lab_b}&period=" + MONTH, "lab A",   403),
    ("POST /api/v1/evaluations",                                "supervisor",             201, {"scope": "all", "period": "2020-01", "configuration_version": "matrix-strict"}),
    ("POST /api/v1/evaluations/{evaluation_mistaken}/withdrawal", "supervisor",           200, {"reason": "Published too early"}),
    ("GET /api/v1/evaluations",                                 "supervisor",             sees("evaluation_a", "evaluation_b", "evaluation_station")),
    ("GET /api/v1/evaluations",                                 "specialist",             sees("evaluation_station", hides=("evaluation_a", "evaluation_b"))),
    ("GET /api/v1/evaluations",                                 "specialist elsewhere",   sees(hides=("evaluation_a", "evaluation_b", "evaluation_station"))),
    ("GET /api/v1/evaluations",                                 "lab A",                  sees("evaluation_a", hides=("evaluation_b", "evaluation_station"))),
    ("GET /api/v1/evaluations",                                 "lab B",                  sees("evaluation_b", hides=("evaluation_a", "evaluation_station"))),
    ("GET /api/v1/evaluations/{evaluation_a}",                  "supervisor",             200),
    ("GET /api/v1/evaluations/{evaluation_station}",            "specialist",             200),
    ("GET /api/v1/evaluations/{evaluation_a}",                  "specialist",             404),
    ("GET /api/v1/evaluations/{evaluation_station}",            "specialist elsewhere",   404),
    ("GET /api/v1/evaluations/{evaluation_a}",                  "lab A",                  200),
    ("GET /api/v1/evaluations/{evaluation_b}",                  "lab A",                  404),
    ("GET /api/v1/improvement-actions",                         "supervisor",             sees("action_a", "action_station")),
    ("GET /api/v1/improvement-actions",                         "specialist",             sees("action_station", hides="action_a")),
    ("GET /api/v1/improvement-actions",                         "specialist elsewhere",   sees(hides=("action_a", "action_station"))),
    ("GET /api/v1/improvement-actions",                         "lab A",                  sees("action_a", hides="action_station")),
    ("GET /api/v1/improvement-actions",                         "lab B",                  sees(hides=("action_a", "action_station"))),
    ("POST /api/v1/improvement-actions/{action_a}/progress",    "lab A",                  200, note("Retrained the staff")),
    ("POST /api/v1/improvement-actions/{action_a}/progress",    "lab B",                  404, note("Retrained the staff")),
    ("POST /api/v1/improvement-actions/{action_a}/progress",    "specialist",             404, note("Retrained the staff")),
    ("POST /api/v1/improvement-actions/{action_station}/progress", "specialist",          200, note("New queue display")),
    ("POST /api/v1/improvement-actions/{action_station}/progress", "specialist elsewhere", 404, note("New queue display")),
    ("POST /api/v1/improvement-actions/{action_station}/progress", "lab A",               404, note("New queue display")),
    ("POST /api/v1/improvement-actions/{action_a}/progress",    "supervisor",             200, note("Checked on site")),
    ("POST /api/v1/improvement-actions/{action_to_close}/closure", "supervisor",          200, {"outcome": "Improved"}),

    ("POST /api/v1/stations/{station}/specialists/nobody/removal", "operator",            409, {"reason": "Not on this staff"}),
    # People: signing in, one's own account, and who administers whose.
    ("POST /api/v1/sessions",                                   None,                     401, {"sign_in_name": "operator", "password": "not-the-password"}),
    ("POST /api/v1/sessions/refresh",                           None,                     401, {"refresh_token": "{session_a}"}),
    ("POST /api/v1/sessions/end",                               None,                     401, {"refresh_token": "not-a-session"}),
    ("GET /.well-known/jwks.json",                              None,                     200),
    ("GET /api/v1/sessions/providers",                          None,                     200),
    # A browser's navigations: an issuer not configured, a callback with no flow under way,
    # each back to the sign-in page (tests/e2e/test_external_issuer.py follows them whole).
    ("GET /api/v1/sessions/external?issuer=https://idp.example.org", None,                303),
    ("GET /api/v1/sessions/external/callback?code=x&state=y",   None,                     303),
    ("GET /.well-known/openid-configuration",                   None,                     200),
    ("GET /api/v1/audit?event=PersonSignedIn",                  "supervisor",             200),
    ("GET /api/v1/audit",                                       "operator",               200),
    ("GET /api/v1/me",                                          "operator, own account",  200),
    ("POST /api/v1/me/password",                                "operator, own account",  401, {"current_password": "not-it", "new_password": "Another-pass-2026"}),
    ("POST /api/v1/me/second-factor",                           "operator, own account",  409),
    ("POST /api/v1/me/second-factor/confirmation",              "operator, own account",  409, {"code": "123456"}),
    # An enterprise that registered itself acts for nobody until a specialist verified it.
    ("GET /api/v1/demands",                                     "unverified enterprise",  403),
    ("POST /api/v1/demands",                                    "unverified enterprise",  403, factories.demand(UNVERIFIED)),
    ("POST /api/v1/persons/{person_a}/second-factor-reset",     "operator",               409),
    ("POST /api/v1/persons/{person_a}/second-factor-reset",     "enterprise B",           403),
    ("POST /api/v1/enterprise-registrations",                   None,                     201, {"credit_code": factories.credit_code(), "organisation_name": "企业 C", "sign_in_name": "c-admin", "name": "钱七", "mobile": "13700000000", "password": "Enterprise-C-2026"}),
    ("POST /api/v1/institution-registrations",                  None,                     201, {"credit_code": factories.credit_code(), "organisation_name": "机构 D", "sign_in_name": "d-member", "name": "李九", "mobile": "13700000001", "password": "Institution-D-2026"}),
    ("GET /api/v1/organisations?kind=enterprise",               "operator",               sees("organisation_a")),
    ("GET /api/v1/organisations?kind=enterprise",               "specialist",             sees("organisation_a")),
    ("GET /api/v1/organisations?kind=agency",                   "specialist",             403),
    ("GET /api/v1/organisations",                               "no station's specialist", 403),
    ("POST /api/v1/organisations/{organisation_a}/verification", "specialist",            409, {"evidence": "Business licence seen"}),
    ("POST /api/v1/organisations/{organisation_a}/verification", "operator",              409, {"evidence": "Business licence seen"}),
    ("POST /api/v1/organisations",                              "operator",               201, {"kind": "agency", "party": "panyu-amr", "name": "番禺区市场监督管理局"}),
    ("GET /api/v1/organisations/{organisation_a}",              "operator",               200),
    ("GET /api/v1/organisations/{organisation_a}",              "enterprise A",           200),
    ("GET /api/v1/organisations/{organisation_a}",              "enterprise B",           403),
    ("POST /api/v1/persons",                                    "operator",               201, {"organisation_id": "{organisation_a}", "sign_in_name": "a-member", "name": "王五", "roles": ["enterprise_member"]}),
    ("POST /api/v1/persons",                                    "enterprise A",           201, {"organisation_id": "{organisation_a}", "sign_in_name": "a-colleague", "name": "赵六", "roles": ["enterprise_member"]}),
    ("POST /api/v1/persons",                                    "enterprise B",           403, {"organisation_id": "{organisation_a}", "sign_in_name": "a-intruder", "name": "赵六", "roles": ["enterprise_member"]}),
    ("GET /api/v1/persons?organisation_id={organisation_a}",    "operator",               sees("person_a")),
    ("GET /api/v1/persons?organisation_id={organisation_a}",    "enterprise A",           sees("person_a")),
    ("GET /api/v1/persons?organisation_id={organisation_a}",    "enterprise B",           403),
    ("GET /api/v1/persons/{person_a}",                          "operator",               200),
    ("GET /api/v1/persons/{person_a}",                          "enterprise A",           200),
    ("GET /api/v1/persons/{person_a}",                          "enterprise B",           403),
    ("POST /api/v1/persons/{person_a}/password-reset",          "operator",               200),
    ("POST /api/v1/persons/{person_a}/password-reset",          "enterprise B",           403),
    ("POST /api/v1/persons/{person_a}/roles",                   "operator",               409, {"action": "grant", "role": "enterprise_admin", "reason": "already held"}),
    ("POST /api/v1/persons/{person_a}/roles",                   "enterprise B",           403, {"action": "revoke", "role": "enterprise_admin", "reason": "a coup"}),
    ("POST /api/v1/persons/{person_a}/enabled",                 "operator",               409, {"enabled": True, "reason": "is enabled"}),
    ("POST /api/v1/persons/{person_a}/enabled",                 "enterprise B",           403, {"enabled": False, "reason": "a coup"}),

    ("GET /api/v1/me/station",                                  "specialist",             200),
    ("GET /api/v1/me/station",                                  "no station's specialist", 403),

    # Notices: each reads those of what they act for; marking one read is for themselves.
    ("GET /api/v1/notifications?per_page=100",                  "enterprise A",           sees("notice_a", hides="notice_b")),
    ("GET /api/v1/notifications?per_page=100",                  "enterprise B",           sees("notice_b", hides="notice_a")),
    ("GET /api/v1/notifications?per_page=100",                  "lab A",                  sees(hides=("notice_a", "notice_b"))),
    ("GET /api/v1/notifications?per_page=100",                  "specialist",             sees("notice_station", hides=("notice_a", "notice_b"))),
    ("GET /api/v1/notifications?per_page=100",                  "specialist elsewhere",   sees(hides="notice_station")),
    ("POST /api/v1/notifications/{notice_a}/read",              "enterprise A",           200),
    ("POST /api/v1/notifications/{notice_a}/read",              "enterprise B",           404),
    ("POST /api/v1/notifications/{notice_a}/read",              "lab A",                  404),
    ("POST /api/v1/notifications/{notice_a}/read",              "specialist",             404),
    ("GET /api/v1/notifications/preferences",                   "enterprise A",           200),
    ("GET /api/v1/notifications/preferences",                   "lab A",                  200),
    ("GET /api/v1/notifications/preferences",                   "specialist",             200),
    ("PUT /api/v1/notifications/preferences",                   "enterprise B",           200, {"channels": ["email"]}),
    ("PUT /api/v1/notifications/preferences",                   "lab B",                  200, {"channels": ["sms"], "language": "en"}),
    ("PUT /api/v1/notifications/preferences",                   "specialist elsewhere",   200, {"channels": []}),

    # Shared instruments: anyone reads them; the owner (or an operator) changes its own; an
    # enterprise books and cancels its own, and sees slots taken, never by whom.
    ("GET /api/v1/instruments",                                 "enterprise A",           sees("shared_instrument_a")),
    ("GET /api/v1/instruments",                                 "lab A",                  sees("shared_instrument_a")),
    ("GET /api/v1/instruments",                                 "specialist",             sees("shared_instrument_a")),
    ("GET /api/v1/instruments",                                 "supervisor",             sees("shared_instrument_a")),
    ("GET /api/v1/instruments",                                 "operator",               sees("shared_instrument_a")),
    ("POST /api/v1/instruments",                                "lab A",                  201, shared_instrument("M-NEW")),
    ("POST /api/v1/instruments",                                "lab B",                  403, shared_instrument("M-B", institution_id="{lab_a}")),
    ("POST /api/v1/instruments",                                "operator",               201, shared_instrument("M-OP", institution_id="{lab_b}")),
    ("GET /api/v1/instruments/{shared_instrument_a}",                  "enterprise A",           200),
    ("GET /api/v1/instruments/{shared_instrument_a}",                  "enterprise B",           conceals(ENTERPRISE_A)),
    ("GET /api/v1/instruments/{shared_instrument_a}",                  "lab B",                  200),
    ("GET /api/v1/instruments/{shared_instrument_a}",                  "specialist",             200),
    ("GET /api/v1/instruments/{shared_instrument_a}",                  "supervisor",             200),
    ("GET /api/v1/instruments/{shared_instrument_a}",                  "operator",               200),
    ("PATCH /api/v1/instruments/{shared_instrument_a}",                "lab A",                  200, {"address": "3 号楼 2 层", "reason": "搬迁"}),
    ("PATCH /api/v1/instruments/{shared_instrument_a}",                "lab B",                  404, {"address": "x", "reason": "x"}),
    ("PATCH /api/v1/instruments/{shared_instrument_a}",                "operator",               200, {"address": "3 号楼 2 层", "reason": "核对"}),
    ("POST /api/v1/instruments/{shared_instrument_a}/withdrawal",      "lab A",                  409, {"reason": "报废"}),
    ("POST /api/v1/instruments/{shared_instrument_a}/withdrawal",      "lab B",                  404, {"reason": "报废"}),
    ("POST /api/v1/instruments/{shared_instrument_a}/withdrawal",      "operator",               409, {"reason": "报废"}),
    ("POST /api/v1/instruments/{shared_instrument_a}/bookings",        "enterprise A",           409, shared_slot(10)),
    ("POST /api/v1/instruments/{shared_instrument_a}/bookings",        "enterprise B",           201, shared_slot(14)),
    ("GET /api/v1/instruments/utilisation?from=2026-01-01&to=2026-01-31", "lab A",        200),
    ("GET /api/v1/instruments/utilisation?from=2026-01-01&to=2026-01-31", "specialist",   200),
    ("GET /api/v1/instruments/utilisation?from=2026-01-01&to=2026-01-31", "supervisor",   200),
    ("GET /api/v1/instruments/utilisation?from=2026-01-01&to=2026-01-31", "operator",     200),
    ("GET /api/v1/bookings",                                    "enterprise A",           sees("booking_a")),
    ("GET /api/v1/bookings",                                    "enterprise B",           sees(hides="booking_a")),
    ("GET /api/v1/bookings",                                    "lab A",                  sees("booking_a")),
    ("GET /api/v1/bookings",                                    "lab B",                  sees(hides="booking_a")),
    ("GET /api/v1/bookings",                                    "specialist",             sees("booking_a")),
    ("GET /api/v1/bookings",                                    "specialist elsewhere",   sees(hides="booking_a")),
    ("GET /api/v1/bookings",                                    "supervisor",             sees("booking_a")),
    ("GET /api/v1/bookings",                                    "operator",               sees("booking_a")),
    ("POST /api/v1/bookings/{booking_done}/confirmation",       "lab A",                  409),
    ("POST /api/v1/bookings/{booking_a}/confirmation",          "lab B",                  404),
    ("POST /api/v1/bookings/{booking_done}/decline",            "lab A",                  409, {"reason": "维护"}),
    ("POST /api/v1/bookings/{booking_a}/decline",               "lab B",                  404, {"reason": "维护"}),
    ("POST /api/v1/bookings/{booking_done}/cancellation",       "enterprise A",           409, {"reason": "改期"}),
    ("POST /api/v1/bookings/{booking_a}/cancellation",          "enterprise B",           404, {"reason": "改期"}),
    ("POST /api/v1/bookings/{booking_done}/cancellation",       "lab A",                  409, {"reason": "维护"}),
    ("POST /api/v1/bookings/{booking_a}/cancellation",          "lab B",                  404, {"reason": "维护"}),
    ("POST /api/v1/bookings/{booking_done}/usage",              "lab A",                  409, {}),
    ("POST /api/v1/bookings/{booking_a}/usage",                 "lab B",                  404, {}),
    # The metrology register: the enterprise keeps its own; its station's specialists read it
    # and may make its demands; supervisors read every one.
    ("PUT /api/v1/metrology/register",                          "enterprise A",           200, {"enterprise": {"name": "企业 A", "credit_code": ENTERPRISE_A, "contact": "王工", "phone": "+86 20 8888 0001"}, "park": factories.PARK}),
    ("PUT /api/v1/metrology/register",                          "enterprise B",           403, {"enterprise": {"name": "企业 A", "credit_code": ENTERPRISE_A, "contact": "王工", "phone": "+86 20 8888 0001"}, "park": factories.PARK}),
    ("GET /api/v1/metrology/register",                          "enterprise A",           sees("instrument_a", items="instruments")),
    ("GET /api/v1/metrology/register",                          "enterprise B",           404),
    ("GET /api/v1/metrology/register?enterprise=" + ENTERPRISE_A, "specialist",           sees("instrument_a", items="instruments")),
    ("GET /api/v1/metrology/register?enterprise=" + ENTERPRISE_A, "specialist elsewhere", 404),
    ("GET /api/v1/metrology/register?enterprise=" + ENTERPRISE_A, "supervisor",           200),
    ("GET /api/v1/metrology/register?enterprise=" + ENTERPRISE_A, "operator",             200),
    ("GET /api/v1/metrology/registers",                         "specialist",             sees("register_a")),
    ("GET /api/v1/metrology/registers",                         "specialist elsewhere",   sees(hides="register_a")),
    ("GET /api/v1/metrology/registers",                         "supervisor",             sees("register_a")),
    ("GET /api/v1/metrology/registers",                         "operator",               sees("register_a")),
    ("POST /api/v1/metrology/instruments",                      "enterprise A",           201, {**INSTRUMENT, "serial_number": "M-A-3"}),
    ("POST /api/v1/metrology/instruments",                      "enterprise B",           422, {**INSTRUMENT, "serial_number": "M-B-1"}),
    ("PATCH /api/v1/metrology/instruments/{instrument_a}",      "enterprise A",           200, {"location": "二号车间", "reason": "搬迁"}),
    ("PATCH /api/v1/metrology/instruments/{instrument_a}",      "enterprise B",           404, {"location": "x", "reason": "x"}),
    ("POST /api/v1/metrology/instruments/{instrument_retired}/retirement", "enterprise A", 409, {"reason": "报废"}),
    ("POST /api/v1/metrology/instruments/{instrument_a}/retirement", "enterprise B",      404, {"reason": "报废"}),
    # Its demand is open: a second one is refused once the caller passes the access checks.
    ("POST /api/v1/metrology/instruments/{instrument_a}/demand", "enterprise A",          409, {}),
    ("POST /api/v1/metrology/instruments/{instrument_a}/demand", "enterprise B",          404, {}),
    ("POST /api/v1/metrology/instruments/{instrument_a}/demand", "specialist",            409, {"channel": "counter"}),
    ("POST /api/v1/metrology/instruments/{instrument_a}/demand", "specialist elsewhere",  404, {"channel": "counter"}),
    # The service catalogue: anyone signed in reads it, the regulator and operators its history,
    # the regulator publishes (here the default again: a version that changes nothing).
    ("GET /api/v1/service-catalogue",                           "enterprise A",           200),
    ("GET /api/v1/service-catalogue",                           "lab A",                  200),
    ("GET /api/v1/service-catalogue",                           "specialist",             200),
    ("GET /api/v1/service-catalogue",                           "supervisor",             200),
    ("GET /api/v1/service-catalogue",                           "operator",               200),
    ("GET /api/v1/service-catalogue/versions",                  "supervisor",             200),
    ("GET /api/v1/service-catalogue/versions",                  "operator",               200),
    ("PUT /api/v1/service-catalogue",                           "supervisor",             200, {**default_document(), "reason": "再次发布默认目录"}),

    # Operations.
    ("GET /api/v1/dead-letters",                                "operator",               200),
    ("POST /api/v1/dead-letters/replay",                        "operator",               200, {}),
    ("GET /openapi.json",                                       None,                     200),
    ("GET /api/v1/catalogue",                                   None,                     200),
    ("GET /healthz",                                            None,                     200),
    ("GET /readyz",                                             None,                     200),
    ("GET /metrics",                                            None,                     200),
    ("GET /",                                                   None,                     200),
    ("GET /api/v1/no-such-endpoint",                            None,                     404),
]


#: Each row as (call, caller, expected, body or None).
ROWS = [(call, caller, expected, body[0] if body else None) for call, caller, expected, *body in MATRIX]
ROUTING = Map([Rule(route.url, methods=route.method.split(","), endpoint=index)
               for index, route in enumerate(ROUTES)]).bind("localhost")


def route_of(call: str):
    """The declared route a call (``"METHOD /path"``, placeholders and all) reaches."""
    method, target = call.split(" ", 1)
    endpoint, _ = ROUTING.match(target.split("?")[0], method=method)
    return ROUTES[endpoint]


# The world the rows name --------------------------------------------------------------------
@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    # The gateway keeps the published keys 2 s, so a retired key is seen gone within the test.
    platform = Embedded(tmp_path_factory.mktemp("access-matrix"), ONESTOP_PARTNERS_ALLOW_HTTP="true",
                        ONESTOP_WEBHOOK_ALLOWED_NETWORKS="127.0.0.0/8",
                        ONESTOP_JWKS_CACHE_SECONDS="2").start()
    yield platform
    platform.stop()


def ok(response, status=200):
    assert response.status_code == status, response.text
    return response.json()


def slug(caller: str) -> str:
    """The sign-in name of a caller: "lab A" signs in as matrix-lab-a."""
    return "matrix-" + caller.lower().replace("'", "").replace(" ", "-")


def signed_in(api, operator, organisation, caller, roles, *, second_factor=False):
    """A person of the organisation, created by the operator, their one-time password changed,
    signed in (with an authenticator where the role needs one): (access token, person id)."""
    made, tokens = api.new_person(operator, organisation, slug(caller), roles, PASSWORD)
    if second_factor:
        return api.with_second_factor(slug(caller), PASSWORD), made["id"]
    return tokens["access_token"], made["id"]


@pytest.fixture(scope="module")
def world(platform):
    """Every caller a person who signed in; two stations; labs A and B each serving one
    enterprise's case; A's second, completed case; complaints, a webhook, published evaluations
    and their improvement actions."""
    api = platform.api
    operator = api.first_operator_token(PASSWORD)
    as_ = {"operator": operator, "operator, own account": operator}

    def organisation(kind, party, name):
        return ok(api.call("POST", "/api/v1/organisations", as_=operator,
                           json={"kind": kind, "party": party, "name": name}), 201)["id"]
    def run_by(credit_code):
        return {"operating_institution": {"name": "运营机构", "credit_code": credit_code}}
    world = {"station": ok(api.call("POST", "/api/v1/stations", as_=operator,
                                    json=factories.station(**run_by(RUNNER))), 201)["id"]}
    elsewhere = ok(api.call("POST", "/api/v1/stations", as_=operator,
                            json=factories.station(park=OTHER_PARK, **run_by(RUNNER_ELSEWHERE))), 201)["id"]
    world["station_elsewhere"] = elsewhere
    here, there = organisation("station", world["station"], "站 A"), organisation("station", elsewhere, "站 B")
    for caller, station_organisation, station in (("specialist", here, world["station"]),
                                                  ("specialist elsewhere", there, elsewhere),
                                                  ("no station's specialist", here, None)):
        as_[caller], person = signed_in(api, operator, station_organisation, caller, ["specialist"])
        if station:
            ok(api.call("POST", f"/api/v1/stations/{station}/specialists", as_=operator,
                        json=factories.specialist(person)), 201)
    as_["supervisor"], _ = signed_in(api, operator, organisation("agency", "regulator-1", "区市场监管局"),
                                     "supervisor", ["supervisor"], second_factor=True)
    for caller, credit_code in (("operating institution", RUNNER), ("operating institution elsewhere", RUNNER_ELSEWHERE)):
        as_[caller], _ = signed_in(api, operator, organisation("operating_institution", credit_code, caller),
                                   caller, ["operating_institution_member"])
    specialist, supervisor = as_["specialist"], as_["supervisor"]
    def register(*qualifications, by=specialist, **overrides):
        return ok(api.call("POST", "/api/v1/institutions", as_=by, json=factories.institution(
            qualifications=[{"type": kind, "number": number, "scope": scope, "valid_from": "2021-01-01",
                             "valid_until": "2099-12-31"} for kind, number, scope in qualifications],
            **overrides)), 201)["id"]
    # Each lab is qualified for its enterprise's items only, so matching's choice is certain.
    world["lab_a"] = register(("CMA", "CMA-A", ["LED lamp"]))
    world["lab_b"] = register(("CMA", "CMA-B", ["battery"]))
    # Labs of no park the tests use (so an operator registers them), whose standing and
    # qualifications the rows change.
    for lab in ("spare_lab", "lab_to_suspend", "lab_to_exit"):
        world[lab] = register(("CNAS", "CNAS-S1", ["LED lamp"]), ("METROLOGY", "MET-S2", ["LED lamp"]),
                              by=operator, parks=["elsewhere-park"])
    for caller, party in (("lab A", world["lab_a"]), ("lab B", world["lab_b"]), ("applicant", APPLICANT)):
        as_[caller], _ = signed_in(api, operator, organisation("institution", party, caller), caller,
                                   ["institution_member"])
    world["application"] = ok(api.call("POST", "/api/v1/institutions", as_=as_["applicant"],
                                       json=factories.institution(credit_code=APPLICANT)), 201)["id"]
    world["organisation_a"] = organisation("enterprise", ENTERPRISE_A, "企业 A")
    as_["enterprise A"], _ = signed_in(api, operator, world["organisation_a"], "enterprise A",
                                       ["enterprise_admin"])
    as_["enterprise B"], _ = signed_in(api, operator, organisation("enterprise", ENTERPRISE_B, "企业 B"),
                                       "enterprise B", ["enterprise_admin"])
    # Another administrator of A, whom the rows reset, disable and question.
    world["person_a"] = ok(api.call("POST", "/api/v1/persons", as_=operator, json={
        "organisation_id": world["organisation_a"], "sign_in_name": "a-admin", "name": "张三",
        "roles": ["enterprise_admin"]}), 201)["id"]
    ok(api.call("POST", "/api/v1/enterprise-registrations", json={
        "credit_code": UNVERIFIED, "organisation_name": "未核验企业", "sign_in_name": "unverified",
        "name": "孙八", "mobile": "13500000000", "password": PASSWORD}), 201)
    as_["unverified enterprise"] = ok(api.sign_in("unverified", PASSWORD), 201)["access_token"]
    # Lab A's instrument, booked by enterprise A; a second booking the lab cancelled.
    world["shared_instrument_a"] = ok(api.call("POST", "/api/v1/instruments", as_=as_["lab A"],
                                               json=shared_instrument("M-A")), 201)["id"]
    for name, hour in (("booking_a", 10), ("booking_done", 12)):
        world[name] = ok(api.call("POST", f"/api/v1/instruments/{world['shared_instrument_a']}/bookings",
                                  as_=as_["enterprise A"], json=shared_slot(hour)), 201)["id"]
    ok(api.call("POST", f"/api/v1/bookings/{world['booking_done']}/cancellation", as_=as_["lab A"],
                json={"reason": "维护"}))

    def submit(enterprise, code, items, **overrides):
        return ok(api.call("POST", "/api/v1/demands", as_=as_[enterprise],
                           json=factories.demand(code, items=items, **overrides)), 201)["id"]
    world["attachment_a"] = ok(api.call(
        "POST", "/api/v1/attachments?name=a-private-name.pdf", as_=as_["enterprise A"],
        data=b"%PDF-1.7 enterprise A only", headers={"Content-Type": "application/pdf"}), 201)["sha256"]
    world["evidence"] = ok(api.call(
        "POST", "/api/v1/attachments?name=lease.pdf", as_=as_["specialist"],
        data=b"%PDF-1.7 the station's lease", headers={"Content-Type": "application/pdf"}), 201)["sha256"]
    world["runner_evidence"] = ok(api.call(
        "POST", "/api/v1/attachments?name=rules.pdf", as_=as_["operating institution"],
        data=b"%PDF-1.7 the operating institution's rules", headers={"Content-Type": "application/pdf"}), 201)["sha256"]
    world["operator_evidence"] = ok(api.call(
        "POST", "/api/v1/attachments?name=station-rules.pdf", as_=as_["operator"],
        data=b"%PDF-1.7 the station's rules", headers={"Content-Type": "application/pdf"}), 201)["sha256"]
    ok(api.call("PUT", f"/api/v1/stations/{world['station']}/requirements/site", as_=as_["specialist"],
                json={"note": "Ground floor", "evidence": [world["evidence"]]}))
    world["demand_a"] = submit("enterprise A", ENTERPRISE_A, ["LED lamp"],
                               excluded_institutions=[world["spare_lab"]], attachments=[world["attachment_a"]])
    world["demand_b"] = submit("enterprise B", ENTERPRISE_B, ["battery"])
    world["demand_done"] = submit("enterprise A", ENTERPRISE_A, ["LED lamp"])
    for demand in ("demand_a", "demand_b", "demand_done"):
        api.wait_status(world[demand], "assigned", supervisor)
    for lab, demands in (("lab A", ("demand_a", "demand_done")), ("lab B", ("demand_b",))):
        offers = {a["demand_id"]: a["assignment_id"]
                  for a in ok(api.call("GET", "/api/v1/assignments", as_=as_[lab]))["items"]}
        for demand in demands:
            world[demand.replace("demand", "assignment")] = offers[world[demand]]
    ok(api.call("POST", f"/api/v1/assignments/{world['assignment_done']}/completion", as_=as_["lab A"],
                json={"report_number": "R-0"}))
    api.wait_status(world["demand_done"], "completed", supervisor)

    def complain(enterprise, demand, against):
        return ok(api.call("POST", "/api/v1/complaints", as_=as_[enterprise], json={
            "demand_id": world[demand], "against": against, "summary": "Nobody called back"}), 201)["id"]
    world["complaint_a"] = complain("enterprise A", "demand_a", {"kind": "station", "id": world["station"]})
    world["complaint_b"] = complain("enterprise B", "demand_b", {"kind": "station", "id": world["station"]})
    world["complaint_lab"] = complain("enterprise A", "demand_a", {"kind": "institution", "id": world["lab_a"]})
    world["complaint_done"] = complain("enterprise A", "demand_done",
                                       {"kind": "institution", "id": world["lab_a"]})
    ok(api.call("POST", f"/api/v1/complaints/{world['complaint_done']}/investigation", as_=supervisor,
                json={"note": "Asked the lab"}))
    ok(api.call("POST", f"/api/v1/complaints/{world['complaint_done']}/resolution", as_=supervisor,
                json={"outcome": "not_upheld", "resolution": "The report was on time"}))

    ok(api.call("PUT", "/api/v1/partner/webhook", as_=as_["lab A"],
                json={"url": "http://127.0.0.1:9/lab-a"}))
    world["event_a"] = wait_for(lambda: ok(api.call("GET", "/api/v1/partner/events", as_=as_["lab A"]))["items"],
                                message="lab A's partner events")[0]["event_id"]
    wait_for(lambda: ok(api.call("GET", "/api/v1/partner/events", as_=as_["lab B"]))["items"],
             message="lab B's partner events")

    configurations = ok(api.call("GET", "/api/v1/evaluation/configurations", as_=supervisor))["items"]
    world["configuration"] = configurations[-1]["version"]
    world["configuration_document"] = ok(api.call(
        "GET", f"/api/v1/evaluation/configurations/{world['configuration']}", as_=supervisor))["document"]
    # Strict enough that lab A's and the station's first month raise improvement actions, and
    # grading however few cases the world has.
    ok(api.call("POST", "/api/v1/evaluation/configurations", as_=supervisor, json={
        **world["configuration_document"], "version": "matrix-strict", "minimum_cases": 0,
        "minimum_sample": 0, "improvement": {
            "grades": [g["grade"] for g in world["configuration_document"]["grades"]],
            "indicator_below": 100, "due_days": 30}}), 201)
    published_actions = {}
    for name, scope in (("evaluation_a", f"institution:{world['lab_a']}"),
                        ("evaluation_b", f"institution:{world['lab_b']}"),
                        ("evaluation_station", f"station:{world['station']}"),
                        ("evaluation_mistaken", "all")):
        published = ok(api.call("POST", "/api/v1/evaluations", as_=supervisor,
                                json={"scope": scope, "period": MONTH}), 201)
        world[name] = published["id"]
        published_actions[name] = published["improvement_actions"]
    world["action_a"] = published_actions["evaluation_a"][0]
    world["action_station"], world["action_to_close"] = published_actions["evaluation_station"][:2]

    # The dossiers hold the complaints (what the labs must not see) before any row reads them.
    for demand in ("demand_a", "demand_b"):
        wait_for(lambda: "ComplaintReceived" in {e["name"] for e in api.call(
            "GET", f"/api/v1/archive/demands/{world[demand]}", as_=supervisor).json().get("events", [])},
            message=f"the complaint in the dossier of {demand}")
    # Each enterprise's first notice, and the station's (about enterprise A's first demand).
    def first_notice(caller, kind):
        return wait_for(lambda: [n["id"] for n in ok(api.call(
            "GET", "/api/v1/notifications?per_page=100", as_=as_[caller]))["items"] if n["kind"] == kind],
            message=f"{caller}'s {kind} notice")[-1]
    world["notice_a"] = first_notice("enterprise A", "demand_received")
    world["notice_b"] = first_notice("enterprise B", "demand_received")
    world["notice_station"] = first_notice("specialist", "demand_submitted")
    # Enterprise A's instrument register: an instrument whose demand is open, a retired one.
    ok(api.call("PUT", "/api/v1/metrology/register", as_=as_["enterprise A"], json={"enterprise": {
        "name": "企业 A", "credit_code": ENTERPRISE_A, "contact": "王工", "phone": "+86 20 8888 0001"},
        "park": factories.PARK}))

    def instrument(serial):
        shown = ok(api.call("POST", "/api/v1/metrology/instruments", as_=as_["enterprise A"],
                            json={**INSTRUMENT, "serial_number": serial}), 201)
        world["register_a"] = shown["id"]
        return next(i["id"] for i in shown["instruments"] if i["serial_number"] == serial)
    world["instrument_a"], world["instrument_retired"] = instrument("M-A-1"), instrument("M-A-2")
    ok(api.call("POST", f"/api/v1/metrology/instruments/{world['instrument_a']}/demand",
                as_=as_["enterprise A"], json={}), 201)
    ok(api.call("POST", f"/api/v1/metrology/instruments/{world['instrument_retired']}/retirement",
                as_=as_["enterprise A"], json={"reason": "报废"}))
    # A session signed out: its refresh token is refused in a row.
    world["session_a"] = ok(api.sign_in(slug("enterprise A"), PASSWORD), 201)["refresh_token"]
    ended = api.call("POST", "/api/v1/sessions/end", json={"refresh_token": world["session_a"]})
    assert ended.status_code == 204, ended.text
    # The demand hall: the station lists testing demands from now on (for longer than the rows
    # run); enterprise B's battery demand waits there.
    ok(api.call("PATCH", f"/api/v1/stations/{world['station']}", as_=specialist, json={
        "hall": {"categories": ["inspection_testing"], "window_hours": 70}, "reason": "interest first"}))
    world["demand_hall"] = submit("enterprise B", ENTERPRISE_B, ["battery"])
    wait_for(lambda: ok(api.call("GET", "/api/v1/hall", as_=supervisor))["items"],
             message="enterprise B's demand in the hall")
    world["callers"] = as_
    return world


def fill(value, world):
    """A row's call or body with the world's names put in."""
    if isinstance(value, str):
        return value.format_map(world)
    if isinstance(value, dict):
        return {key: fill(item, world) for key, item in value.items()}
    if isinstance(value, list):
        return [fill(item, world) for item in value]
    return value


def request(api, world, call, caller, body=None, headers=None):
    method, target = fill(call, world).split(" ", 1)
    kwargs = {"headers": dict(headers or {}), "allow_redirects": False}
    if "format=pdf" in target:
        # Printing a dossier (WeasyPrint, its files embedded) is the one answer that may take
        # longer than the others' 10 s on a busy machine; what is checked here is who may.
        kwargs["timeout"] = 60
    if caller is not None:
        kwargs["as_"] = world["callers"][caller]
    if callable(body):
        body = body(world)
    if isinstance(body, bytes):
        kwargs.update(data=body)
        kwargs["headers"]["Content-Type"] = "application/pdf"
    elif body is not None:
        kwargs["json"] = fill(body, world)
    return api.call(method, target, **kwargs)


def assert_refused(response, status, code):
    assert response.status_code == status, response.text
    assert response.json()["error"] == code, response.text


# The checks ---------------------------------------------------------------------------------
def test_the_matrix_covers_every_route_and_every_role_it_lists():
    covered = {(route_of(call).url, route_of(call).method, CALLERS[caller][0] if caller else None)
               for call, caller, *_ in ROWS}
    missing = [f"{route.method} {route.url} as {role or 'anyone'}" for route in ROUTES
               for role in (route.roles or (None,)) if (route.url, route.method, role) not in covered]
    assert not missing, "MATRIX says nothing about:\n" + "\n".join(missing)


@pytest.mark.parametrize("call, caller, expected, body", ROWS,
                         ids=[f"{call} as {caller or 'anyone'}" for call, caller, *_ in ROWS])
def test_matrix(platform, world, call, caller, expected, body):
    if caller is not None:
        assert CALLERS[caller][0] in route_of(call).roles, "a row for a role the route refuses"
    response = request(platform.api, world, call, caller, body)
    if isinstance(expected, Listing):
        assert response.status_code == expected.status, response.text
        if expected.shows or expected.hides:
            found = {item[expected.key] for item in response.json()[expected.items]}
            assert {world.get(name, name) for name in expected.shows} <= found
            assert not {world.get(name, name) for name in expected.hides} & found
        for name in expected.conceals:
            assert world.get(name, name) not in response.text, f"{name} shown"
    else:
        assert response.status_code == expected, response.text
        if expected >= 400:
            assert response.json()["error"], response.text


def path_of(route, world) -> str:
    """The route's URL naming real resources (RESOURCE_OF), e.g. lab A's case."""
    return "/".join(world.get(RESOURCE_OF[part[1:-1]], RESOURCE_OF[part[1:-1]]) if part.startswith("<") else part
                    for part in route.url.split("/"))


def calls_refused_to_roles():
    # Routes about one's own account take every signed-in person, whatever their role.
    for route in (route for route in SECURED if PERSON not in route.roles):
        for role in ROLES:
            if role not in route.roles:
                yield pytest.param(route, role, id=f"{route.method} {route.url} as {role}")


@pytest.mark.parametrize("route, role", calls_refused_to_roles())
def test_a_role_a_route_does_not_list_is_forbidden(platform, world, route, role):
    response = platform.api.call(route.method, path_of(route, world), as_=world["callers"][FOR_ROLE[role]],
                                 json={})
    assert_refused(response, 403, "forbidden")


@pytest.mark.parametrize("route", SECURED, ids=[f"{r.method} {r.url}" for r in SECURED])
def test_no_expired_or_forged_token_is_401(platform, world, route):
    for attack, (token, code) in forged.tokens(platform.api).items():
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = platform.api.call(route.method, path_of(route, world), headers=headers, json={})
        assert_refused(response, 401, code)


def test_a_disabled_person_is_refused_refresh_and_sign_in(platform, world):
    api = platform.api
    tokens = ok(api.sign_in(slug("lab B"), PASSWORD), 201)
    person = tokens["person"]["id"]
    disabled = api.call("POST", f"/api/v1/persons/{person}/enabled", as_=world["callers"]["operator"],
                        json={"enabled": False, "reason": "left the lab"})
    try:
        assert disabled.status_code == 200, disabled.text
        assert_refused(api.call("POST", "/api/v1/sessions/refresh",
                                json={"refresh_token": tokens["refresh_token"]}), 401, "invalid_credentials")
        assert_refused(api.sign_in(slug("lab B"), PASSWORD), 401, "invalid_credentials")
    finally:
        ok(api.call("POST", f"/api/v1/persons/{person}/enabled", as_=world["callers"]["operator"],
                    json={"enabled": True, "reason": "back"}))


def test_a_key_retired_after_rotation_signs_nothing(platform, world):
    """Last in this module: the callers' tokens were signed with the key it retires."""
    api = platform.api
    retired = api.signing_key()
    rotated = onestop(api.env, "keys", "rotate")
    assert rotated.returncode == 0, rotated.stderr
    assert api.signing_key().kid != retired.kid
    old = forged.signed(api, retired, "operator", "ops-1")
    # Until it is retired, a token the old key signed still verifies (tokens signed just before
    # a rotation must live out their ten minutes)...
    assert api.call("GET", "/api/v1/dead-letters", as_=old).status_code == 200
    # ...and once retired (what `onestop keys retire` does ten minutes after), nothing it signs.
    next((Path(api.env["ONESTOP_DATA_DIR"]) / "signing-keys").glob(f"*_{retired.kid}.pem")).unlink()
    wait_for(lambda: api.call("GET", "/api/v1/dead-letters", as_=old).status_code == 401,
             timeout=30, message="the retired key to be dropped from the gateway's keys")
    assert_refused(api.call("GET", "/api/v1/dead-letters", as_=old), 401, "invalid_token")


def test_the_operations_endpoints_refuse_what_a_proxy_forwarded(platform):
    """The Ingress sends every path to the gateway; what it forwards carries X-Forwarded-For,
    and the readiness check and the metrics are not the public's."""
    api = platform.api
    forwarded = {"X-Forwarded-For": "203.0.113.7"}
    for path in ("/readyz", "/metrics"):
        assert api.call("GET", path).status_code == 200, path
        refused = api.call("GET", path, headers=dict(forwarded))
        assert refused.status_code == 404 and refused.json()["error"] == "not_found", path
    assert api.call("GET", "/healthz", headers=dict(forwarded)).status_code == 200
    assert api.call("GET", "/api/v1/catalogue", headers=dict(forwarded)).status_code == 200
