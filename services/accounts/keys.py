"""The key ring that signs access tokens: ES256 (P-256) private keys in a folder only the
accounts service reads (``AUTH.signing_keys``; DATA_DIR/signing-keys by default).

Each key is a PEM file named ``<created, UTC>_<kid>.pem``, readable by nobody outside its owner
and group (written 0600; a Kubernetes Secret is mounted 0440 for the pod's ``fsGroup``);
the kid is the key's RFC 7638 thumbprint. The newest key signs; every key in the folder is
published in the JWKS, so a token signed just before a rotation still verifies. Rotating adds a
key; retiring removes the keys superseded longer ago than an access token lives, after which
tokens they signed are refused everywhere. Private keys never enter the event log (whatever is
recorded is archived and published).
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from shared.config import ConfigurationError, data_path, refuse_readable_by_others, section

ALGORITHM = "ES256"
_STAMP = "%Y%m%dT%H%M%SZ"


@dataclass(frozen=True)
class SigningKey:
    kid: str
    created: datetime
    private: ec.EllipticCurvePrivateKey

    def jwk(self) -> dict:
        numbers = self.private.public_key().public_numbers()
        return {"kty": "EC", "crv": "P-256", "x": _b64(numbers.x), "y": _b64(numbers.y),
                "kid": self.kid, "use": "sig", "alg": ALGORITHM}


class KeyRing:
    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def keys(self) -> list[SigningKey]:
        """Every key, oldest first; refuses a key anyone could read, and any key that is not
        P-256."""
        if not self.folder.is_dir():
            return []
        found = []
        for path in sorted(self.folder.glob("*.pem")):
            refuse_readable_by_others(path)
            created, _, kid = path.stem.partition("_")
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
            if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
                raise ConfigurationError(f"signing key {path} is not an EC P-256 key")
            if _thumbprint(key) != kid:
                raise ConfigurationError(f"signing key {path} is not the key its name says")
            found.append(SigningKey(kid, datetime.strptime(created, _STAMP).replace(
                tzinfo=timezone.utc), key))
        return found

    def current(self) -> SigningKey:
        keys = self.keys()
        if not keys:
            raise ConfigurationError(f"no signing key in {self.folder}: run `onestop keys rotate`")
        return keys[-1]

    def jwks(self) -> dict:
        return {"keys": [key.jwk() for key in self.keys()]}

    def rotate(self, now: datetime) -> SigningKey:
        """Adds a new key, which signs from now on."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self.folder.chmod(0o700)
        private = ec.generate_private_key(ec.SECP256R1())
        created = now.astimezone(timezone.utc).replace(microsecond=0)
        keys = self.keys()
        if keys and created <= keys[-1].created:
            created = keys[-1].created + timedelta(seconds=1)  # names order the keys: newest last
        key = SigningKey(_thumbprint(private), created, private)
        path = self.folder / f"{key.created.strftime(_STAMP)}_{key.kid}.pem"
        pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
        # Created with its final mode: the key is never readable by others, not even briefly.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as out:
            out.write(pem)
        return key

    def ensure(self, now: datetime) -> SigningKey:
        """The current key, made if there is none (a first start)."""
        keys = self.keys()
        return keys[-1] if keys else self.rotate(now)

    def retire(self, now: datetime, token_lifetime: timedelta) -> list[str]:
        """Removes the keys superseded longer ago than a token lives; returns their kids."""
        keys = self.keys()
        retired = []
        for key, successor in zip(keys, keys[1:]):
            if successor.created + token_lifetime < now:
                next(self.folder.glob(f"*_{key.kid}.pem")).unlink()
                retired.append(key.kid)
        return retired


def key_ring(config: dict) -> KeyRing:
    folder = section(config, "AUTH").get("signing_keys")
    return KeyRing(Path(folder) if folder else data_path(config) / "signing-keys")


def _b64(number: int) -> str:
    return base64.urlsafe_b64encode(number.to_bytes(32, "big")).rstrip(b"=").decode()


def _thumbprint(private: ec.EllipticCurvePrivateKey) -> str:
    numbers = private.public_key().public_numbers()
    members = json.dumps({"crv": "P-256", "kty": "EC", "x": _b64(numbers.x), "y": _b64(numbers.y)},
                         separators=(",", ":"), sort_keys=True)
    return base64.urlsafe_b64encode(hashlib.sha256(members.encode()).digest()).rstrip(b"=").decode()
