"""The archive on each document store it may run on: the in-process stores always, and a real
MongoDB when ONESTOP_TEST_MONGO_URI names one (skipped, with the reason, otherwise).

The same scenario on each: follow a platform's logs, verify, search, read as of a moment, catch
an altered document, and rebuild to the same dossiers.
"""
import os
import uuid

import litemongo
import mongomock
import pytest

from services.archive.projection import Archive
from services.archive.seals import ArchiveSeals
from shared.eventstore import open_application
from tests import factories
from tests.unit.conftest import Platform

MONGO_URI = os.environ.get("ONESTOP_TEST_MONGO_URI")
SPECIALIST = {"role": "specialist", "subject": "s-1"}


@pytest.fixture(params=["mongomock", "litemongo", "mongodb"])
def document_db(request, tmp_path):
    if request.param == "mongomock":
        yield mongomock.MongoClient().archive
    elif request.param == "litemongo":
        yield litemongo.connect(str(tmp_path / "archive"))["archive"]
    else:
        if not MONGO_URI:
            pytest.skip("no MongoDB here: set ONESTOP_TEST_MONGO_URI=mongodb://host:27017 to run "
                        "the archive against a real server")
        import pymongo
        client = pymongo.MongoClient(MONGO_URI, tz_aware=True, serverSelectionTimeoutMS=5000)
        name = f"onestop_test_{uuid.uuid4().hex[:8]}"
        yield client[name]
        client.drop_database(name)
        client.close()


@pytest.fixture
def platform(tmp_path, document_db, clock):
    config = {"EVENT_STORE": {"kind": "sqlite"}, "DATA_DIR": str(tmp_path)}
    platform = Platform(config, clock, factories.station(auto_accept=["inspection_testing"]))
    platform.archive = Archive(document_db, open_application(ArchiveSeals, config))
    platform.archive.follow_upstreams(platform.read_log, retry_backoff=0)
    yield platform
    platform.close()


def test_the_archive_behaves_the_same_on_this_store(platform):
    intake, matching = platform.apps["intake"], platform.apps["matching"]
    lab = matching.register_institution(factories.institution(), SPECIALIST, station=factories.PANYU)
    served = intake.submit_demand(factories.demand(), SPECIALIST)
    refused = intake.submit_demand(factories.demand(category="metrology"), SPECIALIST)
    platform.settle()
    intake.assess(refused["id"], {"decision": "reject", "reason": "Out of scope"}, SPECIALIST)
    platform.settle()
    archive = platform.archive

    assert archive.dossier(served["id"])["assignment"]["institution_id"] == lab["id"]
    assert archive.dossier(refused["id"])["seal"]["sealed_by_event"] == "DemandRejected"
    assert all(archive.verify(d, check_sources=True)["intact"] for d in (served["id"], refused["id"]))
    assert [d["demand_id"] for d in archive.search({"status": "rejected"})["items"]] == [refused["id"]]
    assert [d["demand_id"] for d in archive.search({"institution": lab["id"]})["items"]] == [served["id"]]
    first = archive.dossier(served["id"])["events"][0]["occurred_at"]
    assert archive.dossier(served["id"], first)["status"] == "submitted"
    assert archive.db.stations.find_one({"_id": platform.station["id"]})["park"] == "panyu-energy-park"

    live = archive.dossiers()
    archive.rebuild(platform.read_log)
    assert archive.dossiers() == live

    first = archive.dossier(served["id"])["events"][0]
    archive.generation().entries.update_one(
        {"demand_id": served["id"], "notification_id": first["notification_id"],
         "service": first["service"]}, {"$set": {"data.title": "Other"}})
    report = archive.verify(served["id"])
    assert report["intact"] is False and report["first_broken"]["index"] == 0
