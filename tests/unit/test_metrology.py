"""The metrology register: due dates, a reminder once per due date, one click to a demand, and the
certificate of its completion moving the due date on. Every date comes from the controlled clock
(Monday 30 November 2026 in Shanghai), never from today's."""
import uuid
from datetime import date

import pytest

from services.intake.metrology import add_months
from shared.errors import Conflict, Forbidden, Invalid, NotFound
from tests import factories

ENTERPRISE_CODE = factories.credit_code(880001)
ENTERPRISE = {"role": "enterprise", "subject": ENTERPRISE_CODE}
SPECIALIST = {"role": "specialist", "subject": "s-1"}
SUPERVISOR = {"role": "supervisor", "subject": "regulator-1"}
HOLDER = {"name": "番禺精密制造有限公司", "credit_code": ENTERPRISE_CODE, "contact": "王工",
          "phone": "+86 20 8888 0001"}


def gauge(**overrides) -> dict:
    """A pressure gauge under mandatory verification, verified 2025-12-20 every 12 months: due
    2026-12-20, within 30 days of the clock's start."""
    return {"name": "压力表", "model": "Y-100", "serial_number": "PG-0001", "location": "锅炉房",
            "mandatory": True, "interval_months": 12, "last_certificate_number": "JD-2025-0101",
            "last_certificate_date": "2025-12-20", "last_certificate_institution": "广州计量院",
            **overrides}


@pytest.fixture
def register(platform):
    intake = platform.apps["intake"]
    intake.open_instrument_register({"enterprise": HOLDER, "park": factories.PARK}, ENTERPRISE)
    return platform


def only(view):
    (instrument,) = view["instruments"]
    return instrument


def test_months_are_added_on_the_calendar():
    assert add_months(date(2025, 12, 20), 12) == date(2026, 12, 20)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)


def test_the_due_date_follows_the_last_certificate_and_the_badges_the_clock(register):
    intake = register.apps["intake"]
    view = intake.register_instrument(gauge(), ENTERPRISE)
    instrument = only(view)
    assert (instrument["next_due"], instrument["due"], instrument["days_left"]) == ("2026-12-20", "due_soon", 20)
    assert view["due_soon"] == 1 and view["overdue"] == 0
    # Without a certificate on record it is due the day it is registered.
    view = intake.register_instrument(gauge(serial_number="PG-0002", last_certificate_number=None,
                                            last_certificate_date=None, last_certificate_institution=None,
                                            interval_months=6, mandatory=False), ENTERPRISE)
    fresh = [i for i in view["instruments"] if i["serial_number"] == "PG-0002"][0]
    assert fresh["next_due"] == "2026-11-30" and fresh["due"] == "due_soon"
    register.clock.set("2026-12-01T09:00")
    assert intake.instrument_register({}, ENTERPRISE)["overdue"] == 1
    # A longer interval moves the due date away.
    changed = intake.change_instrument(instrument["id"], {"interval_months": 24, "reason": "新规程"}, ENTERPRISE)
    assert [i["next_due"] for i in changed["instruments"] if i["id"] == instrument["id"]] == ["2027-12-20"]


def test_bad_input_names_the_field_and_stores_nothing(register):
    intake = register.apps["intake"]
    intake.register_instrument(gauge(), ENTERPRISE)
    before = intake.last_notification_id()
    for payload, field in ((gauge(serial_number="X", interval_months=0), "interval_months"),
                           (gauge(serial_number="X", interval_months=121), "interval_months"),
                           (gauge(serial_number="X", last_certificate_date="2026-12-01"), "last_certificate_date"),
                           (gauge(serial_number="X", last_certificate_number=None), "last_certificate_number"),
                           (gauge(), "serial_number")):
        with pytest.raises(Invalid) as refused:
            intake.register_instrument(payload, ENTERPRISE)
        assert set(refused.value.fields) == {field}
    assert intake.last_notification_id() == before


def test_a_reminder_is_recorded_once_per_due_date(register):
    intake = register.apps["intake"]
    intake.register_instrument(gauge(last_certificate_date="2026-01-15"), ENTERPRISE)  # due 2027-01-15
    assert intake.check_instruments_due() == 0  # 46 days ahead
    register.clock.set("2026-12-16T08:00")  # 30 days ahead, in Shanghai's days
    assert intake.check_instruments_due() == 1
    assert intake.check_instruments_due() == 0
    register.clock.set("2026-12-30T08:00")
    assert intake.check_instruments_due() == 0
    names = [type(e).__name__ for e in intake.events.get(_register_id(intake))]
    assert names.count("VerificationDue") == 1


def _register_id(intake):
    return uuid.UUID(intake.instrument_register({}, ENTERPRISE)["id"])


def test_one_click_makes_the_demand_and_its_completion_records_the_certificate(register):
    intake, matching = register.apps["intake"], register.apps["matching"]
    lab = matching.register_institution(factories.institution(
        name="广州市计量检测技术研究院", categories=["metrology"],
        qualifications=[{"type": "METROLOGY", "number": "(粤)法计(2021)01001", "scope": ["压力表"],
                         "valid_from": "2021-01-01", "valid_until": "2099-12-31"}]),
        SPECIALIST, station=factories.PANYU)
    instrument = only(intake.register_instrument(gauge(), ENTERPRISE))
    demand = intake.request_verification(instrument["id"], {}, ENTERPRISE)
    assert (demand["category"], demand["items"], demand["sub_items"]) == ("metrology", ["压力表"], ["verification"])
    assert "PG-0001" in demand["description"] and "JD-2025-0101" in demand["description"]
    assert demand["expected_by"] == "2026-12-20"
    with pytest.raises(Conflict) as refused:
        intake.request_verification(instrument["id"], {}, ENTERPRISE)
    assert refused.value.details == {"demand_id": demand["id"]}
    assert only(intake.instrument_register({}, ENTERPRISE))["open_demand"] == demand["id"]

    register.settle()
    institution = {"role": "institution", "subject": lab["id"]}
    (offer,) = [a for a in matching.assignments(institution)["items"] if a["demand_id"] == demand["id"]]
    register.clock.set("2026-12-10T15:00")
    matching.complete_service(offer["assignment_id"], {"certificate_number": "JD-2026-0777"}, institution)
    register.settle()
    shown = only(intake.instrument_register({}, ENTERPRISE))
    assert shown["last_certificate"]["number"] == "JD-2026-0777"
    assert shown["last_certificate"]["date"] == "2026-12-10"
    assert shown["last_certificate"]["institution_id"] == lab["id"]
    assert (shown["next_due"], shown["due"], shown["open_demand"]) == ("2027-12-10", "ok", None)
    # The next cycle may be asked for again.
    assert intake.request_verification(instrument["id"], {}, ENTERPRISE)["category"] == "metrology"


def test_a_retired_instrument_is_neither_reminded_of_nor_requested(register):
    intake = register.apps["intake"]
    instrument = only(intake.register_instrument(gauge(), ENTERPRISE))
    intake.retire_instrument(instrument["id"], {"reason": "报废"}, ENTERPRISE)
    assert intake.check_instruments_due() == 0
    with pytest.raises(Conflict):
        intake.request_verification(instrument["id"], {}, ENTERPRISE)
    # Its serial number may come back on a new instrument.
    assert len(intake.register_instrument(gauge(), ENTERPRISE)["instruments"]) == 2


def test_who_reads_and_who_changes_a_register(register):
    intake = register.apps["intake"]
    instrument = only(intake.register_instrument(gauge(), ENTERPRISE))
    query = {"enterprise": ENTERPRISE_CODE}
    assert intake.instrument_register(query, SPECIALIST)["enterprise"]["credit_code"] == ENTERPRISE_CODE
    assert intake.instrument_register(query, SUPERVISOR)["instruments"][0]["id"] == instrument["id"]
    assert [r["id"] for r in intake.list_instrument_registers({}, SPECIALIST)["items"]] == [str(_register_id(intake))]
    other = {"role": "enterprise", "subject": factories.credit_code(880002)}
    with pytest.raises(NotFound):
        intake.instrument_register({}, other)
    with pytest.raises(NotFound):
        intake.instrument_register(query, {"role": "specialist", "subject": "s-elsewhere"})
    with pytest.raises(Forbidden):
        intake.change_instrument(instrument["id"], {"location": "车间", "reason": "r"}, SPECIALIST)
    # A specialist of its station may make the demand for it (at the counter).
    demand = intake.request_verification(instrument["id"], {"channel": "counter"}, SPECIALIST)
    assert demand["channel"] == "counter"


def test_a_completion_without_a_number_leaves_the_due_date_as_it_was(register):
    intake = register.apps["intake"]
    instrument = only(intake.register_instrument(gauge(), ENTERPRISE))
    demand = intake.request_verification(instrument["id"], {}, ENTERPRISE)
    completed = intake.repository.get(uuid.UUID(demand["id"]))
    lab = {"role": "institution", "subject": str(uuid.uuid4())}
    assert intake.certified(completed, {"evidence": {"documents": []}, "institution_id": lab["subject"],
                                        "by": lab}) is None
    assert only(intake.instrument_register({}, ENTERPRISE))["next_due"] == "2026-12-20"
