"""A standardisation demand's standard project: the standard the serving institution drafts
with the enterprise, through its stages, each completed with its documents.

The stages follow the order of GB/T 1.1 work on a standard (and of the enterprise and group
standard procedures): initiation 立项, drafting 起草, consultation 征求意见, review 审查,
publication 发布. None is skipped and none done twice. Its id derives from the demand's, so a
demand has at most one project.
"""
from __future__ import annotations

import uuid
from datetime import date

from eventsourcing.domain import Aggregate, event

from shared.errors import Conflict, Invalid
from shared.field_messages import said
from shared.projects import STANDARD_STAGES as STAGES

_PROJECTS = uuid.UUID("5d0c2f4e-8b1a-4c7e-9f36-2a7b9e1d4c58")


class StandardProject(Aggregate):
    @staticmethod
    def create_id(demand_id: uuid.UUID, **_) -> uuid.UUID:
        return uuid.uuid5(_PROJECTS, str(demand_id))

    @event("StandardProjectOpened")
    def __init__(self, demand_id: uuid.UUID, institution_id: uuid.UUID, assignment_id: uuid.UUID,
                 kind: str, title: str, planned_number: str | None, by: dict, at: str):
        self.demand_id = demand_id
        self.institution_id = institution_id
        self.assignment_id = assignment_id
        self.kind, self.title, self.planned_number = kind, title, planned_number
        self.opened = {"by": by, "at": at}
        self.stages: list[dict] = []  # completed, in order
        self.publication: dict | None = None

    @property
    def next_stage(self) -> str | None:
        return STAGES[len(self.stages)] if len(self.stages) < len(STAGES) else None

    def complete_stage(self, stage: str, documents: list[dict], note: str,
                       consultation: dict | None, publication: dict | None, by: dict, at: str) -> None:
        """``documents``: the files' metadata (sha256, name, media_type, size), each checked to
        be one the acting party uploaded."""
        expected = self.next_stage
        if expected is None:
            raise Conflict("the standard is published: its project has no stage left",
                           {"current_status": "published"})
        if stage != expected:
            code = "stage_done" if STAGES.index(stage) < STAGES.index(expected) else "stage_out_of_order"
            raise Invalid(f"{code}: the next stage is {expected}",
                          {"stage": [said(code, expected=expected)]})
        if stage == "publication":
            self._require_self_declaration(publication)
            self._published(demand_id=self.demand_id, attachments=documents, note=note,
                            **publication, by=by, at=at)
        else:
            self._stage_completed(demand_id=self.demand_id, stage=stage, attachments=documents,
                                  note=note, consultation=consultation, by=by, at=at)

    def _require_self_declaration(self, publication: dict) -> None:
        """An enterprise standard is declared on the enterprise standard public service platform
        (企业标准信息公共服务平台) before it is used: its publication records the declaration."""
        if self.kind == "enterprise" and not publication.get("self_declaration"):
            raise Invalid("an enterprise standard is published with its self-declaration",
                          {"publication": {"self_declaration": [said("self_declaration_needed")]}})
        declared = publication.get("self_declaration")
        if declared and declared["declared_on"] < publication["published_on"]:
            raise Invalid("declared before the standard was published", {"publication": {
                "self_declaration": {"declared_on": [said("declared_before_publication")]}}})

    # ``attachments``: so the archive keeps the files with the dossier (archive/files.py).
    @event("StandardStageCompleted")
    def _stage_completed(self, demand_id, stage, attachments, note, consultation, by, at):
        self.stages.append({"stage": stage, "documents": attachments, "note": note,
                            "consultation": consultation, "by": by, "at": at})

    @event("StandardPublished")
    def _published(self, demand_id, attachments, note, number: str, published_on: date,
                   self_declaration: dict | None, by, at):
        self.stages.append({"stage": "publication", "documents": attachments, "note": note,
                            "consultation": None, "by": by, "at": at})
        self.publication = {"number": number, "published_on": published_on,
                            "self_declaration": self_declaration}


def standard_project_view(project: StandardProject) -> dict:
    publication = None
    if project.publication:
        declared = project.publication["self_declaration"]
        publication = {**project.publication,
                       "published_on": project.publication["published_on"].isoformat(),
                       "self_declaration": declared and {
                           **declared, "declared_on": declared["declared_on"].isoformat()}}
    return {"id": str(project.id), "demand_id": str(project.demand_id),
            "institution_id": str(project.institution_id), "kind": project.kind,
            "title": project.title, "planned_number": project.planned_number,
            "opened_by": project.opened["by"], "opened_at": project.opened["at"],
            "stages": [{**stage, "documents": [_document(d) for d in stage["documents"]]}
                       for stage in project.stages],
            "next_stage": project.next_stage,
            "status": "published" if project.publication else "in_progress",
            "publication": publication}


def _document(document: dict) -> dict:
    return {key: document[key] for key in ("sha256", "name", "media_type", "size")}
