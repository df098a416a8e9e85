"""Evaluation's read model: the ledger of raw figures as per-day rows, and the short lists its
queries and checks need (parks, services awaiting feedback, complaints, checks, configurations,
published evaluations, improvement actions), each kept in evaluation's own store in the
transaction that records the events (shared/readmodel.py).

A tally is created once and never changed, and its rows are written with its creation, once
(``applied_tallies`` lists the tallies written, so a read-model rebuild skips them); its figures
go into:
- ``day_sums``: a count or a sum per (scope, figure, day), added to;
- ``day_members``: a set's members per day (an enterprise served), counted distinct over a
  period;
- ``states``: a value as of a day (an institution's standing), the latest one winning; values
  recorded on one day keep the order of their tallies' creation.
Any period is then a sum over an indexed range of days.
"""
from __future__ import annotations

import json
from datetime import date
from typing import Iterable

from services.evaluation.cases import ServiceCase, StationRecord
from services.evaluation.complaints import Complaint
from services.evaluation.ledger import LEVELS, Period, Tally
from services.evaluation.reports import ImprovementAction, PublishedEvaluation
from services.evaluation.scoring import RegisteredConfiguration
from services.evaluation.supervision import SupervisionCheck
from shared.readmodel import Statement, increment, instant, upsert

TABLES = (
    "CREATE TABLE IF NOT EXISTS {s}day_sums (scope TEXT NOT NULL, figure TEXT NOT NULL, "
    "day TEXT NOT NULL, amount DOUBLE PRECISION NOT NULL, PRIMARY KEY (scope, figure, day))",
    "CREATE TABLE IF NOT EXISTS {s}day_members (scope TEXT NOT NULL, figure TEXT NOT NULL, "
    "day TEXT NOT NULL, member TEXT NOT NULL, PRIMARY KEY (scope, figure, day, member))",
    "CREATE TABLE IF NOT EXISTS {s}states (figure TEXT NOT NULL, state_key TEXT NOT NULL, "
    "day TEXT NOT NULL, recorded TEXT NOT NULL, tally_id TEXT NOT NULL, value TEXT NOT NULL, "
    "PRIMARY KEY (figure, state_key, day, recorded, tally_id))",
    "CREATE TABLE IF NOT EXISTS {s}applied_tallies (tally_id TEXT PRIMARY KEY)",
    "CREATE TABLE IF NOT EXISTS {s}parks (station_id TEXT PRIMARY KEY, park TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS {s}awaiting_feedback (case_id TEXT PRIMARY KEY, "
    "demand_id TEXT NOT NULL, station_id TEXT NOT NULL, due_at TEXT NOT NULL, due TEXT NOT NULL, "
    "raised_at TEXT)",
    "CREATE INDEX IF NOT EXISTS awaiting_feedback_due ON {s}awaiting_feedback (due)",
    "CREATE TABLE IF NOT EXISTS {s}complaints (complaint_id TEXT PRIMARY KEY, "
    "station_id TEXT NOT NULL, complainant TEXT NOT NULL, status TEXT NOT NULL, "
    "received_at TEXT NOT NULL)",
    # The institution a complaint is against, for the institution's own list.
    "CREATE TABLE IF NOT EXISTS {s}complaints_against (complaint_id TEXT PRIMARY KEY, "
    "institution_id TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS complaints_against_institution ON {s}complaints_against "
    "(institution_id)",
    "CREATE TABLE IF NOT EXISTS {s}checks (check_id TEXT PRIMARY KEY, recorded TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS {s}configurations (version TEXT PRIMARY KEY, "
    "recorded TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS {s}evaluations (evaluation_id TEXT PRIMARY KEY, "
    "scope TEXT NOT NULL, summary TEXT NOT NULL, published TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS {s}actions (action_id TEXT PRIMARY KEY, scope TEXT NOT NULL, "
    "status TEXT NOT NULL)",
)


def rows(aggregate) -> list[Statement]:
    if isinstance(aggregate, Tally):
        return ledger_rows([aggregate])
    if isinstance(aggregate, StationRecord):
        return [upsert("parks", ("station_id",), {"station_id": str(aggregate.station_id),
                                                  "park": aggregate.park})]
    if isinstance(aggregate, ServiceCase):
        if aggregate.completed_at is None or aggregate.feedback is not None:
            return [Statement("DELETE FROM {s}awaiting_feedback WHERE case_id = %s", (str(aggregate.id),))]
        return [upsert("awaiting_feedback", ("case_id",), {
            "case_id": str(aggregate.id), "demand_id": str(aggregate.demand_id),
            "station_id": str(aggregate.station_id), "due_at": aggregate.feedback_due_at,
            "due": instant(aggregate.feedback_due_at), "raised_at": aggregate.revisit_raised_at})]
    if isinstance(aggregate, Complaint):
        return [upsert("complaints", ("complaint_id",), {
            "complaint_id": str(aggregate.id), "station_id": str(aggregate.station_id),
            "complainant": aggregate.complainant["subject"], "status": aggregate.status,
            "received_at": aggregate.received_at})] + [
            upsert("complaints_against", ("complaint_id",), {
                "complaint_id": str(aggregate.id), "institution_id": aggregate.against["id"]})
            for kind in [aggregate.against["kind"]] if kind == "institution"]
    if isinstance(aggregate, SupervisionCheck):
        return [upsert("checks", ("check_id",), {"check_id": str(aggregate.id),
                                                 "recorded": _created(aggregate)})]
    if isinstance(aggregate, RegisteredConfiguration):
        return [upsert("configurations", ("version",), {"version": aggregate.version,
                                                        "recorded": _created(aggregate)})]
    if isinstance(aggregate, PublishedEvaluation):
        return [upsert("evaluations", ("evaluation_id",), {
            "evaluation_id": str(aggregate.id), "scope": aggregate.scope,
            "published": instant(aggregate.at), "summary": {
                "id": str(aggregate.id), "scope": aggregate.scope, "period": aggregate.period,
                "configuration_version": aggregate.configuration_version,
                "total": aggregate.total, "grade": aggregate.grade, "published_at": aggregate.at,
                "withdrawn": aggregate.withdrawal is not None}})]
    if isinstance(aggregate, ImprovementAction):
        return [upsert("actions", ("action_id",), {"action_id": str(aggregate.id),
                                                   "scope": aggregate.scope, "status": aggregate.status})]
    return []


def _created(aggregate) -> str:
    return instant(aggregate.created_on.isoformat())


def ledger_rows(tallies: Iterable[Tally]) -> list[Statement]:
    """The rows of tallies not written before, a table at a time: a page of tallies in a
    rebuild is then one statement per table and chunk, their sums of one key added together."""
    sums, members, states, written = [], [], [], []
    for tally in tallies:
        tally_id = str(tally.id)
        for entry in tally.entries:
            if "add" in entry:
                sums.append(increment("day_sums", ("scope", "figure", "day"), {
                    "scope": entry["scope"], "figure": entry["figure"], "day": tally.day,
                    "amount": float(entry["add"])}, "amount"))
            elif "member" in entry:
                members.append(upsert("day_members", ("scope", "figure", "day", "member"), {
                    "scope": entry["scope"], "figure": entry["figure"], "day": tally.day,
                    "member": entry["member"]}))
            else:
                states.append(upsert("states", ("figure", "state_key", "day", "recorded", "tally_id"), {
                    "figure": entry["figure"], "state_key": entry["key"], "day": tally.day,
                    "recorded": _created(tally), "tally_id": tally_id,
                    "value": json.dumps(entry["value"], sort_keys=True)}))
        written.append(upsert("applied_tallies", ("tally_id",), {"tally_id": tally_id}))
    return sums + members + states + written


def written_tallies(read, tally_ids: list[str]) -> set[str]:
    """Which of these tallies' rows are in the tables already."""
    found = set()
    for start in range(0, len(tally_ids), 500):
        chunk = tally_ids[start:start + 500]
        found.update(row["tally_id"] for row in read(
            f"SELECT tally_id FROM {{s}}applied_tallies WHERE tally_id IN ({', '.join(['%s'] * len(chunk))})",
            *chunk))
    return found


class Ledger:
    """The figures of any scope and period, and the states as of a day, from the tables."""

    def __init__(self, read):
        self._read = read

    def figures(self, scope: str, period: Period) -> dict[str, float]:
        """The sums and set sizes of ``scope`` over ``period``; levels up to its end."""
        first, last = period.first.isoformat(), period.last.isoformat()
        levels = tuple(sorted(LEVELS))
        marks = ", ".join(["%s"] * len(levels))
        totals = {row["figure"]: row["total"] for row in self._read(
            "SELECT figure, SUM(amount) AS total FROM {s}day_sums WHERE scope = %s "
            f"AND day BETWEEN %s AND %s AND figure NOT IN ({marks}) GROUP BY figure",
            scope, first, last, *levels)}
        totals.update({row["figure"]: row["total"] for row in self._read(
            f"SELECT figure, SUM(amount) AS total FROM {{s}}day_sums WHERE scope = %s "
            f"AND figure IN ({marks}) AND day <= %s GROUP BY figure", scope, *levels, last)})
        totals.update({row["figure"]: row["n"] for row in self._read(
            "SELECT figure, COUNT(DISTINCT member) AS n FROM {s}day_members WHERE scope = %s "
            "AND day BETWEEN %s AND %s GROUP BY figure", scope, first, last)})
        return {figure: _number(value) for figure, value in sorted(totals.items())}

    def states_at(self, figure: str, end: date) -> dict[str, object]:
        """The latest value of each key of ``figure`` as of the end of day ``end``."""
        return {row["state_key"]: json.loads(row["value"]) for row in self._read(
            "SELECT state_key, value FROM (SELECT state_key, value, ROW_NUMBER() OVER ("
            "PARTITION BY state_key ORDER BY day DESC, recorded DESC, tally_id DESC) AS latest "
            "FROM {s}states WHERE figure = %s AND day <= %s) AS found WHERE latest = 1",
            figure, end.isoformat())}


def _number(value: float) -> float | int:
    """Sums come back as floats; a whole one is shown as the count it is."""
    value = round(value, 6)
    return int(value) if value == int(value) else value
