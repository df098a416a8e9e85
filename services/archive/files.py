"""The files a dossier references, kept by the archive itself, so an archived case is complete
without intake: its attachments, the information supplied, the completion's evidence.

Kept by content (``ARCHIVE.files``, a folder of the archive's own, each file under its SHA-256),
copied from intake's attachments folder when the entry naming it is archived, and verified on
the way: bytes whose hash is not the one named are not kept. A file that cannot be kept fails
the entry, which is retried and then dead-lettered like any other, to be replayed once the file
is there.
"""
from __future__ import annotations

import hashlib
import os
import uuid
from pathlib import Path

CHUNK = 64 * 1024


class FileMissing(Exception):
    """A file an entry names is not in intake's folder, or is not what its hash says."""


def files_described(data: dict) -> list[dict]:
    """The files an entry's data names (attachments, evidence documents): each one's
    ``sha256``, ``name`` and ``media_type`` (evidence documents carry none: octet-stream)."""
    described = [{"sha256": a["sha256"], "name": a["name"], "media_type": a["media_type"]}
                 for a in data.get("attachments") or ()]
    described += [{"sha256": d["sha256"], "name": d["name"],
                   "media_type": "application/octet-stream"}
                  for d in ((data.get("evidence") or {}).get("documents") or ())]
    return described


def files_named(data: dict) -> list[str]:
    """The hashes of the files an entry's data names."""
    return [described["sha256"] for described in files_described(data)]


class ArchiveFiles:
    def __init__(self, source: Path, kept: Path):
        self.source = source
        self.path = kept
        kept.mkdir(parents=True, exist_ok=True)

    def keep(self, sha256: str) -> None:
        """Copy the file in, verified against its hash (nothing to do if it is kept already)."""
        target = self.path / sha256
        if target.exists():
            return
        partial = self.path / f".{sha256}.{os.getpid()}.{uuid.uuid4().hex}"
        digest = hashlib.sha256()
        try:
            with (self.source / sha256).open("rb") as source, partial.open("xb") as out:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
        except FileNotFoundError:
            partial.unlink(missing_ok=True)
            raise FileMissing(f"file {sha256} is not in intake's folder {self.source}") from None
        if digest.hexdigest() != sha256:
            partial.unlink()
            raise FileMissing(f"the bytes in {self.source / sha256} are not the file {sha256}")
        partial.replace(target)

    def remove(self, sha256: str) -> None:
        """Remove the kept file (a disposal's; the caller checked no other dossier names it)."""
        (self.path / sha256).unlink(missing_ok=True)

    def check(self, sha256: str) -> str | None:
        """None if the kept file is intact; else what is wrong with it."""
        try:
            with (self.path / sha256).open("rb") as kept:
                digest = hashlib.sha256()
                while chunk := kept.read(CHUNK):
                    digest.update(chunk)
        except FileNotFoundError:
            return "not kept"
        return None if digest.hexdigest() == sha256 else "altered"
