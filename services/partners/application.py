"""The partner feed: turns intake's, matching's and evaluation's events into each institution's
own stream of integration events (contract.py), which it publishes to the partner exchange,
posts to webhooks, and serves for replay."""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
import uuid
from datetime import datetime, timedelta
from typing import Callable

from eventsourcing.application import AggregateNotFoundError

from services.partners import contract
from services.partners.feed import (
    BrokerAccessChange, CaseFacts, InstitutionStanding, OfferFacts, PartnerMessage, Webhook)
from services.partners.outbound import DeliveryFailed, DestinationRefused, Outbound
from services.partners.secret_box import SecretBox, new_secret, secret_box
from shared.commands import RegisterWebhook
from shared.config import section
from shared.errors import Forbidden, Invalid, NotFound
from shared.field_messages import said
from shared.eventstore import ServiceApplication
from shared.readmodel import Statement, upsert

#: Standing after each of matching's standing events.
STANDING = {"InstitutionSuspended": "suspended", "InstitutionReinstated": "active",
            "InstitutionExited": "exited"}
SIGNATURE_HEADER = "X-Onestop-Signature"
log = logging.getLogger(__name__)

#: post(url, body, headers) -> HTTP status; DestinationRefused or DeliveryFailed (outbound.py)
#: when there is no answer
Post = Callable[[str, bytes, dict], int]


def signature(secrets: list[str], timestamp: int, body: bytes) -> str:
    """``t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>." + body>`` per secret, the current first:
    a receiver checks one v1 with its secret and refuses a t outside its tolerance, so a
    captured delivery cannot be replayed later (docs/partners.md)."""
    signed = f"{timestamp}.".encode() + body
    return ",".join([f"t={timestamp}"] + [
        "v1=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest() for secret in secrets])


#: The read model: each institution's stream (its messages numbered in the order recorded, with
#: their envelopes) and the registered webhooks.
TABLES = (
    "CREATE TABLE IF NOT EXISTS {s}partner_messages (institution_id TEXT NOT NULL, "
    "position BIGINT NOT NULL, event_id TEXT NOT NULL UNIQUE, envelope TEXT NOT NULL, "
    "PRIMARY KEY (institution_id, position))",
    "CREATE TABLE IF NOT EXISTS {s}webhooks (webhook_id TEXT PRIMARY KEY, institution_id TEXT NOT NULL)",
    # Standings whose broker user was not given them yet.
    "CREATE TABLE IF NOT EXISTS {s}standings (institution_id TEXT PRIMARY KEY, standing TEXT NOT NULL, "
    "broker TEXT NOT NULL)",
)


class PartnerFeed(ServiceApplication):
    name = "PartnerFeed"
    service = "partners"
    upstreams = ("intake", "matching", "evaluation")
    # Each reaction decides from its case and offer facts alone.
    applies_runs = True
    tables = ServiceApplication.tables + TABLES
    # A webhook records every delivery: loading one reads at most this many events.
    snapshotting_intervals = {Webhook: 50}
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
        "HallOpened": "_on_hall_opened",
        "OfferDeclined": "_on_offer_closed",
        "OfferExpired": "_on_offer_closed",
        "InstitutionReviewed": "_on_standing",
        "InstitutionSuspended": "_on_standing",
        "InstitutionReinstated": "_on_standing",
        "InstitutionExited": "_on_standing",
        "QualificationExpiring": "_on_qualification",
        "QualificationExpired": "_on_qualification",
        "FeedbackGiven": "_on_feedback",
        "QuoteAccepted": "_on_quote_answered",
        "QuoteDeclined": "_on_quote_answered",
        "SlotBooked": "_on_slot_booked",
        "BookingCancelled": "_on_booking_cancelled",
        "StandardProjectOpened": "_on_standard_project_opened",
    }

    def __init__(self, env=None):
        super().__init__(env)
        self.outbound = Outbound()
        self.secret_box: SecretBox | None = None
        self.retry_base_seconds, self.retry_max_seconds = 1.0, 3600.0
        self.secret_overlap = timedelta(hours=24)
        self._delivering = threading.Lock()

    def configure(self, config: dict) -> None:
        settings = section(config, "PARTNERS")
        self.outbound = Outbound(
            allowed_networks=str(settings.get("webhook_allowed_networks") or "").split(","),
            allow_http=str(settings.get("allow_http", "false")).lower() == "true",
            ca_bundle=settings.get("webhook_ca_bundle") or None)
        self.secret_box = secret_box(config)
        self.retry_base_seconds = float(settings.get("webhook_retry_seconds", 1.0))
        self.retry_max_seconds = float(settings.get("webhook_retry_max_seconds", 3600.0))
        self.secret_overlap = timedelta(hours=float(settings.get("webhook_secret_overlap_hours", 24)))

    def rows(self, aggregate):
        if isinstance(aggregate, PartnerMessage):
            envelope = contract.envelope(str(aggregate.id), aggregate.event, aggregate.occurred_at,
                                         str(aggregate.institution_id), aggregate.data)
            # Next in the institution's stream; a replica numbering the same position at once
            # fails on the key and its reaction is applied again.
            return [*super().rows(aggregate), Statement(
                "INSERT INTO {s}partner_messages (institution_id, position, event_id, envelope) "
                "SELECT %s, COALESCE(MAX(position), 0) + 1, %s, %s FROM {s}partner_messages "
                "WHERE institution_id = %s ON CONFLICT (event_id) DO NOTHING",
                (str(aggregate.institution_id), str(aggregate.id),
                 json.dumps(envelope, ensure_ascii=False, sort_keys=True),
                 str(aggregate.institution_id)))]
        if isinstance(aggregate, InstitutionStanding):
            return [*super().rows(aggregate), upsert("standings", ("institution_id",), {
                "institution_id": str(aggregate.institution_id), "standing": aggregate.standing,
                "broker": aggregate.broker})]
        if isinstance(aggregate, Webhook):
            return [*super().rows(aggregate), upsert("webhooks", ("webhook_id",), {
                "webhook_id": str(aggregate.id), "institution_id": str(aggregate.institution_id)})]
        return super().rows(aggregate)

    def _messages(self, institution_id, after_position: int, limit: int) -> list[dict]:
        return self.read("SELECT position, event_id, envelope FROM {s}partner_messages "
                         "WHERE institution_id = %s AND position > %s ORDER BY position LIMIT %s",
                         str(institution_id), after_position, limit)

    def _position_of(self, institution_id, event_id: str) -> int | None:
        found = self.read("SELECT position FROM {s}partner_messages "
                          "WHERE institution_id = %s AND event_id = %s", str(institution_id), str(event_id))
        return found[0]["position"] if found else None

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

    def _on_hall_opened(self, message, data, processing):
        """To each institution eligible when the demand opened in the hall (matching names
        them): a broadcast is one message per institution, each in its own stream."""
        opened = {key: data[key] for key in ("demand_id", "category", "items", "park",
                                            "expected_by", "closes_at")}
        processing.collect_events(*(self._message(message, institution_id, "hall.opened", opened)
                                    for institution_id in data["notified"]))

    def _on_quote_answered(self, message, data, processing):
        event = "quote.accepted" if message.event == "QuoteAccepted" else "quote.declined"
        processing.collect_events(self._message(message, data["institution_id"], event, {
            "assignment_id": data["assignment_id"], "demand_id": data["demand_id"],
            "revision": data["revision"], "amount": data["amount"],
            "reason": data.get("reason")}))

    def _on_standing(self, message, data, processing):
        if message.event == "InstitutionReviewed":
            status = "active" if data["approved"] else "rejected"
        else:
            status = STANDING[message.event]
        processing.collect_events(self._message(message, data["institution_id"], "standing.changed",
                                                {"status": status, "reason": data["reason"]}))
        if status in ("suspended", "exited", "active"):
            try:
                standing = self.repository.get(InstitutionStanding.create_id(data["institution_id"]))
                standing.change(status)
            except AggregateNotFoundError:
                standing = InstitutionStanding(institution_id=uuid.UUID(str(data["institution_id"])),
                                               standing=status)
            processing.collect_events(standing)
        # A suspended or departed institution's webhook is posted to no more until reinstated.
        webhook = self._webhook_or_none(data["institution_id"])
        if webhook is not None and status in ("suspended", "exited") and not webhook.paused:
            webhook.suspend(standing=status, at=self.clock().isoformat())
            processing.collect_events(webhook)
        elif webhook is not None and status == "active" and webhook.paused:
            webhook.resume(at=self.clock().isoformat())
            processing.collect_events(webhook)

    def _on_qualification(self, message, data, processing):
        processing.collect_events(self._message(
            message, data["institution_id"], "qualification.expiring", {
                "number": data["number"], "type": data["type"],
                "valid_until": str(data["valid_until"]),
                "expired": message.event == "QualificationExpired"}))

    # Following evaluation ------------------------------------------------------------------
    def _on_slot_booked(self, message, data, processing):
        enterprise = data["enterprise"]
        processing.collect_events(self._message(message, data["institution_id"], "booking.requested", {
            "instrument_id": data["instrument_id"], "booking_id": data["booking_id"],
            "start": data["start"], "end": data["end"], "purpose": data["purpose"],
            "enterprise": {"name": enterprise["name"], "credit_code": enterprise["credit_code"],
                           "contact": enterprise["contact"], "phone": enterprise["phone"] or ""}}))

    def _on_booking_cancelled(self, message, data, processing):
        # The owner knows of its own cancellations; the enterprise's is news to it.
        if data["by"]["role"] == "enterprise":
            processing.collect_events(self._message(message, data["institution_id"], "booking.cancelled", {
                "instrument_id": data["instrument_id"], "booking_id": data["booking_id"],
                "reason": data["reason"]}))
    def _on_standard_project_opened(self, message, data, processing):
        """Opened by a specialist, the project is news to the institution that will run it;
        opened by the institution itself, it is not."""
        if data["by"]["role"] == "institution":
            return
        processing.collect_events(self._message(
            message, data["institution_id"], "standard_project.opened",
            {key: data[key] for key in ("assignment_id", "demand_id", "standard_project_id",
                                        "kind", "title", "planned_number")}))

    def _on_feedback(self, message, data, processing):
        processing.collect_events(self._message(message, data["institution_id"], "feedback.received", {
            "assignment_id": data["assignment_id"], "demand_id": data["demand_id"],
            "scores": data["scores"], "comment": data["comment"]}))

    # Replay --------------------------------------------------------------------------------
    def stream(self, institution_id: str, after: str | None = None, limit: int = 100) -> dict:
        """The institution's messages after ``after`` (an event_id it received), oldest first."""
        if not 1 <= int(limit) <= 500:
            raise Invalid("limit runs from 1 to 500", {"limit": [said("limit_range")]})
        start = 0
        if after:
            start = self._position_of(institution_id, after)
            if start is None:
                raise Invalid("after must be an event_id of your own stream",
                              {"after": [said("unknown_event")]})
        page = self._messages(institution_id, start, int(limit) + 1)
        shown = page[:int(limit)]
        return {"items": [json.loads(row["envelope"]) for row in shown],
                "next_after": shown[-1]["event_id"] if shown else after,
                "more": len(page) > len(shown)}

    # Webhooks ------------------------------------------------------------------------------
    def register_webhook(self, institution_id: str, payload: dict) -> dict:
        """Register the URL, or change it. A new webhook's secret is made here and shown in
        this answer only (``secret``); changing the URL keeps the secret."""
        command = self.load_command(RegisterWebhook, payload)
        try:
            uuid.UUID(str(institution_id))
        except ValueError:
            # An institution applying is known by its credit code: no stream of its own yet.
            raise Forbidden("申请中的机构尚无事件流；申请通过后再登记回调地址",
                            {"institution_id": str(institution_id)}) from None
        try:
            self.outbound.destination(command["url"])
        except DestinationRefused as refused:
            raise Invalid(f"this URL cannot take webhooks: {refused}", {"url": [refused.args[0]]}) from None
        at = self.clock().isoformat()
        webhook, secret = self._webhook_or_none(institution_id), None
        if webhook is None:
            secret = new_secret()
            webhook = Webhook(institution_id=uuid.UUID(str(institution_id)), url=command["url"],
                              sealed_secret=self.secret_box.seal(secret), at=at)
        else:
            webhook.change(command["url"], at)
        self.save_or_conflict(webhook, what="the webhook")
        return {**webhook.view(), **({"secret": secret} if secret else {})}

    def rotate_webhook_secret(self, institution_id: str) -> dict:
        """A new secret, shown in this answer only; the one before keeps signing deliveries
        beside it for ``webhook_secret_overlap_hours``, while the receiver switches."""
        webhook = self._webhook(institution_id)
        now, secret = self.clock(), new_secret()
        webhook.rotate(self.secret_box.seal(secret), (now + self.secret_overlap).isoformat(),
                       now.isoformat())
        self.save_or_conflict(webhook, what="the webhook")
        return {**webhook.view(), "secret": secret}

    def webhook(self, institution_id: str) -> dict:
        return self._webhook(institution_id).view()

    # The institution's own user on the partner vhost -------------------------------------
    def grant_broker_access(self, institution_id: str, grant: Callable[[str], dict], by: dict) -> dict:
        """Its user made, or its password renewed, by ``grant`` on the broker; the change
        recorded. The credentials are this answer's only."""
        credentials = grant(institution_id)
        self._record_access_change(institution_id, "granted", by, None)
        return credentials

    def revoke_broker_access(self, institution_id: str, revoke: Callable[[str], bool],
                             reason: str, by: dict) -> None:
        if not reason.strip():
            raise Invalid("the reason is required", {"reason": [said("blank")]})
        if not revoke(institution_id):
            raise NotFound("the institution has no user on the partner vhost")
        self._record_access_change(institution_id, "revoked", by, reason.strip())

    def _record_access_change(self, institution_id: str, change: str, by: dict, reason: str | None) -> None:
        self.save(BrokerAccessChange(institution_id=uuid.UUID(institution_id), change=change, by=by,
                                     reason=reason, at=self.clock().isoformat()))

    def _webhook(self, institution_id: str) -> Webhook:
        found = self._webhook_or_none(institution_id)
        if found is None:
            raise NotFound("no webhook registered")
        return found

    def _webhook_or_none(self, institution_id: str) -> Webhook | None:
        try:
            return self.repository.get(Webhook.create_id(institution_id))
        except AggregateNotFoundError:
            return None

    def redeliver(self, institution_id: str, from_event_id: str) -> dict:
        """Deliver again from ``from_event_id`` (included) onwards."""
        webhook = self._webhook(institution_id)
        position = self._position_of(institution_id, from_event_id)
        if position is None:
            raise Invalid("no such event in your stream", {"from_event_id": [said("unknown_event")]})
        # Positions count from 1; the webhook's counts the messages already delivered.
        webhook.rewind(position - 1, str(from_event_id), self.clock().isoformat())
        self.save_or_conflict(webhook, what="the webhook")
        return webhook.view()

    def enforce_broker_standings(self, suspend: Callable[[str], bool],
                                 restore: Callable[[str], bool]) -> int:
        """Give each broker user its institution's standing where it differs (suspend or
        restore on the partner vhost, then record it); what fails is tried again next round.
        Returns how many were applied."""
        applied = 0
        for row in self.read("SELECT institution_id, standing FROM {s}standings WHERE standing <> broker "
                             "ORDER BY institution_id"):
            (restore if row["standing"] == "active" else suspend)(row["institution_id"])
            standing = self.repository.get(InstitutionStanding.create_id(row["institution_id"]))
            standing.applied(row["standing"])
            self.save_or_conflict(standing, what="the standing")
            applied += 1
        return applied

    def deliver_webhooks(self, post: Post, batch: int = 100) -> int:
        """Post each webhook's pending messages in order; stop at a failure until its retry
        time (doubling). Returns the messages delivered."""
        with self._delivering:
            delivered = 0
            for row in self.read("SELECT webhook_id FROM {s}webhooks ORDER BY webhook_id"):
                delivered += self._deliver(self.repository.get(uuid.UUID(row["webhook_id"])), post, batch)
            return delivered

    def _deliver(self, webhook: Webhook, post: Post, batch: int) -> int:
        if webhook.paused:
            return 0
        now = self.clock()
        if webhook.retry_at and datetime.fromisoformat(webhook.retry_at) > now:
            return 0
        delivered = 0
        secrets = [self.secret_box.open(sealed) for sealed in webhook.sealed_secrets(now)]
        for row in self._messages(webhook.institution_id, webhook.delivered, batch):
            event_id = row["event_id"]
            body = row["envelope"].encode()  # kept as JSON with sorted keys
            moment = self.clock()
            headers = {"Content-Type": "application/json", "X-Onestop-Event-Id": event_id,
                       SIGNATURE_HEADER: signature(secrets, int(moment.timestamp()), body)}
            try:
                status, error = post(webhook.url, body, headers), None
            except (DestinationRefused, DeliveryFailed) as failure:  # generic words, retried later
                status, error = None, str(failure)
            except Exception:
                log.exception("a webhook delivery failed unexpectedly")
                status, error = None, "the delivery failed"
            at = moment.isoformat()
            if status is not None and 200 <= status < 300:
                webhook.delivered_one(event_id, status, at)
                delivered += 1
            else:
                if error is None:
                    error = f"HTTP {status}" + (" (redirects are not followed)" if 300 <= status < 400 else "")
                webhook.failed(event_id, status, error, at, self.retry_base_seconds, self.retry_max_seconds)
                break
        if webhook.pending_events:
            self.save(webhook)
        return delivered
