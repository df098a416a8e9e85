"""Signing in through another identity platform: a real OpenID Connect provider (oidc-provider,
started here with Node.js) issues the access tokens; the gateway verifies them with the keys the
provider publishes and maps its roles to the platform's. A second provider, not configured, is
refused with the very same claims."""
import json
import subprocess
from pathlib import Path

import pytest
import requests

from tests import factories
from tests.e2e.harness import Embedded, free_port

PROVIDER = Path(__file__).resolve().parents[1] / "oidc"
ENTERPRISE = factories.credit_code()
#: The people of the identity platform, as clients whose tokens carry their claims there.
PEOPLE = [
    {"client_id": "regulator", "client_secret": "regulator-secret-0123456789",
     "claims": {"roles": ["qi-supervisor"], "org_code": "panyu-amr", "amr": ["pwd", "otp"]}},
    {"client_id": "regulator-password-only", "client_secret": "regulator-secret-9876543210",
     "claims": {"roles": ["qi-supervisor"], "org_code": "panyu-amr", "amr": ["pwd"]}},
    {"client_id": "lamp-maker", "client_secret": "lamp-maker-secret-0123456789",
     "claims": {"roles": ["qi-enterprise"], "org_code": ENTERPRISE}},
    {"client_id": "visitor", "client_secret": "visitor-secret-0123456789",
     "claims": {"roles": ["guest"], "org_code": "nobody"}},
]


class OidcProvider:
    def __init__(self, tmp: Path):
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.log = tmp / f"oidc-{self.port}.log"
        with open(self.log, "w") as out:
            self.process = subprocess.Popen(["node", str(PROVIDER / "provider.js"), str(self.port),
                                             json.dumps(PEOPLE)], stdout=subprocess.PIPE,
                                            stderr=out, text=True, cwd=PROVIDER)
        ready = self.process.stdout.readline()
        assert ready.strip() == "ready", self.log.read_text()

    def token(self, client_id: str) -> str:
        secret = next(p["client_secret"] for p in PEOPLE if p["client_id"] == client_id)
        answer = requests.post(f"{self.issuer}/token", auth=(client_id, secret), timeout=10,
                               data={"grant_type": "client_credentials", "scope": "api"})
        assert answer.status_code == 200, answer.text
        return answer.json()["access_token"]

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


@pytest.fixture(scope="module")
def providers(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("oidc")
    configured, other = OidcProvider(tmp), OidcProvider(tmp)
    yield configured, other
    configured.stop()
    other.stop()


@pytest.fixture(scope="module")
def platform(tmp_path_factory, providers):
    configured, _ = providers
    issuers = [{"issuer": configured.issuer, "audience": "onestop-api", "roles_claim": "roles",
                "roles": {"qi-supervisor": "supervisor", "qi-enterprise": "enterprise"},
                "party_claim": "org_code"}]
    platform = Embedded(tmp_path_factory.mktemp("external-issuer"),
                        ONESTOP_EXTERNAL_ISSUERS=json.dumps(issuers)).start()
    platform.api.open_station()
    yield platform
    platform.stop()


def test_a_token_of_the_configured_provider_acts_in_the_mapped_roles(platform, providers):
    api, (configured, _) = platform.api, providers
    enterprise = configured.token("lamp-maker")
    submitted = api.call("POST", "/api/v1/demands", as_=enterprise, json=factories.demand(ENTERPRISE))
    assert submitted.status_code == 201, submitted.text
    assert [d["id"] for d in api.call("GET", "/api/v1/demands", as_=enterprise).json()["items"]] == \
        [submitted.json()["id"]]
    # Acting for its own credit code only, as any enterprise.
    assert api.call("POST", "/api/v1/demands", as_=enterprise,
                    json=factories.demand(factories.credit_code())).status_code == 403
    regulator = configured.token("regulator")
    assert api.call("GET", "/api/v1/archive/demands", as_=regulator).status_code == 200
    refused = api.call("POST", "/api/v1/demands", as_=regulator, json=factories.demand(ENTERPRISE))
    assert refused.status_code == 403 and refused.json()["error"] == "forbidden"


def test_a_supervisor_without_a_second_factor_there_is_no_supervisor_here(platform, providers):
    refused = platform.api.call("GET", "/api/v1/archive/demands",
                                as_=providers[0].token("regulator-password-only"))
    assert refused.status_code == 403, refused.text


def test_a_role_with_no_mapping_gives_nothing(platform, providers):
    visitor = providers[0].token("visitor")
    refused = platform.api.call("GET", "/api/v1/archive/demands", as_=visitor)
    assert refused.status_code == 403, refused.text
    assert platform.api.call("GET", "/api/v1/me", as_=visitor).status_code == 403  # no account here


def test_a_token_of_a_provider_not_configured_is_refused(platform, providers):
    _, other = providers
    refused = platform.api.call("GET", "/api/v1/archive/demands", as_=other.token("regulator"))
    assert refused.status_code == 401 and refused.json()["error"] == "invalid_token", refused.text
    assert "issuer" in refused.json()["message"]
