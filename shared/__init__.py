"""What every onestop service uses: contracts, configuration, messaging and persistence plumbing.

psycopg chooses how it waits for the server when it is first imported; under eventlet only
``wait_select`` cooperates with the hub, so it is set before anything can import psycopg.
"""
import os

os.environ.setdefault("PSYCOPG_WAIT_FUNC", "wait_select")
