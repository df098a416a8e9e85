"""A station's working calendar: time limits on a demand run in working time, not wall-clock time."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from shared.field_messages import said

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# Longer than any real closure, short enough that a calendar without working days fails fast.
SEARCH_LIMIT_DAYS = 3660

_PERIOD = re.compile(r"(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})")


@dataclass(frozen=True)
class WorkingCalendar:
    timezone: str = "Asia/Shanghai"
    #: working periods of a working day, local time, sorted, non-overlapping
    hours: tuple[tuple[time, time], ...] = ((time(9, 0), time(12, 0)), (time(13, 30), time(17, 30)))
    #: date.weekday() numbers
    weekend: frozenset[int] = frozenset({5, 6})
    #: no work, even on a weekday
    holidays: frozenset[date] = frozenset()
    #: work, even on a weekend day (调休)
    extra_workdays: frozenset[date] = frozenset()

    def __post_init__(self):
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError, TypeError):
            raise ValueError(said("calendar_zone", zone=repr(self.timezone))) from None
        if not self.hours:
            # A working day without working time would make every time limit expire at once.
            raise ValueError(said("calendar_no_period"))
        previous_end = None
        for start, end in self.hours:
            for moment in (start, end):
                if moment.tzinfo is not None or moment.second or moment.microsecond:
                    # to_config writes HH:MM in the station's zone; anything finer would not survive.
                    raise ValueError(said("calendar_minutes", moment=str(moment)))
            if end <= start:
                raise ValueError(said("calendar_period_order", period=_period(start, end)))
            if previous_end is not None and start < previous_end:
                raise ValueError(said("calendar_period_overlap", period=_period(start, end)))
            previous_end = end
        if any(type(day) is not int or day not in range(7) for day in self.weekend):
            raise ValueError(said("calendar_weekday_numbers", given=str(sorted(self.weekend, key=str))))
        if len(set(self.weekend)) == 7 and not self.extra_workdays:
            # Deadlines could never be computed: every demand of the station would fail.
            raise ValueError(said("calendar_no_working_day"))
        both = self.holidays & self.extra_workdays
        if both:
            days = ", ".join(day.isoformat() for day in sorted(both))
            raise ValueError(said("calendar_holiday_workday", days=days))

    @classmethod
    def from_config(cls, settings: dict) -> "WorkingCalendar":
        unknown = set(settings) - {"timezone", "hours", "weekend", "holidays", "extra_workdays"}
        if unknown:
            # A misspelt key would otherwise silently drop, say, every public holiday.
            raise ValueError(said("calendar_unknown_setting", names=", ".join(sorted(unknown))))
        defaults = cls()
        return cls(
            timezone=settings.get("timezone", defaults.timezone),
            hours=(tuple(sorted(_parse_period(text) for text in _listed(settings, "hours")))
                   if "hours" in settings else defaults.hours),
            weekend=(frozenset(_parse_weekday(value) for value in _listed(settings, "weekend"))
                     if "weekend" in settings else defaults.weekend),
            holidays=frozenset(_parse_date(value, "holidays") for value in _listed(settings, "holidays")),
            extra_workdays=frozenset(_parse_date(value, "extra_workdays")
                                     for value in _listed(settings, "extra_workdays")),
        )

    def to_config(self) -> dict:
        return {
            "timezone": self.timezone,
            "hours": [_period(start, end) for start, end in self.hours],
            "weekend": [WEEKDAYS[day] for day in sorted(self.weekend)],
            "holidays": [day.isoformat() for day in sorted(self.holidays)],
            "extra_workdays": [day.isoformat() for day in sorted(self.extra_workdays)],
        }

    def is_working_day(self, day: date) -> bool:
        if day in self.extra_workdays:
            return True
        return day not in self.holidays and day.weekday() not in self.weekend

    @property
    def seconds_per_day(self) -> int:
        return sum(int((datetime.combine(date.min, end) - datetime.combine(date.min, start)).total_seconds())
                   for start, end in self.hours)

    def working_days(self, count: float) -> float:
        return count * self.seconds_per_day

    def add(self, start: datetime, seconds: float) -> datetime:
        cursor = _utc(start, "start")
        if not (math.isfinite(seconds) and seconds >= 0):
            raise ValueError(f"seconds: working time to add must be finite and not negative, got {seconds!r}")
        remaining = seconds
        zone = ZoneInfo(self.timezone)
        day = cursor.astimezone(zone).date()
        days_off = 0
        while True:
            periods = self._periods(day, zone)
            days_off = 0 if periods else days_off + 1
            if days_off > SEARCH_LIMIT_DAYS:
                raise ValueError(f"no working day within {SEARCH_LIMIT_DAYS} days after "
                                 f"{start.isoformat()}: the calendar never opens")
            for opens, closes in periods:
                begin = max(opens, cursor)
                # Periods are half-open: at the closing instant the station is already closed,
                # so a zero-length count moves on to the next opening.
                if begin >= closes:
                    continue
                available = (closes - begin).total_seconds()
                if remaining <= available:
                    return begin + timedelta(seconds=remaining)
                remaining -= available
            day += timedelta(days=1)

    def between(self, start: datetime, end: datetime) -> float:
        start, end = _utc(start, "start"), _utc(end, "end")
        if end <= start:
            return 0.0
        zone = ZoneInfo(self.timezone)
        day, last = start.astimezone(zone).date(), end.astimezone(zone).date()
        elapsed = 0.0
        while day <= last:
            for opens, closes in self._periods(day, zone):
                overlap = (min(closes, end) - max(opens, start)).total_seconds()
                elapsed += max(overlap, 0.0)
            day += timedelta(days=1)
        return elapsed

    def _periods(self, day: date, zone: ZoneInfo) -> list[tuple[datetime, datetime]]:
        """The day's working periods as UTC instants, so arithmetic is right across a DST change."""
        if not self.is_working_day(day):
            return []
        return [(datetime.combine(day, start, zone).astimezone(UTC),
                 datetime.combine(day, end, zone).astimezone(UTC))
                for start, end in self.hours]


def _utc(moment: datetime, name: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name}: naive datetime {moment.isoformat()} is ambiguous; "
                         "give a timezone-aware datetime so it can be placed on the station's calendar")
    return moment.astimezone(UTC)


def _period(start: time, end: time) -> str:
    return f"{start:%H:%M}-{end:%H:%M}"


def _listed(settings: dict, key: str) -> list:
    values = settings.get(key, [])
    # A lone string would otherwise be read character by character.
    if not isinstance(values, (list, tuple)):
        raise ValueError(said("calendar_not_list", setting=key))
    return list(values)


def _parse_period(text) -> tuple[time, time]:
    match = _PERIOD.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise ValueError(said("calendar_period_form", text=repr(text)))
    start_hour, start_minute, end_hour, end_minute = map(int, match.groups())
    try:
        return time(start_hour, start_minute), time(end_hour, end_minute)
    except ValueError:
        raise ValueError(said("calendar_time", text=repr(text))) from None


def _parse_weekday(value) -> int:
    if isinstance(value, str) and value.strip().lower() in WEEKDAYS:
        return WEEKDAYS.index(value.strip().lower())
    if isinstance(value, int) and not isinstance(value, bool) and value in range(7):
        return value
    raise ValueError(said("calendar_weekday", value=repr(value)))


def _parse_date(value, key: str) -> date:
    # A settings schema may already have loaded the ISO strings as dates.
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValueError(said("calendar_date", setting=key, value=repr(value))) from None


_AMOUNT = re.compile(r"(\d+(?:\.\d+)?)([smhd])")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600}


def working_seconds(amount: str, calendar: WorkingCalendar) -> float:
    """``90s``, ``30m``, ``1h`` are working seconds, minutes, hours; ``4d`` is four working days
    of ``calendar``. Raises ValueError for anything else."""
    found = _AMOUNT.fullmatch(str(amount))
    if found is None:
        raise ValueError(f"must look like 90s, 30m, 1h or 4d, not {amount!r}")
    number, unit = float(found.group(1)), found.group(2)
    return calendar.working_days(number) if unit == "d" else number * _UNIT_SECONDS[unit]
