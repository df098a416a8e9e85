"""The embedded mode: every service and the gateway in one process, on the memory broker."""
from __future__ import annotations

import errno
import signal
import socket
import time
from typing import Callable

import eventlet
from nameko.runners import ServiceRunner

from onestop.platform import SERVICES
from shared import memory_transport


def serve(config: dict, on_ready: Callable[[], None] = lambda: None) -> float:
    """Run every service until SIGINT or SIGTERM (a second one kills at once); ``on_ready`` once
    the gateway accepts requests. Returns the seconds the stop took."""
    if str(config["AMQP_URI"]).startswith("memory://"):
        memory_transport.install()
    runner = ServiceRunner(config)
    for service in SERVICES:
        runner.add_service(service)
    asked: list[float] = []

    def stop(signum, frame):
        # Signal handlers run in the hub's main loop: the stop itself runs in a green thread.
        asked.append(time.monotonic())
        eventlet.spawn_n(runner.stop if len(asked) == 1 else runner.kill)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    runner.start()
    on_ready()
    running = eventlet.spawn(runner.wait)
    while True:
        try:
            running.wait()
            break
        except OSError as error:  # a signal interrupted the wait: go on waiting for the stop
            if error.errno != errno.EINTR:
                raise
    return time.monotonic() - (asked[0] if asked else time.monotonic())


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
