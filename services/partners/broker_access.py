"""Institutions' access to the partner exchange, set up through RabbitMQ's management API.

An institution gets a user of its own in the partners' vhost that may:
- declare, bind and consume queues named ``partner.<institution_id>.*`` only;
- bind them to the partner exchange with binding keys ``inst.<institution_id>.*`` only
  (topic permissions: RabbitMQ refuses any other binding key, ``#`` included);
- publish nothing there;
- hold at most ``max_connections`` connections and ``max_channels`` channels (user limits).

The vhost holds the partners only, so an institution that stops reading fills its own queues,
never the platform's broker: its queues keep at most ``queue_max_messages`` messages and
``queue_max_bytes`` (the oldest dropped first; replay over HTTP gives back anything dropped),
a message at most ``message_ttl_days``, and a queue nobody uses is deleted after
``queue_expiry_days`` (a policy on ``^partner\.``); the vhost takes at most ``max_queues``.
"""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from urllib.parse import quote

import requests

#: The topic exchange institutions read, on the partners' own vhost.
PARTNER_EXCHANGE = "onestop.partners"


class BrokerAccessError(RuntimeError):
    pass


@dataclass(frozen=True)
class PartnerAccess:
    management_url: str
    user: str
    password: str
    vhost: str
    queue_max_messages: int = 100_000
    queue_max_bytes: int = 256 * 1024 * 1024
    message_ttl_days: float = 14
    queue_expiry_days: float = 30
    max_queues: int = 5_000
    max_connections: int = 10
    max_channels: int = 20

    def _call(self, method: str, path: str, body: dict | None = None, ok=(200, 201, 204)) -> requests.Response:
        try:
            response = requests.request(method, f"{self.management_url.rstrip('/')}/api/{path}",
                                        json=body, auth=(self.user, self.password), timeout=10)
        except requests.RequestException as error:
            raise BrokerAccessError(f"RabbitMQ's management API at {self.management_url} did not "
                                    f"answer: {error}") from None
        if response.status_code not in ok:
            raise BrokerAccessError(f"{method} /api/{path}: HTTP {response.status_code} {response.text[:300]}")
        return response

    def prepare(self) -> None:
        """The vhost, the platform's rights on it, and the partner exchange (idempotent)."""
        vhost = quote(self.vhost, safe="")
        self._call("PUT", f"vhosts/{vhost}", {})
        self._call("PUT", f"permissions/{vhost}/{quote(self.user, safe='')}",
                   {"configure": ".*", "write": ".*", "read": ".*"})
        self._call("PUT", f"exchanges/{vhost}/{PARTNER_EXCHANGE}",
                   {"type": "topic", "durable": True, "auto_delete": False, "internal": False})
        day_ms = 24 * 3600 * 1000
        self._call("PUT", f"policies/{vhost}/partner-queues", {
            "pattern": r"^partner\.", "apply-to": "queues", "priority": 0, "definition": {
                "max-length": self.queue_max_messages, "max-length-bytes": self.queue_max_bytes,
                "overflow": "drop-head", "message-ttl": int(self.message_ttl_days * day_ms),
                "expires": int(self.queue_expiry_days * day_ms)}})
        self._call("PUT", f"vhost-limits/{vhost}/max-queues", {"value": self.max_queues})

    def grant(self, institution_id: str) -> dict:
        """The institution's user, made or given a new password; its credentials (the password
        this once)."""
        if not re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", institution_id):
            raise BrokerAccessError(f"{institution_id!r} is not an institution id (a lower-case UUID)")
        self.prepare()
        username, password = f"inst-{institution_id}", secrets.token_urlsafe(24)
        self._call("PUT", f"users/{quote(username, safe='')}", {"password": password, "tags": ""})
        for limit, value in (("max-connections", self.max_connections), ("max-channels", self.max_channels)):
            self._call("PUT", f"user-limits/{quote(username, safe='')}/{limit}", {"value": value})
        self._permit(institution_id)
        return {**self._reads(institution_id), "granted": True, "password": password}

    def status(self, institution_id: str) -> dict:
        """Whether the institution has its user, and what it reads (no password: never kept)."""
        user = quote(f"inst-{institution_id}", safe="")
        found = self._call("GET", f"users/{user}", ok=(200, 404)).status_code == 200
        return {**self._reads(institution_id), "granted": found, "password": None}

    def _reads(self, institution_id: str) -> dict:
        return {"institution_id": institution_id, "username": f"inst-{institution_id}",
                "vhost": self.vhost, "exchange": PARTNER_EXCHANGE,
                "queue_prefix": f"partner.{institution_id}.",
                "binding_keys": [f"inst.{institution_id}.#", f"inst.{institution_id}.<event>"]}

    def _permit(self, institution_id: str) -> None:
        """Its own queues, reading the partner exchange under its own keys only."""
        vhost, user = quote(self.vhost, safe=""), quote(f"inst-{institution_id}", safe="")
        own = re.escape(f"partner.{institution_id}.")
        self._call("PUT", f"permissions/{vhost}/{user}", {
            "configure": f"^{own}.*", "write": f"^{own}.*",
            "read": f"^({own}.*|{re.escape(PARTNER_EXCHANGE)})$"})
        self._call("PUT", f"topic-permissions/{vhost}/{user}", {
            "exchange": PARTNER_EXCHANGE, "write": "^$",
            "read": f"^{re.escape(f'inst.{institution_id}.')}.*"})

    def suspend(self, institution_id: str) -> bool:
        """A suspended or departed institution: its user may do nothing on the vhost, and its
        open connections are closed; its queues and their messages stay. False if it has no
        user."""
        user = f"inst-{institution_id}"
        if self._call("GET", f"users/{quote(user, safe='')}", ok=(200, 404)).status_code == 404:
            return False
        vhost = quote(self.vhost, safe="")
        self._call("PUT", f"permissions/{vhost}/{quote(user, safe='')}",
                   {"configure": "^$", "write": "^$", "read": "^$"})
        for connection in self._call("GET", f"vhosts/{vhost}/connections").json():
            if connection.get("user") == user:
                self._call("DELETE", f"connections/{quote(connection['name'], safe='')}", ok=(204, 404))
        return True

    def restore(self, institution_id: str) -> bool:
        """A reinstated institution's user gets its rights back (same password); False if it
        has no user."""
        user = f"inst-{institution_id}"
        if self._call("GET", f"users/{quote(user, safe='')}", ok=(200, 404)).status_code == 404:
            return False
        self._permit(institution_id)
        return True

    def revoke(self, institution_id: str) -> bool:
        """Delete the institution's user (its permissions go with it); False if there was none."""
        response = self._call("DELETE", f"users/{quote(f'inst-{institution_id}', safe='')}",
                              ok=(204, 404))
        return response.status_code == 204
