"""Matching's commands and queries on the work of standardisation and intellectual-property
demands: the standard project and the IP applications of a demand, done by the institution
that serves it (matching knows who serves: the match's current assignment).

The gateway has checked that the caller may read the demand (its enterprise, its station's
specialists, its institution, supervisors) and that each document is a file the caller
uploaded; here the rules of the work are checked.
"""
from __future__ import annotations

import json
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from services.matching.domain import Match
from services.matching.ip_application import (
    CNIPA, IpApplication, filing_year, ip_application_view, normalised_number, number_problem)
from services.matching.standard_project import StandardProject, standard_project_view
from shared.commands import (
    CompleteStandardStage, MoveIpApplication, OpenStandardProject, RecordIpApplication)
from shared.errors import Conflict, Forbidden, Invalid, NotFound
from shared.field_messages import said
from shared.readmodel import Statement, upsert

TABLES = (
    "CREATE TABLE IF NOT EXISTS {s}ip_applications (id TEXT PRIMARY KEY, demand_id TEXT NOT NULL, "
    "view TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS ip_applications_demand ON {s}ip_applications (demand_id, id)",
)


def rows(aggregates: list) -> list[Statement]:
    return [upsert("ip_applications", ("id",), {"id": str(a.id), "demand_id": str(a.demand_id),
                                                "view": ip_application_view(a)})
            for a in aggregates if isinstance(a, IpApplication)]


class Projects:
    """Mixed into ``Matching``."""

    # The standard project ------------------------------------------------------------------
    def standard_project(self, demand_id: str) -> dict:
        try:
            project = self.repository.get(StandardProject.create_id(UUID(str(demand_id))))
        except (ValueError, AggregateNotFoundError):
            raise NotFound(f"demand {demand_id} has no standard project") from None
        return standard_project_view(project)

    def open_standard_project(self, demand_id: str, payload: dict, by: dict,
                              station: dict | None = None) -> dict:
        """The serving institution, or a specialist of the demand's station, opens the project
        of a standardisation demand once an institution serves it."""
        command = self.load_command(OpenStandardProject, payload)
        match = self._served(demand_id, "standardization", by, station, specialist_too=True)
        project = StandardProject(demand_id=match.demand_id,
                                  institution_id=match.current["institution_id"],
                                  assignment_id=match.current["assignment_id"], **command,
                                  by=by, at=self._now())
        try:
            self.save(project)
        except IntegrityError:
            raise Conflict("the demand already has its standard project",
                           {"standard_project_id": str(project.id)}) from None
        return standard_project_view(project)

    def complete_standard_stage(self, demand_id: str, payload: dict, documents: list[dict],
                                by: dict) -> dict:
        """The serving institution completes the next stage; ``documents``: the metadata of
        the files named, as intake keeps them for the caller (the gateway read them)."""
        command = self.load_command(CompleteStandardStage, payload)
        self._served(demand_id, "standardization", by, None)
        try:
            project = self.repository.get(StandardProject.create_id(UUID(str(demand_id))))
        except AggregateNotFoundError:
            raise Conflict("open the standard project first", {"current_status": None}) from None
        if str(project.institution_id) != by["subject"]:
            raise Conflict("the project was opened with another institution",
                           {"institution_id": str(project.institution_id)})
        by_hash = {document["sha256"]: document for document in documents}
        project.complete_stage(command["stage"], [by_hash[sha] for sha in command["documents"]],
                               command["note"], command["consultation"], command["publication"],
                               by=by, at=self._now())
        self.save_or_conflict(project, what="the standard project",
                              details={"standard_project_id": str(project.id)})
        return standard_project_view(project)

    # IP applications -----------------------------------------------------------------------
    def ip_applications(self, demand_id: str) -> dict:
        found = self.read("SELECT view FROM {s}ip_applications WHERE demand_id = %s ORDER BY id",
                          str(demand_id))
        items = sorted((json.loads(row["view"]) for row in found),
                       key=lambda application: (application["filed_on"], application["number"]))
        return {"items": items}

    def record_ip_application(self, demand_id: str, payload: dict, by: dict) -> dict:
        command = self.load_command(RecordIpApplication, payload)
        command["number"] = normalised_number(command["number"])
        problem = number_problem(command["kind"], command["office"], command["number"])
        if problem:
            raise Invalid("not a valid application number", {"number": [said(problem)]})
        if command["office"] == CNIPA and command["kind"] != "trademark" \
                and filing_year(command["number"]) != command["filed_on"].year:
            raise Invalid("filed in another year than the number says",
                          {"filed_on": [said("filed_in_number_year", year=filing_year(command["number"]))]})
        match = self._served(demand_id, "intellectual_property", by, None)
        application = IpApplication(demand_id=match.demand_id,
                                    institution_id=match.current["institution_id"], **command,
                                    by=by, at=self._now())
        try:
            self.save(application)
        except IntegrityError:
            raise Conflict(f"application {command['number']} at {command['office']} is already "
                           "recorded", {"number": command["number"], "office": command["office"]}) from None
        return ip_application_view(application)

    def move_ip_application(self, demand_id: str, application_id: str, payload: dict,
                            by: dict) -> dict:
        command = self.load_command(MoveIpApplication, payload)
        self._served(demand_id, "intellectual_property", by, None)
        application = self.find(IpApplication, application_id, "IP application")
        if str(application.demand_id) != str(demand_id):
            raise NotFound(f"no IP application {application_id} of demand {demand_id}")
        application.move(command["status"], command["on"], command["note"], by=by, at=self._now())
        self.save_or_conflict(application, what="the application",
                              details={"ip_application_id": str(application.id)})
        return ip_application_view(application)

    def _served(self, demand_id: str, category: str, by: dict, station: dict | None,
                specialist_too: bool = False) -> Match:
        """The demand's match, if it is of ``category``, an institution serves it and ``by``
        is that institution (or, ``specialist_too``, a specialist of the demand's park)."""
        try:
            match = self.repository.get(Match.create_id(UUID(str(demand_id))))
        except (ValueError, AggregateNotFoundError):
            raise Conflict("no institution serves the demand yet", {"current_status": None}) from None
        if match.category != category:
            raise Conflict(f"the demand is of category {match.category}, not {category}",
                           {"category": match.category})
        serving = match.current if match.current and match.current["status"] in (
            "in_service", "completed") else None
        if serving is None:
            raise Conflict("no institution serves the demand yet",
                           {"current_status": match.current["status"] if match.current else None})
        if by["role"] == "specialist" and specialist_too:
            _require_specialist_of(station, match.park)
        elif by["role"] != "institution" or by["subject"] != str(serving["institution_id"]):
            raise Forbidden("only the institution serving the demand does this")
        return match


def _require_specialist_of(station: dict | None, park: str) -> None:
    if station is None or station["park"] != park:
        raise Forbidden("only a specialist of the demand's station does this", {"park": park})
