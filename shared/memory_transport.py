"""Two fixes that make nameko work on kombu's in-process ``memory://`` transport (embedded mode).

1. nameko's RPC responder reads ``content_type`` from ``message.properties``; kombu's virtual
   transports keep it on the message itself, so every RPC reply would fail with a KeyError.
2. Virtual transports poll their queues, once a second by default: every RPC round trip and
   every event would wait up to a second. 5 ms keeps latency low at a small CPU cost.

``install()`` is idempotent and is called only by the embedded runtime and tests that use it.
"""
from kombu.transport import memory
from nameko import rpc

POLLING_INTERVAL = 0.005


def install() -> None:
    memory.Transport.polling_interval = POLLING_INTERVAL
    if getattr(rpc.Responder.send_response, "_onestop_fixed", False):
        return
    original = rpc.Responder.send_response

    def send_response(self, result, exc_info):
        self.message.properties.setdefault("content_type", self.message.content_type)
        return original(self, result, exc_info)

    send_response._onestop_fixed = True
    rpc.Responder.send_response = send_response
