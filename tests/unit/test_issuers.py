"""The configuration of other identity providers: refused at start when it cannot work."""
import pytest

from gateway.external_sessions import ExternalSessions, safe_path
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
    ([{**GOOD, "sign_in": {"client_id": "console"}}], "name"),
    ([{**GOOD, "sign_in": {"client_id": "", "name": {"zh-CN": "统一身份认证"}}}], "client_id"),
    ([{**GOOD, "sign_in": {"client_id": "c", "name": {"en": "Unified identity"}}}], "zh-CN"),
    ([{**GOOD, "sign_in": {"client_id": "c", "name": {"zh-CN": "认证"}, "secret": "x"}}], "secret"),
])
def test_a_configuration_that_cannot_work_stops_the_start(configured, problem):
    with pytest.raises(ConfigurationError, match=problem):
        external_issuers(configured)


def test_only_issuers_that_sign_people_in_are_offered_and_a_return_path_stays_on_this_site():
    signing_in = {**GOOD, "issuer": "https://idp.example/realms/people",
                  "sign_in": {"client_id": "console", "name": {"zh-CN": "统一身份认证", "en": "Unified"}}}
    sessions = ExternalSessions(external_issuers([GOOD, signing_in]))
    assert sessions.offered("en") == [{"issuer": "https://idp.example/realms/people", "name": "Unified"}]
    assert sessions.offered("zh-CN")[0]["name"] == "统一身份认证"
    for elsewhere in ("//evil.example/x", "/\\evil.example", "https://evil.example", "", None):
        assert safe_path(elsewhere) == "/"
    assert safe_path("/enterprise/demands?status=open") == "/enterprise/demands?status=open"
