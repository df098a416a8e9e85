"""A reference subscriber for an institution's system: plain AMQP (pika), no onestop code.

It declares its durable queue ``partner.<institution_id>.inbox``, binds it to the partner
exchange for its own events, and hands each message to ``handle`` once: event ids already
handled are remembered in a small SQLite file, so redeliveries change nothing. A message is
acknowledged only after it was handled (and remembered), so nothing is lost if the process
stops. When it was offline for long, fetch what it missed over HTTP with ``replay.py``.

    pip install pika
    ONESTOP_AMQP_URL='amqps://inst-<id>:<password>@mq.example/onestop-partners' \\
    ONESTOP_INSTITUTION_ID=<id> python subscriber.py
"""
from __future__ import annotations

import json
import os
import sqlite3

import pika

EXCHANGE = "onestop.partners"


def handle(envelope: dict) -> None:
    """Replace with your own: create the order in your lab system, and so on."""
    data = envelope["data"]
    if envelope["event"] == "offer.made":
        print(f"offer {data['assignment_id']}: {data['category']} {data['items']}, "
              f"answer by {data['respond_by']}")
    elif envelope["event"] == "assignment.started":
        print(f"assignment {data['assignment_id']}: contact {data['enterprise']['contact']} "
              f"({data['enterprise']['phone']}), promised {data['promised_date']}")
    else:
        print(f"{envelope['event']}: {json.dumps(data, ensure_ascii=False)}")


class Handled:
    """Event ids already handled, so a redelivered message is acknowledged and skipped."""

    def __init__(self, path: str):
        self.db = sqlite3.connect(path)
        self.db.execute("CREATE TABLE IF NOT EXISTS handled (event_id TEXT PRIMARY KEY)")

    def seen(self, event_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM handled WHERE event_id = ?", (event_id,)).fetchone() is not None

    def remember(self, event_id: str) -> None:
        with self.db:
            self.db.execute("INSERT OR IGNORE INTO handled VALUES (?)", (event_id,))


def main() -> None:
    institution = os.environ["ONESTOP_INSTITUTION_ID"]
    handled = Handled(os.environ.get("ONESTOP_HANDLED_DB", "handled.sqlite3"))
    connection = pika.BlockingConnection(pika.URLParameters(os.environ["ONESTOP_AMQP_URL"]))
    channel = connection.channel()
    queue = f"partner.{institution}.inbox"
    channel.queue_declare(queue, durable=True)
    channel.queue_bind(queue, EXCHANGE, f"inst.{institution}.#")  # only your own keys are allowed
    channel.basic_qos(prefetch_count=50)

    def on_message(channel, method, properties, body):
        envelope = json.loads(body)
        if not handled.seen(envelope["event_id"]):
            handle(envelope)
            handled.remember(envelope["event_id"])
        channel.basic_ack(method.delivery_tag)

    channel.basic_consume(queue, on_message)
    print(f"waiting for {institution}'s events on {queue}; Ctrl-C stops")
    try:
        channel.start_consuming()
    except KeyboardInterrupt:
        channel.stop_consuming()
    connection.close()


if __name__ == "__main__":
    main()
