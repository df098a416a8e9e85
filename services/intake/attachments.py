"""Attachments: the bytes kept in a folder by their SHA-256, the metadata kept in events.

A demand records each attachment's name, media type, size and SHA-256, so the archive can prove
what the station received; the bytes live in ``ATTACHMENTS.folder`` (a volume shared by intake's
replicas in deployment), written once under their hash. What a file is called belongs to whoever
uploaded it: the metadata is kept per uploader, so two parties uploading the same bytes keep
their own names, never learn each other's, and can reference only what they uploaded.
"""
from __future__ import annotations

import hashlib
import json
import os
import uuid
from pathlib import Path

from shared.errors import Invalid


class AttachmentFolder:
    def __init__(self, path: Path, max_bytes: int):
        self.path = path
        self.max_bytes = max_bytes
        path.mkdir(parents=True, exist_ok=True)

    def put(self, name: str, media_type: str, data: bytes, uploader: dict) -> dict:
        if not data:
            raise Invalid("the attachment is empty", {"body": ["must not be empty"]})
        if len(data) > self.max_bytes:
            raise Invalid(f"the attachment is larger than {self.max_bytes} bytes",
                          {"body": [f"must not exceed {self.max_bytes} bytes"]})
        sha256 = hashlib.sha256(data).hexdigest()
        metadata = {"sha256": sha256, "name": name, "media_type": media_type, "size": len(data)}
        blob = self.path / sha256
        if not blob.exists():
            _write_atomically(blob, data)
        # The bytes first, then the metadata that makes them referable: a crash between the two
        # leaves unreferenced bytes, never a reference without bytes.
        _write_atomically(self._metadata_path(sha256, uploader),
                          json.dumps(metadata).encode("utf-8"))
        return metadata

    def metadata(self, sha256: str, uploader: dict) -> dict:
        try:
            return json.loads(self._metadata_path(sha256, uploader).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise Invalid(f"you uploaded no attachment {sha256}",
                          {"attachments": [f"unknown attachment {sha256}"]}) from None

    def _metadata_path(self, sha256: str, uploader: dict) -> Path:
        owner = hashlib.sha256(f"{uploader['role']}:{uploader['subject']}".encode()).hexdigest()
        return self.path / "metadata" / owner / f"{sha256}.json"


def _write_atomically(path: Path, data: bytes) -> None:
    """Written under a temporary name and renamed, so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex}")
    partial.write_bytes(data)
    partial.replace(path)
