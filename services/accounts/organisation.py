"""An Organisation: where a person works, and what it is on the platform.

``party`` is how the platform's other services know it: an enterprise's unified social credit
code, an institution's or a station's id, a supervisory agency's code, a station's operating
institution's unified social credit code (which the stations it runs name), ``platform`` for the
operators. An enterprise's first account must be verified by a specialist (the business licence
checked) before its people see its demands. An institution that registers itself applies under
its credit code; matching's approval of its application verifies it, and its people act for its
id from then on. The others are created verified by whoever creates them.
"""
from __future__ import annotations

import uuid

from eventsourcing.domain import Aggregate, event

from shared.errors import Conflict

_ORGANISATIONS = uuid.UUID("6b1f0c3a-2e4d-4c59-9f7a-0d8e5b2c1a47")

KINDS = ("enterprise", "institution", "station", "agency", "platform", "operating_institution")
#: The roles a person of each kind of organisation may hold.
ROLES_OF = {
    "enterprise": ("enterprise_admin", "enterprise_member"),
    "institution": ("institution_member",),
    "station": ("specialist", "station_manager"),
    "agency": ("supervisor",),
    "platform": ("operator",),
    "operating_institution": ("operating_institution_member",),
}


class Organisation(Aggregate):
    @staticmethod
    def create_id(kind: str, party: str, **_) -> uuid.UUID:
        # One organisation per party: the same credit code registered twice is one enterprise.
        return uuid.uuid5(_ORGANISATIONS, f"{kind}:{party}")

    @event("OrganisationRegistered")
    def __init__(self, kind: str, party: str, name: str, verified: bool, by: dict):
        self.kind = kind
        self.party = party
        self.name = name
        self.verified = verified
        self.registered_by = by
        #: an institution's standing as matching decides it: active, suspended or exited
        self.standing = "active"
        #: an institution that applied by itself: its id in matching once it applied
        self.institution_id: str | None = None

    @property
    def acting_party(self) -> str:
        """Whom its people act for: an applying institution's id once approved (until then its
        credit code, under which it applies), else its party."""
        return self.institution_id if self.institution_id and self.verified else self.party

    def verify(self, by: dict, evidence: str) -> None:
        if self.verified:
            raise Conflict("该机构/企业已核验", {"verified": True})
        self._verified(by=by, evidence=evidence)

    @event("OrganisationVerified")
    def _verified(self, by: dict, evidence: str) -> None:
        self.verified = True

    @event("InstitutionLinked")
    def link_institution(self, institution_id: str) -> None:
        self.institution_id = institution_id

    @event("OrganisationStandingChanged")
    def change_standing(self, standing: str, reason: str) -> None:
        self.standing = standing
