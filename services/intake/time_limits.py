"""How long each stage may take, in working time (domain.md defaults, configurable).

Limits are written like ``1h`` or ``4d``: ``s``, ``m`` and ``h`` are working seconds, minutes
and hours; ``d`` is working days, each as long as the station's working day. A warning is due
when ``warn_before`` (a share of the limit) is left.

The platform's limits (``TIME_LIMITS``) are the longest any station may give. A station may set
its own, shorter ones (its ``time_limits``): a default per stage, and per category and per
urgency. A demand's stage runs on the most specific that is set: its urgency's, else its
category's, else its sub-item's default in the service catalogue, else the station's default,
else the platform's.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from shared.calendar import WorkingCalendar, working_seconds
from services.intake.demand import deadline
from shared.errors import Conflict
from shared.field_messages import said

DEFAULTS = {
    "first_response": "1h",
    "assessment_consultation": "2d",
    "assessment": "4d",
    "follow_up": "5d",
    "warn_before": 0.2,
}


@dataclass(frozen=True)
class TimeLimits:
    settings: dict

    @classmethod
    def from_config(cls, settings: dict | None) -> "TimeLimits":
        merged = {**DEFAULTS, **(settings or {})}
        for key, value in merged.items():
            if key == "warn_before":
                if not 0 <= float(value) < 1:
                    raise ValueError("TIME_LIMITS.warn_before must be a share of the limit, 0 to 1")
            else:
                try:
                    working_seconds(value, WorkingCalendar())
                except ValueError as error:
                    raise ValueError(f"TIME_LIMITS.{key} {error}") from None
        return cls(merged)

    def seconds(self, limit: str, calendar: WorkingCalendar) -> float:
        return working_seconds(self.settings[limit], calendar)

    def start(self, limit: str, calendar: WorkingCalendar, at: datetime, station: dict | None = None,
              category: str | None = None, urgency: str | None = None, *,
              sub_item: dict | None = None) -> dict:
        """A stage's clock starting at ``at`` with the whole limit ahead: the station's own
        (``station``: its ``time_limits``) for the demand's urgency or category, else the
        demand's sub-item's default in the catalogue (``sub_item``), else the station's own
        default, else the platform's."""
        chosen = _chosen(station or {}, limit, category, urgency, sub_item or {}) or self.settings[limit]
        seconds = working_seconds(chosen, calendar)
        return self.resume(seconds, calendar, at, limit=seconds)

    def out_of_bounds(self, station: dict, calendar: WorkingCalendar) -> dict:
        """Where a station's own limits are longer than the platform's (``{}``: none are), as
        the details of the refusal, by where each was given."""
        problems: dict = {}
        for group, key, limits in _given(station):
            for stage, amount in limits.items():
                if working_seconds(amount, calendar) > self.seconds(stage, calendar):
                    where = problems.setdefault(group, {})
                    where = where.setdefault(key, {}) if key else where
                    where[stage] = [said("limit_too_long", limit=self.settings[stage])]
        return problems

    def resume(self, remaining: float, calendar: WorkingCalendar, at: datetime, *, limit: float) -> dict:
        """A stage's clock running from ``at`` with ``remaining`` working seconds left."""
        warn_after = max(remaining - limit * float(self.settings["warn_before"]), 0.0)
        try:
            due_at, warn_at = calendar.add(at, remaining), calendar.add(at, warn_after)
        except ValueError as error:  # e.g. only extra workdays that are all in the past
            raise Conflict(f"the station's working calendar has no working time ahead: {error}",
                           {"calendar": calendar.to_config()}) from None
        return deadline(limit=limit, started_at=at.isoformat(), due_at=due_at.isoformat(),
                        warn_at=warn_at.isoformat())


def _chosen(station: dict, stage: str, category: str | None, urgency: str | None,
            sub_item: dict) -> str | None:
    for found in ((station.get("urgencies") or {}).get(urgency or ""),
                  (station.get("categories") or {}).get(category or ""),
                  sub_item, station.get("default")):
        if found and found.get(stage):
            return found[stage]
    return None


def _given(station: dict):
    """(group, key, {stage: limit}) for each set of limits a station gave."""
    yield "default", None, station.get("default") or {}
    for group in ("categories", "urgencies"):
        for key, limits in (station.get(group) or {}).items():
            yield group, key, limits
