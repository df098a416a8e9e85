"""Instants as people read them: in the station's time zone, with its offset. Instants are
recorded and compared in UTC; a view shows them where the station is (a call taken at 16:08 in
Panyu reads 16:08+08:00, not 08:08Z), the same instant either way for a program reading it."""
from __future__ import annotations

import os
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

#: Where the platform's people are. The dates they enter (a sample received today, a promised
#: date) are dates there, so "today" is judged there: in UTC, between 00:00 and 08:00 in
#: Guangdong, it is still yesterday, and a sample received today would be refused as ahead.
PLACE = ZoneInfo(os.environ.get("ONESTOP_TIME_ZONE") or "Asia/Shanghai")


def local_date(moment: datetime) -> date:
    """The date at ``moment`` where the platform's people are."""
    return moment.astimezone(PLACE).date()


def local_today() -> date:
    return local_date(datetime.now(PLACE))

#: A whole value that is an instant: a date, a time and an offset (dates alone stay as they are).
INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})\Z")


def in_zone(value, zone: ZoneInfo):
    """``value`` (a view: dicts, lists, strings) with every instant in ``zone``."""
    if isinstance(value, str):
        return datetime.fromisoformat(value).astimezone(zone).isoformat() if INSTANT.match(value) else value
    if isinstance(value, dict):
        return {key: in_zone(item, zone) for key, item in value.items()}
    if isinstance(value, list):
        return [in_zone(item, zone) for item in value]
    return value
