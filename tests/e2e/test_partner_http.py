"""An institution's system on the HTTP side: a webhook receiver that checks every signature
(with the secret the platform made and showed once, and a timestamp within its tolerance), fails
at first and sees the retries, and ends with every event exactly once in effect (by event_id);
replay over HTTP gives the same events; re-delivery from an event on request; inside addresses
refused at registration."""
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests import factories
from tests.conftest import wait_for
from tests.e2e.harness import Embedded

SPECIALIST = ("specialist", "s-1")
#: What docs/partners.md asks receivers to accept: a timestamp within five minutes of their clock.
TOLERANCE_SECONDS = 300


def signed_by(secret: str, header: str, body: bytes) -> bool:
    parts = [part.split("=", 1) for part in header.split(",") if "=" in part]
    timestamp = dict(parts).get("t", "")
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > TOLERANCE_SECONDS:
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return any(key == "v1" and hmac.compare_digest(value, expected) for key, value in parts)


class Receiver:
    """The institution's endpoint: refuses the first ``failures`` calls, keeps the rest."""

    def __init__(self, failures: int):
        self.failures = failures
        self.secret = None  # given by the platform when the webhook is registered
        self.calls, self.bad_signatures, self.events = 0, 0, {}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.calls += 1
                if not signed_by(receiver.secret or "", self.headers.get("X-Onestop-Signature", ""), body):
                    receiver.bad_signatures += 1
                    self.send_response(401)
                elif receiver.failures > 0:
                    receiver.failures -= 1
                    self.send_response(503)
                else:
                    envelope = json.loads(body)
                    receiver.events.setdefault(envelope["event_id"], []).append(envelope)
                    self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/onestop"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    platform = Embedded(tmp_path_factory.mktemp("partners"), ONESTOP_PARTNERS_ALLOW_HTTP="true",
                        ONESTOP_WEBHOOK_ALLOWED_NETWORKS="127.0.0.0/8",
                        ONESTOP_WEBHOOK_INTERVAL="0.2", ONESTOP_WEBHOOK_RETRY_SECONDS="0.2").start()
    platform.api.open_station()
    yield platform
    platform.stop()


def ok(response, status=200):
    assert response.status_code == status, response.text
    return response.json()


def test_webhook_deliveries_are_signed_retried_and_complete_and_replay_agrees(platform):
    api = platform.api
    lab = ok(api.call("POST", "/api/v1/institutions", as_=SPECIALIST, json=factories.institution()), 201)
    me = ("institution", lab["id"])
    receiver = Receiver(failures=3)
    try:
        for inside in ("https://169.254.169.254/latest/meta-data/", "https://10.0.0.5/hook",
                       "https://[::ffff:192.168.0.1]/hook"):
            refused = api.call("PUT", "/api/v1/partner/webhook", as_=me, json={"url": inside})
            assert refused.status_code == 422 and "url" in refused.json()["details"], refused.text
        assert api.call("PUT", "/api/v1/partner/webhook", as_=me,  # the platform makes secrets
                        json={"url": receiver.url, "secret": "mine-mine-mine-mine"}).status_code == 422
        hooked = ok(api.call("PUT", "/api/v1/partner/webhook", as_=me, json={"url": receiver.url}))
        receiver.secret = hooked.pop("secret")
        assert hooked["url"] == receiver.url
        assert "secret" not in ok(api.call("GET", "/api/v1/partner/webhook", as_=me))
        demands = [ok(api.call("POST", "/api/v1/demands", as_=SPECIALIST, json=factories.demand()), 201)["id"]
                   for _ in range(3)]
        for demand in demands:
            api.wait_status(demand, "assigned", SPECIALIST)

        def replay():
            found = ok(api.call("GET", "/api/v1/partner/events", as_=me, params={"limit": 500}))["items"]
            return found if len(found) == 6 else None
        replayed = wait_for(replay, message="six events for the lab")
        wait_for(lambda: set(receiver.events) == {e["event_id"] for e in replayed}, timeout=30,
                 message="every event delivered")
        assert receiver.bad_signatures == 0
        assert all(len(copies) == 1 for copies in receiver.events.values())
        assert [receiver.events[e["event_id"]][0] for e in replayed] == replayed
        log = ok(api.call("GET", "/api/v1/partner/webhook", as_=me))
        assert log["delivered"] == 6
        assert sum(1 for entry in log["log"] if not entry["ok"]) == 3  # the three refusals, retried

        # Redelivery on request, from the fourth event: the receiver sees those again.
        ok(api.call("POST", "/api/v1/partner/webhook/redelivery", as_=me,
                    json={"from_event_id": replayed[3]["event_id"]}))
        wait_for(lambda: sum(len(c) for c in receiver.events.values()) == 9, timeout=30,
                 message="the redelivered events")
        assert {e for e, copies in receiver.events.items() if len(copies) == 2} == \
            {e["event_id"] for e in replayed[3:]}

        # Another institution sees none of it, and cannot rewind this one's webhook.
        other = ok(api.call("POST", "/api/v1/institutions", as_=SPECIALIST,
                            json=factories.institution(auto_accept_offers=False)), 201)
        theirs = ok(api.call("GET", "/api/v1/partner/events", as_=("institution", other["id"])))["items"]
        assert not {e["event_id"] for e in theirs} & set(receiver.events)
        assert api.call("POST", "/api/v1/partner/webhook/redelivery", as_=("institution", other["id"]),
                        json={"from_event_id": replayed[0]["event_id"]}).status_code == 404
        assert api.call("GET", "/api/v1/partner/events", as_=SPECIALIST).status_code == 403
        page = ok(api.call("GET", "/api/v1/partner/events", as_=me,
                           params={"after": replayed[1]["event_id"], "limit": 2}))
        assert page["items"] == replayed[2:4] and page["more"] is True
        assert api.call("GET", "/api/v1/partner/events", as_=me,
                        params={"after": "nonsense"}).status_code == 422
    finally:
        receiver.stop()
