"""The station's own requirements: a versioned checklist (requirements.yaml) and the check of a
station's recorded facts against it (docs/categories/station-requirements.md).

Each item is a measure with a minimum, a yes/no fact or a document that must exist, owned by the
station or by its operating institution, and may need evidence files. The minimums are the
checklist's provisional defaults unless the platform's configuration sets them
(``STATION_REQUIREMENTS.minimums``: code -> number). Staffing is not typed: it is counted from the
station's specialists.

An item's state is ``met``, ``not_met`` (with why: a code and its values, worded by whoever shows
it) or ``not_recorded``; a station is ``conforming`` when every item is met, ``non_conforming``
when one is not met (naming the failing items), and ``incomplete`` otherwise.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import yaml

from shared.errors import Invalid
from shared.field_messages import said

DEFAULT_FILE = Path(__file__).with_name("requirements.yaml")
GROUPS = ("construction", "management")
OWNERS = ("station", "operating_institution")
KINDS = ("measure", "fact", "document")
#: The largest measure recorded (an area in m² or a count): a bigger one is a typing error.
MEASURE_MAX = 1_000_000


@dataclass(frozen=True)
class Checklist:
    version: str
    items: tuple[dict, ...]

    @classmethod
    def load(cls, document: dict, minimums: dict | None = None) -> "Checklist":
        """The checklist ``document`` with ``minimums`` (code -> number) replacing its own.
        A setting that names no measure, or is not a number, stops the service at start."""
        items = tuple(dict(item) for item in document["items"])
        by_code = {item["code"]: item for item in items}
        for item in items:
            if item["group"] not in GROUPS or item["owner"] not in OWNERS or item["kind"] not in KINDS:
                raise ValueError(f"requirement {item['code']}: group, owner or kind is not known")
        for code, minimum in (minimums or {}).items():
            item = by_code.get(code)
            if item is None or item["kind"] != "measure":
                raise ValueError(f"STATION_REQUIREMENTS.minimums: {code} is not a measured requirement")
            if isinstance(minimum, bool) or not isinstance(minimum, (int, float)) or minimum < 0:
                raise ValueError(f"STATION_REQUIREMENTS.minimums.{code}: {minimum!r} is not a number ≥ 0")
            item["minimum"] = minimum
        return cls(str(document["version"]), items)

    @classmethod
    def from_config(cls, settings: dict | None) -> "Checklist":
        document = yaml.safe_load(DEFAULT_FILE.read_text(encoding="utf-8"))
        return cls.load(document, (settings or {}).get("minimums"))

    def item(self, code: str) -> dict:
        for item in self.items:
            if item["code"] == code:
                return item
        raise Invalid(f"no requirement {code}", {"code": [said("requirement_unknown", item=code)]})

    def recordable(self, code: str, value) -> dict:
        """The item ``code`` if ``value`` makes sense for it; Invalid naming the field if not."""
        item = self.item(code)
        if item.get("derived"):
            raise Invalid(f"{code} is counted from the station's specialists",
                          {"code": [said("requirement_derived")]})
        problem = None
        if item["kind"] == "measure":
            if value is None:
                problem = said("required")
            elif isinstance(value, bool) or not isinstance(value, (int, float)) \
                    or not math.isfinite(value) or not 0 <= value <= MEASURE_MAX:
                problem = said("requirement_measure", max=MEASURE_MAX)
        elif item["kind"] == "fact" and not isinstance(value, bool):
            problem = said("not_boolean") if value is not None else said("required")
        elif item["kind"] == "document" and value is not None:
            problem = said("requirement_document")
        if problem is not None:
            raise Invalid(f"{code}: {problem}", {"value": [problem]})
        return item

    def check(self, records: dict, specialists: list[dict]) -> dict:
        """Each item's state from ``records`` (code -> what was recorded) and the specialists,
        and the station's conformity."""
        staff = {"specialists": len(specialists),
                 "trained_share": round(sum(1 for s in specialists if s["trained"]) / len(specialists), 6)
                 if specialists else 0.0}
        shown = []
        for item in self.items:
            record = records.get(item["code"])
            if item.get("derived"):
                record = {"value": staff[item["code"]], "note": None, "evidence": [],
                          "recorded_by": None, "recorded_at": None, "confirmed_by": None,
                          "confirmed_at": None, "confirmation_note": None}
            state, why = _state(item, record)
            shown.append({**_described(item), "state": state, "why": why, "record": record})
        failing = [item["code"] for item in shown if item["state"] == "not_met"]
        missing = [item["code"] for item in shown if item["state"] == "not_recorded"]
        status = "non_conforming" if failing else "incomplete" if missing else "conforming"
        met = sum(1 for item in shown if item["state"] == "met")
        return {"items": shown, "conformity": {
            "status": status, "failing": failing, "not_recorded": missing, "met": met,
            "total": len(shown), "checklist_version": self.version}}


def _described(item: dict) -> dict:
    return {"code": item["code"], "group": item["group"], "owner": item["owner"],
            "name": item["name"], "kind": item["kind"], "minimum": item.get("minimum"),
            "unit": item.get("unit"), "derived": bool(item.get("derived")),
            "evidence_required": bool(item.get("evidence"))}


def _state(item: dict, record: dict | None) -> tuple[str, dict | None]:
    """``met``, ``not_met`` with why ({code, ...values}) or ``not_recorded``."""
    if record is None:
        return "not_recorded", None
    value = record["value"]
    if item["kind"] == "measure" and value < item["minimum"]:
        return "not_met", {"code": "below_minimum", "value": value, "minimum": item["minimum"]}
    if item["kind"] == "fact" and value is not True:
        return "not_met", {"code": "not_in_place"}
    if item.get("evidence") and not record["evidence"]:
        return "not_met", {"code": "no_evidence"}
    return "met", None


#: What the construction facts recorded before the checklist (StationConstructionRecorded) say
#: of its items: each old fact is an item's record, without evidence (none was asked then).
def legacy_records(facts: dict, by: dict) -> dict:
    def record(value, note=None):
        return {"value": value, "note": note, "evidence": [], "checklist_version": None,
                "recorded_by": by, "recorded_at": None, "confirmed_by": None,
                "confirmed_at": None, "confirmation_note": None, "legacy": True}
    signage = facts.get("signage") or {}
    equipment = facts.get("equipment") or []
    return {
        "site": record(None, facts.get("site")),
        "layout": record(None, facts.get("layout")),
        "area_m2": record(facts.get("area_m2")),
        "equipment": record(bool(equipment), "、".join(equipment) or None),
        "signage_gb_t_10001_1": record(bool(signage.get("gb_t_10001_1"))),
        "signage_gb_t_10001_9": record(bool(signage.get("gb_t_10001_9"))),
        "indoor_air_gb_t_18883": record(bool(facts.get("indoor_air_gb_t_18883"))),
    }
