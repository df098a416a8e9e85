"""Matching's tables: each institution's load, saved in the transaction that records the
match, so no two replicas can give away more than an institution's capacity; the whole
explanation of each decision, kept once by digest; each offer and assignment as its
institution sees it; and the registry's snapshot.

``holds`` says which institution each match holds capacity at (its current offer or service),
and ``institution_load`` counts them per institution under ``CHECK (open <= capacity)``. A
match's rows release what its previous row held, write the new row, and take what it holds
now, each as ``open = open ± 1`` on the institution's row: two transactions taking the last
slot at once queue on that row, and the second breaks the check, so its save fails and the
reaction that made it decides again on what was committed. The statements depend only on the
match's state and its previous row, so writing them again (a rebuild) changes nothing.
"""
from __future__ import annotations

from services.matching.domain import Institution, Match
from services.matching.hall import hall_row
from services.matching.views import institution_view
from services.matching.work import documents_issued
from shared.readmodel import Statement, instant, upsert

TABLES = (
    "CREATE TABLE IF NOT EXISTS {s}institution_load (institution_id TEXT PRIMARY KEY, "
    "capacity INTEGER NOT NULL, open INTEGER NOT NULL DEFAULT 0, CHECK (open <= capacity))",
    "CREATE TABLE IF NOT EXISTS {s}holds (match_id TEXT PRIMARY KEY, institution_id TEXT, "
    "counted INTEGER NOT NULL)",
    "CREATE INDEX IF NOT EXISTS holds_institution ON {s}holds (institution_id)",
    # Whole explanations, once each, by digest: a decision event carries only its shortlist.
    # Not derived from the events, so a rebuild never removes them.
    "CREATE TABLE IF NOT EXISTS {s}explanations (digest TEXT PRIMARY KEY, body TEXT NOT NULL)",
    # Each offer and assignment as its institution sees it; open offers by their deadline.
    "CREATE TABLE IF NOT EXISTS {s}assignments (assignment_id TEXT PRIMARY KEY, "
    "institution_id TEXT NOT NULL, match_id TEXT NOT NULL, status TEXT NOT NULL, "
    "respond_by TEXT, view TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS assignments_institution ON {s}assignments (institution_id, assignment_id)",
    "CREATE INDEX IF NOT EXISTS assignments_institution_status ON {s}assignments "
    "(institution_id, status, assignment_id)",
    "CREATE INDEX IF NOT EXISTS assignments_open ON {s}assignments (status, respond_by)",
    # The registry of institutions as folded up to ``position`` (registry.py), so a restart
    # folds only what came after.
    # The directory: each institution as a search finds it (lists as |a|b|, for LIKE on either
    # store; a name or scope item is found by any part of it) and as it is shown.
    "CREATE TABLE IF NOT EXISTS {s}directory (id TEXT PRIMARY KEY, name TEXT NOT NULL, "
    "status TEXT NOT NULL, categories TEXT NOT NULL, parks TEXT NOT NULL, "
    "qualification_types TEXT NOT NULL, scope TEXT NOT NULL, view TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS directory_name ON {s}directory (name, id)",
    # The demand hall (hall.py): each round listed there, open ones by when they close.
    "CREATE TABLE IF NOT EXISTS {s}hall (match_id TEXT PRIMARY KEY, demand_id TEXT NOT NULL, "
    "category TEXT NOT NULL, park TEXT NOT NULL, status TEXT NOT NULL, closes_at TEXT NOT NULL, "
    "view TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS hall_open ON {s}hall (status, closes_at, match_id)",
    # The register of reports and certificates, from completions' evidence (quoting.py):
    # searched by number or its beginning; dates as ISO text.
    "CREATE TABLE IF NOT EXISTS {s}reports (id TEXT PRIMARY KEY, number TEXT NOT NULL, "
    "kind TEXT NOT NULL, institution_id TEXT NOT NULL, demand_id TEXT NOT NULL, "
    "issued_on TEXT, valid_until TEXT, scope TEXT)",
    "CREATE INDEX IF NOT EXISTS reports_number ON {s}reports (number, id)",
    "CREATE INDEX IF NOT EXISTS reports_institution ON {s}reports (institution_id, number, id)",
    "CREATE TABLE IF NOT EXISTS {s}registry_snapshot (id INTEGER PRIMARY KEY, "
    "format INTEGER NOT NULL, position BIGINT NOT NULL, sequence BIGINT NOT NULL, "
    "profiles TEXT NOT NULL)",
)

def rows(aggregates: list) -> list[Statement]:
    """The rows of these aggregates' new states, a table at a time: one match when it is saved,
    a page of them in a read-model rebuild. The institutions' load rows come first (a match may
    hold capacity at an institution registered in the same page); then every match releases
    what its previous row held, the rows are written, and every match takes what it holds now.
    Each match is in the list once, so its release reads its previous row and its take its new
    one, and a load goes down before it goes up (the check holds throughout)."""
    institutions = [a for a in aggregates if isinstance(a, Institution)]
    matches = [a for a in aggregates if isinstance(a, Match)]
    statements = [upsert("directory", ("id",), directory_row(institution)) for institution in institutions]
    statements += [Statement(
        "INSERT INTO {s}institution_load (institution_id, capacity, open) VALUES (%s, %s, 0) "
        "ON CONFLICT (institution_id) DO UPDATE SET capacity = excluded.capacity",
        (str(institution.id), institution.capacity)) for institution in institutions]
    if not matches:
        return statements
    ids = [str(match.id) for match in matches]
    statements += [upsert("explanations", ("digest",), {"digest": key, "body": explanation})
                   for match in matches for key, explanation in match.explained.items()]
    statements += [upsert("assignments", ("assignment_id",), {
        "assignment_id": key, "institution_id": seen["institution_id"], "match_id": str(match.id),
        "status": seen["status"], "view": seen,
        "respond_by": instant(seen["respond_by"]) if seen["respond_by"] else None})
        for match in matches for key, seen in match.assignments.items()]
    statements += [upsert("hall", ("match_id",), hall_row(match))
                   for match in matches if match.hall is not None]
    statements += [upsert("reports", ("id",), {
        "id": f"{key}:{issued['kind']}", "institution_id": seen["institution_id"],
        "demand_id": seen["demand_id"], **issued})
        for match in matches for key, seen in match.assignments.items()
        if seen["status"] == "completed" for issued in documents_issued(seen["evidence"] or {})]
    statements += _load_change(ids, "-")
    statements += [upsert("holds", ("match_id",), _hold(match)) for match in matches]
    statements += _load_change(ids, "+")
    return statements


def directory_row(institution: Institution) -> dict:
    valid = [q for q in institution.qualifications if q["status"] == "valid"]
    return {"id": str(institution.id), "name": institution.name, "status": institution.status,
            "categories": _listed(institution.categories), "parks": _listed(institution.parks),
            "qualification_types": _listed(q["type"] for q in valid),
            "scope": _listed(item for q in valid for item in q["scope"]),
            "view": institution_view(institution)}


def _listed(values) -> str:
    return "|" + "|".join(dict.fromkeys(values)) + "|"


def _hold(match: Match) -> dict:
    holder = str(match.institution_id) if match.holds_capacity else None
    # A supervisor's assignment that set the constraints aside does not count against the
    # capacity it was allowed to exceed.
    overridden = bool(match.current and (match.current.get("manual") or {}).get("overridden"))
    return {"match_id": str(match.id), "institution_id": holder,
            "counted": int(holder is not None and not overridden)}


def _load_change(match_ids: list[str], sign: str, chunk: int = 200) -> list[Statement]:
    """``open = open ± n`` on each institution, n being how many of these matches its ``holds``
    rows count, as they stand when the statement runs."""
    statements = []
    for start in range(0, len(match_ids), chunk):
        some = match_ids[start:start + chunk]
        held = (f"SELECT institution_id FROM {{s}}holds WHERE counted = 1 "
                f"AND match_id IN ({', '.join(['%s'] * len(some))})")
        statements.append(Statement(
            f"UPDATE {{s}}institution_load SET open = open {sign} (SELECT COUNT(*) FROM ({held}) AS h "
            f"WHERE h.institution_id = {{s}}institution_load.institution_id) "
            f"WHERE institution_id IN ({held})", (*some, *some)))
    return statements
