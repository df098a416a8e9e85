"""Which demands the rules accept without a specialist (configurable per park's station)."""
from __future__ import annotations

from dataclasses import dataclass, field

RULES = {"role": "system", "subject": "assessment-rules"}


@dataclass(frozen=True)
class AssessmentRules:
    auto_accept: bool = True
    #: park -> {"auto_accept": bool}
    parks: dict = field(default_factory=dict)

    @classmethod
    def from_config(cls, settings: dict) -> "AssessmentRules":
        return cls(auto_accept=bool(settings.get("auto_accept", True)),
                   parks=dict(settings.get("parks") or {}))

    def accepts_automatically(self, park: str) -> bool:
        return bool((self.parks.get(park) or {}).get("auto_accept", self.auto_accept))
