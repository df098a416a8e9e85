"""A Session: one sign-in, kept alive by refresh tokens that replace each other.

Only the hash of the current refresh token is kept, and those of the ones it replaced. A
replaced one presented again means a copy is in someone else's hands: the session ends, and the
holder of the newer token must sign in again. A token that is neither (a guess) changes nothing.
A session lives at most its maximum age, and no longer than the person's credentials as they
were when it began (a password changed or reset, an authenticator reset, end it).
"""
from __future__ import annotations

import uuid

from eventsourcing.domain import Aggregate, event

#: How many replaced refresh tokens a session recognises when presented again.
REPLACED_KEPT = 50


class Session(Aggregate):
    @event("SessionStarted")
    def __init__(self, person_id: uuid.UUID, refresh_hash: str, expires_at: str, method: str,
                 started_at: str, credentials: int):
        self.person_id = person_id
        self.refresh_hash = refresh_hash
        self.expires_at = expires_at
        self.method = method
        self.started_at = started_at
        #: the person's credentials version when it began
        self.credentials = credentials
        self.replaced: list[str] = []
        self.ended: str | None = None

    @event("SessionRefreshed")
    def refreshed(self, refresh_hash: str, expires_at: str) -> None:
        self.replaced = [*self.replaced, self.refresh_hash][-REPLACED_KEPT:]
        self.refresh_hash = refresh_hash
        self.expires_at = expires_at

    @event("SessionEnded")
    def end(self, reason: str) -> None:
        self.ended = reason
