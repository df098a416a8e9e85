"""Scoring raw figures with a versioned indicator configuration (docs/evaluation.md).

A configuration is a tree: dimensions with weights, each a list of indicators with a weight and
one scoring function (``linear`` between a floor and a target, ``banded``, or ``yes_no``), and
grade thresholds. Scores run from 0 to 100. An indicator with no data in the period (nothing to
divide by), or a rate or mean resting on fewer cases than ``minimum_sample``, is not scored: its
weight goes to the others of its dimension, and a dimension with nothing scored gives its weight
to the other dimensions; the report lists what was not scored. A scope with fewer cases in the
period than ``minimum_cases`` (demands submitted; for an institution, services assigned) gets no
total and no grade: too little data to grade, however its few cases went.
"""
from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from pathlib import Path

import yaml
from eventsourcing.domain import Aggregate, event

from services.evaluation.indicators import INDICATORS, Context, cases
from shared.errors import Invalid
from shared.field_messages import said

DEFAULT_FILE = Path(__file__).with_name("indicators.yaml")
#: Earlier shipped defaults, kept so what was scored with them can be re-scored.
EARLIER_FILES = sorted(Path(__file__).parent.glob("indicators-*.yaml"))
FUNCTIONS = ("linear", "banded", "yes_no")
#: Used when a configuration does not say (provisional, as the default configuration's values).
MINIMUM_SAMPLE, MINIMUM_CASES = 5, 10
_CONFIGURATIONS = uuid.UUID("3a7c5e1b-9d2f-4e68-b04a-c2e8f6a1d359")


class RegisteredConfiguration(Aggregate):
    """A configuration version a supervisor registered; versions are never changed."""

    @staticmethod
    def create_id(version: str, **_) -> uuid.UUID:
        return uuid.uuid5(_CONFIGURATIONS, version)

    @event("ConfigurationRegistered")
    def __init__(self, version: str, document: dict, by: dict, at: str):
        self.version = version
        self.document = document
        self.by = by
        self.at = at


@dataclass(frozen=True)
class Configuration:
    version: str
    document: dict

    @classmethod
    def load(cls, document) -> "Configuration":
        problems = _problems(document)
        if problems:
            raise Invalid("the indicator configuration is not valid: "
                          + "; ".join(f"{where}: {what[0]}" for where, what in problems.items()),
                          problems)
        return cls(document["version"], document)

    @classmethod
    def default(cls) -> "Configuration":
        return cls.load(yaml.safe_load(DEFAULT_FILE.read_text(encoding="utf-8")))

    @classmethod
    def shipped(cls) -> dict[str, "Configuration"]:
        """Every shipped configuration by version, oldest first, the current default last."""
        found = [cls.load(yaml.safe_load(path.read_text(encoding="utf-8"))) for path in EARLIER_FILES]
        return {configuration.version: configuration for configuration in [*found, cls.default()]}

    @property
    def indicators(self) -> list[dict]:
        return [i for d in self.document["dimensions"] for i in d["indicators"]]

    def score(self, context: Context) -> dict:
        """Each applicable indicator's value and score, each dimension's, the total and grade."""
        dimensions, total, weight_scored = [], 0.0, 0.0
        minimum_sample = self.document.get("minimum_sample", MINIMUM_SAMPLE)
        for dimension in self.document["dimensions"]:
            lines, sum_, weights = [], 0.0, 0.0
            for configured in dimension["indicators"]:
                indicator = INDICATORS[configured["id"]]
                if context.kind not in indicator.scopes:
                    continue
                value = indicator.value(context)
                sample = indicator.sample(context) if indicator.sample else None
                too_few = sample is not None and sample < configured.get("minimum_sample",
                                                                          minimum_sample)
                score = None if value is None or too_few else _score(configured, value, context.days)
                lines.append({"id": indicator.id, "name": indicator.name, "unit": indicator.unit,
                              "value": value, "score": score, "weight": configured["weight"],
                              "sample": sample, "too_few_cases": too_few})
                if score is not None:
                    sum_ += score * configured["weight"]
                    weights += configured["weight"]
            if not lines:
                continue
            dimension_score = round(sum_ / weights, 2) if weights else None
            dimensions.append({"id": dimension["id"], "name": dimension["name"],
                               "weight": dimension["weight"], "score": dimension_score,
                               "indicators": lines})
            if dimension_score is not None:
                total += dimension_score * dimension["weight"]
                weight_scored += dimension["weight"]
        found, needed = cases(context), self.document.get("minimum_cases", MINIMUM_CASES)
        insufficient = {"cases": found, "minimum_cases": needed} if found < needed else None
        total_score = round(total / weight_scored, 2) if weight_scored and not insufficient else None
        return {"configuration_version": self.version, "dimensions": dimensions,
                "total": total_score, "grade": self.grade(total_score),
                "insufficient_data": insufficient,
                "not_scored": [line["id"] for d in dimensions for line in d["indicators"]
                               if line["score"] is None]}

    def grade(self, total: float | None) -> str | None:
        if total is None:
            return None
        for threshold in self.document["grades"]:
            if total >= threshold["min"]:
                return threshold["grade"]
        return self.document["grades"][-1]["grade"]

    def improvements(self, scored: dict) -> list[dict]:
        """The indicators that need an improvement action, when the grade calls for them."""
        rules = self.document["improvement"]
        if scored["grade"] not in rules["grades"]:
            return []
        return [line for d in scored["dimensions"] for line in d["indicators"]
                if line["score"] is not None and line["score"] < rules["indicator_below"]]


def _score(configured: dict, value: float, days: int) -> float:
    if "linear" in configured:
        rule = configured["linear"]
        scale = days / 30 if rule.get("per_30_days") else 1
        floor, target = rule["floor"] * scale, rule["target"] * scale
        share = (value - floor) / (target - floor)
        return round(100 * min(max(share, 0.0), 1.0), 2)
    if "banded" in configured:
        for band in configured["banded"]:
            if ("min" in band and value >= band["min"]) or ("max" in band and value <= band["max"]):
                return float(band["score"])
        return 0.0
    rule = configured["yes_no"]
    met = value >= rule["at_least"] if "at_least" in rule else value <= rule["at_most"]
    return 100.0 if met else 0.0


def _number(value) -> bool:
    """A finite JSON number of sane size (JSON parsers accept NaN and Infinity; a score cannot)."""
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isfinite(value) and abs(value) <= 1e9)


def _count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 1_000_000


def _text(value) -> bool:
    return isinstance(value, str) and bool(value)


def _problems(document) -> dict[str, list[str]]:
    """Every problem of the document, by where it is (e.g. ``dimensions[0].weight``)."""
    if not isinstance(document, dict):
        return {"configuration": [said("configuration_mapping")]}
    problems: dict[str, list[str]] = {}

    def problem(where, what):
        problems.setdefault(where, []).append(what)

    unknown = set(document) - {"version", "description", "grades", "improvement", "dimensions",
                               "minimum_sample", "minimum_cases"}
    for key in sorted(unknown):
        problem(key, said("configuration_unknown_key"))
    for key in ("minimum_sample", "minimum_cases"):
        if key in document and not _count(document[key]):
            problem(key, said("configuration_count"))
    version = document.get("version")
    if not isinstance(version, str) or not 1 <= len(version) <= 64 or not version.isprintable():
        problem("version", said("configuration_version"))
    grades = document.get("grades")
    if not isinstance(grades, list) or not grades:
        problem("grades", said("configuration_grades"))
    else:
        previous = None
        for n, grade in enumerate(grades):
            if not (isinstance(grade, dict) and _text(grade.get("grade"))
                    and _number(grade.get("min")) and 0 <= grade["min"] <= 100):
                problem(f"grades[{n}]", said("configuration_grade"))
            elif previous is not None and grade["min"] >= previous:
                problem(f"grades[{n}].min", said("configuration_grade_order"))
            else:
                previous = grade["min"]
        if previous is not None and previous != 0:
            problem(f"grades[{len(grades) - 1}].min", said("configuration_lowest_grade"))
    improvement = document.get("improvement")
    names = ({g.get("grade") for g in grades if isinstance(g, dict) and _text(g.get("grade"))}
             if isinstance(grades, list) else set())
    if not isinstance(improvement, dict):
        problem("improvement", said("configuration_improvement"))
    else:
        if not (isinstance(improvement.get("grades"), list)
                and all(_text(g) and g in names for g in improvement["grades"])):
            problem("improvement.grades", said("configuration_improvement_grades"))
        if not (_number(improvement.get("indicator_below"))
                and 0 < improvement["indicator_below"] <= 100):
            problem("improvement.indicator_below", said("configuration_indicator_below"))
        due_days = improvement.get("due_days")
        if not (isinstance(due_days, int) and not isinstance(due_days, bool) and 1 <= due_days <= 366):
            problem("improvement.due_days", said("configuration_due_days"))
    dimensions = document.get("dimensions")
    if not isinstance(dimensions, list) or not dimensions:
        problem("dimensions", said("configuration_dimensions"))
        return problems
    seen: set[str] = set()
    for d, dimension in enumerate(dimensions):
        where = f"dimensions[{d}]"
        if not isinstance(dimension, dict):
            problem(where, said("configuration_dimension"))
            continue
        for key in ("id", "name"):
            if not _text(dimension.get(key)):
                problem(f"{where}.{key}", said("configuration_text"))
        if not (_number(dimension.get("weight")) and dimension["weight"] > 0):
            problem(f"{where}.weight", said("configuration_weight"))
        indicators = dimension.get("indicators")
        if not isinstance(indicators, list) or not indicators:
            problem(f"{where}.indicators", said("configuration_indicators"))
            continue
        for i, configured in enumerate(indicators):
            _indicator_problems(configured, f"{where}.indicators[{i}]", seen, problem)
    return problems


def _indicator_problems(configured, where, seen, problem) -> None:
    if not isinstance(configured, dict):
        problem(where, said("configuration_indicator"))
        return
    indicator = configured.get("id")
    if not isinstance(indicator, str) or indicator not in INDICATORS:
        problem(f"{where}.id", said("configuration_unknown_indicator", indicator=repr(indicator),
                                     known=", ".join(sorted(INDICATORS))))
    elif indicator in seen:
        problem(f"{where}.id", said("configuration_indicator_twice", indicator=indicator))
    else:
        seen.add(indicator)
    if not (_number(configured.get("weight")) and configured["weight"] > 0):
        problem(f"{where}.weight", said("configuration_weight"))
    if "minimum_sample" in configured and not _count(configured["minimum_sample"]):
        problem(f"{where}.minimum_sample", said("configuration_count"))
    functions = [name for name in FUNCTIONS if name in configured]
    unknown = set(configured) - {"id", "weight", "minimum_sample", *FUNCTIONS}
    if unknown or len(functions) != 1:
        problem(where, said("configuration_one_function"))
        return
    rule = configured[functions[0]]
    if functions[0] == "linear":
        if not (isinstance(rule, dict) and _number(rule.get("floor")) and _number(rule.get("target"))
                and rule["floor"] != rule["target"]
                and set(rule) <= {"floor", "target", "per_30_days"}
                and isinstance(rule.get("per_30_days", False), bool)):
            problem(f"{where}.linear", said("configuration_linear"))
    elif functions[0] == "banded":
        if not (isinstance(rule, list) and rule and all(
                isinstance(band, dict) and len(set(band) & {"min", "max"}) == 1
                and set(band) <= {"min", "max", "score"}
                and _number(band.get("min", band.get("max"))) and _number(band.get("score"))
                and 0 <= band["score"] <= 100 for band in rule)):
            problem(f"{where}.banded", said("configuration_banded"))
    elif not (isinstance(rule, dict) and len(rule) == 1
              and _number(rule.get("at_least", rule.get("at_most")))):
        problem(f"{where}.yes_no", said("configuration_yes_no"))
