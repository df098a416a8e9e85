"""Equipment sharing: an instrument's calendar and its bookings, on a controlled clock. The
calendar opens Monday to Friday 09:00-12:00 and 13:30-17:30 in Shanghai, in 30-minute slots;
the clock starts on Monday 30 November 2026 at 09:00 there."""
import pytest
from eventsourcing.application import Application

from services.matching.application import Matching
from services.matching.instruments import Calendar, Instrument
from shared.errors import Conflict, Forbidden, Invalid, NotFound
from shared.eventstore import open_application
from tests import factories
from tests.unit.conftest import OPERATOR

SPECIALIST = {"role": "specialist", "subject": "s-1"}
WEEKDAY = ["09:00-12:00", "13:30-17:30"]
CALENDAR = {"weekly": {day: WEEKDAY for day in ("monday", "tuesday", "wednesday", "thursday", "friday")},
            "closed": ["2026-12-02"], "slot_minutes": 30}
ENTERPRISE_A = {"role": "enterprise", "subject": factories.credit_code()}
ENTERPRISE_B = {"role": "enterprise", "subject": factories.credit_code()}


def instrument(**overrides):
    return {"code": "XRF-01", "name": "X 射线荧光光谱仪", "model": "EDX-7000",
            "capabilities": ["RoHS 筛查", "元素分析"], "park": "panyu-energy-park",
            "address": "番禺节能科技园 3 号楼 201", "calendar": CALENDAR,
            "fees": [{"amount_cny": "300", "unit": "per_hour"}], **overrides}


def slot(start, end, **overrides):
    return {"start": f"2026-12-{start}+08:00", "end": f"2026-12-{end}+08:00",
            "purpose": "RoHS 筛查 20 个样品", "enterprise_name": "番禺灯具有限公司", "contact": "李华",
            **overrides}


@pytest.fixture
def sharing(platform):
    """Matching with one active lab (serving the tests' park) and its instrument listed."""
    matching = platform.apps["matching"]
    lab = matching.register_institution(factories.institution(), SPECIALIST, station=factories.PANYU)
    owner = {"role": "institution", "subject": lab["id"]}
    listed = matching.list_instrument(instrument(), owner)
    return matching, owner, listed


def refused_field(error) -> tuple[str, str]:
    (field, messages), = error.value.fields.items()
    return field, messages[0].code


# The calendar ------------------------------------------------------------------------------
def test_the_calendar_opens_its_windows_on_open_days_only():
    calendar = Calendar({**CALENDAR, "timezone": "Asia/Shanghai"})
    from datetime import date
    assert calendar.open_hours(date(2026, 11, 30), date(2026, 12, 6)) == 7 * 4  # Wednesday closed
    assert calendar.windows(date(2026, 12, 5)) == []  # a Saturday


# Booking -----------------------------------------------------------------------------------
def test_an_enterprise_books_a_free_slot_and_the_owner_confirms_and_records_usage(sharing, clock):
    matching, owner, listed = sharing
    booking = matching.book_slot(listed["id"], slot("01T09:30", "01T11:00"), ENTERPRISE_A)
    assert (booking["status"], booking["enterprise"]["credit_code"]) == ("requested", ENTERPRISE_A["subject"])
    assert matching.confirm_booking(booking["id"], owner)["status"] == "confirmed"
    clock.set("2026-12-01T11:30")
    used = matching.record_usage(booking["id"], {"note": "顺利"}, owner)
    assert (used["status"], used["usage"]["hours"]) == ("used", 1.5)
    assert [step["status"] for step in used["history"]] == ["requested", "confirmed", "used"]


def test_an_overlapping_slot_is_refused_naming_the_slot_taken_but_not_who(sharing):
    matching, owner, listed = sharing
    matching.book_slot(listed["id"], slot("01T09:30", "01T11:00"), ENTERPRISE_A)
    with pytest.raises(Conflict) as refused:
        matching.book_slot(listed["id"], slot("01T10:30", "01T11:30"), ENTERPRISE_B)
    assert refused.value.details == {"reason": "slot_taken", "taken_start": "2026-12-01T09:30:00+08:00",
                                     "taken_end": "2026-12-01T11:00:00+08:00"}
    assert ENTERPRISE_A["subject"] not in str(refused.value.args)
    # Back to back is no overlap; once declined, the slot is free again.
    matching.book_slot(listed["id"], slot("01T11:00", "01T11:30"), ENTERPRISE_B)
    shown = matching.instrument(listed["id"], ENTERPRISE_B)
    assert [(t["start"][11:16], t["mine"]) for t in shown["taken"]] == [("09:30", False), ("11:00", True)]
    assert ENTERPRISE_A["subject"] not in str(shown)


def test_a_declined_or_cancelled_booking_frees_its_slot(sharing):
    matching, owner, listed = sharing
    first = matching.book_slot(listed["id"], slot("01T09:30", "01T10:00"), ENTERPRISE_A)
    matching.decline_booking(first["id"], {"reason": "维护"}, owner)
    second = matching.book_slot(listed["id"], slot("01T09:30", "01T10:00"), ENTERPRISE_B)
    matching.cancel_booking(second["id"], {"reason": "改期"}, ENTERPRISE_B)
    assert matching.book_slot(listed["id"], slot("01T09:30", "01T10:00"), ENTERPRISE_A)["status"] == "requested"


@pytest.mark.parametrize("start, end, field, code", [
    ("01T12:00", "01T13:30", "slot", "slot_outside_calendar"),   # over lunch
    ("01T17:00", "01T18:00", "slot", "slot_outside_calendar"),   # past closing
    ("02T09:00", "02T10:00", "slot", "slot_outside_calendar"),   # a closed date
    ("05T09:00", "05T10:00", "slot", "slot_outside_calendar"),   # a Saturday
    ("01T09:10", "01T09:40", "slot", "slot_alignment"),          # not on a slot's start
    ("01T09:00", "01T09:45", "slot", "slot_alignment"),          # not whole slots
    ("01T10:00", "01T09:30", "end", "slot_order"),
    ("01T10:00", "01T10:00", "end", "slot_order"),
])
def test_a_slot_outside_the_calendar_is_refused_naming_the_field(sharing, start, end, field, code):
    matching, owner, listed = sharing
    with pytest.raises(Invalid) as refused:
        matching.book_slot(listed["id"], slot(start, end), ENTERPRISE_A)
    assert refused_field(refused) == (field, code)
    assert matching.instrument(listed["id"], ENTERPRISE_A)["taken"] == []


def test_a_slot_in_the_past_is_refused(sharing, clock):
    matching, owner, listed = sharing
    clock.set("2026-12-01T10:15")
    with pytest.raises(Invalid) as refused:
        matching.book_slot(listed["id"], slot("01T10:00", "01T10:30"), ENTERPRISE_A)
    assert refused_field(refused) == ("start", "slot_past")


def test_the_calendar_is_read_in_its_own_time_zone(sharing):
    matching, owner, listed = sharing
    # 01:30 UTC is 09:30 in Shanghai.
    booked = matching.book_slot(listed["id"], {**slot("01T09:30", "01T10:00"),
                                               "start": "2026-12-01T01:30:00Z", "end": "2026-12-01T02:00:00Z"},
                                ENTERPRISE_A)
    assert booked["start"] == "2026-12-01T09:30:00+08:00"


def test_two_applications_booking_one_slot_at_once_book_it_once(durable_config, clock):
    """Two replicas load the instrument at the same version; the second save loses the race,
    and tried again on what was committed it finds the slot taken."""
    first, second = (open_application(Matching, durable_config) for _ in range(2))
    for app in (first, second):
        app.clock = clock
    lab = first.register_institution(factories.institution(), SPECIALIST, station=factories.PANYU)
    owner = {"role": "institution", "subject": lab["id"]}
    listed = first.list_instrument(instrument(), owner)
    # Second's first load happens before first's booking is saved.
    loaded = second.repository.get(Instrument.create_id(lab["id"], "XRF-01"))
    original_find = second.find
    calls = []

    def find_stale(cls, key, label):
        calls.append(key)
        return loaded if len(calls) == 1 else original_find(cls, key, label)
    second.find = find_stale
    first.book_slot(listed["id"], slot("01T09:30", "01T10:00"), ENTERPRISE_A)
    with pytest.raises(Conflict) as refused:
        second.book_slot(listed["id"], slot("01T09:30", "01T10:00"), ENTERPRISE_B)
    assert refused.value.details["reason"] == "slot_taken" and len(calls) == 2
    assert len(first.instrument(listed["id"], OPERATOR)["taken"]) == 1
    first.close(), second.close()


# States and parties ------------------------------------------------------------------------
def test_states_move_only_forward(sharing, clock):
    matching, owner, listed = sharing
    booking = matching.book_slot(listed["id"], slot("01T09:30", "01T10:00"), ENTERPRISE_A)
    with pytest.raises(Conflict):
        matching.record_usage(booking["id"], {}, owner)  # not confirmed
    matching.confirm_booking(booking["id"], owner)
    with pytest.raises(Conflict):
        matching.confirm_booking(booking["id"], owner)
    with pytest.raises(Invalid) as early:
        matching.record_usage(booking["id"], {}, owner)  # before it begins
    assert refused_field(early) == ("actual_start", "usage_future")
    clock.set("2026-12-01T09:45")
    with pytest.raises(Conflict) as late:
        matching.cancel_booking(booking["id"], {"reason": "来不了"}, ENTERPRISE_A)
    assert late.value.details["current_status"] == "confirmed"
    assert matching.cancel_booking(booking["id"], {"reason": "设备故障"}, owner)["status"] == "cancelled"


def test_only_the_parties_touch_a_booking(sharing, platform):
    matching, owner, listed = sharing
    other_lab = matching.register_institution(factories.institution(), SPECIALIST, station=factories.PANYU)
    other = {"role": "institution", "subject": other_lab["id"]}
    booking = matching.book_slot(listed["id"], slot("01T09:30", "01T10:00"), ENTERPRISE_A)
    for caller, act in ((other, lambda: matching.confirm_booking(booking["id"], other)),
                        (ENTERPRISE_B, lambda: matching.cancel_booking(booking["id"], {"reason": "x"}, ENTERPRISE_B))):
        with pytest.raises(NotFound):
            act()
    with pytest.raises(NotFound):
        matching.change_instrument(listed["id"], {"name": "改名", "reason": "x"}, other)
    with pytest.raises(Forbidden):
        matching.list_instrument({**instrument(), "institution_id": listed["institution_id"]}, other)
    assert matching.bookings({}, ENTERPRISE_B)["items"] == []
    assert [b["id"] for b in matching.bookings({}, owner)["items"]] == [booking["id"]]
    assert matching.bookings({}, other)["items"] == []
    assert [b["id"] for b in matching.bookings({}, SPECIALIST, factories.PANYU)["items"]] == [booking["id"]]
    assert matching.bookings({}, SPECIALIST, {"park": "elsewhere"})["items"] == []


def test_an_instrument_is_listed_once_per_code_in_a_park_its_owner_serves(sharing):
    matching, owner, listed = sharing
    with pytest.raises(Conflict):
        matching.list_instrument(instrument(), owner)
    with pytest.raises(Invalid) as refused:
        matching.list_instrument(instrument(code="XRF-02", park="elsewhere-park"), owner)
    assert refused_field(refused) == ("park", "instrument_park")


def test_withdrawal_waits_for_open_bookings(sharing):
    matching, owner, listed = sharing
    booking = matching.book_slot(listed["id"], slot("01T09:30", "01T10:00"), ENTERPRISE_A)
    with pytest.raises(Conflict) as refused:
        matching.withdraw_instrument(listed["id"], {"reason": "报废"}, owner)
    assert refused.value.details == {"open_bookings": [booking["id"]]}
    matching.decline_booking(booking["id"], {"reason": "报废"}, owner)
    assert matching.withdraw_instrument(listed["id"], {"reason": "报废"}, owner)["status"] == "withdrawn"
    with pytest.raises(Conflict):
        matching.book_slot(listed["id"], slot("01T10:00", "01T10:30"), ENTERPRISE_A)


def test_search_by_capability_park_and_owner(sharing):
    matching, owner, listed = sharing
    assert [i["id"] for i in matching.search_instruments({"capability": "RoHS"}, ENTERPRISE_A)["items"]] == [listed["id"]]
    assert matching.search_instruments({"capability": "拉力"}, ENTERPRISE_A)["items"] == []
    assert matching.search_instruments({"park": "elsewhere"}, ENTERPRISE_A)["items"] == []
    assert len(matching.search_instruments({"institution_id": owner["subject"]}, ENTERPRISE_A)["items"]) == 1


# Utilisation -------------------------------------------------------------------------------
def test_utilisation_is_used_hours_over_open_hours(sharing, clock):
    matching, owner, listed = sharing
    for start, end in (("01T09:00", "01T11:00"), ("01T13:30", "01T14:30")):
        booking = matching.book_slot(listed["id"], slot(start, end), ENTERPRISE_A)
        matching.confirm_booking(booking["id"], owner)
    unused = matching.book_slot(listed["id"], slot("03T09:00", "03T10:00"), ENTERPRISE_A)
    matching.confirm_booking(unused["id"], owner)
    clock.set("2026-12-01T18:00")
    for booking in matching.bookings({"status": "confirmed"}, owner)["items"]:
        if booking["start"].startswith("2026-12-01"):
            matching.record_usage(booking["id"], {}, owner)
    figure = matching.utilisation({"from": "2026-11-30", "to": "2026-12-06"}, owner)
    # Four open weekdays of 7 hours (Wednesday closed); 3 hours used.
    assert figure["instruments"][0] | {"name": None} == {
        "instrument_id": listed["id"], "name": None, "institution_id": owner["subject"],
        "open_hours": 28.0, "used_hours": 3.0, "utilisation": 0.1071}
    assert figure["total"] == {"open_hours": 28.0, "used_hours": 3.0, "utilisation": 0.1071}
    assert matching.utilisation({"from": "2026-12-07", "to": "2026-12-07"}, owner)["total"]["used_hours"] == 0


def test_the_evaluation_scores_the_hours_used_per_instrument_listed_in_the_station_s_park(platform, sharing, clock):
    matching, owner, listed = sharing
    spare = matching.list_instrument(instrument(code="XRF-02"), owner)
    booking = matching.book_slot(listed["id"], slot("01T09:00", "01T12:00"), ENTERPRISE_A)
    matching.confirm_booking(booking["id"], owner)
    clock.set("2026-12-01T18:00")
    matching.record_usage(booking["id"], {}, owner)
    elsewhere = platform.apps["intake"].register_station(factories.station(park="huangpu-science-city"), OPERATOR)
    platform.settle()

    def instrument_hours(scope, period):
        report = platform.apps["evaluation"].report({"scope": scope, "period": period},
                                                    {"role": "supervisor", "subject": "r-1"})
        line = {l["id"]: l for d in report["dimensions"] for l in d["indicators"]}["instrument_hours"]
        return report["figures"].get("instrument_hours"), line["value"]

    station = f"station:{platform.station['id']}"
    # Three hours used of two instruments listed in the park, whichever way it is looked at.
    assert instrument_hours(station, "2026-12") == (3, 1.5)
    figures = platform.apps["evaluation"].figures(station, "2026-12", {"role": "supervisor", "subject": "r-1"})
    assert figures["figures"]["instrument_hours"] == 3  # the figures read alone say the same
    assert instrument_hours(f"institution:{owner['subject']}", "2026-12") == (3, 1.5)
    assert instrument_hours("all", "2026-12") == (3, 1.5)
    # A station in another park has no shared instruments: its indicator is not scored.
    assert instrument_hours(f"station:{elsewhere['id']}", "2026-12") == (None, None)

    clock.set("2027-01-05T10:00")
    matching.withdraw_instrument(spare["id"], {"reason": "送修"}, owner)
    platform.settle()
    assert instrument_hours(station, "2027-01") == (None, 0)  # one listed, none used
    assert instrument_hours(station, "2026-12") == (3, 1.5)   # as it stood at that period's end


def test_every_event_of_an_instrument_leaves_through_its_contract(sharing, clock):
    from shared.contracts import contract_for
    matching, owner, listed = sharing
    matching.change_instrument(listed["id"], {"fees": [{"amount_cny": "12.50", "unit": "per_sample"}],
                                              "reason": "调价"}, owner)
    kept = matching.book_slot(listed["id"], slot("01T09:30", "01T10:00", phone="020-1234567"), ENTERPRISE_A)
    matching.confirm_booking(kept["id"], owner)
    declined = matching.book_slot(listed["id"], slot("01T10:00", "01T10:30"), ENTERPRISE_A)
    matching.decline_booking(declined["id"], {"reason": "维护"}, owner)
    cancelled = matching.book_slot(listed["id"], slot("01T10:00", "01T10:30"), ENTERPRISE_B)
    matching.cancel_booking(cancelled["id"], {"reason": "改期"}, ENTERPRISE_B)
    clock.set("2026-12-01T10:00")
    matching.record_usage(kept["id"], {}, owner)
    matching.withdraw_instrument(listed["id"], {"reason": "报废"}, owner)
    names = []
    for domain_event in matching.events.get(Instrument.create_id(owner["subject"], "XRF-01")):
        terms = contract_for(type(domain_event).__name__)
        assert terms.load(terms.dump(domain_event))["instrument_id"] == Instrument.create_id(owner["subject"], "XRF-01")
        names.append(terms.event)
    assert names == ["SharedInstrumentListed", "SharedInstrumentChanged", "SlotBooked", "BookingConfirmed", "SlotBooked",
                     "BookingDeclined", "SlotBooked", "BookingCancelled", "UsageRecorded", "SharedInstrumentWithdrawn"]


def test_a_save_writes_the_changed_booking_s_row_and_a_rebuild_writes_them_all(sharing, clock):
    from shared.readmodel import Statement
    matching, owner, listed = sharing
    first = matching.book_slot(listed["id"], slot("01T09:30", "01T10:00"), ENTERPRISE_A)
    matching.book_slot(listed["id"], slot("01T10:00", "01T10:30"), ENTERPRISE_B)
    matching.confirm_booking(first["id"], owner)
    clock.set("2026-12-01T10:00")
    matching.record_usage(first["id"], {}, owner)
    query = "SELECT id, status, hours_used, view FROM {s}instrument_bookings ORDER BY id"
    live = matching.read(query)
    assert sorted(row["status"] for row in live) == ["requested", "used"]
    matching.recorder.execute([Statement("DELETE FROM {s}instrument_bookings")])
    matching.rebuild_read_model()
    assert matching.read(query) == live
