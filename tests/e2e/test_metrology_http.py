"""The metrology register through the HTTP API alone: an enterprise registers its instruments, the
one never verified is reminded of in its inbox, one click makes the demand, a second is refused,
and the lab's completion records the certificate and moves the due date on.

The platform runs on the real clock (its processes have no other), so no date here is written
down: an instrument without a certificate on record is due the day it is registered, and one
verified a month ago is not due for eleven more. Due dates against a controlled clock are the
unit tests' (tests/unit/test_metrology.py)."""
from datetime import date, timedelta

import pytest

from services.intake.metrology import add_months
from tests import factories
from tests.conftest import wait_for
from tests.e2e.harness import Embedded

SPECIALIST = ("specialist", "s-1")
ENTERPRISE_CODE = factories.credit_code()
OWNER = ("enterprise", ENTERPRISE_CODE)
HOLDER = {"name": "番禺精密制造有限公司", "credit_code": ENTERPRISE_CODE, "contact": "王工",
          "phone": "+86 20 8888 0001"}
GAUGE = {"name": "压力表", "model": "Y-100", "serial_number": "PG-0001", "location": "锅炉房",
         "mandatory": True, "interval_months": 12}
#: Long enough ago to be in the past in every time zone, recent enough not to be due.
A_MONTH_AGO = (date.today() - timedelta(days=30)).isoformat()


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    platform = Embedded(tmp_path_factory.mktemp("metrology"), ONESTOP_METROLOGY_CHECK_INTERVAL="0.2").start()
    platform.station = platform.api.open_station()
    lab = platform.api.call("POST", "/api/v1/institutions", as_=SPECIALIST, json=factories.institution(
        name="广州市计量检测技术研究院", categories=["metrology"], qualifications=[{
            "type": "METROLOGY", "number": "(粤)法计(2021)01001", "scope": ["压力表", "卡尺"],
            "valid_from": "2021-01-01", "valid_until": "2099-12-31"}]))
    assert lab.status_code == 201, lab.text
    platform.lab = lab.json()
    yield platform
    platform.stop()


def ok(response, status=200):
    assert response.status_code == status, response.text
    return response.json()


def instrument_of(register, serial):
    return next(i for i in register["instruments"] if i["serial_number"] == serial)


def test_a_reminder_becomes_a_demand_whose_completion_records_the_certificate(platform):
    api = platform.api
    ok(api.call("PUT", "/api/v1/metrology/register", as_=OWNER, json={"enterprise": HOLDER, "park": factories.PARK}))
    register = ok(api.call("POST", "/api/v1/metrology/instruments", as_=OWNER, json=GAUGE), 201)
    gauge = instrument_of(register, "PG-0001")
    assert (gauge["next_due"], gauge["due"]) == (register["today"], "due_soon")  # never verified
    register = ok(api.call("POST", "/api/v1/metrology/instruments", as_=OWNER, json={
        "name": "卡尺", "serial_number": "CL-7", "mandatory": False, "interval_months": 12,
        "last_certificate_number": "JZ-1", "last_certificate_date": A_MONTH_AGO,
        "last_certificate_institution": "广州计量院"}), 201)
    caliper = instrument_of(register, "CL-7")
    assert caliper["due"] == "ok" and caliper["next_due"] == add_months(date.fromisoformat(A_MONTH_AGO), 12).isoformat()
    assert [i["serial_number"] for i in register["instruments"]] == ["PG-0001", "CL-7"]  # by next due date

    # The check reminds the enterprise of the gauge, in its inbox; not of the caliper.
    def reminded():
        items = ok(api.call("GET", "/api/v1/notifications", as_=OWNER))["items"]
        return [n for n in items if n["kind"] == "verification_due"] or None
    (notice,) = wait_for(reminded, message="the gauge's reminder")
    assert "PG-0001" in notice["subject"] and "压力表" in notice["body"]
    shown = ok(api.call("GET", "/api/v1/metrology/register", as_=OWNER))
    assert instrument_of(shown, "PG-0001")["reminded_for"] == gauge["next_due"]

    # One click: the demand, written from the register.
    demand = ok(api.call("POST", f"/api/v1/metrology/instruments/{gauge['id']}/demand", as_=OWNER, json={}), 201)
    assert (demand["category"], demand["items"]) == ("metrology", ["压力表"])
    assert demand["sub_items"] == ["verification"]  # the station's rules accepted it
    assert "PG-0001" in demand["description"] and demand["enterprise"]["credit_code"] == ENTERPRISE_CODE
    again = api.call("POST", f"/api/v1/metrology/instruments/{gauge['id']}/demand", as_=OWNER, json={})
    assert again.status_code == 409, again.text
    assert again.json()["details"]["demand_id"] == demand["id"]
    assert instrument_of(ok(api.call("GET", "/api/v1/metrology/register", as_=OWNER)), "PG-0001")[
        "open_demand"] == demand["id"]

    # The lab serves it; its completion carries the certificate number.
    api.wait_status(demand["id"], "assigned", SPECIALIST)
    lab = ("institution", platform.lab["id"])
    (offer,) = [a for a in ok(api.call("GET", "/api/v1/assignments", as_=lab))["items"]
                if a["demand_id"] == demand["id"]]
    ok(api.call("POST", f"/api/v1/assignments/{offer['assignment_id']}/completion", as_=lab,
                json={"certificate_number": "JD-2026-0777"}))

    def certified():
        shown = instrument_of(ok(api.call("GET", "/api/v1/metrology/register", as_=OWNER)), "PG-0001")
        return shown if shown["last_certificate"] else None
    gauge = wait_for(certified, message="the certificate on the register")
    certificate = gauge["last_certificate"]
    assert (certificate["number"], certificate["demand_id"]) == ("JD-2026-0777", demand["id"])
    assert certificate["institution_name"] == "广州市计量检测技术研究院"
    assert gauge["next_due"] == add_months(date.fromisoformat(certificate["date"]), 12).isoformat()
    assert (gauge["due"], gauge["open_demand"]) == ("ok", None)

    # The station's specialist reads the register; the demand's dossier holds the register's part.
    staff_view = ok(api.call("GET", f"/api/v1/metrology/register?enterprise={ENTERPRISE_CODE}", as_=SPECIALIST))
    assert instrument_of(staff_view, "PG-0001")["last_certificate"]["number"] == "JD-2026-0777"

    def archived():
        found = api.call("GET", f"/api/v1/archive/demands/{demand['id']}", as_=("supervisor", "regulator-1"))
        names = [e["name"] for e in found.json()["events"]] if found.ok else []
        return names if "CertificateRecorded" in names else None
    names = wait_for(archived, message="the certificate in the dossier")
    assert names.index("DemandSubmitted") < names.index("VerificationRequested") < names.index("CertificateRecorded")


def test_bad_input_names_the_field_and_stores_nothing(platform):
    api = platform.api
    code = factories.credit_code()
    owner = ("enterprise", code)
    ok(api.call("PUT", "/api/v1/metrology/register", as_=owner, json={
        "enterprise": {**HOLDER, "credit_code": code}, "park": factories.PARK}))
    ok(api.call("POST", "/api/v1/metrology/instruments", as_=owner, json=GAUGE), 201)
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    for body, field in (({**GAUGE, "serial_number": "X", "interval_months": 0}, "interval_months"),
                        ({**GAUGE, "serial_number": "X", "interval_months": 121}, "interval_months"),
                        ({**GAUGE, "serial_number": "X", "last_certificate_number": "C",
                          "last_certificate_date": tomorrow}, "last_certificate_date"),
                        (GAUGE, "serial_number")):
        refused = api.call("POST", "/api/v1/metrology/instruments", as_=owner, json=body)
        assert refused.status_code == 422, refused.text
        assert list(refused.json()["details"]) == [field], refused.text
    assert "出厂编号" in api.call("POST", "/api/v1/metrology/instruments", as_=owner, json=GAUGE).json()[
        "details"]["serial_number"][0]
    register = ok(api.call("GET", "/api/v1/metrology/register", as_=owner))
    assert [i["serial_number"] for i in register["instruments"]] == ["PG-0001"]
    # A retired instrument makes no demand.
    gauge = register["instruments"][0]
    ok(api.call("POST", f"/api/v1/metrology/instruments/{gauge['id']}/retirement", as_=owner,
                json={"reason": "报废"}))
    refused = api.call("POST", f"/api/v1/metrology/instruments/{gauge['id']}/demand", as_=owner, json={})
    assert refused.status_code == 409, refused.text
