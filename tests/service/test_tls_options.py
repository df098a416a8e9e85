"""The TLS settings reach the platform's own connections: told to require TLS, a service refuses
this machine's PostgreSQL and RabbitMQ, which offer none (production's stores do; its overlay
sets these)."""
import ssl

import certifi
import pytest
from kombu import Exchange

from services.intake.application import Intake
from shared.eventstore import open_application
from shared.publishing import ConfirmedPublisher, Outgoing
from tests.unit.conftest import store_config


def test_postgresql_connections_follow_libpq_s_sslmode(tmp_path, pg_schema_prefix, monkeypatch):
    config = store_config("postgres", tmp_path, pg_schema_prefix)
    monkeypatch.setenv("PGSSLMODE", "require")
    with pytest.raises(Exception, match="SSL"):
        open_application(Intake, config)
    monkeypatch.setenv("PGSSLMODE", "prefer")  # the default: this server has none, so plain
    open_application(Intake, config).close()


def test_the_relays_broker_connections_take_amqp_ssl(rabbit_config):
    exchange = Exchange("tls-test.events", type="topic", durable=True)
    verified = {"ca_certs": certifi.where(), "cert_reqs": ssl.CERT_REQUIRED}
    publisher = ConfirmedPublisher(rabbit_config["AMQP_URI"], exchange, confirm_timeout=5, ssl=verified)
    with pytest.raises(Exception):  # a TLS handshake with a port that speaks plain AMQP
        publisher.publish([Outgoing({"n": 1}, "Counted")])
    publisher.close()
    plain = ConfirmedPublisher(rabbit_config["AMQP_URI"], exchange, confirm_timeout=5)
    plain.publish([Outgoing({"n": 1}, "Counted")])
    plain.close()
