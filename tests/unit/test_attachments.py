"""Uploads as intake takes them from the incoming folder: the content must be of an accepted
type and match what is declared, names cannot disguise a file, each uploader has a daily
quota, and files no demand references are removed after their grace."""
import io
import os
import uuid
import zipfile
from datetime import timedelta

import pytest

from services.intake.attachments import AttachmentFolder
from shared.errors import Invalid, TooManyAttempts, Unsupported
from tests import factories
from tests.conftest import Clock

SPECIALIST = {"role": "specialist", "subject": "s-1"}
ENTERPRISE = {"role": "enterprise", "subject": "91440101MA59XXXX1X"}


def docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


@pytest.fixture
def folder(tmp_path):
    return AttachmentFolder(tmp_path / "attachments", max_bytes=1000, daily_quota_bytes=2500)


@pytest.fixture
def now():
    return Clock(Clock.START)()


def take(folder, name, media_type, data, by=SPECIALIST, now=None):
    incoming = uuid.uuid4().hex
    (folder.incoming / incoming).write_bytes(data)
    try:
        return folder.take(incoming, name, media_type, by, now or Clock(Clock.START)())
    finally:
        assert not (folder.incoming / incoming).exists()  # taken or refused, never left behind


@pytest.mark.parametrize("media_type, data", [
    ("application/pdf", b"%PDF-1.7\n..."), ("image/png", b"\x89PNG\r\n\x1a\n...."),
    ("image/jpeg", b"\xff\xd8\xff\xe0...."), ("text/plain; charset=utf-8", "检测申请：LED 灯具".encode()),
    ("text/csv", b"item,count\nlamp,3\n"),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", docx()),
    ("application/msword", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1...."),
])
def test_accepted_types_are_kept_under_their_declared_essence(folder, media_type, data):
    kept = take(folder, "文件", media_type, data)
    assert kept["media_type"] == media_type.split(";")[0] and kept["size"] == len(data)
    assert (folder.path / kept["sha256"]).read_bytes() == data


@pytest.mark.parametrize("media_type, data, refused", [
    ("text/html", b"<html><script>alert(1)</script></html>", Unsupported),
    ("image/svg+xml", b"<svg onload=alert(1)/>", Unsupported),
    ("application/octet-stream", b"MZ\x90\x00", Unsupported),
    ("application/zip", b"PK\x03\x04", Unsupported),
    ("text/plain", b"  <!DOCTYPE html><html><body>hi</body></html>", Invalid),
    ("text/plain", b"\xef\xbb\xbf<script>alert(1)</script>", Invalid),
    ("text/plain", b"not utf-8 \xff\xfe", Invalid),
    ("text/plain", b"nul \x00 inside", Invalid),
    ("application/pdf", b"<html>not a pdf</html>", Invalid),
    ("image/png", b"%PDF-1.7", Invalid),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", docx(), Invalid),
])
def test_other_types_and_content_that_is_not_what_it_says_are_refused(folder, media_type, data, refused):
    with pytest.raises(refused):
        take(folder, "file", media_type, data)
    assert [p.name for p in folder.path.iterdir() if len(p.name) == 64] == []


@pytest.mark.parametrize("name", ["report\u202efdp.exe", "a\u2066b.pdf", "zero\u200bwidth.pdf",
                                  "tab\there.pdf", "../up.pdf", "dir\\name.pdf", "..", " ", "x" * 256])
def test_names_that_could_disguise_a_file_are_refused(folder, name):
    with pytest.raises(Invalid) as refused:
        take(folder, name, "application/pdf", b"%PDF-1.7")
    assert set(refused.value.fields) == {"name"}


def test_each_uploader_has_a_daily_quota(folder, now):
    for n in range(2):
        take(folder, f"{n}.pdf", "application/pdf", b"%PDF-" + bytes([n]) * 995, now=now)
    with pytest.raises(TooManyAttempts) as refused:
        take(folder, "2.pdf", "application/pdf", b"%PDF-" + b"2" * 995, now=now + timedelta(hours=1))
    assert refused.value.details == {"retry_after": 23 * 3600}
    take(folder, "other.pdf", "application/pdf", b"%PDF-" + b"3" * 995, by=ENTERPRISE, now=now)  # their own
    take(folder, "2.pdf", "application/pdf", b"%PDF-" + b"2" * 995, now=now + timedelta(hours=24, seconds=1))


def test_files_no_demand_references_are_removed_after_their_grace(folder, now):
    kept = take(folder, "kept.pdf", "application/pdf", b"%PDF-kept", now=now)
    orphan = take(folder, "orphan.pdf", "application/pdf", b"%PDF-orphan", now=now)
    recent = take(folder, "recent.pdf", "application/pdf", b"%PDF-recent", now=now + timedelta(days=6))
    abandoned = folder.incoming / uuid.uuid4().hex  # an upload never handed over
    abandoned.write_bytes(b"half")
    moment = (now - timedelta(hours=2)).timestamp()
    os.utime(abandoned, (moment, moment))

    assert folder.remove_unreferenced([kept["sha256"]], now + timedelta(days=6, hours=23), 7) == 0
    assert not abandoned.exists()
    assert folder.remove_unreferenced([kept["sha256"]], now + timedelta(days=7, seconds=1), 7) == 1
    assert {p.name for p in folder.path.iterdir() if len(p.name) == 64} == {kept["sha256"], recent["sha256"]}
    with pytest.raises(Invalid):
        folder.metadata(orphan["sha256"], SPECIALIST)  # its name went with it
    assert folder.metadata(kept["sha256"], SPECIALIST)["name"] == "kept.pdf"


def test_intake_keeps_what_a_demand_references(station):
    """The references come from intake's read model: a file a demand names outlives its grace."""
    from tests.unit.test_intake import submit, upload
    intake = station.apps["intake"]
    referenced = upload(intake, "spec.pdf", "application/pdf", b"%PDF-referenced", SPECIALIST)
    upload(intake, "draft.pdf", "application/pdf", b"%PDF-never-used", SPECIALIST)
    submit(station, attachments=[referenced["sha256"]])
    station.clock.advance(days=8)
    assert intake.remove_unreferenced_attachments() == 1
    assert intake.attachments.metadata(referenced["sha256"], SPECIALIST)["name"] == "spec.pdf"


@pytest.fixture
def station(open_platform):
    platform = open_platform(factories.station())
    return platform

