"""Intake's commands and queries of the station's own requirements (mixed into ``Intake``):
its people record each item's facts with evidence files, its operating institution's people the
items it owns, a supervisor confirms them, and every change that moves the station's conformity
records it (docs/categories/station-requirements.md).
"""
from __future__ import annotations

from services.intake.requirements import Checklist
from services.intake.station import Station
from shared.commands import ConfirmRequirement, RecordRequirement
from shared.errors import Forbidden, Invalid, NotFound
from shared.field_messages import said


class RequirementCommands:
    """``self`` is the Intake application: ``checklist`` comes from its configuration."""

    checklist: Checklist = Checklist.from_config(None)

    def requirements(self, station_id: str, viewer: dict) -> dict:
        """Each item's state and the station's conformity: its specialists, its operating
        institution, supervisors and operators read them."""
        station = self.find(Station, station_id, "station")
        self._may_read_requirements(viewer, station)
        return self._requirements_view(station)

    def requirement_file(self, station_id: str, code: str, sha256: str, viewer: dict) -> dict:
        """An evidence file of the item as last recorded (its name, media type and size), for
        whoever reads the station's requirements."""
        station = self.find(Station, station_id, "station")
        self._may_read_requirements(viewer, station)
        record = station.recorded_requirements().get(code) or {"evidence": []}
        for document in record["evidence"]:
            if document["sha256"] == sha256:
                return document
        raise NotFound(f"requirement {code} of station {station_id} has no file {sha256}")

    def record_requirement(self, station_id: str, code: str, payload: dict, by: dict) -> dict:
        """A specialist of the station (or an operator) records an item's facts, its operating
        institution's people the items it owns, with the files they uploaded as its evidence; a
        new record waits for its own confirmation."""
        command = self.load_command(RecordRequirement, payload)
        station = self.find(Station, station_id, "station")
        if by["role"] == "operating_institution":
            self._may_read_requirements(by, station)
            item = self.checklist.item(code)
            if item["owner"] != "operating_institution":
                raise Forbidden(f"“{item['name']['zh-CN']}”由工作站记录，运营机构只记录其自身负责的项目",
                                {"code": code, "owner": item["owner"]})
        else:
            self._require_operator_or_staff(by, station.id)
        self.checklist.recordable(code, command["value"])
        evidence = []
        for position, sha256 in enumerate(command["evidence"]):
            try:
                evidence.append(self.attachments.metadata(sha256, by))
            except Invalid:
                raise Invalid(f"you uploaded no file {sha256}", {"evidence": {position: [
                    said("attachment_unknown", sha256=sha256)]}}) from None
        at = self.clock().isoformat()
        station.record_requirement(code=code, value=command["value"], note=command["note"],
                                   evidence=evidence, checklist_version=self.checklist.version,
                                   by=by, at=at)
        return self._saved_requirements(station, by, at)

    def confirm_requirement(self, station_id: str, code: str, payload: dict, by: dict) -> dict:
        """A supervisor confirms an item as last recorded: an independent check, so neither the
        station nor its operating institution confirms its own facts."""
        if by["role"] != "supervisor":
            raise Forbidden("supervisors confirm a station's requirements")
        command = self.load_command(ConfirmRequirement, payload)
        station = self.find(Station, station_id, "station")
        if self.checklist.item(code).get("derived"):
            raise Invalid(f"{code} is counted from the station's specialists",
                          {"code": [said("requirement_derived")]})
        at = self.clock().isoformat()
        station.confirm_requirement(code, note=command["note"], by=by, at=at)
        return self._saved_requirements(station, by, at)

    def note_conformity(self, station: Station, by: dict) -> None:
        """Before a change of the station is saved: its conformity, if the change moved it."""
        checked = self.checklist.check(station.recorded_requirements(),
                                       list(station.specialists.values()))
        station.note_conformity(checked["conformity"], by=by, at=self.clock().isoformat())

    def _may_read_requirements(self, viewer: dict, station: Station) -> None:
        """Supervisors and operators read every station's requirements; its specialists and
        the operating institution it names (by credit code) its own; anyone else sees no
        station."""
        if viewer["role"] in ("supervisor", "operator") or self._is_staff(viewer, station.id):
            return
        if viewer["role"] == "operating_institution" and \
                viewer["subject"] == station.operating_institution["credit_code"]:
            return
        raise NotFound(f"no station {station.id}")

    def _saved_requirements(self, station: Station, by: dict, at: str) -> dict:
        self.note_conformity(station, by)
        self.save_or_conflict(station, what="the station", details={"station_id": str(station.id)})
        return self._requirements_view(station)

    def _requirements_view(self, station: Station) -> dict:
        checked = self.checklist.check(station.recorded_requirements(),
                                       list(station.specialists.values()))
        return {"station_id": str(station.id), "station_name": station.name,
                "operating_institution": station.operating_institution, **checked}
