"""The embedded mode: every service and the gateway in one process, on the memory broker."""
from __future__ import annotations

import errno
import socket

from nameko.cli.run import run

from onestop.platform import SERVICES
from shared import memory_transport


def serve(config: dict) -> None:
    if str(config["AMQP_URI"]).startswith("memory://"):
        memory_transport.install()
    run(SERVICES, config)


def address_in_use(address: str) -> bool:
    """Whether ``host:port`` is taken, checked before the services start so that a second
    platform stops at once with a message instead of failing halfway through starting."""
    host, _, port = address.rpartition(":")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host or "0.0.0.0", int(port)))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                return True
            raise
    return False
