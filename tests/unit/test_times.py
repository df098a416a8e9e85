"""Instants shown in a station's zone: every whole-value instant of a view, nothing else."""
from zoneinfo import ZoneInfo

from shared.times import in_zone

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_every_instant_of_a_view_is_shown_in_the_zone_and_nothing_else_changes():
    view = {"submitted_at": "2026-03-02T08:08:00.123456+00:00", "expected_by": "2026-03-09",
            "deadlines": {"assessment": {"due_at": "2026-03-02T16:00:00Z", "limit": 3600.0}},
            "follow_ups": [{"at": "2026-03-01T23:30:00+00:00", "note": "2026-03-01T23:30:00Z 之后再联系"}],
            "title": "灯具", "count": 3, "none": None}
    assert in_zone(view, SHANGHAI) == {
        "submitted_at": "2026-03-02T16:08:00.123456+08:00", "expected_by": "2026-03-09",
        "deadlines": {"assessment": {"due_at": "2026-03-03T00:00:00+08:00", "limit": 3600.0}},
        "follow_ups": [{"at": "2026-03-02T07:30:00+08:00", "note": "2026-03-01T23:30:00Z 之后再联系"}],
        "title": "灯具", "count": 3, "none": None}


def test_the_gateway_learns_each_station_s_zone_once_and_falls_back_for_a_station_it_cannot_find():
    from gateway.zones import StationZones

    class Intake:
        asked = 0
        stations = [{"id": "st-1", "park": "panyu-energy-park", "time_zone": "Asia/Kathmandu"}]

        def station_zones(self):
            self.asked += 1
            return self.stations

    intake, zones, fallback = Intake(), StationZones(), ZoneInfo("America/Bogota")
    assert zones.of(intake, fallback, station_id="st-1") == ZoneInfo("Asia/Kathmandu")
    assert zones.of(intake, fallback, park="panyu-energy-park") == ZoneInfo("Asia/Kathmandu")
    assert intake.asked == 1  # a station's zone never changes: asked once
    Intake.stations = Intake.stations + [{"id": "st-2", "park": "nansha-port-park", "time_zone": "UTC"}]
    assert zones.of(intake, fallback, park="nansha-port-park") == ZoneInfo("UTC")  # a new one: asked again
    assert zones.of(intake, fallback, station_id="st-9") == fallback and intake.asked == 3
