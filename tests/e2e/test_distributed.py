"""The distributed mode: each service its own process, real RabbitMQ and PostgreSQL."""
from collections import Counter

import pytest
from kombu import Connection

from tests import factories
from tests.conftest import PG, evaluation_month, wait_for
from tests.e2e.harness import Distributed, onestop

SPECIALIST = ("specialist", "s-1")
SUPERVISOR = ("supervisor", "regulator-1")


@pytest.fixture
def platform(tmp_path, rabbit_config, pg_schema_prefix):
    platform = Distributed(tmp_path, rabbit_config["AMQP_URI"], PG["dbname"], pg_schema_prefix,
                           service_settings={"gateway": {"ONESTOP_GATEWAY_RPC_TIMEOUT": "6"}}).start()
    platform.api.open_station()
    yield platform
    platform.stop()


def submit(api, **overrides):
    response = api.call("POST", "/api/v1/demands", as_=SPECIALIST, json=factories.demand(**overrides))
    assert response.status_code == 201, response.text
    return response.json()["id"]


def sample_value(text: str, name: str, labels: dict) -> float | None:
    """A sample's value in Prometheus text output, or None if it is not there."""
    from prometheus_client.parser import text_string_to_metric_families
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return sample.value
    return None


def assignments_in(dossier):
    return [e["data"]["institution_id"] for e in dossier["events"] if e["name"] == "InstitutionAssigned"]


def test_a_consumer_killed_mid_stream_ends_with_every_demand_assigned_exactly_once(platform):
    api = platform.api
    institutions = [api.call("POST", "/api/v1/institutions", as_=SPECIALIST,
                             json=factories.institution()).json()["id"] for _ in range(3)]
    matching = platform.processes["matching"]
    ids = []
    for n in range(30):
        ids.append(submit(api))
        if n == 10:
            matching.kill()
        if n == 20:
            matching.start()

    dossiers = [api.wait_dossier(i, "assigned", SUPERVISOR, timeout=60) for i in ids]
    assert all(len(assignments_in(d)) == 1 for d in dossiers)
    assert all(api.call("GET", f"/api/v1/demands/{i}", as_=SPECIALIST).json()["status"] == "assigned"
               for i in ids)
    load = Counter(assignments_in(d)[0] for d in dossiers)
    assert set(load) <= set(institutions) and sum(load.values()) == 30
    period = evaluation_month(dossiers[0]["submitted_at"])

    def assignments_counted():
        figures = api.call("GET", f"/api/v1/evaluation/figures?period={period}", as_=SUPERVISOR).json()
        return figures["figures"].get("assignments", 0)
    wait_for(lambda: assignments_counted() >= 30, timeout=30, message="evaluation to count 30")
    assert assignments_counted() == 30


def test_a_service_that_is_down_gets_a_503_after_the_timeout_and_answers_again_once_back(platform):
    api = platform.api
    institution = api.call("POST", "/api/v1/institutions", as_=SPECIALIST,
                           json=factories.institution()).json()["id"]
    matching = platform.processes["matching"]
    matching.stop()
    # Its queue stays: the request waits there, unconfirmed and unanswered, until the timeout.
    down = api.call("GET", f"/api/v1/institutions/{institution}", as_=SPECIALIST)
    assert down.status_code == 503 and down.json()["error"] == "service_unavailable", down.text
    matching.start()
    api.wait_ready()
    back = api.call("GET", f"/api/v1/institutions/{institution}", as_=SPECIALIST)
    assert back.status_code == 200 and back.json()["id"] == institution, back.text


def test_the_gateway_serves_its_metrics_on_their_own_port_and_none_on_the_api(platform):
    api = platform.api
    api.call("GET", "/api/v1/demands", as_=SPECIALIST)
    assert 'onestop_http_requests_total{method="GET",route="/api/v1/demands",status="200"}' \
        in platform.metrics("gateway")
    assert api.call("GET", "/metrics").status_code == 404


def test_messages_deleted_while_the_consumer_is_down_are_still_processed_and_rebuild_is_identical(
        platform, rabbit_config):
    api = platform.api
    api.call("POST", "/api/v1/institutions", as_=SPECIALIST, json=factories.institution())
    matching = platform.processes["matching"]
    matching.stop()
    ids = [submit(api) for _ in range(5)]
    deleted = []
    with Connection(rabbit_config["AMQP_URI"]) as connection:
        channel = connection.channel()

        def all_deleted():
            # Each message carries a relay batch: one or more demands' notifications.
            while (message := channel.basic_get("matching.follows.intake", no_ack=True)) is not None:
                deleted.append(message.headers["x-onestop-count"])
            # DemandSubmitted and DemandAccepted of each demand, and the service catalogue's
            # default, which the first submission opened and published (two events).
            return sum(deleted) >= 12
        wait_for(all_deleted, timeout=20, message="intake's messages to reach matching's queue")
    assert sum(deleted) == 12
    matching.start()

    live = {i: api.wait_dossier(i, "assigned", SUPERVISOR, timeout=60) for i in ids}

    archive = platform.processes["archive"]
    archive.stop()
    rebuilt = onestop(platform.env, "archive", "rebuild")
    assert rebuilt.returncode == 0, rebuilt.stderr
    archive.start()
    api.wait_ready()
    assert {i: api.call("GET", f"/api/v1/archive/demands/{i}", as_=SUPERVISOR).json() for i in ids} == live


def test_two_replicas_of_matching_assign_every_demand_exactly_once(tmp_path, rabbit_config, pg_schema_prefix):
    """Two matching processes share its queue, store and upstreams: each notification is
    applied once (tracking), whichever replica takes it, and its relay duplicates are dropped."""
    platform = Distributed(tmp_path, rabbit_config["AMQP_URI"], PG["dbname"], pg_schema_prefix,
                           replicas={"matching": 2}).start()
    try:
        api = platform.api
        api.open_station()
        institutions = [api.call("POST", "/api/v1/institutions", as_=SPECIALIST,
                                 json=factories.institution()).json()["id"] for _ in range(3)]
        ids = [submit(api) for _ in range(30)]
        dossiers = [api.wait_dossier(i, "assigned", SUPERVISOR, timeout=60) for i in ids]
        assert all(len(assignments_in(d)) == 1 for d in dossiers)
        offers = [e for d in dossiers for e in d["events"] if e["name"] == "AssignmentOffered"]
        assert len(offers) == 30  # one offer each: no replica offered a demand again
        load = Counter(assignments_in(d)[0] for d in dossiers)
        assert set(load) <= set(institutions) and sum(load.values()) == 30
        for name in ("matching", "matching-2"):
            output = platform.processes[name].output()
            assert "Traceback" not in output, output
        # Both replicas consumed intake's queue: each one's own metrics show it applied part
        # of intake's log.
        applied = [sample_value(platform.metrics(name), "onestop_inbox_messages_total",
                                {"service": "matching", "upstream": "intake", "outcome": "applied"})
                   for name in ("matching", "matching-2")]
        assert all(count > 0 for count in applied), applied
        intake_metrics = platform.metrics("intake")
        assert sample_value(intake_metrics, "onestop_events_total",
                            {"service": "intake", "event": "DemandSubmitted"}) == 30
        assert sample_value(intake_metrics, "onestop_entrypoint_calls_total",
                            {"service": "intake", "entrypoint": "submit_demand", "outcome": "ok"}) == 30
        assert sample_value(intake_metrics, "onestop_inbox_lag_notifications",
                            {"service": "intake", "upstream": "matching"}) is not None
    finally:
        platform.stop()
