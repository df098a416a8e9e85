"""The instrument registers' read model and how a register is shown.

``instruments`` holds what the reminder check selects on: an instrument in use whose due date
was not reminded of yet, by that date (so a check costs what is due, not the number of
instruments). ``instrument_requests`` says which register asked for a demand, which is what
intake looks up when matching completes a demand. ``instrument_registers`` lists the registers
a page at a time, by park for a station's specialists.
"""
from __future__ import annotations

from datetime import date

from services.intake.metrology import InstrumentRegister
from shared.readmodel import Statement, upsert

TABLES = (
    "CREATE TABLE IF NOT EXISTS {s}instrument_registers (id TEXT PRIMARY KEY, "
    "enterprise TEXT NOT NULL, park TEXT NOT NULL, name TEXT NOT NULL, listing TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS instrument_registers_park ON {s}instrument_registers (park, name, id)",
    "CREATE INDEX IF NOT EXISTS instrument_registers_name ON {s}instrument_registers (name, id)",
    "CREATE TABLE IF NOT EXISTS {s}instruments (id TEXT PRIMARY KEY, register_id TEXT NOT NULL, "
    "next_due TEXT NOT NULL, awaiting_reminder INTEGER NOT NULL)",
    "CREATE INDEX IF NOT EXISTS instruments_reminder ON {s}instruments (awaiting_reminder, next_due)",
    "CREATE TABLE IF NOT EXISTS {s}instrument_requests (demand_id TEXT PRIMARY KEY, "
    "register_id TEXT NOT NULL, instrument_id TEXT NOT NULL)",
)


def rows(register: InstrumentRegister) -> list[Statement]:
    instruments = register.instruments.values()
    return [upsert("instrument_registers", ("id",), {
        "id": str(register.id), "enterprise": register.credit_code, "park": register.park,
        "name": register.enterprise["name"], "listing": register_listing(register)})] + [
        upsert("instruments", ("id",), {
            "id": found["id"], "register_id": str(register.id), "next_due": found["next_due"],
            "awaiting_reminder": int(found["state"] == "in_use"
                                     and found["reminded_for"] != found["next_due"])})
        for found in instruments] + [
        upsert("instrument_requests", ("demand_id",), {
            "demand_id": found["open_demand"], "register_id": str(register.id),
            "instrument_id": found["id"]})
        for found in instruments if found["open_demand"]]


def register_listing(register: InstrumentRegister) -> dict:
    in_use = [found for found in register.instruments.values() if found["state"] == "in_use"]
    return {"id": str(register.id), "enterprise": register.enterprise, "park": register.park,
            "instruments_in_use": len(in_use),
            "next_due": min((found["next_due"] for found in in_use), default=None)}


def due_badge(instrument: dict, today: date, reminder_days: int) -> str | None:
    """overdue (its due date has passed), due_soon (within the reminder days), ok; None for a
    retired instrument."""
    if instrument["state"] != "in_use":
        return None
    left = (date.fromisoformat(instrument["next_due"]) - today).days
    if left < 0:
        return "overdue"
    return "due_soon" if left <= reminder_days else "ok"


def instrument_view(instrument: dict, today: date, reminder_days: int,
                    open_demand: str | None) -> dict:
    """``open_demand``: the demand it asked for, if that demand is still open."""
    return {**{key: value for key, value in instrument.items() if key != "open_demand"},
            "due": due_badge(instrument, today, reminder_days),
            "days_left": (date.fromisoformat(instrument["next_due"]) - today).days,
            "open_demand": open_demand}


def register_view(register: InstrumentRegister, today: date, reminder_days: int,
                  open_demands: set[str], sort: str, time_zone: str) -> dict:
    shown = [instrument_view(found, today, reminder_days,
                             found["open_demand"] if found["open_demand"] in open_demands else None)
             for found in register.instruments.values()]
    key = (lambda found: (found["name"], found["serial_number"])) if sort == "name" else (
        lambda found: (found["next_due"], found["name"]))
    shown.sort(key=key, reverse=sort.startswith("-"))
    badges = [found["due"] for found in shown]
    return {**register_listing(register), "opened_at": register.opened_at, "today": today.isoformat(),
            "reminder_days": reminder_days, "overdue": badges.count("overdue"),
            "due_soon": badges.count("due_soon"), "time_zone": time_zone, "instruments": shown}
