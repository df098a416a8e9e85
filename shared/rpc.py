"""RPC whose requests and replies are transient messages: no broker confirm, no disk write.

A request or a reply carries no fact: what a command records is in the service's event store
before its reply leaves, and a lost message costs the caller a timeout, after which it asks
again (a submit with the same idempotency key records nothing twice). So neither is worth the
confirm round trip nameko waits for on every publish, which was a third of the broker
operations per demand (docs/performance.md).

nameko learns that a service is missing only through that confirm (a mandatory publish that
no queue takes comes back before the confirm). Without it a caller waits for a reply that may
never come, so ``RpcProxy`` here always has a timeout: a service that is down or missing
raises ``RpcTimeout`` after ``GATEWAY.rpc_timeout`` seconds (the gateway's 503).

- ``rpc``: the entrypoint every service declares its methods with; it replies this way.
- ``RpcProxy``: the dependency a nameko service calls others through.
"""
from __future__ import annotations

import uuid

import eventlet
from kombu.entity import TRANSIENT_DELIVERY_MODE
from nameko import rpc as nameko_rpc
from nameko.amqp.publish import Publisher
from nameko.constants import (
    AMQP_SSL_CONFIG_KEY, AMQP_URI_CONFIG_KEY, DEFAULT_SERIALIZER, LOGIN_METHOD_CONFIG_KEY,
    SERIALIZER_CONFIG_KEY)
from nameko.exceptions import RpcTimeout

from shared.config import section

DEFAULT_TIMEOUT = 30.0


class TransientPublisher(Publisher):
    use_confirms = False
    delivery_mode = TRANSIENT_DELIVERY_MODE
    # Without a confirm an unroutable message cannot be told apart; the caller's timeout covers it.
    mandatory = False


class _Responder(nameko_rpc.Responder):
    publisher_cls = TransientPublisher


class _RpcConsumer(nameko_rpc.RpcConsumer):
    def handle_result(self, message, result, exc_info):
        # nameko's own, with the responder above (it names its class inside the method).
        config = self.container.config
        responder = _Responder(
            config[AMQP_URI_CONFIG_KEY], nameko_rpc.get_rpc_exchange(config),
            config.get(SERIALIZER_CONFIG_KEY, DEFAULT_SERIALIZER), message,
            ssl=config.get(AMQP_SSL_CONFIG_KEY), login_method=config.get(LOGIN_METHOD_CONFIG_KEY))
        result, exc_info = responder.send_response(result, exc_info)
        self.queue_consumer.ack_message(message)
        return result, exc_info


class Rpc(nameko_rpc.Rpc):
    rpc_consumer = _RpcConsumer()


rpc = Rpc.decorator


class _ReplyListener(nameko_rpc.ReplyListener):
    def forget(self, correlation_id: str) -> None:
        """A reply that comes after this finds no one waiting and is dropped."""
        self._reply_events.pop(correlation_id, None)


class RpcProxy(nameko_rpc.RpcProxy):
    """Calls ``target_service``; each call waits at most ``GATEWAY.rpc_timeout`` seconds, or
    ``timeout`` where the caller must not wait that long (a timer a stopping service waits for)."""

    rpc_reply_listener = _ReplyListener()

    def __init__(self, target_service, timeout: float | None = None, **options):
        super().__init__(target_service, **options)
        self.fixed_timeout = timeout

    def setup(self):
        self.timeout = self.fixed_timeout or float(section(self.container.config, "GATEWAY").get(
            "rpc_timeout", DEFAULT_TIMEOUT))

    def get_dependency(self, worker_ctx):
        return _ServiceProxy(worker_ctx, self.target_service, self.rpc_reply_listener,
                             self.timeout)


class _ServiceProxy:
    def __init__(self, worker_ctx, service_name, reply_listener, timeout):
        self._worker_ctx = worker_ctx
        self._service_name = service_name
        self._reply_listener = reply_listener
        self._timeout = timeout

    def __getattr__(self, name):
        return _MethodProxy(self._worker_ctx, self._service_name, name, self._reply_listener,
                            self._timeout)


class _MethodProxy(nameko_rpc.MethodProxy):
    publisher_cls = TransientPublisher

    def __init__(self, worker_ctx, service_name, method_name, reply_listener, timeout):
        super().__init__(worker_ctx, service_name, method_name, reply_listener)
        self.timeout = timeout

    def __call__(self, *args, **kwargs):
        correlation_id = str(uuid.uuid4())
        reply = nameko_rpc.RpcReply(self.reply_listener.get_reply_event(correlation_id))
        self.publisher.publish(
            {"args": args, "kwargs": kwargs},
            exchange=nameko_rpc.get_rpc_exchange(self.container.config),
            routing_key=f"{self.service_name}.{self.method_name}",
            reply_to=self.reply_listener.routing_key, correlation_id=correlation_id,
            extra_headers=self.get_message_headers(self.worker_ctx))
        timer = eventlet.Timeout(self.timeout)
        try:
            reply.resp_body = reply.reply_event.wait()
        except eventlet.Timeout as expired:
            if expired is not timer:
                raise
            self.reply_listener.forget(correlation_id)
            raise RpcTimeout(f"{self.service_name}.{self.method_name}: no reply in "
                             f"{self.timeout:g} s") from None
        finally:
            timer.cancel()
        return reply.result()
