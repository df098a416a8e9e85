"""Instants as people read them: in the station's time zone, with its offset. Instants are
recorded and compared in UTC; a view shows them where the station is (a call taken at 16:08 in
Panyu reads 16:08+08:00, not 08:08Z), the same instant either way for a program reading it."""
from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

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
