"""The InstrumentRegister: an enterprise's register of its measuring instruments (计量器具台账).

One register per enterprise (its id comes from the credit code). Each instrument is either
subject to mandatory verification (强制检定, by a legal metrology institution) or calibrated at
the enterprise's choice, every so many months; its next due date is its last certificate's date
plus that interval. The register records when a due date comes near (``VerificationDue``, once
per due date), the demand a reminder became (``VerificationRequested``) and the certificate the
serving institution's completion carried (``CertificateRecorded``), which starts the next cycle.

Dates are ISO dates (``YYYY-MM-DD``) in the station's days; ``at`` is an instant from the
application's clock.
"""
from __future__ import annotations

import calendar
import uuid
from datetime import date

from eventsourcing.domain import Aggregate, event

from shared.errors import Conflict

_REGISTERS = uuid.UUID("6c0f4b2e-8a1d-4e37-9b55-2d7e1f3a8c90")

#: The sub-item of the metrology category each kind of instrument is served under.
SUB_ITEMS = {True: "verification", False: "calibration"}


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months; the 31st of a shorter month is its last day (a
    certificate of 31 January with a one-month interval is due on the last day of February)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_due(last_certificate: dict | None, interval_months: int, registered_on: str) -> str:
    """The last certificate's date plus the interval; an instrument without a certificate on
    record is due on the day it was registered (it must be verified or calibrated before use)."""
    if last_certificate is None:
        return registered_on
    return add_months(date.fromisoformat(last_certificate["date"]), interval_months).isoformat()


class InstrumentRegister(Aggregate):
    @staticmethod
    def create_id(credit_code: str, **_) -> uuid.UUID:
        return uuid.uuid5(_REGISTERS, credit_code)

    @event("InstrumentRegisterOpened")
    def __init__(self, credit_code: str, enterprise: dict, park: str, by: dict, at: str):
        # ``credit_code`` names the register (create_id); the enterprise's details carry it too.
        self.enterprise = enterprise
        self.park = park
        self.opened_at = at
        self.instruments: dict[str, dict] = {}

    @property
    def credit_code(self) -> str:
        return self.enterprise["credit_code"]

    @event("InstrumentRegisterHolderChanged")
    def change_holder(self, enterprise: dict, park: str, by: dict, at: str) -> None:
        """The enterprise's contact or its park changed (the credit code never does)."""
        self.enterprise = enterprise
        self.park = park

    # Instruments -------------------------------------------------------------------------
    def register_instrument(self, instrument_id: str, details: dict, registered_on: str,
                            by: dict, at: str) -> None:
        due = next_due(details["last_certificate"], details["interval_months"], registered_on)
        self._registered(instrument_id=instrument_id, **details, registered_on=registered_on,
                         next_due=due, by=by, at=at)

    @event("InstrumentRegistered")
    def _registered(self, instrument_id, name, model, serial_number, location, mandatory,
                    interval_months, last_certificate, registered_on, next_due, by, at):
        self.instruments[instrument_id] = {
            "id": instrument_id, "name": name, "model": model, "serial_number": serial_number,
            "location": location, "mandatory": mandatory, "interval_months": interval_months,
            "last_certificate": last_certificate, "next_due": next_due, "state": "in_use",
            "retirement": None, "registered_at": at, "registered_on": registered_on,
            "reminded_for": None,
            "open_demand": None, "certificates": []}

    def change_instrument(self, instrument_id: str, changes: dict, reason: str, by: dict,
                          at: str) -> None:
        instrument = self.in_use(instrument_id)
        merged = {**instrument, **changes}
        due = instrument["next_due"]
        if {"interval_months", "last_certificate"} & changes.keys():
            due = next_due(merged["last_certificate"], merged["interval_months"],
                           instrument["registered_on"])
        self._changed(instrument_id=instrument_id, changes=changes, next_due=due, reason=reason,
                      by=by, at=at)

    @event("InstrumentChanged")
    def _changed(self, instrument_id, changes, next_due, reason, by, at):
        self.instruments[instrument_id].update(changes, next_due=next_due)

    def retire(self, instrument_id: str, reason: str, by: dict, at: str) -> None:
        self.in_use(instrument_id)
        self._retired(instrument_id=instrument_id, reason=reason, by=by, at=at)

    @event("InstrumentRetired")
    def _retired(self, instrument_id, reason, by, at):
        self.instruments[instrument_id].update(
            state="retired", retirement={"reason": reason, "by": by, "at": at})

    # The verification cycle ----------------------------------------------------------------
    def remind(self, instrument_id: str, by: dict, at: str) -> bool:
        """Record that the instrument's due date is near; False if this due date was already
        reminded of (a reminder per due date, however often the check runs)."""
        instrument = self.instruments[instrument_id]
        if instrument["state"] != "in_use" or instrument["reminded_for"] == instrument["next_due"]:
            return False
        self._due(instrument_id=instrument_id, enterprise=self.credit_code, park=self.park,
                  name=instrument["name"], serial_number=instrument["serial_number"],
                  due_on=instrument["next_due"], by=by, at=at)
        return True

    @event("VerificationDue")
    def _due(self, instrument_id, enterprise, park, name, serial_number, due_on, by, at):
        self.instruments[instrument_id]["reminded_for"] = due_on

    def request_verification(self, instrument_id: str, demand_id: uuid.UUID, by: dict,
                             at: str) -> None:
        """The demand a reminder (or the enterprise's own wish) became. Whether an earlier
        demand is still open is the application's to judge: it reads the demand."""
        instrument = self.in_use(instrument_id)
        self._requested(instrument_id=instrument_id, demand_id=demand_id,
                        sub_item=SUB_ITEMS[instrument["mandatory"]], due_on=instrument["next_due"],
                        by=by, at=at)

    @event("VerificationRequested")
    def _requested(self, instrument_id, demand_id, sub_item, due_on, by, at):
        self.instruments[instrument_id]["open_demand"] = str(demand_id)

    def record_certificate(self, instrument_id: str, demand_id: uuid.UUID, number: str,
                           issued_on: str, institution_id: str | None, by: dict, at: str) -> None:
        """The certificate the completion of the requested demand carried: the next cycle
        starts from its date (a retired instrument keeps it on record all the same)."""
        instrument = self.instruments[instrument_id]
        due = add_months(date.fromisoformat(issued_on), instrument["interval_months"]).isoformat()
        self._certified(instrument_id=instrument_id, demand_id=demand_id, number=number,
                        issued_on=issued_on, institution_id=institution_id, next_due=due,
                        by=by, at=at)

    @event("CertificateRecorded")
    def _certified(self, instrument_id, demand_id, number, issued_on, institution_id, next_due,
                   by, at):
        instrument = self.instruments[instrument_id]
        certificate = {"number": number, "date": issued_on, "institution": None,
                       "institution_id": institution_id, "demand_id": str(demand_id)}
        instrument["certificates"] = [*instrument["certificates"], certificate]
        instrument.update(last_certificate=certificate, next_due=next_due, open_demand=None)

    # Guards --------------------------------------------------------------------------------
    def instrument(self, instrument_id: str) -> dict:
        return self.instruments[instrument_id]

    def in_use(self, instrument_id: str) -> dict:
        instrument = self.instruments[instrument_id]
        if instrument["state"] != "in_use":
            raise Conflict(f"instrument {instrument_id} is retired",
                           {"instrument_id": instrument_id, "state": instrument["state"]})
        return instrument

    def serial_taken(self, serial_number: str, other_than: str | None = None) -> bool:
        """Two instruments in use in one register never share a serial number (a retired
        one's number may come back, e.g. an instrument retired by mistake and registered anew)."""
        return any(found["serial_number"] == serial_number and found["state"] == "in_use"
                   and found["id"] != other_than for found in self.instruments.values())
