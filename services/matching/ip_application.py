"""An intellectual-property demand's applications (patents, trademarks) that the serving
institution files for the enterprise, each with its office, number and status.

Its id derives from the office and the application number, so one application is recorded once
whatever the demand. CNIPA's numbers are checked: a patent application number (ZC 0006-2003) is
12 digits (year, kind, serial; 8 digits before 1 October 2003), a dot and a check digit; a
trademark application number is digits.
"""
from __future__ import annotations

import re
import uuid
from datetime import date

from eventsourcing.domain import Aggregate, event

from shared.errors import Conflict, Invalid
from shared.field_messages import said
from shared.projects import PATENT_KINDS

_APPLICATIONS = uuid.UUID("9a4e6c1d-3f27-4b85-a0d2-7c5e8b1f6a39")
CNIPA = "CNIPA"
#: The kind digit of a CNIPA patent application number: 1 invention, 2 utility model, 3 design;
#: 8 and 9 a PCT invention or utility model entering the national phase.
KIND_DIGITS = {"invention_patent": "18", "utility_model": "29", "design": "3"}
#: Where each status may go; granted (a patent) and registered (a trademark), rejected and
#: withdrawn end an application.
MOVES = {"filed": ("accepted", "rejected", "withdrawn"),
         "accepted": ("examined", "rejected", "withdrawn"),
         "examined": ("granted", "registered", "rejected", "withdrawn")}
_PATENT_NUMBER = re.compile(r"(\d{8}|\d{12})\.([0-9X])")
_TRADEMARK_NUMBER = re.compile(r"\d{1,10}")


def check_digit(digits: str) -> str:
    """CNIPA's check character of a patent application number's digits: each digit weighted
    2, 3, ... 9, then 2, 3, ... again, the sum modulo 11, 10 written X."""
    remainder = sum(int(d) * (2 + i % 8) for i, d in enumerate(digits)) % 11
    return "X" if remainder == 10 else str(remainder)


def normalised_number(number: str) -> str:
    """As CNIPA writes it: spaces (allowed between year, kind and serial) and an x's case away."""
    return re.sub(r"\s+", "", number).upper()


def number_problem(kind: str, office: str, number: str) -> str | None:
    """Why ``number`` is not a CNIPA application number of ``kind`` (a field message code),
    or None. Other offices' numbers are taken as written."""
    if office != CNIPA:
        return None
    if kind == "trademark":
        return None if _TRADEMARK_NUMBER.fullmatch(number) else "trademark_number_form"
    found = _PATENT_NUMBER.fullmatch(number)
    if not found:
        return "patent_number_form"
    digits, given = found.groups()
    kind_digit = digits[4] if len(digits) == 12 else digits[2]
    if kind_digit not in KIND_DIGITS[kind]:
        return "patent_number_kind"
    return None if check_digit(digits) == given else "patent_number_check"


def filing_year(number: str) -> int:
    """The year a CNIPA patent application number says it was filed in (two digits before
    October 2003, all of them in the 20th century's numbering)."""
    digits = number.split(".")[0]
    return int(digits[:4]) if len(digits) == 12 else 1900 + int(digits[:2])


class IpApplication(Aggregate):
    @staticmethod
    def create_id(office: str, number: str, **_) -> uuid.UUID:
        return uuid.uuid5(_APPLICATIONS, f"{office}:{number}")

    @event("IpApplicationRecorded")
    def __init__(self, demand_id: uuid.UUID, institution_id: uuid.UUID, kind: str, office: str,
                 number: str, filed_on: date, title: str, classes: list[int], note: str | None,
                 by: dict, at: str):
        self.demand_id = demand_id
        self.institution_id = institution_id
        self.kind, self.office, self.number = kind, office, number
        self.filed_on, self.title, self.classes, self.note = filed_on, title, classes, note
        self.recorded = {"by": by, "at": at}
        self.status = "filed"
        self.history = [{"status": "filed", "on": filed_on, "note": note, "by": by, "at": at}]

    def move(self, status: str, on: date, note: str | None, by: dict, at: str) -> None:
        allowed = tuple(s for s in MOVES.get(self.status, ())
                        if s != ("registered" if self.kind in PATENT_KINDS else "granted"))
        if status not in allowed:
            raise Conflict(f"an application that is {self.status} cannot become {status}",
                           {"current_status": self.status, "allowed": list(allowed)})
        if on < self.last_date:
            raise Invalid("a status dated before the one it follows",
                          {"on": [said("before_last_status", last=self.last_date.isoformat())]})
        self._moved(demand_id=self.demand_id, status=status, on=on, note=note, by=by, at=at)

    @property
    def last_date(self) -> date:
        return self.history[-1]["on"]

    @event("IpApplicationStatusChanged")
    def _moved(self, demand_id, status, on, note, by, at):
        self.status = status
        self.history.append({"status": status, "on": on, "note": note, "by": by, "at": at})


def ip_application_view(application: IpApplication) -> dict:
    return {"id": str(application.id), "demand_id": str(application.demand_id),
            "institution_id": str(application.institution_id), "kind": application.kind,
            "office": application.office, "number": application.number,
            "filed_on": application.filed_on.isoformat(), "title": application.title,
            "classes": application.classes, "note": application.note,
            "status": application.status, "recorded_by": application.recorded["by"],
            "recorded_at": application.recorded["at"],
            "history": [{**step, "on": step["on"].isoformat()} for step in application.history]}
