"""Raw figures: what happened, day by day, before any scoring.

Each upstream event (and each feedback, complaint or supervision check) that matters to the
evaluation records one ``Tally``: the figures it adds on the local day it happened, for every
scope it concerns (the platform, a station, a category, an institution). A tally is created once
and never changed, so recording one costs no read, and the ledger (readmodel.py) keeps them
as per-day rows that any period (a month, a quarter, a year, any range of days) adds up.

Three kinds of entry:
- ``add``: a count or a sum (demands submitted, hours to first response), added over the period;
- ``member``: a member of a set (an enterprise served), counted once over the period;
- ``state``: the latest value of something as of the period's end (an institution's standing).
"""
from __future__ import annotations

import re
import uuid
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from eventsourcing.domain import Aggregate, event

from shared.errors import Invalid
from shared.field_messages import FieldMessage, said

_TALLIES = uuid.UUID("5c1f7a3e-94d2-4b6e-8a10-3e7d2c9b5f41")

#: Figures that are levels, summed from the beginning to the period's end (staff on the roll),
#: not over the period alone.
LEVELS = frozenset({"staff", "staff_trained"})


class Tally(Aggregate):
    """The figures one occurrence adds, on the day it happened."""

    @staticmethod
    def create_id(source: str, **_) -> uuid.UUID:
        return uuid.uuid5(_TALLIES, source)

    @event("FiguresRecorded")
    def __init__(self, source: str, day: str, entries: list[dict]):
        self.source = source
        self.day = day
        self.entries = entries


class Entries:
    """Collects a tally's entries for a set of scopes."""

    def __init__(self, *scopes: str):
        self.scopes = tuple(dict.fromkeys(s for s in ("all", *scopes) if s))
        self.items: list[dict] = []

    def add(self, figure: str, amount: float = 1, *, only: tuple[str, ...] | None = None) -> "Entries":
        for scope in only or self.scopes:
            self.items.append({"scope": scope, "figure": figure, "add": amount})
        return self

    def member(self, figure: str, member: str) -> "Entries":
        for scope in self.scopes:
            self.items.append({"scope": scope, "figure": figure, "member": member})
        return self

    def state(self, figure: str, key: str, value) -> "Entries":
        self.items.append({"scope": "all", "figure": figure, "key": key, "value": value})
        return self


def scope_of(kind: str, value) -> str | None:
    return f"{kind}:{value}" if value else None


def local_day(at: str, zone: str) -> str:
    return datetime.fromisoformat(at).astimezone(ZoneInfo(zone)).date().isoformat()


# Periods -----------------------------------------------------------------------------------
_MONTH = re.compile(r"(\d{4})-(\d\d)")
_QUARTER = re.compile(r"(\d{4})-Q([1-4])")
_YEAR = re.compile(r"\d{4}")
_RANGE = re.compile(r"(\d{4}-\d\d-\d\d)\.\.(\d{4}-\d\d-\d\d)")
PERIOD_FORMATS = "YYYY-MM (a month), YYYY-Qn (a quarter), YYYY (a year) or YYYY-MM-DD..YYYY-MM-DD"


@dataclass(frozen=True)
class Period:
    """Whole local days, both ends included."""
    label: str
    first: date
    last: date

    @classmethod
    def parse(cls, text: str) -> "Period":
        text = text or ""
        try:
            if match := _RANGE.fullmatch(text):
                first, last = (date.fromisoformat(part) for part in match.groups())
                if last < first:
                    raise ValueError(said("period_reversed"))
                if (last - first).days > 3660:
                    raise ValueError(said("period_too_long"))
                return cls(text, first, last)
            if match := _QUARTER.fullmatch(text):
                year, quarter = int(match[1]), int(match[2])
                first = date(year, 3 * quarter - 2, 1)
                return cls(text, first, _month_end(year, 3 * quarter))
            if match := _MONTH.fullmatch(text):
                year, month = int(match[1]), int(match[2])
                return cls(text, date(year, month, 1), _month_end(year, month))
            if _YEAR.fullmatch(text):
                return cls(text, date(int(text), 1, 1), date(int(text), 12, 31))
        except ValueError as error:
            problem = error.args[0] if isinstance(error.args[0], FieldMessage) else said("period_not_a_date")
            raise Invalid(f"period {text!r}: {problem}", {"period": [problem]}) from None
        raise Invalid(f"period {text!r} is not one of {PERIOD_FORMATS}", {"period": [said("period_form")]})

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def split(self, every: str) -> list["Period"]:
        """The consecutive months, quarters or years this period covers (for a trend)."""
        periods, cursor = [], self.first
        while cursor <= self.last:
            if every == "month":
                label = f"{cursor:%Y-%m}"
            elif every == "quarter":
                label = f"{cursor.year}-Q{(cursor.month - 1) // 3 + 1}"
            else:
                label = str(cursor.year)
            period = Period.parse(label)
            periods.append(period)
            if period.last >= self.last:
                break
            cursor = period.last + timedelta(days=1)
        return periods


def _month_end(year: int, month: int) -> date:
    return date(year, month, monthrange(year, month)[1])
