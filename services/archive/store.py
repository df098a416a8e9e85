"""The archive's document database: MongoDB in deployment, an in-process store otherwise.

The archive code keeps to the pymongo API subset that both MongoDB and litemongo (a file-backed,
pymongo-compatible store) support, and receives the database handle from here.
"""
from __future__ import annotations

from shared.config import data_dir, section


def open_database(config: dict):
    settings = section(config, "ARCHIVE")
    name = settings.get("database") or "onestop_archive"
    uri = settings.get("mongo_uri")
    if uri:
        import pymongo

        return pymongo.MongoClient(str(uri), tz_aware=True)[name]
    import litemongo

    return litemongo.connect(str(data_dir(config) / "archive"))[name]
