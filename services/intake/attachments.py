"""Attachments: the bytes kept in a folder by their SHA-256, the metadata kept in events.

A demand records each attachment's name, media type, size and SHA-256, so the archive can prove
what the station received; the bytes live in ``ATTACHMENTS.folder`` (a volume shared by intake's
replicas in deployment), written once under their hash. What a file is called belongs to whoever
uploaded it: the metadata is kept per uploader, so two parties uploading the same bytes keep
their own names, never learn each other's, and can reference only what they uploaded.

No file travels in an RPC message: the gateway streams the body into ``incoming/`` (a folder
of the same volume, the only part the gateway mounts), a chunk at a time, and intake takes it
from there by its name: checks its size, the uploader's daily quota and its content
(file_types.py), hashes it as it reads, and moves it under its hash.

Files are stamped with the service's clock (their modification time), which the quota (bytes
per uploader in the last 24 hours) and the removal of files no demand references (after
``orphan_days``) read.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Iterable

from services.intake.file_types import check_content, safe_name
from shared.errors import Invalid, TooManyAttempts
from shared.field_messages import said

#: How the gateway names an upload it streams in (a UUID's hex): nothing else is taken.
INCOMING_NAME = re.compile(r"[0-9a-f]{32}")
CHUNK = 64 * 1024
#: An upload the gateway began but never handed over (a crash, a lost RPC) is removed after this.
INCOMING_HOURS = 1


class AttachmentFolder:
    def __init__(self, path: Path, max_bytes: int, incoming: Path | None = None,
                 daily_quota_bytes: int = 200 * 1024 * 1024):
        self.path = path
        self.incoming = incoming or path / "incoming"
        self.max_bytes = max_bytes
        self.daily_quota_bytes = daily_quota_bytes
        path.mkdir(parents=True, exist_ok=True)
        self.incoming.mkdir(parents=True, exist_ok=True)

    def take(self, incoming: str, name: str, media_type: str, uploader: dict, now: datetime) -> dict:
        """Keep the file the gateway streamed into ``incoming/<incoming>``, for ``uploader``."""
        if not INCOMING_NAME.fullmatch(incoming):
            raise Invalid("no such upload", {"body": [said("upload_unknown")]})
        source = self.incoming / incoming
        try:
            return self._take(source, safe_name(name), media_type, uploader, now)
        finally:
            source.unlink(missing_ok=True)

    def _take(self, source: Path, name: str, media_type: str, uploader: dict, now: datetime) -> dict:
        try:
            size = source.stat().st_size
        except FileNotFoundError:
            raise Invalid("no such upload", {"body": [said("upload_unknown")]}) from None
        if size == 0:
            raise Invalid("the attachment is empty", {"body": [said("upload_empty")]})
        if size > self.max_bytes:
            raise Invalid(f"the attachment is larger than {self.max_bytes} bytes",
                          {"body": [said("upload_too_large", limit=self.max_bytes)]})
        self._within_quota(uploader, size, now)
        with source.open("rb") as content:
            kind = check_content(media_type, content)
            content.seek(0)
            digest = hashlib.sha256()
            while chunk := content.read(CHUNK):
                digest.update(chunk)
        sha256 = digest.hexdigest()
        blob = self.path / sha256
        if blob.exists():
            source.unlink()
        else:
            source.replace(blob)  # the same volume: a rename, whole or not at all
        _stamp(blob, now)  # a new upload of the same bytes starts their grace again
        metadata = {"sha256": sha256, "name": name, "media_type": kind, "size": size}
        # The bytes first, then the metadata that makes them referable: a crash between the two
        # leaves unreferenced bytes, never a reference without bytes.
        path = self._metadata_path(sha256, uploader)
        _write_atomically(path, json.dumps(metadata).encode("utf-8"))
        _stamp(path, now)
        return metadata

    def metadata(self, sha256: str, uploader: dict) -> dict:
        try:
            return json.loads(self._metadata_path(sha256, uploader).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise Invalid(f"you uploaded no attachment {sha256}",
                          {"attachments": [said("attachment_unknown", sha256=sha256)]}) from None

    def remove_unreferenced(self, referenced: Iterable[str], now: datetime, orphan_days: float) -> int:
        """Remove the files no demand references, uploaded more than ``orphan_days`` ago (with
        every uploader's metadata of them), and uploads the gateway never handed over."""
        kept, removed = set(referenced), 0
        before = (now - timedelta(days=orphan_days)).timestamp()
        for blob in self.path.iterdir():
            if (len(blob.name) == 64 and blob.is_file() and blob.name not in kept
                    and blob.stat().st_mtime < before):
                for metadata in self.path.glob(f"metadata/*/{blob.name}.json"):
                    metadata.unlink(missing_ok=True)
                blob.unlink(missing_ok=True)
                removed += 1
        stale = (now - timedelta(hours=INCOMING_HOURS)).timestamp()
        for upload in self.incoming.iterdir():
            if upload.stat().st_mtime < stale:
                upload.unlink(missing_ok=True)
        return removed

    def _within_quota(self, uploader: dict, size: int, now: datetime) -> None:
        since = (now - timedelta(hours=24)).timestamp()
        owned = self._metadata_path("x", uploader).parent
        recent = [(path.stat().st_mtime, json.loads(path.read_text(encoding="utf-8"))["size"])
                  for path in owned.glob("*.json") if path.stat().st_mtime > since] if owned.exists() else []
        if sum(taken for _, taken in recent) + size > self.daily_quota_bytes:
            oldest = min((moment for moment, _ in recent), default=now.timestamp())
            raise TooManyAttempts(
                f"上传已达每日限额（{self.daily_quota_bytes // (1024 * 1024)} MiB / 24 小时）",
                {"retry_after": max(1, int(oldest + 24 * 3600 - now.timestamp()))})

    def _metadata_path(self, sha256: str, uploader: dict) -> Path:
        owner = hashlib.sha256(f"{uploader['role']}:{uploader['subject']}".encode()).hexdigest()
        return self.path / "metadata" / owner / f"{sha256}.json"


def _stamp(path: Path, now: datetime) -> None:
    moment = now.timestamp()
    os.utime(path, (moment, moment))


def _write_atomically(path: Path, data: bytes) -> None:
    """Written under a temporary name and renamed, so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex}")
    partial.write_bytes(data)
    partial.replace(path)
