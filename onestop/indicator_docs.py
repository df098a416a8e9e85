"""The indicator table of docs/evaluation.md, generated from the indicator definitions and the
shipped default configuration (a test checks the document holds it)."""
from __future__ import annotations

from services.evaluation.indicators import INDICATORS
from services.evaluation.scoring import Configuration


def _rule(configured: dict) -> str:
    if "linear" in configured:
        rule = configured["linear"]
        per = " per 30 days" if rule.get("per_30_days") else ""
        return f"linear {rule['floor']} → {rule['target']}{per}"
    if "banded" in configured:
        return "bands " + ", ".join(
            f"{'≥' if 'min' in band else '≤'} {band.get('min', band.get('max'))}: {band['score']}"
            for band in configured["banded"])
    rule = configured["yes_no"]
    return f"yes/no: {'≥' if 'at_least' in rule else '≤'} {rule.get('at_least', rule.get('at_most'))}"


def markdown() -> str:
    default = Configuration.default()
    lines = [f"Default configuration `{default.version}` (PROVISIONAL). Scores run 0–100.", ""]
    for dimension in default.document["dimensions"]:
        lines += [f"### {dimension['name']} (`{dimension['id']}`, weight {dimension['weight']})", "",
                  "| indicator | unit | definition | data from | scopes | weight | scoring |",
                  "|---|---|---|---|---|---|---|"]
        for configured in dimension["indicators"]:
            indicator = INDICATORS[configured["id"]]
            lines.append(f"| `{indicator.id}` {indicator.name} | {indicator.unit} | "
                         f"{indicator.definition} | {indicator.source} | "
                         f"{', '.join(indicator.scopes)} | {configured['weight']} | "
                         f"{_rule(configured)} |")
        lines.append("")
    grades = ", ".join(f"{g['grade']} ≥ {g['min']}" for g in default.document["grades"])
    improvement = default.document["improvement"]
    lines += [f"Grades: {grades}. A grade in {', '.join(improvement['grades'])} raises one "
              f"improvement action per indicator scoring below {improvement['indicator_below']}, "
              f"due in {improvement['due_days']} days.", ""]
    return "\n".join(lines)
