"""The whole event path without a broker: each application follows the others' logs directly,
on the in-memory, SQLite and PostgreSQL event stores in turn."""
import mongomock
import pytest

from services.archive.projection import Archive
from services.archive.seals import ArchiveSeals
from services.evaluation.application import Evaluation
from services.intake.application import Intake
from services.matching.application import Matching
from shared.eventstore import open_application
from tests import factories
from tests.conftest import PG
from tests.unit.plain_contracts import same_as_marshmallow

OPERATOR = {"role": "operator", "subject": "ops-1"}


def store_config(kind: str, tmp_path, pg_schema_prefix: str) -> dict:
    store = {"kind": kind}
    if kind == "postgres":
        store.update(postgres_host=PG["host"], postgres_port=PG["port"],
                     postgres_dbname=PG["dbname"], postgres_user=PG["user"],
                     postgres_schema_prefix=pg_schema_prefix)
    return {"EVENT_STORE": store, "DATA_DIR": str(tmp_path)}


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def config(request, tmp_path, pg_schema_prefix):
    return store_config(request.param, tmp_path, pg_schema_prefix)


@pytest.fixture(params=["sqlite", "postgres"])
def durable_config(request, tmp_path, pg_schema_prefix):
    """A store that outlives the application (the in-memory one does not)."""
    return store_config(request.param, tmp_path, pg_schema_prefix)


class Platform:
    """Intake, matching, evaluation and the archive on one controlled clock: the applications'
    business time and the events' own timestamps both read ``clock``, so no figure depends on
    the day the tests run."""

    def __init__(self, config, clock, station=None):
        self.clock = clock
        self.apps = {cls.service: open_application(cls, config) for cls in (Intake, Matching, Evaluation)}
        for app in self.apps.values():
            app.clock = clock
        self.archive = Archive(mongomock.MongoClient().db, open_application(ArchiveSeals, config))
        for follower in [*self.apps.values(), self.archive]:
            follower.follow_upstreams(self.read_log, retry_backoff=0)
        self.station = self.apps["intake"].register_station(station or factories.station(), OPERATOR)
        self.apps["intake"].add_specialist(self.station["id"], factories.specialist(), OPERATOR)

    def read_log(self, upstream, after, limit):
        source = self.archive if upstream == "archive" else self.apps[upstream]
        messages = source.log(after, limit)
        same_as_marshmallow(source.seals if upstream == "archive" else source, messages)
        return messages

    def settle(self):
        while sum(f.catch_up() for f in [*self.apps.values(), self.archive]):
            pass

    def close(self):
        for app in self.apps.values():
            app.close()
        self.archive.close()


@pytest.fixture
def platform(config, clock):
    platform = Platform(config, clock)
    yield platform
    platform.close()


@pytest.fixture
def open_platform(config, clock):
    """Opens a platform whose station is registered with the given payload."""
    opened = []

    def open_(station=None):
        opened.append(Platform(config, clock, station))
        return opened[-1]
    yield open_
    for platform in opened:
        platform.close()


