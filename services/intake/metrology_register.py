"""Intake's commands and queries of the metrology register (mixed into ``Intake``): the enterprise
keeps its register, a scheduled check reminds it of due dates, a reminder becomes a demand with
one click, and the completion of that demand records the certificate.

The register lives in intake because intake is the enterprise's window: the demand a reminder
becomes is submitted through intake's own submission path and saved in the same transaction as
the register's ``VerificationRequested``.
"""
from __future__ import annotations

import json
import logging
import uuid
from datetime import date, datetime, timedelta

from eventsourcing.persistence import IntegrityError

from services.intake.demand import FINAL, Demand
from services.intake.metrology import SUB_ITEMS, InstrumentRegister
from services.intake.metrology_views import register_view
from services.intake.station import Station
from shared.commands import (
    ChangeInstrument, ListInstrumentRegisters, OpenInstrumentRegister, ReadInstrumentRegister,
    RegisterInstrument, RequestVerification, RetireInstrument)
from shared.config import section
from shared.errors import Conflict, Forbidden, Invalid, NotFound
from shared.field_messages import said
from shared.readmodel import equal, keyset_page

log = logging.getLogger(__name__)

#: Who records a reminder.
REMINDERS = {"role": "system", "subject": "metrology-reminders"}


class MetrologyRegister:
    """Needs the ``Intake`` it is mixed into: its clock, repository, read model, zones, staff
    and its submission of demands (``_new_demand``)."""

    reminder_days = 30

    def configure_metrology(self, config: dict) -> None:
        self.reminder_days = int(section(config, "METROLOGY").get("reminder_days") or 30)

    # The enterprise keeps its register ------------------------------------------------------
    def open_instrument_register(self, payload: dict, by: dict) -> dict:
        """The enterprise opens its register (again: it changes its contact or park)."""
        command = self.load_command(OpenInstrumentRegister, payload)
        if by["role"] != "enterprise" or command["enterprise"]["credit_code"] != by["subject"]:
            raise Forbidden("an enterprise opens only its own register",
                            {"enterprise.credit_code": "must be the token's subject"})
        self._station_serving(command["park"])  # Invalid for a park no station serves
        at = self.clock().isoformat()
        register = self._register_or_none(by["subject"])
        if register is None:
            register = InstrumentRegister(credit_code=by["subject"], by=by, at=at, **command)
        elif (register.enterprise, register.park) != (command["enterprise"], command["park"]):
            register.change_holder(by=by, at=at, **command)
        return self._saved_register(register)

    def register_instrument(self, payload: dict, by: dict) -> dict:
        command = self.load_command(RegisterInstrument, payload)
        register = self._own_register(by)
        certificate = RegisterInstrument.certificate(command)
        self._serial_free(register, command["serial_number"])
        register.register_instrument(str(uuid.uuid4()), {**command, "last_certificate": certificate},
                                     self._today(register).isoformat(), by=by,
                                     at=self.clock().isoformat())
        return self._saved_register(register)

    def change_instrument(self, instrument_id: str, payload: dict, by: dict) -> dict:
        command = self.load_command(ChangeInstrument, payload)
        register = self._own_register(by, instrument_id)
        changes = ChangeInstrument.given(command)
        changes.pop("last_certificate_date", None)  # given whole, as the last certificate
        certificate = ChangeInstrument.certificate(command)
        if certificate is not None:
            changes["last_certificate"] = certificate
        if "serial_number" in changes:
            self._serial_free(register, changes["serial_number"], instrument_id)
        register.change_instrument(instrument_id, changes, command["reason"], by=by,
                                   at=self.clock().isoformat())
        return self._saved_register(register)

    def retire_instrument(self, instrument_id: str, payload: dict, by: dict) -> dict:
        command = self.load_command(RetireInstrument, payload)
        register = self._own_register(by, instrument_id)
        register.retire(instrument_id, command["reason"], by=by, at=self.clock().isoformat())
        return self._saved_register(register)

    # One click: the demand ------------------------------------------------------------------
    def request_verification(self, instrument_id: str, payload: dict, by: dict) -> dict:
        """Submit the demand for the instrument's verification or calibration, through intake's
        own submission, and record it on the register in the same transaction."""
        command = self.load_command(RequestVerification, payload)
        register = self._readable_register(self._register_id_of(instrument_id), by)
        if by["role"] not in ("enterprise", "specialist"):
            raise Forbidden("the enterprise, or a specialist of its station, asks for a demand")
        instrument = register.in_use(instrument_id)
        if instrument["open_demand"] in self._open_demands([instrument["open_demand"]]):
            raise Conflict(f"demand {instrument['open_demand']} for this instrument is still open",
                           {"demand_id": instrument["open_demand"]})
        today = self._today(register)
        demand = self._new_demand(_demand_of(register, instrument, command["channel"], today), by,
                                  sub_items=[SUB_ITEMS[instrument["mandatory"]]])
        register.request_verification(instrument_id, demand.id, by=by, at=demand.submitted_at)
        self.save_or_conflict(demand, register, what="the instrument register",
                              details={"instrument_id": instrument_id})
        return self._shown(demand, self.clock())

    # Reading --------------------------------------------------------------------------------
    def instrument_register(self, query: dict, viewer: dict) -> dict:
        command = self.load_command(ReadInstrumentRegister, query)
        code = viewer["subject"] if viewer["role"] == "enterprise" else command["enterprise"]
        if code is None:
            raise Invalid("name the enterprise whose register you read",
                          {"enterprise": [said("required")]})
        return self._shown_register(self._readable_register(InstrumentRegister.create_id(code), viewer),
                                    command["sort"])

    def list_instrument_registers(self, query: dict, viewer: dict) -> dict:
        command = self.load_command(ListInstrumentRegisters, query)
        park = command["park"]
        if viewer["role"] == "specialist":
            station = self._station_of_staff(viewer["subject"])
            park = None if station is None else self.repository.get(station).park
            if station is None or command["park"] not in (None, park):
                return {"items": [], "per_page": command["per_page"], "next_after": None}
        elif viewer["role"] not in ("supervisor", "operator"):
            raise Forbidden("the station's specialists and supervisors list registers")
        filters, values = equal(park=park)
        found, next_after = keyset_page(self.read, "instrument_registers", filters, values, "name",
                                        command["after"], command["per_page"])
        return {"items": [json.loads(row["listing"]) for row in found],
                "per_page": command["per_page"], "next_after": next_after}

    # Reminders ------------------------------------------------------------------------------
    def check_instruments_due(self, batch: int = 500) -> int:
        """Record ``VerificationDue`` for each instrument in use whose due date is within the
        reminder days and was not reminded of yet; returns how many. The index selects by the
        due date a day beyond the horizon (a station's day may be ahead of UTC's); each
        register then judges in its station's days."""
        now = self.clock()
        horizon = (now.date() + timedelta(days=self.reminder_days + 1)).isoformat()
        recorded = 0
        for row in self.read("SELECT id, register_id FROM {s}instruments WHERE awaiting_reminder = 1 "
                             "AND next_due <= %s ORDER BY next_due LIMIT %s", horizon, batch):
            recorded += self._remind(uuid.UUID(row["register_id"]), row["id"], now)
        return recorded

    def _remind(self, register_id: uuid.UUID, instrument_id: str, now: datetime) -> int:
        for _ in range(5):  # a command on the same register may save first
            register = self.repository.get(register_id)
            due = date.fromisoformat(register.instrument(instrument_id)["next_due"])
            if (due - self._today(register, now)).days > self.reminder_days:
                return 0
            if not register.remind(instrument_id, REMINDERS, now.isoformat()):
                return 0
            try:
                self.save(register)
            except IntegrityError:
                continue
            return 1
        return 0

    # At completion --------------------------------------------------------------------------
    def certified(self, demand: Demand, data: dict) -> InstrumentRegister | None:
        """The register that asked for ``demand`` (just completed), with the certificate its
        evidence carries recorded; None when no register asked for it."""
        found = self.read("SELECT register_id, instrument_id FROM {s}instrument_requests "
                          "WHERE demand_id = %s", str(demand.id))
        if not found:
            return None
        evidence = data["evidence"] or {}
        number = evidence.get("certificate_number") or evidence.get("report_number")
        if not number:
            # Matching requires a report or certificate number at completion; a completion
            # without one (recorded before that rule) gives no certificate to start the next
            # cycle from, so the due date stays and the enterprise records the certificate itself.
            log.warning("demand %s completed without a certificate number: its instrument's "
                        "due date stays", demand.id)
            return None
        register = self.repository.get(uuid.UUID(found[0]["register_id"]))
        now = self.clock()
        register.record_certificate(found[0]["instrument_id"], demand.id, number,
                                    self._today(register, now).isoformat(),
                                    str(data["institution_id"]), by=data["by"], at=now.isoformat())
        return register

    # Helpers ---------------------------------------------------------------------------------
    def _register_or_none(self, credit_code: str) -> InstrumentRegister | None:
        try:
            return self.find(InstrumentRegister, InstrumentRegister.create_id(credit_code), "register")
        except NotFound:
            return None

    def _own_register(self, by: dict, instrument_id: str | None = None) -> InstrumentRegister:
        """The enterprise's own register (holding ``instrument_id``); only it changes it."""
        if by["role"] != "enterprise":
            raise Forbidden("only the enterprise keeps its instrument register")
        register = self._register_or_none(by["subject"])
        if instrument_id is not None and (register is None or instrument_id not in register.instruments):
            raise NotFound(f"no instrument {instrument_id}")
        if register is None:
            raise Invalid("open the instrument register first",
                          {"enterprise": [said("no_instrument_register")]})
        return register

    def _register_id_of(self, instrument_id: str) -> uuid.UUID:
        found = self.read("SELECT register_id FROM {s}instruments WHERE id = %s", str(instrument_id))
        if not found:
            raise NotFound(f"no instrument {instrument_id}")
        return uuid.UUID(found[0]["register_id"])

    def _readable_register(self, register_id: uuid.UUID, viewer: dict) -> InstrumentRegister:
        """The enterprise reads its own, a specialist those of its station's park, supervisors
        and operators all; any other is not found for the viewer."""
        register = None
        try:
            register = self.find(InstrumentRegister, register_id, "register")
        except NotFound:
            pass
        role = viewer["role"]
        allowed = register is not None and (
            (role == "enterprise" and register.credit_code == viewer["subject"])
            or (role == "specialist" and self._is_staff(viewer, Station.create_id(register.park)))
            or role in ("supervisor", "operator"))
        if not allowed:
            raise NotFound("no instrument register here")
        return register

    def _serial_free(self, register: InstrumentRegister, serial_number: str,
                     instrument_id: str | None = None) -> None:
        if register.serial_taken(serial_number, instrument_id):
            raise Invalid(f"serial number {serial_number} is already in the register",
                          {"serial_number": [said("serial_number_taken", serial_number=serial_number)]})

    def _open_demands(self, demand_ids: list[str | None]) -> set[str]:
        asked = [found for found in demand_ids if found]
        if not asked:
            return set()
        rows = self.read("SELECT id, status FROM {s}demands WHERE id IN ("
                         + ", ".join(["%s"] * len(asked)) + ")", *asked)
        return {row["id"] for row in rows if row["status"] not in FINAL}

    def _today(self, register: InstrumentRegister, now: datetime | None = None) -> date:
        """The day it is at the station that serves the register's park."""
        moment = now or self.clock()
        return moment.astimezone(self._zone(Station.create_id(register.park))).date()

    def _saved_register(self, register: InstrumentRegister) -> dict:
        self.save_or_conflict(register, what="the instrument register")
        return self._shown_register(register, "next_due")

    def _shown_register(self, register: InstrumentRegister, sort: str) -> dict:
        asked = [found["open_demand"] for found in register.instruments.values()]
        zone = self._zone(Station.create_id(register.park))
        return register_view(register, self._today(register), self.reminder_days,
                             self._open_demands(asked), sort, zone.key)


def _demand_of(register: InstrumentRegister, instrument: dict, channel: str, today: date) -> dict:
    """The demand's submission, written from the register."""
    work = "检定" if instrument["mandatory"] else "校准"
    certificate = instrument["last_certificate"]
    last = "无" if certificate is None else "{number}（{date}，{institution}）".format(
        number=certificate["number"], date=certificate["date"],
        institution=certificate["institution"] or "—")
    lines = [
        f"计量器具：{instrument['name']}",
        f"型号：{instrument['model'] or '—'}",
        f"出厂编号：{instrument['serial_number']}",
        f"安装位置：{instrument['location'] or '—'}",
        f"管理类别：{'强制检定' if instrument['mandatory'] else '非强制检定（自主校准）'}",
        f"周期：{instrument['interval_months']} 个月",
        f"上次证书：{last}",
        f"到期日：{instrument['next_due']}",
        f"服务子项：{SUB_ITEMS[instrument['mandatory']]}（{work}）",
    ]
    due = date.fromisoformat(instrument["next_due"])
    return {"enterprise": register.enterprise, "park": register.park, "category": "metrology",
            "title": f"{instrument['name']}{work}（{instrument['serial_number']}）",
            "description": "\n".join(lines), "items": [instrument["name"]],
            "expected_by": due.isoformat() if due >= today else None, "channel": channel}
