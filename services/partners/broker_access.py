"""Institutions' access to the partner exchange, set up through RabbitMQ's management API.

An institution gets a user of its own in the partners' vhost that may:
- declare, bind and consume queues named ``partner.<institution_id>.*`` only;
- bind them to the partner exchange with binding keys ``inst.<institution_id>.*`` only
  (topic permissions: RabbitMQ refuses any other binding key, ``#`` included);
- publish nothing there.
"""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from urllib.parse import quote

import requests

from services.partners.service import PARTNER_EXCHANGE


class BrokerAccessError(RuntimeError):
    pass


@dataclass(frozen=True)
class PartnerAccess:
    management_url: str
    user: str
    password: str
    vhost: str

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

    def grant(self, institution_id: str) -> dict:
        if not re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", institution_id):
            raise BrokerAccessError(f"{institution_id!r} is not an institution id (a lower-case UUID)")
        self.prepare()
        username, password = f"inst-{institution_id}", secrets.token_urlsafe(24)
        vhost, user = quote(self.vhost, safe=""), quote(username, safe="")
        own = re.escape(f"partner.{institution_id}.")
        self._call("PUT", f"users/{user}", {"password": password, "tags": ""})
        self._call("PUT", f"permissions/{vhost}/{user}", {
            "configure": f"^{own}.*", "write": f"^{own}.*",
            "read": f"^({own}.*|{re.escape(PARTNER_EXCHANGE)})$"})
        self._call("PUT", f"topic-permissions/{vhost}/{user}", {
            "exchange": PARTNER_EXCHANGE, "write": "^$",
            "read": f"^{re.escape(f'inst.{institution_id}.')}.*"})
        return {"username": username, "password": password, "vhost": self.vhost,
                "exchange": PARTNER_EXCHANGE, "queue_prefix": f"partner.{institution_id}.",
                "binding_keys": [f"inst.{institution_id}.#", f"inst.{institution_id}.<event>"]}

    def revoke(self, institution_id: str) -> bool:
        """Delete the institution's user (its permissions go with it); False if there was none."""
        response = self._call("DELETE", f"users/{quote(f'inst-{institution_id}', safe='')}",
                              ok=(204, 404))
        return response.status_code == 204
