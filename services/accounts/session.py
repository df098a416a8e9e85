"""A Session: one sign-in, kept alive by refresh tokens that replace each other.

Only the hash of the current refresh token is kept, and those of the ones it replaced. A
replaced one presented again means a copy is in someone else's hands: the session ends, and the
holder of the newer token must sign in again, except the one replaced last, presented again within
a few seconds of its replacement (``AUTH.refresh_reuse_seconds``): a browser that reloaded while
its refresh was under way never received the answer, so it is answered again with a new token, and
the one it lost counts as replaced. A token that is neither (a guess) changes nothing.
A session lives at most its maximum age, and no longer than the person's credentials as they
were when it began (a password changed or reset, an authenticator reset, end it).
"""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta

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
        #: when the current refresh token replaced the one before it (None: never refreshed)
        self.refreshed_at: str | None = None
        self.ended: str | None = None

    @event("SessionRefreshed")
    def refreshed(self, refresh_hash: str, expires_at: str, at: str | None = None) -> None:
        # ``at`` is absent from the events recorded before the reuse interval existed.
        self.replaced = [*self.replaced, self.refresh_hash][-REPLACED_KEPT:]
        self.refresh_hash = refresh_hash
        self.expires_at = expires_at
        self.refreshed_at = at

    def lost_answer(self, secret_matches, now: datetime, interval: timedelta) -> bool:
        """Whether a replaced token presented again is the one replaced last, within the
        interval after it was: its holder never received the answer that replaced it."""
        return (bool(self.replaced) and self.refreshed_at is not None
                and secret_matches(self.replaced[-1])
                and now - datetime.fromisoformat(self.refreshed_at) <= interval)

    @event("SessionEnded")
    def end(self, reason: str) -> None:
        self.ended = reason
