"""Choosing the institution for a demand: hard constraints first, then the least loaded.

Pure functions over ``Profile`` values, so the rules are unit-tested without any store.
Among equally loaded candidates, the one with the fewest assignments so far wins (then the
lowest id), which spreads work evenly instead of always favouring the first registered.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass
class Profile:
    """What matching knows of an institution: its registration plus its running load."""

    id: str
    categories: frozenset[str]
    parks: frozenset[str]
    capacity: int
    qualifications: tuple[dict, ...]
    open_assignments: int = 0
    assignments_total: int = 0


@dataclass(frozen=True)
class Request:
    category: str
    items: tuple[str, ...]
    park: str
    service_date: date


@dataclass
class Decision:
    chosen: Profile | None
    candidates: int
    excluded: dict[str, str] = field(default_factory=dict)

    def reasons(self) -> list[str]:
        if not self.excluded:
            return ["no institution is registered"]
        counted: dict[str, int] = {}
        for reason in self.excluded.values():
            counted[reason] = counted.get(reason, 0) + 1
        return [f"{count} institution(s): {reason}" for reason, count in sorted(counted.items())]


def exclusion(profile: Profile, request: Request) -> str | None:
    """Why ``profile`` may not serve ``request``, or None when it may."""
    if request.category not in profile.categories:
        return f"does not serve category {request.category}"
    if request.park not in profile.parks:
        return f"does not serve park {request.park}"
    if profile.open_assignments >= profile.capacity:
        return "has no capacity left"
    valid = [q for q in profile.qualifications
             if q["valid_from"] <= request.service_date <= q["valid_until"]]
    if not valid:
        return "has no qualification valid on the service date"
    wanted = {item.casefold() for item in request.items}
    covered = set().union(*({s.casefold() for s in q["scope"]} for q in valid))
    missing = sorted(wanted - covered)
    if missing:
        return "no valid qualification covers " + ", ".join(missing)
    return None


def select(profiles, request: Request) -> Decision:
    excluded = {}
    eligible = []
    for profile in profiles:
        reason = exclusion(profile, request)
        if reason is None:
            eligible.append(profile)
        else:
            excluded[profile.id] = reason
    if not eligible:
        return Decision(None, 0, excluded)
    chosen = min(eligible, key=lambda p: (p.open_assignments / p.capacity, p.assignments_total, p.id))
    return Decision(chosen, len(eligible), excluded)
