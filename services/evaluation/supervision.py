"""Supervisors' spot checks and revisits, with their findings.

A finding may ask matching to suspend an institution: the check records it as an event and
matching, following evaluation, suspends the institution itself (no other service's data is
written from here).
"""
from __future__ import annotations

import uuid

from eventsourcing.domain import Aggregate, event

KINDS = ("spot_check", "revisit")
SUBJECTS = ("station", "institution")
SEVERITIES = ("observation", "minor", "major", "critical")


class SupervisionCheck(Aggregate):
    @staticmethod
    def create_id(check_id: uuid.UUID, **_) -> uuid.UUID:
        return check_id

    @event("SupervisionCheckRecorded")
    def __init__(self, check_id: uuid.UUID, kind: str, subject: dict, demand_id: uuid.UUID | None,
                 findings: list[dict], suspend_institution: bool, reason: str | None, by: dict,
                 at: str):
        self.check_id = check_id
        self.kind = kind
        self.subject = subject
        self.demand_id = demand_id
        self.findings = findings
        self.suspend_institution = suspend_institution
        self.reason = reason
        self.by = by
        self.at = at

    def view(self) -> dict:
        return {"id": str(self.id), "kind": self.kind, "subject": self.subject,
                "demand_id": str(self.demand_id) if self.demand_id else None,
                "findings": self.findings, "suspend_institution": self.suspend_institution,
                "reason": self.reason, "by": self.by, "at": self.at}
