"""The archive's document database: MongoDB in deployment, an in-process store otherwise.

The archive code keeps to the pymongo API subset that both MongoDB and litemongo (a file-backed,
pymongo-compatible store) support, and receives the database handle from here.
"""
from __future__ import annotations

from shared.config import (
    archive_files_folder, archive_prints_folder, attachment_folders, data_dir, section)


def open_database(config: dict):
    settings = section(config, "ARCHIVE")
    name = settings.get("database") or "onestop_archive"
    uri = settings.get("mongo_uri")
    if uri:
        import pymongo

        return pymongo.MongoClient(str(uri), tz_aware=True)[name]
    import litemongo

    return litemongo.connect(str(data_dir(config) / "archive"))[name]


def open_archive(config: dict):
    """The archive projection on the configured document store, with its seals' event store."""
    from services.archive.dossier import DEFAULT_RETENTION_YEARS
    from services.archive.projection import Archive
    from services.archive.seals import ArchiveSeals
    from shared.eventstore import open_application

    from services.archive.files import ArchiveFiles

    years = int(section(config, "ARCHIVE").get("retention_years") or DEFAULT_RETENTION_YEARS)
    files = ArchiveFiles(attachment_folders(config)[0], archive_files_folder(config))
    return Archive(open_database(config), open_application(ArchiveSeals, config), years, files,
                   archive_prints_folder(config))
