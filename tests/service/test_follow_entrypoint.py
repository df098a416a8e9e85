"""The follow entrypoint on real RabbitMQ: one worker per upstream at a time, the messages that
arrive meanwhile handed over together, so the container's other workers stay free for RPC."""
import eventlet
from kombu import Connection, Producer
from nameko.rpc import rpc
from nameko.standalone.rpc import ServiceRpcProxy

from shared import metrics
from shared.messages import ROUTING_KEY, Message, to_amqp
from shared.runtime import events_exchange, follow
from tests.conftest import wait_for

#: What the follower's worker was given, call by call, and how many workers ran at once.
CALLS: list[list[int]] = []
RUNNING = [0, 0]  # now, most at once
GATE = eventlet.event.Event()


class Follower:
    name = "follower"

    @follow("intake")
    def on_intake_event(self, messages):
        RUNNING[0] += 1
        RUNNING[1] = max(RUNNING)
        CALLS.append([m.id for m in messages])
        if len(CALLS) == 1:
            GATE.wait()  # the first call is slow: a backlog builds behind it
        RUNNING[0] -= 1

    @rpc
    def ping(self):
        return "pong"


def message(number: int) -> Message:
    return Message(service="intake", id=number, previous_id=number - 1, event="DemandSubmitted",
                   schema_version=1, originator_id="00000000-0000-0000-0000-000000000001",
                   originator_version=number, occurred_at="2026-12-01T09:00:00+08:00",
                   data={"n": number})


def test_a_backlog_goes_to_one_worker_at_a_time_and_leaves_the_others_to_rpc(
        container_factory, service_config):
    config = {**service_config, "max_workers": 3}
    container = container_factory(Follower, config)
    container.start()
    with Connection(config["AMQP_URI"]) as connection:
        producer = Producer(connection.channel(), exchange=events_exchange("intake"))

        def publish(number):
            body, headers = to_amqp([message(number)])
            producer.publish(body, routing_key=ROUTING_KEY, headers=headers,
                             serializer="json", delivery_mode=2)
        publish(1)
        wait_for(lambda: CALLS == [[1]], message="the first message handled")
        for number in range(2, 12):  # ten more arrive while the first worker is busy
            publish(number)
        eventlet.sleep(0.5)
        assert CALLS == [[1]]  # nobody else took them: they wait for that worker
        with ServiceRpcProxy("follower", config, timeout=10) as follower:
            assert follower.ping() == "pong"  # answered although ten notifications wait
        GATE.send()
        wait_for(lambda: sum(map(len, CALLS)) == 11, message="every message handled")
    assert [n for call in CALLS for n in call] == list(range(1, 12))  # in order, each once
    assert len(CALLS) < 11 and RUNNING[1] == 1  # handed over together, one worker at a time


RECEIVED: list[int] = []


class Receiver:
    name = "receiver"

    @follow("intake")
    def on_intake_event(self, messages):
        RECEIVED.extend(m.id for m in messages)


def test_a_message_that_is_not_a_run_of_the_log_is_counted_and_dropped(container_factory, service_config):
    container = container_factory(Receiver, service_config)
    container.start()
    malformed = metrics.INBOX_MESSAGES.labels("receiver", "intake", "malformed")
    before = malformed._value.get()
    run, headers = to_amqp([message(1), message(2)])
    with Connection(service_config["AMQP_URI"]) as connection:
        producer = Producer(connection.channel(), exchange=events_exchange("intake"))
        for body, sent_headers in [
                ({"id": 1}, headers),                                          # not a run
                (run, {**headers, "x-onestop-service": "matching"}),          # another log's
                (run[::-1], headers),                                          # out of order
                (run, headers)]:
            producer.publish(body, routing_key=ROUTING_KEY, headers=sent_headers,
                             serializer="json", delivery_mode=2)
        wait_for(lambda: RECEIVED == [1, 2], message="the well-formed run")
    assert malformed._value.get() - before == 3
