"""Matching's commands and queries of testing and certification: the institution's quote and
the enterprise's answer, the samples, and the register of reports and certificates
(docs/categories/testing-and-certification.md). Mixed into ``Matching``."""
from __future__ import annotations

import re
from uuid import UUID

from shared.commands import (
    AcceptQuote, DeclineQuote, DisposeSample, GiveQuote, ReceiveSample, SearchReports)
from shared.errors import Conflict, Forbidden, Invalid
from shared.field_messages import said
from shared.readmodel import keyset_page

#: Who may search the register by institution and validity, not only by number.
REGISTER_STAFF = ("specialist", "supervisor")


class QuotedWork:
    # The institution's side ----------------------------------------------------------------
    def give_quote(self, assignment_id: str, payload: dict, by: dict) -> dict:
        command = self.load_command(GiveQuote, payload)
        return self._on_assignment(assignment_id, by, lambda match, key: match.give_quote(
            key, command, self.clock().date(), by=by, at=self._now()))

    def receive_sample(self, assignment_id: str, payload: dict, by: dict) -> dict:
        command = self.load_command(ReceiveSample, payload)
        return self._on_assignment(assignment_id, by, lambda match, key: match.receive_sample(
            key, command, by=by, at=self._now()))

    def dispose_sample(self, assignment_id: str, sample_id: str, payload: dict, by: dict) -> dict:
        """A sample goes back or is disposed of, in service or after completion."""
        command = self.load_command(DisposeSample, payload)
        return self._on_assignment(
            assignment_id, by, lambda match, key: match.dispose_sample(
                key, sample_id, command["disposition"], command["on"], command["note"],
                by=by, at=self._now()),
            open_statuses=("in_service", "completed"))

    # The enterprise's side (the gateway checked the demand is its own) ---------------------
    def accept_quote(self, demand_id: str, payload: dict, by: dict) -> dict:
        self.load_command(AcceptQuote, payload)
        return self._on_quote(demand_id, lambda match, today: match.accept_quote(
            today, by=by, at=self._now()))

    def decline_quote(self, demand_id: str, payload: dict, by: dict) -> dict:
        command = self.load_command(DeclineQuote, payload)
        return self._on_quote(demand_id, lambda match, today: match.decline_quote(
            command["reason"], today, by=by, at=self._now()))

    def _on_quote(self, demand_id: str, answer) -> dict:
        """The quote of the demand's current assignment, answered; the assignment as its
        parties see it."""
        with self.deciding:
            match = self._match_of(UUID(str(demand_id)))
            if match is None or match.current is None:
                raise Conflict("no institution serves the demand yet", {"current_status": None})
            answer(match, self.clock().date())
            self.save_or_conflict(match, what="the quote", details={"demand_id": str(demand_id)})
            return match.assignments[str(match.current["assignment_id"])]

    # The register of reports and certificates ----------------------------------------------
    def search_reports(self, query: dict, viewer: dict) -> dict:
        """Reports and certificates by number (exact, or its beginning) for anyone signed in;
        specialists and supervisors also by institution and validity. Never the enterprise or
        its files: the number, kind, issuer, dates and scope."""
        command = self.load_command(SearchReports, query)
        staff = viewer["role"] in REGISTER_STAFF
        for name in ("institution_id", "valid"):
            if command[name] is not None and not staff:
                raise Forbidden("only specialists and supervisors filter the register by "
                                f"{name}", {name: [said("staff_filter")]})
        if command["number"] is None and not staff:
            raise Invalid("search the register by number", {"number": [said("required")]})
        today = self.clock().date().isoformat()
        filters, values = [], []
        if command["number"] is not None:
            filters.append("number LIKE %s ESCAPE '!'")
            values.append(re.sub(r"([!%_])", r"!\1", command["number"]) + "%")
        if command["institution_id"] is not None:
            filters.append("institution_id = %s")
            values.append(str(command["institution_id"]))
        if command["valid"] is True:
            filters.append("(valid_until IS NULL OR valid_until >= %s)")
            values.append(today)
        elif command["valid"] is False:
            filters.append("valid_until < %s")
            values.append(today)
        found, next_after = keyset_page(self.read, "reports", filters, values, "number",
                                        command["after"], command["per_page"])
        names = self._institution_names({row["institution_id"] for row in found})
        return {"items": [_register_entry(row, names, today) for row in found],
                "per_page": command["per_page"], "next_after": next_after}

    def _institution_names(self, ids: set[str]) -> dict[str, str]:
        if not ids:
            return {}
        return {row["id"]: row["name"] for row in self.read(
            "SELECT id, name FROM {s}directory WHERE id IN (" + ", ".join(["%s"] * len(ids)) + ")",
            *sorted(ids))}


def _register_entry(row: dict, names: dict[str, str], today: str) -> dict:
    return {"number": row["number"], "kind": row["kind"], "institution_id": row["institution_id"],
            "institution_name": names.get(row["institution_id"]), "issued_on": row["issued_on"],
            "valid_until": row["valid_until"], "scope": row["scope"],
            "valid_today": row["valid_until"] is None or row["valid_until"] >= today}
