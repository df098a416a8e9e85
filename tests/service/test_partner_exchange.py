"""Institutions on the partner exchange, on the real RabbitMQ: `onestop partners grant` gives
each its own user; a plain AMQP client (pika) logged in as institution A receives A's messages,
is refused when it binds to B's keys, and never sees B's; every message validates against its
JSON Schema; `revoke` shuts A out."""
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

import jsonschema
import pika
import pytest
import requests

from services.partners.application import PartnerFeed
from services.partners.service import PARTNER_RELAY, partner_exchange, to_partners
from shared.publishing import ConfirmedPublisher
from shared.eventstore import open_application
from shared.outbox import Relay
from tests import factories
from tests.conftest import wait_for
from tests.unit.conftest import Platform

SPECIALIST = {"role": "specialist", "subject": "s-1"}
SCHEMAS = Path(__file__).resolve().parents[2] / "docs" / "partners" / "schemas"
ONESTOP = str(Path(sys.executable).parent / "onestop")


@pytest.fixture
def vhost():
    name = f"onestop-partners-test-{uuid.uuid4().hex[:8]}"
    yield name
    requests.delete(f"http://127.0.0.1:15672/api/vhosts/{quote(name, safe='')}",
                    auth=("guest", "guest"), timeout=10)


def onestop(vhost, *args):
    env = {**os.environ, "ONESTOP_PARTNERS_VHOST": vhost, "PYTHONWARNINGS": "ignore"}
    return subprocess.run([ONESTOP, "partners", *args], env=env, capture_output=True, text=True,
                          timeout=60)


def connect(credentials) -> pika.BlockingConnection:
    return pika.BlockingConnection(pika.ConnectionParameters(
        "127.0.0.1", 5672, credentials["vhost"],
        pika.PlainCredentials(credentials["username"], credentials["password"])))


def test_an_institution_reads_its_own_keys_and_is_refused_anothers(tmp_path, vhost, clock):
    platform = Platform({"EVENT_STORE": {"kind": "sqlite"}, "DATA_DIR": str(tmp_path)}, clock)
    feed = open_application(PartnerFeed, {"EVENT_STORE": {"kind": "sqlite"}, "DATA_DIR": str(tmp_path)})
    feed.follow_upstreams(platform.read_log, retry_backoff=0)
    try:
        matching, intake = platform.apps["matching"], platform.apps["intake"]
        a = matching.register_institution(factories.institution(), SPECIALIST, station=factories.PANYU)
        b = matching.register_institution(factories.institution(), SPECIALIST, station=factories.PANYU)
        granted = {}
        for institution in (a, b):
            result = onestop(vhost, "grant", institution["id"])
            assert result.returncode == 0, result.stderr
            granted[institution["id"]] = json.loads(result.stdout)

        connection = connect(granted[a["id"]])
        channel = connection.channel()
        queue = f"partner.{a['id']}.inbox"
        channel.queue_declare(queue, durable=True)
        # What an institution that stops reading may hold: its queues are bounded by the
        # vhost's policy, and its user by its own limits.
        management = "http://127.0.0.1:15672/api"
        declared = wait_for(lambda: requests.get(
            f"{management}/queues/{quote(vhost, safe='')}/{quote(queue, safe='')}", auth=("guest", "guest"),
            timeout=10).json().get("effective_policy_definition"), message="the queue's policy")
        assert declared == {"max-length": 100_000, "max-length-bytes": 256 * 1024 * 1024,
                            "overflow": "drop-head", "message-ttl": 14 * 86_400_000,
                            "expires": 30 * 86_400_000}
        limits = requests.get(f"{management}/user-limits/{quote(granted[a['id']]['username'], safe='')}",
                              auth=("guest", "guest"), timeout=10).json()
        assert limits[0]["value"] == {"max-connections": 10, "max-channels": 20}
        assert requests.get(f"{management}/vhost-limits/{quote(vhost, safe='')}", auth=("guest", "guest"),
                            timeout=10).json()[0]["value"] == {"max-queues": 5000}
        channel.queue_bind(queue, "onestop.partners", f"inst.{a['id']}.#")
        for stolen in (f"inst.{b['id']}.#", "#", "inst.#"):
            spy = connection.channel()
            with pytest.raises(pika.exceptions.ChannelClosedByBroker) as refused:
                spy.queue_bind(queue, "onestop.partners", stolen)
            assert refused.value.reply_code == 403  # ACCESS_REFUSED
        with pytest.raises(pika.exceptions.ChannelClosedByBroker):
            connection.channel().queue_declare(f"partner.{b['id']}.inbox")  # not its queue name

        for _ in range(4):  # both institutions get offers and assignments (fair rotation)
            intake.submit_demand(factories.demand(), SPECIALIST)
        platform.settle()
        feed.catch_up()
        publisher = ConfirmedPublisher(f"amqp://guest:guest@127.0.0.1:5672/{quote(vhost, safe='')}",
                                       partner_exchange())
        relay = Relay(feed, lambda messages: publisher.publish(to_partners(messages)),
                      name=PARTNER_RELAY)
        assert relay.publish_pending() > 0
        publisher.close()

        received = []
        while (delivery := channel.basic_get(queue, auto_ack=True))[0] is not None:
            method, properties, body = delivery
            received.append((method.routing_key, properties, json.loads(body)))
        expected = feed.stream(a["id"], limit=500)["items"]
        assert expected and feed.stream(b["id"], limit=500)["items"]  # B had messages too
        assert [envelope for _, _, envelope in received] == expected
        for routing_key, properties, envelope in received:
            assert envelope["institution_id"] == a["id"]
            assert routing_key == f"inst.{a['id']}.{envelope['event']}"
            assert properties.delivery_mode == 2 and properties.message_id == envelope["event_id"]
            schema = json.loads((SCHEMAS / f"{envelope['event']}.v{envelope['schema_version']}.json")
                                .read_text(encoding="utf-8"))
            jsonschema.validate(envelope, schema, format_checker=jsonschema.FormatChecker())
        connection.close()

        revoked = onestop(vhost, "revoke", a["id"])
        assert revoked.returncode == 0 and "revoked" in revoked.stdout
        with pytest.raises(pika.exceptions.ProbableAuthenticationError):
            connect(granted[a["id"]])
        assert onestop(vhost, "revoke", a["id"]).stdout.startswith("nothing to revoke")
        assert onestop(vhost, "grant", "not-an-id").returncode == 2
    finally:
        feed.close()
        platform.close()


def test_the_reference_subscriber_handles_each_event_once(tmp_path, vhost, clock):
    """examples/partner-subscriber/subscriber.py as an institution's developer would run it."""
    import threading
    import time

    config = {"EVENT_STORE": {"kind": "sqlite"}, "DATA_DIR": str(tmp_path)}
    platform = Platform(config, clock)
    feed = open_application(PartnerFeed, config)
    feed.follow_upstreams(platform.read_log, retry_backoff=0)
    lab = platform.apps["matching"].register_institution(factories.institution(), SPECIALIST, station=factories.PANYU)
    credentials = json.loads(onestop(vhost, "grant", lab["id"]).stdout)
    url = (f"amqp://{credentials['username']}:{credentials['password']}@127.0.0.1:5672/"
           f"{quote(vhost, safe='')}")
    script = Path(__file__).resolve().parents[2] / "examples" / "partner-subscriber" / "subscriber.py"
    subscriber = subprocess.Popen(
        [sys.executable, "-u", str(script)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "ONESTOP_AMQP_URL": url, "ONESTOP_INSTITUTION_ID": lab["id"],
             "ONESTOP_HANDLED_DB": str(tmp_path / "handled.sqlite3")})
    lines = []
    threading.Thread(target=lambda: lines.extend(iter(subscriber.stdout.readline, "")), daemon=True).start()
    try:
        deadline = time.monotonic() + 30
        while not any(line.startswith("waiting for") for line in lines):
            assert time.monotonic() < deadline and subscriber.poll() is None, "".join(lines)
            time.sleep(0.1)
        for _ in range(2):
            platform.apps["intake"].submit_demand(factories.demand(), SPECIALIST)
        platform.settle()
        feed.catch_up()
        publisher = ConfirmedPublisher(f"amqp://guest:guest@127.0.0.1:5672/{quote(vhost, safe='')}",
                                       partner_exchange())
        messages = feed.log(0, 1000)
        for _ in range(2):  # everything delivered twice, as after a crash
            publisher.publish(to_partners(messages))
        publisher.close()
        expected = feed.stream(lab["id"])["items"]
        deadline = time.monotonic() + 30
        while len([line for line in lines if not line.startswith("waiting")]) < len(expected):
            assert time.monotonic() < deadline, "".join(lines)
            time.sleep(0.1)
        time.sleep(1)  # the duplicates have arrived by now; none may be handled
        handled = [line for line in lines if not line.startswith("waiting")]
        assert len(handled) == len(expected) == 4
        assert sum(line.startswith("offer ") for line in handled) == 2
        assert sum(line.startswith("assignment ") for line in handled) == 2
    finally:
        subscriber.terminate()
        subscriber.wait(10)
        feed.close()
        platform.close()


def test_a_suspended_institution_s_broker_user_may_do_nothing_until_it_is_reinstated(tmp_path, vhost, clock):
    from services.partners.broker_access import PartnerAccess

    config = {"EVENT_STORE": {"kind": "sqlite"}, "DATA_DIR": str(tmp_path)}
    platform = Platform(config, clock)
    feed = open_application(PartnerFeed, config)
    feed.follow_upstreams(platform.read_log, retry_backoff=0)
    access = PartnerAccess("http://127.0.0.1:15672", "guest", "guest", vhost)
    operator = {"role": "operator", "subject": "ops-1"}
    try:
        matching = platform.apps["matching"]
        lab = matching.register_institution(factories.institution(), SPECIALIST, station=factories.PANYU)
        granted = json.loads(onestop(vhost, "grant", lab["id"]).stdout)
        queue = f"partner.{lab['id']}.inbox"
        open_connection = connect(granted)
        open_connection.channel().queue_declare(queue, durable=True)
        # The management API lists a connection after its next statistics round.
        wait_for(lambda: any(c.get("user") == granted["username"] for c in requests.get(
            f"http://127.0.0.1:15672/api/vhosts/{quote(vhost, safe='')}/connections",
            auth=("guest", "guest"), timeout=10).json()), timeout=30, interval=0.5,
            message="the institution's connection to be listed")

        matching.change_standing(lab["id"], {"action": "suspend", "reason": "资质暂停"}, operator)
        platform.settle()
        feed.catch_up()
        assert feed.enforce_broker_standings(access.suspend, access.restore) == 1
        assert feed.enforce_broker_standings(access.suspend, access.restore) == 0  # applied once
        with pytest.raises(pika.exceptions.AMQPError):  # its open connection was closed
            open_connection.channel().basic_get(queue)
        connection = connect(granted)  # it may log in, and do nothing
        with pytest.raises(pika.exceptions.ChannelClosedByBroker) as refused:
            connection.channel().basic_get(queue)
        assert refused.value.reply_code == 403
        connection.close()

        matching.change_standing(lab["id"], {"action": "reinstate", "reason": "整改完成"}, operator)
        platform.settle()
        feed.catch_up()
        assert feed.enforce_broker_standings(access.suspend, access.restore) == 1
        connection = connect(granted)  # the same password: its rights are back
        connection.channel().queue_declare(queue, durable=True, passive=True)
        connection.close()
    finally:
        feed.close()
        platform.close()


def test_an_operator_grants_renews_and_revokes_an_institutions_user_over_http(tmp_path, vhost):
    """What `onestop partners grant|revoke` does, through the API, as the console does it: the
    password in the grant's answer only, a new grant a new password, a revocation with its
    reason; the broker refusing or not answering is a 503, never a half-made grant."""
    from tests.e2e.harness import Embedded

    platform = Embedded(tmp_path, ONESTOP_PARTNERS_VHOST=vhost).start()
    try:
        api, ops = platform.api, ("operator", "ops-1")
        lab = api.call("POST", "/api/v1/institutions", as_=ops, json=factories.institution()).json()
        path = f"/api/v1/institutions/{lab['id']}/partner-access"
        before = api.call("GET", path, as_=ops).json()
        assert before["granted"] is False and before["password"] is None
        assert before["username"] == f"inst-{lab['id']}" and before["vhost"] == vhost

        first = api.call("POST", path, as_=ops)
        assert first.status_code == 201, first.text
        credentials = first.json()
        assert credentials["granted"] is True and len(credentials["password"]) >= 24
        connect(credentials).close()  # the institution logs in with what the operator hands it
        shown = api.call("GET", path, as_=ops).json()
        assert shown["granted"] is True and shown["password"] is None  # never shown again

        renewed = api.call("POST", path, as_=ops).json()
        assert renewed["password"] != credentials["password"]
        with pytest.raises(pika.exceptions.ProbableAuthenticationError):
            connect(credentials)
        connect(renewed).close()

        missing = api.call("POST", f"{path}/revocation", as_=ops, json={"reason": "   "})
        assert missing.status_code in (400, 422) and "reason" in missing.json()["details"]
        revoked = api.call("POST", f"{path}/revocation", as_=ops, json={"reason": "合作协议终止"})
        assert revoked.status_code == 200 and revoked.json()["granted"] is False
        with pytest.raises(pika.exceptions.ProbableAuthenticationError):
            connect(renewed)
        again = api.call("POST", f"{path}/revocation", as_=ops, json={"reason": "合作协议终止"})
        assert again.status_code == 404
    finally:
        platform.stop()

    # The management API not answering: 503 with the reason, nothing granted.
    (tmp_path / "down").mkdir()
    down = Embedded(tmp_path / "down", ONESTOP_PARTNERS_VHOST=vhost,
                    ONESTOP_RABBITMQ_MANAGEMENT_URL="http://127.0.0.1:9").start()
    try:
        lab = down.api.call("POST", "/api/v1/institutions", as_=("operator", "ops-1"),
                            json=factories.institution()).json()
        refused = down.api.call("POST", f"/api/v1/institutions/{lab['id']}/partner-access",
                                as_=("operator", "ops-1"))
        assert refused.status_code == 503 and refused.json()["error"] == "service_unavailable"
    finally:
        down.stop()
