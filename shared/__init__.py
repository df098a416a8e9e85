"""What every onestop service uses: contracts, configuration, messaging and persistence plumbing.

psycopg chooses how it waits for the server when it is first imported; under eventlet only
``wait_select`` cooperates with the hub, so it is set before anything can import psycopg.
marshmallow's own messages become field messages the gateway words in Chinese or English
(shared/field_messages.py) before any schema is declared.
"""
import os

os.environ.setdefault("PSYCOPG_WAIT_FUNC", "wait_select")

from shared.field_messages import install as _install_field_messages  # noqa: E402

_install_field_messages()
