"""Each service on its own PostgreSQL role and RabbitMQ user, made by `onestop credentials
create`: the platform works end to end with them, and each is refused what is another's."""
import json

import amqp

import psycopg
import pytest
import requests
from kombu import Connection, Exchange, Queue

from tests import factories
from tests.conftest import PG
from tests.e2e.harness import Distributed, onestop

SPECIALIST, SUPERVISOR = ("specialist", "s-1"), ("supervisor", "regulator-1")


@pytest.fixture
def credentials(rabbit_config, pg_schema_prefix, tmp_path):
    env = {**Distributed(tmp_path, rabbit_config["AMQP_URI"], PG["dbname"], pg_schema_prefix).env,
           "ONESTOP_RABBITMQ_MANAGEMENT_USER": "guest", "ONESTOP_RABBITMQ_MANAGEMENT_PASSWORD": "guest"}
    made = onestop(env, "credentials", "create", "--format", "json")
    assert made.returncode == 0, made.stderr
    yield json.loads(made.stdout)
    for service in json.loads(made.stdout):  # the broker's users outlive the test's vhost
        requests.delete(f"http://127.0.0.1:15672/api/users/onestop-{service}", auth=("guest", "guest"),
                        timeout=10)


def test_the_platform_runs_on_a_role_and_a_user_per_service(credentials, rabbit_config, pg_schema_prefix,
                                                            tmp_path):
    assert set(credentials) == {"accounts", "intake", "matching", "evaluation", "archive", "partners",
                                "notices", "gateway"}
    assert "ONESTOP_PG_USER" not in credentials["gateway"]  # it holds no data
    platform = Distributed(tmp_path, rabbit_config["AMQP_URI"], PG["dbname"], pg_schema_prefix,
                           service_settings=credentials).start()
    try:
        api = platform.api
        api.open_station()
        api.call("POST", "/api/v1/institutions", as_=SPECIALIST, json=factories.institution())
        demand = api.call("POST", "/api/v1/demands", as_=SPECIALIST, json=factories.demand(channel="phone"))
        assert demand.status_code == 201, demand.text
        dossier = api.wait_dossier(demand.json()["id"], "assigned", SUPERVISOR, timeout=60)
        assert dossier["events"]
    finally:
        platform.stop()


def test_a_service_is_refused_what_is_another_services(credentials, pg_schema_prefix):
    intake = credentials["intake"]
    with psycopg.connect(host=PG["host"], port=PG["port"], dbname=PG["dbname"],
                         user=intake["ONESTOP_PG_USER"], password=intake["ONESTOP_PG_PASSWORD"]) as pg:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            pg.execute(f'CREATE TABLE "{pg_schema_prefix}matching".stolen (x int)')
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        with psycopg.connect(host=PG["host"], port=PG["port"], dbname=PG["dbname"],
                             user=intake["ONESTOP_PG_USER"], password=intake["ONESTOP_PG_PASSWORD"]) as pg:
            pg.execute("CREATE SCHEMA elsewhere")
    with Connection(intake["ONESTOP_AMQP_URI"]) as broker:
        # Not an upstream of intake's: not even declared.
        with pytest.raises(Exception, match="ACCESS_REFUSED"):
            Exchange("evaluation.events", type="topic", durable=True)(broker.channel()).declare()
    with Connection(intake["ONESTOP_AMQP_URI"]) as broker:
        # An upstream: read to bind intake's own queue to it, never written as matching.
        channel = broker.channel()
        with pytest.raises(Exception, match="ACCESS_REFUSED"):
            channel.basic_publish_confirm(amqp.Message("{}"), exchange="matching.events",
                                          routing_key="notifications")
    with Connection(intake["ONESTOP_AMQP_URI"]) as broker:
        with pytest.raises(Exception, match="ACCESS_REFUSED"):  # another follower's queue
            Queue("matching.follows.intake", durable=True)(broker.channel()).declare()
