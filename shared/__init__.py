"""What every onestop service uses: contracts, configuration, messaging and persistence plumbing.

psycopg chooses how it waits for the server when it is first imported; under eventlet its wait
must cooperate with the hub (its C build would otherwise wait in C and stop every green thread
of the process): ``wait_select`` is named before anything can import psycopg, and a process
whose ``select`` eventlet has patched waits with ``shared.store_waits`` whatever psycopg chose.
marshmallow's own messages become field messages the gateway words in Chinese or English
(shared/field_messages.py) before any schema is declared.
"""
import os

os.environ.setdefault("PSYCOPG_WAIT_FUNC", "wait_select")

from shared.store_waits import cooperate as _cooperate  # noqa: E402

_cooperate()

from shared.field_messages import install as _install_field_messages  # noqa: E402

_install_field_messages()
