"""The archive's own copies of the files its dossiers name (services/archive/files.py): kept by
hash and only when the bytes are that hash; a file not there or not itself fails the entry, to
be retried; a kept copy altered later is reported."""
import hashlib

import pytest

from services.archive.files import ArchiveFiles, FileMissing, files_named


@pytest.fixture
def files(tmp_path):
    (tmp_path / "intake").mkdir()
    return ArchiveFiles(tmp_path / "intake", tmp_path / "archive")


def put(files, data: bytes) -> str:
    sha256 = hashlib.sha256(data).hexdigest()
    (files.source / sha256).write_bytes(data)
    return sha256


def test_a_file_is_kept_once_by_its_hash(files):
    sha256 = put(files, b"%PDF-1.7 spec")
    files.keep(sha256)
    files.keep(sha256)  # a redelivered entry: nothing to do
    assert (files.path / sha256).read_bytes() == b"%PDF-1.7 spec" and files.check(sha256) is None
    assert [p.name for p in files.path.iterdir()] == [sha256]


def test_missing_or_wrong_bytes_are_not_kept_and_fail_the_entry(files):
    with pytest.raises(FileMissing):
        files.keep("a" * 64)
    sha256 = put(files, b"original")
    (files.source / sha256).write_bytes(b"swapped")
    with pytest.raises(FileMissing):
        files.keep(sha256)
    assert list(files.path.iterdir()) == []  # no partial or wrong copy left


def test_an_altered_or_lost_copy_is_reported(files):
    sha256 = put(files, b"report")
    files.keep(sha256)
    (files.path / sha256).write_bytes(b"edited")
    assert files.check(sha256) == "altered"
    (files.path / sha256).unlink()
    assert files.check(sha256) == "not kept"


def test_the_files_an_entry_names():
    assert files_named({"attachments": [{"sha256": "a", "name": "spec.pdf", "media_type": "application/pdf"}],
                        "evidence": {"documents": [{"sha256": "b", "name": "report.pdf"}]}}) == ["a", "b"]
    assert files_named({"evidence": {"report_number": "R-1"}}) == [] == files_named({})
