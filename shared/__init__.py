"""What every onestop service uses: contracts, configuration, messaging and persistence plumbing.

psycopg chooses how it waits for the server when it is first imported; under eventlet only
``wait_select`` cooperates with the hub (its C build would otherwise wait in C and stop every
green thread of the process), so it is set before anything can import psycopg, and a process
that imported psycopg first is stopped here rather than left to run blocked.
marshmallow's own messages become field messages the gateway words in Chinese or English
(shared/field_messages.py) before any schema is declared.
"""
import os
import sys

os.environ.setdefault("PSYCOPG_WAIT_FUNC", "wait_select")


def _check_psycopg_waits() -> None:
    patcher, waiting = sys.modules.get("eventlet.patcher"), sys.modules.get("psycopg.waiting")
    if (patcher is not None and waiting is not None and patcher.is_monkey_patched("select")
            and waiting.wait is not waiting.wait_select):
        raise ImportError(f"psycopg was imported before shared and waits with {waiting.wait.__name__}, "
                          "which blocks the eventlet hub: import shared first")


_check_psycopg_waits()

from shared.field_messages import install as _install_field_messages  # noqa: E402

_install_field_messages()
