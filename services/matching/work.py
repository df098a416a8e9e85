"""What testing, certification and the quality services add to an assignment: the quote the
enterprise accepts before work starts, the samples a laboratory holds, and what a completion
must carry by category (docs/categories/testing-and-certification.md). Pure rules; the ``Match``
records the events."""
from __future__ import annotations

from datetime import date

from shared.errors import Conflict, Invalid
from shared.field_messages import said

#: Where an assignment of a quoted category waits between its start and the enterprise's
#: acceptance of a quote: no progress, samples or completion until then.
AWAITING_QUOTE = "awaiting_quote_acceptance"
#: Categories that quote before work, unless MATCHING.quote_categories says otherwise.
QUOTE_CATEGORIES = ("inspection_testing", "certification_accreditation")
#: Categories whose completion is a set of deliverables rather than a report.
DELIVERABLE_CATEGORIES = ("quality_management", "brand_cultivation", "quality_innovation")
#: What a completion of these categories must name, field by field.
REQUIRED_AT_COMPLETION = {
    "inspection_testing": ("report_number",),
    "certification_accreditation": ("certificate_number", "valid_until"),
    **{category: ("deliverables",) for category in DELIVERABLE_CATEGORIES},
}


def completion_problems(category: str, evidence: dict) -> None:
    """Invalid, naming each field a completion of ``category`` lacks."""
    missing = {name: [said("required_for_category", category=category)]
               for name in REQUIRED_AT_COMPLETION.get(category, ()) if not evidence.get(name)}
    if missing:
        raise Invalid(f"a {category} service completes with {', '.join(missing)}", missing)


def evidence_of(command: dict, today: date) -> dict:
    """The completion's evidence as recorded: dates as ISO text, a report or certificate issued
    on the day of completion unless it says otherwise, and each deliverable's document among the evidence's documents (so it
    is downloadable and archived as evidence already is)."""
    deliverables = [{**d, "milestones": [
        {**m, "due_on": m["due_on"].isoformat(),
         "done_on": m["done_on"].isoformat() if m["done_on"] else None} for m in d["milestones"]]}
        for d in command["deliverables"]]
    documents = list(command["documents"])
    for deliverable in deliverables:
        if deliverable["document"]["sha256"] not in {d["sha256"] for d in documents}:
            documents.append(deliverable["document"])
    numbered = command["report_number"] or command["certificate_number"]
    issued_on = command["issued_on"] or (today if numbered else None)
    return {"report_number": command["report_number"],
            "certificate_number": command["certificate_number"],
            "issued_on": issued_on.isoformat() if issued_on else None,
            "valid_until": command["valid_until"].isoformat() if command["valid_until"] else None,
            "scope": command["scope"], "documents": documents, "deliverables": deliverables}


def documents_issued(evidence: dict) -> list[dict]:
    """The reports and certificates a completion's evidence names, as the register keeps them
    (services/matching/readmodel.py)."""
    return [{"kind": kind, "number": evidence[f"{kind}_number"],
             "issued_on": evidence.get("issued_on"),
             "valid_until": evidence.get("valid_until") if kind == "certificate" else None,
             "scope": evidence.get("scope")}
            for kind in ("report", "certificate") if evidence.get(f"{kind}_number")]


def require_quote_answerable(quote: dict | None, status: str, today: date) -> None:
    """Conflict unless a quote awaits the enterprise's answer and is still open; the details
    say where the assignment and its latest quote are (``quote_status``: null before any
    quote, else accepted or declined)."""
    answered = {"current_status": status, "quote_status": quote["answer"] if quote else None}
    if status != AWAITING_QUOTE:
        raise Conflict(f"the assignment is {status}: no quote awaits an answer", answered)
    if quote is None or quote["answer"] is not None:
        raise Conflict("no quote awaits an answer: the institution has yet to give one", answered)
    if today > date.fromisoformat(quote["valid_until"]):
        raise Conflict(f"the quote was valid until {quote['valid_until']}: ask the institution "
                       "for a new one", {"current_status": status, "quote_status": "expired"})
