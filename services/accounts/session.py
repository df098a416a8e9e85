"""A Session: one sign-in, kept alive by refresh tokens that replace each other.

Only the hash of the current refresh token is kept. A refresh token used twice means a copy is
in someone else's hands: the session ends, and the holder of the newer token must sign in again.
"""
from __future__ import annotations

import uuid

from eventsourcing.domain import Aggregate, event


class Session(Aggregate):
    @event("SessionStarted")
    def __init__(self, person_id: uuid.UUID, refresh_hash: str, expires_at: str, method: str):
        self.person_id = person_id
        self.refresh_hash = refresh_hash
        self.expires_at = expires_at
        self.method = method
        self.ended: str | None = None

    @event("SessionRefreshed")
    def refreshed(self, refresh_hash: str, expires_at: str) -> None:
        self.refresh_hash = refresh_hash
        self.expires_at = expires_at

    @event("SessionEnded")
    def end(self, reason: str) -> None:
        self.ended = reason
