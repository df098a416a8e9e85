"""The partner feed: turns intake's, matching's and evaluation's events into each institution's
own stream of integration events (contract.py), which it publishes to the partner exchange,
posts to webhooks, and serves for replay."""
from __future__ import annotations

import hashlib
import hmac
import json
import threading
import uuid
from datetime import datetime
from typing import Callable

from eventsourcing.application import AggregateNotFoundError

from services.partners import contract
from services.partners.feed import CaseFacts, OfferFacts, PartnerMessage, Webhook
from shared.commands import RegisterWebhook
from shared.config import section
from shared.errors import Invalid, NotFound
from shared.eventstore import OwnLogFold, ServiceApplication

#: Standing after each of matching's standing events.
STANDING = {"InstitutionSuspended": "suspended", "InstitutionReinstated": "active",
            "InstitutionExited": "exited"}
SIGNATURE_HEADER = "X-Onestop-Signature"

#: post(url, body, headers) -> HTTP status (raises OSError-like errors when unreachable)
Post = Callable[[str, bytes, dict], int]


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class Streams(OwnLogFold):
    """Each institution's messages in order (their event ids), folded from the feed's own log."""

    def __init__(self, app):
        super().__init__(app)
        self.by_institution: dict[str, list[str]] = {}
        self.webhooks: set[str] = set()

    def fold(self, domain_event) -> None:
        kind = type(domain_event)
        if kind is PartnerMessage.PartnerMessageRecorded:
            self.by_institution.setdefault(str(domain_event.institution_id), []).append(
                str(domain_event.originator_id))
        elif kind is Webhook.WebhookRegistered:
            self.webhooks.add(str(domain_event.originator_id))


class PartnerFeed(ServiceApplication):
    name = "PartnerFeed"
    service = "partners"
    upstreams = ("intake", "matching", "evaluation")
    reactions = {
        "DemandSubmitted": "_on_demand_submitted",
        "DemandAccepted": "_on_demand_classified",
        "DemandReclassified": "_on_demand_classified",
        "DemandAssigned": "_on_demand_assigned",
        "DemandCancelled": "_on_demand_cancelled",
        "DemandCompleted": "_on_demand_completed",
        "MatchingStarted": "_on_matching_started",
        "MatchingRestarted": "_on_matching_started",
        "AssignmentOffered": "_on_offer_made",
        "OfferDeclined": "_on_offer_closed",
        "OfferExpired": "_on_offer_closed",
        "InstitutionReviewed": "_on_standing",
        "InstitutionSuspended": "_on_standing",
        "InstitutionReinstated": "_on_standing",
        "InstitutionExited": "_on_standing",
        "QualificationExpiring": "_on_qualification",
        "QualificationExpired": "_on_qualification",
        "FeedbackGiven": "_on_feedback",
    }

    def __init__(self, env=None):
        super().__init__(env)
        self.streams = Streams(self)
        self.allow_http = False
        self.retry_base_seconds, self.retry_max_seconds = 1.0, 3600.0
        self._delivering = threading.Lock()

    def configure(self, config: dict) -> None:
        settings = section(config, "PARTNERS")
        self.allow_http = str(settings.get("allow_http", "false")).lower() == "true"
        self.retry_base_seconds = float(settings.get("webhook_retry_seconds", 1.0))
        self.retry_max_seconds = float(settings.get("webhook_retry_max_seconds", 3600.0))

    # Recording -----------------------------------------------------------------------------
    def _message(self, message, institution_id, event: str, values: dict) -> PartnerMessage:
        return PartnerMessage(source=f"{message.service}:{message.id}",
                              institution_id=uuid.UUID(str(institution_id)), event=event,
                              schema_version=contract.EVENTS[event].version,
                              occurred_at=message.occurred_at,
                              data=contract.dump(event, values))

    def _case(self, demand_id) -> CaseFacts:
        return self.repository.get(CaseFacts.create_id(demand_id))

    # Following intake ----------------------------------------------------------------------
    def _on_demand_submitted(self, message, data, processing):
        processing.collect_events(CaseFacts(
            demand_id=data["demand_id"], enterprise=dict(data["enterprise"]),
            category=data["category"], title=data["title"], description=data["description"],
            items=list(data["items"])))

    def _on_demand_classified(self, message, data, processing):
        case = self._case(data["demand_id"])
        case.classified(data["category"], list(data["items"]))
        processing.collect_events(case)

    def _on_demand_assigned(self, message, data, processing):
        case = self._case(data["demand_id"])
        case.assigned(data["assignment_id"], data["institution_id"])
        started = self._message(message, data["institution_id"], "assignment.started", {
            "assignment_id": data["assignment_id"], "demand_id": data["demand_id"],
            "category": case.category, "title": case.title, "description": case.description,
            "items": case.items, "promised_date": data["promised_date"],
            "enterprise": case.enterprise})
        processing.collect_events(case, started)

    def _on_demand_cancelled(self, message, data, processing):
        case = self._case(data["demand_id"])
        if case.assignment is not None:
            processing.collect_events(self._message(
                message, case.assignment["institution_id"], "assignment.cancelled",
                {**case.assignment, "demand_id": data["demand_id"], "reason": data["reason"]}))

    def _on_demand_completed(self, message, data, processing):
        case = self._case(data["demand_id"])
        processing.collect_events(self._message(
            message, case.assignment["institution_id"], "assignment.completed",
            {**case.assignment, "demand_id": data["demand_id"], "completed_at": data["at"]}))

    # Following matching --------------------------------------------------------------------
    def _on_matching_started(self, message, data, processing):
        request = {key: data[key] for key in ("category", "items", "park", "expected_by")}
        try:
            offers = self.repository.get(OfferFacts.create_id(data["match_id"]))
            offers.restarted(**request)
        except AggregateNotFoundError:
            offers = OfferFacts(match_id=data["match_id"], **request)
        processing.collect_events(offers)

    def _on_offer_made(self, message, data, processing):
        offers = self.repository.get(OfferFacts.create_id(data["match_id"]))
        processing.collect_events(self._message(message, data["institution_id"], "offer.made", {
            **offers.request, "assignment_id": data["assignment_id"],
            "demand_id": data["demand_id"], "respond_by": data["respond_by"]}))

    def _on_offer_closed(self, message, data, processing):
        outcome = "declined" if message.event == "OfferDeclined" else "expired"
        processing.collect_events(self._message(message, data["institution_id"], "offer.closed", {
            "assignment_id": data["assignment_id"], "demand_id": data["demand_id"],
            "outcome": outcome}))

    def _on_standing(self, message, data, processing):
        if message.event == "InstitutionReviewed":
            status = "active" if data["approved"] else "rejected"
        else:
            status = STANDING[message.event]
        processing.collect_events(self._message(message, data["institution_id"], "standing.changed",
                                                {"status": status, "reason": data["reason"]}))

    def _on_qualification(self, message, data, processing):
        processing.collect_events(self._message(
            message, data["institution_id"], "qualification.expiring", {
                "number": data["number"], "type": data["type"],
                "valid_until": str(data["valid_until"]),
                "expired": message.event == "QualificationExpired"}))

    # Following evaluation ------------------------------------------------------------------
    def _on_feedback(self, message, data, processing):
        processing.collect_events(self._message(message, data["institution_id"], "feedback.received", {
            "assignment_id": data["assignment_id"], "demand_id": data["demand_id"],
            "scores": data["scores"], "comment": data["comment"]}))

    # Replay --------------------------------------------------------------------------------
    def stream(self, institution_id: str, after: str | None = None, limit: int = 100) -> dict:
        """The institution's messages after ``after`` (an event_id it received), oldest first."""
        if not 1 <= int(limit) <= 500:
            raise Invalid("limit runs from 1 to 500", {"limit": ["must be 1 to 500"]})
        self.streams.refresh()
        stream = list(self.streams.by_institution.get(str(institution_id), []))
        start = 0
        if after:
            try:
                start = stream.index(str(after)) + 1
            except ValueError:
                raise Invalid("after must be an event_id of your own stream",
                              {"after": ["unknown event_id"]}) from None
        page = stream[start:start + int(limit)]
        return {"items": [self.envelope(event_id) for event_id in page],
                "next_after": page[-1] if page else after, "more": start + len(page) < len(stream)}

    def envelope(self, event_id: str) -> dict:
        found = self.repository.get(uuid.UUID(event_id))
        return contract.envelope(str(found.id), found.event, found.occurred_at,
                                 str(found.institution_id), found.data)

    # Webhooks ------------------------------------------------------------------------------
    def register_webhook(self, institution_id: str, payload: dict) -> dict:
        command = self.load_command(RegisterWebhook, payload)
        if not command["url"].startswith("https://") and not self.allow_http:
            raise Invalid("a webhook URL must use https", {"url": ["must start with https://"]})
        at = self.clock().isoformat()
        try:
            webhook = self.repository.get(Webhook.create_id(institution_id))
            webhook.change(command["url"], command["secret"], at)
        except AggregateNotFoundError:
            webhook = Webhook(institution_id=uuid.UUID(str(institution_id)), url=command["url"],
                              secret=command["secret"], at=at)
        self.save_or_conflict(webhook, what="the webhook")
        return webhook.view()

    def webhook(self, institution_id: str) -> dict:
        return self._webhook(institution_id).view()

    def _webhook(self, institution_id: str) -> Webhook:
        try:
            return self.repository.get(Webhook.create_id(institution_id))
        except AggregateNotFoundError:
            raise NotFound("no webhook registered") from None

    def redeliver(self, institution_id: str, from_event_id: str) -> dict:
        """Deliver again from ``from_event_id`` (included) onwards."""
        webhook = self._webhook(institution_id)
        self.streams.refresh()
        stream = self.streams.by_institution.get(str(institution_id), [])
        try:
            position = stream.index(str(from_event_id))
        except ValueError:
            raise Invalid("no such event in your stream", {"from_event_id": ["unknown event_id"]}) from None
        webhook.rewind(position, str(from_event_id), self.clock().isoformat())
        self.save_or_conflict(webhook, what="the webhook")
        return webhook.view()

    def deliver_webhooks(self, post: Post, batch: int = 100) -> int:
        """Post each webhook's pending messages in order; stop at a failure until its retry
        time (doubling). Returns the messages delivered."""
        with self._delivering:
            self.streams.refresh()
            delivered = 0
            for webhook_id in sorted(self.streams.webhooks):
                delivered += self._deliver(self.repository.get(uuid.UUID(webhook_id)), post, batch)
            return delivered

    def _deliver(self, webhook: Webhook, post: Post, batch: int) -> int:
        now = self.clock()
        if webhook.retry_at and datetime.fromisoformat(webhook.retry_at) > now:
            return 0
        stream = self.streams.by_institution.get(str(webhook.institution_id), [])
        delivered = 0
        for event_id in stream[webhook.delivered:webhook.delivered + batch]:
            body = json.dumps(self.envelope(event_id), ensure_ascii=False, sort_keys=True).encode()
            headers = {"Content-Type": "application/json", "X-Onestop-Event-Id": event_id,
                       SIGNATURE_HEADER: signature(webhook.secret, body)}
            at = self.clock().isoformat()
            try:
                status, error = post(webhook.url, body, headers), None
            except Exception as failure:  # unreachable, timed out, refused: retried later
                status, error = None, f"{type(failure).__name__}: {failure}"
            if status is not None and 200 <= status < 300:
                webhook.delivered_one(event_id, status, at)
                delivered += 1
            else:
                webhook.failed(event_id, status, error or f"HTTP {status}", at,
                               self.retry_base_seconds, self.retry_max_seconds)
                break
        if webhook.pending_events:
            self.save(webhook)
        return delivered
