"""RPC on real RabbitMQ with transient, unconfirmed requests and replies (shared/rpc.py): the
answers are right, no message is confirmed or written to disk, and a service that does not
answer costs the caller its timeout, after which a late reply is dropped and the next call
gets its own answer."""
import pytest
from kombu import Connection, Exchange, Queue
from nameko.exceptions import RpcTimeout
from nameko.testing.services import entrypoint_hook

from shared.rpc import RpcProxy, rpc
from tests.conftest import wait_for


class Echo:
    name = "echo"

    @rpc
    def double(self, n):
        return 2 * n


class Caller:
    name = "caller"
    echo = RpcProxy("echo")

    @rpc
    def ask(self, n):
        return self.echo.double(n)


@pytest.fixture
def caller_config(rabbit_config):
    # Long enough for any answer on a loaded machine; the stopped service's call waits it out.
    return {**rabbit_config, "GATEWAY": {"rpc_timeout": 5}}


def vhost_stats(rabbit_manager, vhost):
    return rabbit_manager._get("vhosts", vhost).get("message_stats", {})


def test_answers_come_back_without_confirms_or_persistence(
        container_factory, caller_config, rabbit_config, rabbit_manager):
    container_factory(Echo, rabbit_config).start()
    caller = container_factory(Caller, caller_config)
    caller.start()
    with Connection(rabbit_config["AMQP_URI"]) as connection:
        tap = Queue("rpc-tap", exchange=Exchange("nameko-rpc", type="topic", durable=True),
                    routing_key="#", durable=False)
        tap(connection.channel()).declare()
        with entrypoint_hook(caller, "ask") as ask:
            assert [ask(n) for n in range(20)] == [2 * n for n in range(20)]

        modes = []
        with connection.Consumer(tap, callbacks=[lambda body, m: (modes.append(
                m.properties["delivery_mode"]), m.ack())], accept=["json"]):
            def drained():
                try:
                    connection.drain_events(timeout=0.1)
                except TimeoutError:
                    pass
                return len(modes) >= 40
            wait_for(drained, message="20 requests and 20 replies at the tap")
    assert set(modes) == {1}  # transient: never written to the broker's disk

    # The management API counts publishes and confirms per vhost, a few seconds late; once it
    # counts the 40 publishes, it counts whatever confirms they had.
    stats = wait_for(lambda: (s := vhost_stats(rabbit_manager, rabbit_config["vhost"]))
                     .get("publish", 0) >= 40 and s, timeout=30,
                     message="the broker's statistics of the 40 messages")
    assert stats.get("confirm", 0) == 0, stats


def test_a_service_that_does_not_answer_costs_the_timeout_and_its_late_reply_is_dropped(
        container_factory, caller_config, rabbit_config):
    echo = container_factory(Echo, rabbit_config)
    echo.start()
    echo.stop()  # its queue stays, as when a service is down: a request waits there unanswered
    caller = container_factory(Caller, caller_config)
    caller.start()
    listener = next(extension for extension in caller.extensions
                    if type(extension).__name__ == "_ReplyListener")
    with entrypoint_hook(caller, "ask") as ask:
        with pytest.raises(RpcTimeout):
            ask(1)
        assert listener._reply_events == {}  # nobody waits for that reply any more

        container_factory(Echo, rabbit_config).start()  # answers the waiting request first
        assert ask(21) == 42  # not the late reply to the first call (2)
