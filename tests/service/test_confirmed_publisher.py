"""Publishing a relay's batch with one wait for the broker's confirms, on real RabbitMQ: every
message confirmed, persistent and in order; a connection the broker closed fails that batch
loudly and the next one goes out on a new connection."""
import pytest
from kombu import Connection, Exchange, Queue

from shared.publishing import ConfirmedPublisher, Outgoing
from tests.conftest import wait_for

EXCHANGE = Exchange("confirm-test.events", type="topic", durable=True)


def drained(connection, queue, enough, what):
    """What the queue holds, read until ``enough(received)``."""
    received = []
    with connection.Consumer(queue, callbacks=[lambda body, m: (received.append((body, m)), m.ack())],
                             accept=["json"]):
        def done():
            try:
                while not enough(received):  # each call takes what one read brings
                    connection.drain_events(timeout=0.1)
            except TimeoutError:
                pass
            return enough(received)
        wait_for(done, message=what)
    return received


def test_a_batch_is_confirmed_whole_in_order_and_a_closed_connection_fails_only_its_batch(
        rabbit_config, rabbit_manager):
    uri = rabbit_config["AMQP_URI"]
    publisher = ConfirmedPublisher(uri, EXCHANGE, confirm_timeout=10)
    with Connection(uri) as connection:
        queue = Queue("confirm-test.tap", exchange=EXCHANGE, routing_key="#", durable=True)
        queue(connection.channel()).declare()
        batches = [[Outgoing({"n": n}, "Counted", {"x-n": n}, message_id=f"m-{n}")
                    for n in range(start, start + 700)] for start in (0, 700)]
        for batch in batches:
            publisher.publish(batch)  # returns once all 700 are confirmed
        received = drained(connection, queue, lambda got: len(got) >= 1400, "1 400 messages")
        assert [body["n"] for body, _ in received] == list(range(1400))
        assert all(m.properties["delivery_mode"] == 2 and m.headers["x-n"] == body["n"]
                   and m.properties["message_id"] == f"m-{body['n']}" for body, m in received)

        # The broker closes the publisher's connection (as a restart would): that batch fails,
        # the next goes out on a new connection.
        tap_port = connection.connection.sock.getsockname()[1]

        def publishers():  # the management API lists a new connection after a moment
            return [found["name"] for found in rabbit_manager.get_connections()
                    if found["vhost"] == rabbit_config["vhost"] and found["peer_port"] != tap_port]
        for name in wait_for(publishers, message="the publisher's connection listed"):
            rabbit_manager.delete_connection(name)
        with pytest.raises(Exception):
            publisher.publish([Outgoing({"n": "lost"}, "Counted")])
            publisher.publish([Outgoing({"n": "lost"}, "Counted")])
        publisher.publish([Outgoing({"n": 1400}, "Counted")])
        drained(connection, queue, lambda got: any(body["n"] == 1400 for body, _ in got),
                "the batch after the failed one")
    publisher.close()
