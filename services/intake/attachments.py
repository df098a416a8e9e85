"""Attachments: the bytes kept in a folder by their SHA-256, the metadata kept in events.

A demand records each attachment's name, media type, size and SHA-256, so the archive can prove
what the station received; the bytes live in ``ATTACHMENTS.folder`` (a volume shared by intake's
replicas in deployment), written once under their hash.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from shared.errors import Invalid


class AttachmentFolder:
    def __init__(self, path: Path, max_bytes: int):
        self.path = path
        self.max_bytes = max_bytes
        path.mkdir(parents=True, exist_ok=True)

    def put(self, name: str, media_type: str, data: bytes) -> dict:
        if not data:
            raise Invalid("the attachment is empty", {"body": ["must not be empty"]})
        if len(data) > self.max_bytes:
            raise Invalid(f"the attachment is larger than {self.max_bytes} bytes",
                          {"body": [f"must not exceed {self.max_bytes} bytes"]})
        sha256 = hashlib.sha256(data).hexdigest()
        metadata = {"sha256": sha256, "name": name, "media_type": media_type, "size": len(data)}
        blob = self.path / sha256
        if not blob.exists():
            # Written under a temporary name and renamed, so a reader never sees half a file.
            partial = self.path / f".{sha256}.{os.getpid()}"
            partial.write_bytes(data)
            partial.replace(blob)
            (self.path / f"{sha256}.json").write_text(json.dumps(metadata), encoding="utf-8")
        return self.metadata(sha256)

    def metadata(self, sha256: str) -> dict:
        try:
            return json.loads((self.path / f"{sha256}.json").read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise Invalid(f"no attachment {sha256} was uploaded",
                          {"attachments": [f"unknown attachment {sha256}"]}) from None
