"""A process given an example secret refuses to start, naming the setting."""
import pytest
from nameko.testing.services import dummy

from shared.config import ConfigurationError, refuse_placeholders
from shared.runtime import Following


@pytest.mark.parametrize("config, setting", [
    ({"AMQP_URI": "amqp://onestop-intake:CHANGE-ME@rabbit:5672/onestop"}, "AMQP_URI"),
    ({"EVENT_STORE": {"postgres_password": "change-me"}}, "EVENT_STORE.postgres_password"),
    ({"ARCHIVE": {"mongo_uri": "mongodb://a:Change-Me@m:27017/"}}, "ARCHIVE.mongo_uri"),
    ({"PARTNERS": {"management_password": "CHANGEME"}}, "PARTNERS.management_password"),
])
def test_an_example_secret_is_refused_by_name(config, setting):
    with pytest.raises(ConfigurationError, match=setting.replace(".", r"\.")):
        refuse_placeholders(config)


def test_real_secrets_and_none_pass():
    refuse_placeholders({"AMQP_URI": "amqp://onestop-intake:k3Jq9x@rabbit:5672/onestop",
                         "EVENT_STORE": {"postgres_password": ""}})


class Service:
    name = "refusing"
    follower = Following()

    @dummy
    def nothing(self):
        pass


def test_a_service_given_one_does_not_start(container_factory):
    container = container_factory(Service, {"AMQP_URI": "memory://onestop:CHANGE-ME@x/", "DATA_DIR": "/tmp"})
    with pytest.raises(ConfigurationError, match="AMQP_URI"):
        container.start()
