"""The embedded mode: every service and the gateway in one process, on the memory broker."""
from __future__ import annotations

from nameko.cli.run import run

from onestop.platform import SERVICES
from shared import memory_transport


def serve(config: dict) -> None:
    if str(config["AMQP_URI"]).startswith("memory://"):
        memory_transport.install()
    run(SERVICES, config)
