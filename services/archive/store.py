"""The archive's document database: MongoDB in deployment, an in-process store otherwise.

The archive code keeps to the pymongo API subset that both MongoDB and litemongo (a file-backed,
pymongo-compatible store) support, and receives the database handle from here.
"""
from __future__ import annotations

from shared.config import (
    ConfigurationError, archive_files_folder, archive_prints_folder, attachment_folders, data_dir,
    section)


def open_database(config: dict):
    settings = section(config, "ARCHIVE")
    name = settings.get("database") or "onestop_archive"
    uri = settings.get("mongo_uri")
    if uri:
        import pymongo

        return pymongo.MongoClient(str(uri), tz_aware=True)[name]
    import litemongo

    return litemongo.connect(str(data_dir(config) / "archive"))[name]


def retention_years(config: dict, default: int) -> int:
    """``ARCHIVE.retention_years``: 0 to 100 (0 keeps a dossier to the day it was sealed); -1,
    for tests only, makes a dossier due for disposal as soon as it is sealed."""
    configured = section(config, "ARCHIVE").get("retention_years")
    if configured in (None, ""):
        return default
    try:
        years = int(configured)
    except (TypeError, ValueError):
        years = None
    if years is None or not -1 <= years <= 100:
        raise ConfigurationError(f"ARCHIVE.retention_years must be a whole number of years from 0 "
                                 f"to 100 (-1 in tests only), not {configured!r}")
    return years


def open_archive(config: dict):
    """The archive projection on the configured document store, with its seals' event store."""
    from services.archive.dossier import DEFAULT_RETENTION_YEARS
    from services.archive.projection import Archive
    from services.archive.seals import ArchiveSeals
    from shared.eventstore import open_application

    from services.archive.files import ArchiveFiles

    years = retention_years(config, DEFAULT_RETENTION_YEARS)
    files = ArchiveFiles(attachment_folders(config)[0], archive_files_folder(config))
    return Archive(open_database(config), open_application(ArchiveSeals, config), years, files,
                   archive_prints_folder(config))
