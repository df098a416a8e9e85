"""The configuration of other identity providers: refused at start when it cannot work."""
import pytest

from gateway.issuers import external_issuers
from shared.config import ConfigurationError

GOOD = {"issuer": "https://idp.example/realms/gd", "audience": "onestop-api",
        "roles_claim": "realm_access.roles", "roles": {"qi-supervisor": "supervisor"}}


def test_a_working_configuration_is_taken_by_issuer():
    assert list(external_issuers([GOOD])) == ["https://idp.example/realms/gd"]
    local = {**GOOD, "issuer": "http://127.0.0.1:3000"}  # a provider on this machine
    assert list(external_issuers([local])) == ["http://127.0.0.1:3000"]
    assert external_issuers([]) == {} and external_issuers(None) == {}


@pytest.mark.parametrize("configured, problem", [
    ({"issuer": "https://idp.example"}, "external_issuers"),
    ([{**GOOD, "issuer": "idp.example"}], "not an https URL"),
    ([{**GOOD, "issuer": "http://idp.example"}], "not an https URL"),
    ([{**GOOD, "roles": {}}], "must map its roles"),
    ([{**GOOD, "roles": {"qi-supervisor": "superuser"}}], "superuser"),
    ([{**GOOD, "algorithm": "HS256"}], "algorithm"),
    ([{"issuer": "https://idp.example", "roles": {"a": "supervisor"}}], "audience"),
])
def test_a_configuration_that_cannot_work_stops_the_start(configured, problem):
    with pytest.raises(ConfigurationError, match=problem):
        external_issuers(configured)
