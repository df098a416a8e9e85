"""What the partner feed keeps: the facts it needs from intake and matching, each partner
message once (its id is the message's ``event_id``), and each institution's webhook with its
delivery position and log."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from eventsourcing.domain import Aggregate, event

_CASES = uuid.UUID("a3c5e7f9-1b2d-4f6a-8c0e-2d4f6a8c0e13")
_OFFERS = uuid.UUID("b4d6f8a0-2c3e-4a7b-9d1f-3e5a7b9d1f24")
_MESSAGES = uuid.UUID("c5e7a9b1-3d4f-4b8c-ae20-4f6b8cae2035")
_WEBHOOKS = uuid.UUID("d6f8b0c2-4e5a-4c9d-bf31-5a7c9dbf3146")
_STANDINGS = uuid.UUID("e7a9c1d3-5f6b-4dae-8c42-6b8dae0c4257")

#: Delivery log entries kept per webhook (the newest).
LOG_SIZE = 200


class CaseFacts(Aggregate):
    """A demand as intake recorded it: what an institution learns once the case is its own."""

    @staticmethod
    def create_id(demand_id, **_) -> uuid.UUID:
        return uuid.uuid5(_CASES, str(demand_id))

    @event("CaseFactsOpened")
    def __init__(self, demand_id: uuid.UUID, enterprise: dict, category: str, title: str,
                 description: str, items: list):
        self.demand_id = demand_id
        self.enterprise = enterprise
        self.category = category
        self.title = title
        self.description = description
        self.items = items
        self.assignment: dict | None = None

    @event("CaseFactsClassified")
    def classified(self, category: str, items: list) -> None:
        self.category, self.items = category, items

    @event("CaseFactsAssigned")
    def assigned(self, assignment_id: uuid.UUID, institution_id: uuid.UUID) -> None:
        self.assignment = {"assignment_id": assignment_id, "institution_id": institution_id}


class OfferFacts(Aggregate):
    """A match's request as matching recorded it: what an offer may say."""

    @staticmethod
    def create_id(match_id, **_) -> uuid.UUID:
        return uuid.uuid5(_OFFERS, str(match_id))

    @event("OfferFactsOpened")
    def __init__(self, match_id: uuid.UUID, category: str, items: list, park: str, expected_by):
        self.match_id = match_id
        self.request = {"category": category, "items": items, "park": park,
                        "expected_by": expected_by}

    @event("OfferFactsRestarted")
    def restarted(self, category: str, items: list, park: str, expected_by) -> None:
        self.request = {"category": category, "items": items, "park": park,
                        "expected_by": expected_by}


class PartnerMessage(Aggregate):
    """One message to one institution; recorded once, published and delivered from the log."""

    @staticmethod
    def create_id(source: str, institution_id, **_) -> uuid.UUID:
        return uuid.uuid5(_MESSAGES, f"{source}:{institution_id}")

    @event("PartnerMessageRecorded")
    def __init__(self, source: str, institution_id: uuid.UUID, event: str, schema_version: int,
                 occurred_at: str, data: dict):
        self.source = source
        self.institution_id = institution_id
        self.event = event
        self.schema_version = schema_version
        self.occurred_at = occurred_at
        self.data = data


class Webhook(Aggregate):
    """An institution's HTTPS endpoint: where its messages go, signed with its secret, in order.
    ``delivered`` counts the institution's messages delivered (its position in its stream).
    Secrets are kept sealed (secret_box.py): the current one, and after a rotation the one
    before it until ``valid_until``, so a receiver can switch without losing a delivery."""

    @staticmethod
    def create_id(institution_id, **_) -> uuid.UUID:
        return uuid.uuid5(_WEBHOOKS, str(institution_id))

    @event("WebhookRegistered")
    def __init__(self, institution_id: uuid.UUID, url: str, sealed_secret: str, at: str):
        self.institution_id = institution_id
        self.url = url
        self.secrets = [{"sealed": sealed_secret, "valid_until": None}]
        self.delivered = 0
        self.failures = 0
        self.retry_at: str | None = None
        self.log: list[dict] = []
        #: the institution's standing while it may not receive deliveries (suspended, exited)
        self.suspended: str | None = None

    @event("WebhookChanged")
    def change(self, url: str, at: str) -> None:
        self.url = url
        self.failures, self.retry_at = 0, None

    @event("WebhookSecretRotated")
    def rotate(self, sealed_secret: str, previous_valid_until: str, at: str) -> None:
        self.secrets = [{"sealed": sealed_secret, "valid_until": None},
                        {"sealed": self.secrets[0]["sealed"], "valid_until": previous_valid_until}]

    def sealed_secrets(self, at: datetime) -> list[str]:
        """The secrets deliveries are signed with at ``at``: the current one first."""
        return [kept["sealed"] for kept in self.secrets
                if kept["valid_until"] is None or datetime.fromisoformat(kept["valid_until"]) > at]

    @event("WebhookDelivered")
    def delivered_one(self, event_id: str, status: int, at: str) -> None:
        self.delivered += 1
        self.failures, self.retry_at = 0, None
        self._log({"event_id": event_id, "status": status, "ok": True, "at": at})

    def failed(self, event_id: str, status: int | None, error: str, at: str,
               base_seconds: float, max_seconds: float) -> None:
        wait = min(base_seconds * 2 ** self.failures, max_seconds)
        retry_at = (datetime.fromisoformat(at) + timedelta(seconds=wait)).isoformat()
        self._failed(event_id=event_id, status=status, error=error[:500], retry_at=retry_at, at=at)

    @event("WebhookDeliveryFailed")
    def _failed(self, event_id, status, error, retry_at, at):
        self.failures += 1
        self.retry_at = retry_at
        self._log({"event_id": event_id, "status": status, "ok": False, "error": error,
                   "retry_at": retry_at, "at": at})

    @event("WebhookRewound")
    def rewind(self, position: int, event_id: str, at: str) -> None:
        """Deliver again from the institution's ``position``-th message (``event_id``)."""
        self.delivered = position
        self.failures, self.retry_at = 0, None
        self._log({"event_id": event_id, "ok": True, "rewound": True, "at": at})

    @event("WebhookSuspended")
    def suspend(self, standing: str, at: str) -> None:
        """The institution was suspended or left: nothing is posted until it is reinstated;
        its messages keep their place and are delivered then."""
        self.suspended = standing

    @event("WebhookResumed")
    def resume(self, at: str) -> None:
        self.suspended = None

    @property
    def paused(self) -> bool:
        return bool(getattr(self, "suspended", None))  # a snapshot from before suspensions has none

    def _log(self, entry: dict) -> None:
        self.log = [*self.log, entry][-LOG_SIZE:]

    def view(self) -> dict:
        previous = self.secrets[1]["valid_until"] if len(self.secrets) > 1 else None
        return {"institution_id": str(self.institution_id), "url": self.url,
                "previous_secret_valid_until": previous,
                "delivered": self.delivered, "failures": self.failures,
                "retry_at": self.retry_at, "suspended": getattr(self, "suspended", None),
                "log": list(reversed(self.log))}


class InstitutionStanding(Aggregate):
    """An institution's standing as matching decides it, and the standing its broker user was
    last given: what differs is applied on the partner vhost (a suspended institution's user may
    do nothing there; reinstated, it may again)."""

    @staticmethod
    def create_id(institution_id, **_) -> uuid.UUID:
        return uuid.uuid5(_STANDINGS, str(institution_id))

    @event("StandingRecorded")
    def __init__(self, institution_id: uuid.UUID, standing: str):
        self.institution_id = institution_id
        self.standing = standing
        self.broker = "active"

    @event("StandingChanged")
    def change(self, standing: str) -> None:
        self.standing = standing

    @event("BrokerStandingApplied")
    def applied(self, standing: str) -> None:
        self.broker = standing



class BrokerAccessChange(Aggregate):
    """An operator gave an institution its user on the partner vhost, or took it away: who,
    when, why. The user and its password live in the broker alone (the password is shown once
    to the operator, never kept here), so the broker says whether access stands."""

    @event("BrokerAccessChanged")
    def __init__(self, institution_id: uuid.UUID, change: str, by: dict, reason: str | None, at: str):
        self.institution_id = institution_id
        self.change = change
