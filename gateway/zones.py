"""Instants where people read them: a station's records in the station's time zone, the rest in
the platform's (shared/times.py), unless a caller asks for UTC as recorded (``?utc=true``)."""
from __future__ import annotations

from zoneinfo import ZoneInfo

from shared.commands import AsShown, load_command
from shared.config import section
from shared.times import in_zone


def shown(view: dict, query: dict) -> dict:
    """A view naming its ``time_zone``, with its instants there, unless asked in UTC."""
    if load_command(AsShown, {"utc": query.get("utc", False)})["utc"]:
        return view
    return in_zone(view, ZoneInfo(view["time_zone"]))


def platform_zone(config: dict) -> ZoneInfo:
    """Where instants no station owns are shown (GATEWAY.time_zone: the audit trail)."""
    return ZoneInfo(str(section(config, "GATEWAY").get("time_zone") or "Asia/Shanghai"))


class StationZones:
    """Each station's time zone by its id and by its park, asked of intake when a station is not
    known here yet and kept: neither a station's park nor its zone ever changes."""

    def __init__(self):
        self._by_station: dict[str, ZoneInfo] = {}
        self._by_park: dict[str, ZoneInfo] = {}

    def of(self, intake, fallback: ZoneInfo, *, station_id: str | None = None,
           park: str | None = None) -> ZoneInfo:
        """The zone of the station ``station_id`` (or of ``park``'s); ``fallback`` for one
        intake does not know."""
        known, key = (self._by_station, station_id) if station_id is not None else (self._by_park, park)
        if key not in known:
            for station in intake.station_zones():
                zone = ZoneInfo(station["time_zone"])
                self._by_station[station["id"]], self._by_park[station["park"]] = zone, zone
        return known.get(key, fallback)


#: One per gateway process: its workers share what they learnt.
STATION_ZONES = StationZones()


def in_station_zone(service, view: dict, query: dict | None = None, **station) -> dict:
    """``view`` (an assignment, a complaint) with its station's ``time_zone`` and its instants
    there (``station``: its ``station_id`` or its ``park``); in UTC if the query asks."""
    zone = STATION_ZONES.of(service.intake, platform_zone(service.config), **station)
    return shown({**view, "time_zone": zone.key}, query or {})
