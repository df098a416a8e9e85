"""Webhook secrets: made by the platform, shown to the institution once, kept sealed.

A signature is an HMAC, so the platform needs the secret itself at each delivery: it cannot
keep only a hash. It keeps the secret sealed with AES-256-GCM under the partners service's own
key (``PARTNERS.webhook_secrets_key``: a file of 32 random bytes; empty means
``DATA_DIR/webhook-secrets.key``, made at the first start), so the event store, its backups and
anyone reading the events see only ciphertext. No other service reads that key.
"""
from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from shared.config import ConfigurationError, data_path, refuse_readable_by_others, section

KEY_BYTES, NONCE_BYTES = 32, 12
PREFIX = "v1."


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


class SecretBox:
    def __init__(self, key: bytes):
        if len(key) != KEY_BYTES:
            raise ConfigurationError(f"the webhook secrets key must be {KEY_BYTES} bytes, not {len(key)}")
        self._aead = AESGCM(key)

    def seal(self, secret: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        return PREFIX + base64.b64encode(nonce + self._aead.encrypt(nonce, secret.encode(), None)).decode()

    def open(self, sealed: str) -> str:
        raw = base64.b64decode(sealed.removeprefix(PREFIX))
        try:
            return self._aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], None).decode()
        except InvalidTag:
            raise ConfigurationError("a webhook secret does not open with this key: is "
                                     "PARTNERS.webhook_secrets_key the key it was sealed with?") from None


def secret_box(config: dict) -> SecretBox:
    configured = section(config, "PARTNERS").get("webhook_secrets_key")
    path = Path(configured) if configured else data_path(config) / "webhook-secrets.key"
    if not path.exists():
        if configured:  # a deployment's mounted Secret is missing: making one would hide that
            raise ConfigurationError(f"PARTNERS.webhook_secrets_key: no file at {path}")
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as out:
            out.write(os.urandom(KEY_BYTES))
    refuse_readable_by_others(path)
    return SecretBox(path.read_bytes())
