"""Choosing the institution for a demand: hard constraints, then a weighted score, then fair
rotation among near-equal candidates. Every candidate considered gets a line of explanation.

Pure functions over ``Profile`` values, so the rules are unit-tested without any store.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from shared.field_messages import FieldMessage, said

#: Provisional qualification kinds each category needs (MATCHING.required_qualifications);
#: a category not listed accepts any valid qualification.
REQUIRED_QUALIFICATIONS = {
    "inspection_testing": ("CMA", "CNAS"),
    "metrology": ("METROLOGY", "CNAS"),
    "certification_accreditation": ("CERTIFICATION",),
}


STANDING_REASONS = {"applied": "excluded_awaiting_review", "rejected": "excluded_not_admitted"}


@dataclass
class Profile:
    """What matching knows of an institution: its registration, standing and running record."""

    id: str
    categories: frozenset[str]
    parks: frozenset[str]
    capacity: int
    qualifications: tuple[dict, ...]
    status: str = "active"
    home_park: str | None = None
    open_assignments: int = 0
    assignments_total: int = 0
    #: the sequence number of its latest assignment (0: never assigned)
    last_assigned: int = 0
    #: rates in [0, 1] fed by evaluation's events; None until there is data
    satisfaction: float | None = None
    on_time: float | None = None
    offers: int = 0
    refusals: int = 0
    #: the institution's systems accept offers as they come (no one to answer by hand)
    accepts_offers: bool = False


@dataclass(frozen=True)
class Request:
    category: str
    items: tuple[str, ...]
    park: str
    service_date: date
    required_types: tuple[str, ...] = ()
    #: institutions the enterprise does not want
    excluded: frozenset[str] = frozenset()
    #: the round waited in the demand hall: the interest component is scored
    hall: bool = False
    #: institutions that expressed interest in it there
    interested: frozenset[str] = frozenset()
    #: decided by the demand's catalogue version: ``required_types`` empty then means no
    #: statutory qualification is needed (an institution serves on its track record)
    catalogued: bool = False
    #: for each item, the scope terms that cover it (none listed: the item itself)
    item_terms: dict = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Weights:
    """Documented in docs/architecture.md; MATCHING.weights in the configuration."""

    load: float = 0.4
    home_park: float = 0.1
    satisfaction: float = 0.2
    on_time: float = 0.1
    reliability: float = 0.2
    #: expressed interest in the demand hall (scored for demands that waited there only)
    interest: float = 0.3
    #: candidates within this much of the best score are equal, and take turns
    tie_margin: float = 0.02
    #: the rate assumed for an institution without feedback yet
    neutral_rate: float = 0.8

    @classmethod
    def from_config(cls, settings: dict) -> "Weights":
        weights = dict(settings.get("weights") or {})
        unknown = set(weights) - {"load", "home_park", "satisfaction", "on_time", "reliability",
                                 "interest"}
        if unknown:
            raise ValueError(f"MATCHING.weights has unknown components: {sorted(unknown)}")
        extra = {k: float(settings[k]) for k in ("tie_margin", "neutral_rate") if k in settings}
        return cls(**{k: float(v) for k, v in weights.items()}, **extra)


@dataclass
class Decision:
    chosen: Profile | None
    explanation: list[dict] = field(default_factory=list)

    @property
    def candidates(self) -> int:
        return sum(1 for line in self.explanation if line["eligible"])

    def reasons(self) -> list[str]:
        if not self.explanation:
            return ["no institution serves this category"]
        counted: dict[str, int] = {}
        for line in self.explanation:
            counted[line["reason"]] = counted.get(line["reason"], 0) + 1
        return [f"{count} institution(s): {reason}" for reason, count in sorted(counted.items())]


def exclusion(profile: Profile, request: Request) -> str | None:
    """Why ``profile`` may not serve ``request``, or None when it may: a field message, whose
    text is the English and which words itself in Chinese too (the demand hall's refusals)."""
    if profile.status != "active":
        return _reason(STANDING_REASONS.get(profile.status, "excluded_standing"),
                       ("status", profile.status))
    if profile.id in request.excluded:
        return _reason("excluded_by_enterprise")
    if request.category not in profile.categories:
        return _reason("excluded_category", ("category", request.category))
    if request.park not in profile.parks:
        return _reason("excluded_park", ("park", request.park))
    if profile.open_assignments >= profile.capacity:
        return _reason("excluded_capacity")
    if request.catalogued and not request.required_types:
        return None  # served on registration and track record: no scope to cover
    valid = [q for q in profile.qualifications
             if q["status"] == "valid" and q["valid_from"] <= request.service_date <= q["valid_until"]]
    if not valid:
        return _reason("excluded_no_valid_qualification")
    if request.required_types:
        valid = [q for q in valid if q["type"] in request.required_types]
        if not valid:
            return _reason("excluded_qualification_type", ("types", " or ".join(request.required_types)))
    covered = set().union(*({s.casefold() for s in q["scope"]} for q in valid))
    missing = [item for item in request.items
               if not any(term.casefold() in covered for term in request.item_terms.get(item, (item,)))]
    if missing:
        return _reason("excluded_scope", ("items", ", ".join(missing)))
    return None


@lru_cache(maxsize=4096)
def _reason(code: str, *values: tuple[str, str]) -> FieldMessage:
    """An exclusion's message, worded once: most of the register is excluded for the same
    reason (another park, another category), and wording a message costs more than the check."""
    return said(code, **dict(values))


def score(profile: Profile, request: Request, weights: Weights) -> tuple[float, dict]:
    components = {
        "load": 1 - profile.open_assignments / profile.capacity,
        "home_park": 1.0 if profile.home_park == request.park else 0.0,
        "satisfaction": weights.neutral_rate if profile.satisfaction is None else profile.satisfaction,
        "on_time": weights.neutral_rate if profile.on_time is None else profile.on_time,
        "reliability": 1 - profile.refusals / profile.offers if profile.offers else 1.0,
    }
    if request.hall:
        components["interest"] = 1.0 if profile.id in request.interested else 0.0
    total = sum(getattr(weights, name) * value for name, value in components.items())
    return round(total, 6), {name: round(value, 6) for name, value in components.items()}


def select(profiles, request: Request, weights: Weights = Weights()) -> Decision:
    explanation, scored = [], []
    for profile in profiles:
        reason = exclusion(profile, request)
        if reason is not None:
            # Its English as a plain string: a line holding only plain values is left alone by
            # the garbage collector, and a decision among thousands makes thousands of lines.
            explanation.append({"institution_id": profile.id, "eligible": False,
                                "reason": str(reason), "score": None, "components": None})
            continue
        total, components = score(profile, request, weights)
        scored.append((total, profile))
        explanation.append({"institution_id": profile.id, "eligible": True, "reason": None,
                            "score": total, "components": components})
    if not scored:
        return Decision(None, explanation)
    best = max(total for total, _ in scored)
    # Near-equal candidates take turns: fewest assignments, then longest since the last one.
    near = [p for total, p in scored if best - total <= weights.tie_margin]
    chosen = min(near, key=lambda p: (p.assignments_total, p.last_assigned, p.id))
    return Decision(chosen, explanation)
