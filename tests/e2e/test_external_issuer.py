"""Signing in through another identity platform: a real OpenID Connect provider (oidc-provider,
started here with Node.js) issues the access tokens; the gateway verifies them with the keys the
provider publishes and maps its roles to the platform's. A second provider, not configured, is
refused with the very same claims. A browser signs in to the console through the provider's own
sign-in page (the authorization code flow, the gateway being the provider's client)."""
import json
import re
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests

from tests import factories
from tests.conftest import wait_for
from tests.e2e.harness import Embedded, free_port

PROVIDER = Path(__file__).resolve().parents[1] / "oidc"
ENTERPRISE = factories.credit_code()
#: The company that runs the station (运营机构), whose people sign in there.
OPERATING = factories.credit_code()
#: The people of the identity platform, as clients whose tokens carry their claims there.
UNREACHABLE = f"http://127.0.0.1:{free_port()}"
PEOPLE = [
    {"client_id": "regulator", "client_secret": "regulator-secret-0123456789",
     "claims": {"roles": ["qi-supervisor"], "org_code": "panyu-amr", "amr": ["pwd", "otp"]}},
    {"client_id": "regulator-password-only", "client_secret": "regulator-secret-9876543210",
     "claims": {"roles": ["qi-supervisor"], "org_code": "panyu-amr", "amr": ["pwd"]}},
    {"client_id": "lamp-maker", "client_secret": "lamp-maker-secret-0123456789",
     "claims": {"roles": ["qi-enterprise"], "org_code": ENTERPRISE}},
    {"client_id": "station-operator", "client_secret": "station-operator-secret-01234",
     "claims": {"roles": ["qi-station-operator"], "org_code": OPERATING}},
    {"client_id": "visitor", "client_secret": "visitor-secret-0123456789",
     "claims": {"roles": ["guest"], "org_code": "nobody"}},
]


#: The platform's port, known before it starts: the provider must know where it returns browsers.
PLATFORM_PORT = free_port()
#: The console's client at the provider, and the people who sign in on its page. Access tokens
#: live 30 s, less than the minute the gateway keeps in hand: every renewal uses the refresh token.
BROWSER = {
    "client": {"client_id": "onestop-console", "client_secret": "console-secret-0123456789",
               "redirect_uris": [f"http://127.0.0.1:{PLATFORM_PORT}/api/v1/sessions/external/callback"]},
    "access_token_seconds": 30,
    "people": [
        {"login": "he.li", "password": "lamp-2026", "name": "何丽",
         "claims": {"roles": ["qi-enterprise"], "org_code": ENTERPRISE}},
        {"login": "passer.by", "password": "guest-2026", "name": "路人",
         "claims": {"roles": ["guest"], "org_code": "nobody"}},
    ],
}


class OidcProvider:
    def __init__(self, tmp: Path):
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.log = tmp / f"oidc-{self.port}.log"
        with open(self.log, "w") as out:
            self.process = subprocess.Popen(["node", str(PROVIDER / "provider.js"), str(self.port),
                                             json.dumps(PEOPLE), json.dumps(BROWSER)],
                                            stdout=out, stderr=subprocess.STDOUT, cwd=PROVIDER)
        # Bounded: a provider that never gets ready fails its tests, never the whole run.
        try:
            wait_for(self.ready, 60, interval=0.1, message=f"the OpenID provider on port {self.port}")
        except AssertionError:
            self.process.kill()
            raise AssertionError(self.log.read_text()) from None

    def ready(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"the OpenID provider exited: {self.log.read_text()}")
        return "ready" in self.log.read_text().splitlines()

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
                "roles": {"qi-supervisor": "supervisor", "qi-enterprise": "enterprise",
                          "qi-station-operator": "operating_institution"},
                "party_claim": "org_code",
                "sign_in": {"client_id": "onestop-console",
                            "client_secret": "console-secret-0123456789", "scope": "openid api",
                            "name": {"zh-CN": "测试统一身份认证平台", "en": "Test unified identity"}}},
               # One that offers sign-in but does not answer (nothing listens there).
               {"issuer": UNREACHABLE, "audience": "onestop-api", "roles": {"x": "enterprise"},
                "sign_in": {"client_id": "c", "name": {"zh-CN": "停机的平台"}}}]
    platform = Embedded(tmp_path_factory.mktemp("external-issuer"), port=PLATFORM_PORT,
                        ONESTOP_EXTERNAL_ISSUERS=json.dumps(issuers)).start()
    platform.station = platform.api.open_station(
        operating_institution={"name": "番禺质量服务有限公司", "credit_code": OPERATING})
    # Another company's station, in another park.
    platform.elsewhere = platform.api.open_station(staff=(), park="huangpu-science-city")
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


def test_an_operating_institution_s_person_reads_the_stations_it_runs(platform, providers):
    api, (configured, _) = platform.api, providers
    runs = configured.token("station-operator")
    stations = api.call("GET", "/api/v1/stations", as_=runs)
    assert stations.status_code == 200, stations.text
    assert [s["id"] for s in stations.json()["items"]] == [platform.station["id"]]
    requirements = api.call("GET", f"/api/v1/stations/{platform.station['id']}/requirements", as_=runs)
    assert requirements.status_code == 200, requirements.text
    # Acting for its own credit code: another company's station is not there for it.
    assert api.call("GET", f"/api/v1/stations/{platform.elsewhere['id']}/requirements",
                    as_=runs).status_code == 404


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


class Browser:
    """A browser's cookies and redirects, step by step (as a browser follows them)."""

    def __init__(self, base: str):
        self.base, self.session = base, requests.Session()

    def go(self, url: str, method: str = "GET", **kwargs) -> requests.Response:
        """Follows redirects until a page (or a redirect out of the platform's callback)."""
        answer = self.session.request(method, urljoin(self.base, url), allow_redirects=False,
                                      timeout=15, **kwargs)
        while answer.status_code in (302, 303) and "/external/callback" not in answer.url:
            answer = self.session.get(urljoin(answer.url, answer.headers["Location"]),
                                      allow_redirects=False, timeout=15)
        return answer

    def sign_in_at_provider(self, page: requests.Response, login: str, password: str):
        action = re.search(r'action="([^"]+/login)"', page.text).group(1)
        return self.go(urljoin(page.url, action), "POST", data={"login": login, "password": password})

    def refresh(self) -> requests.Response:
        return self.session.post(self.base + "/api/v1/sessions/refresh", json={}, timeout=15)


def returned_to(answer: requests.Response) -> tuple[str, dict]:
    """Where the platform sent the browser back: the path and its query."""
    assert answer.status_code == 303, (answer.status_code, answer.text[:300])
    where = urlsplit(answer.headers["Location"])
    return where.path, {key: values[0] for key, values in parse_qs(where.query).items()}


def test_the_sign_in_page_lists_the_providers_that_sign_people_in_in_the_persons_language(platform, providers):
    api = platform.api
    chinese = requests.get(api.base + "/api/v1/sessions/providers", timeout=10).json()["items"]
    assert chinese == [{"issuer": providers[0].issuer, "name": "测试统一身份认证平台"},
                       {"issuer": UNREACHABLE, "name": "停机的平台"}]
    english = requests.get(api.base + "/api/v1/sessions/providers", timeout=10,
                           headers={"Accept-Language": "en"}).json()["items"]
    assert [p["name"] for p in english] == ["Test unified identity", "停机的平台"]  # no English name


def test_a_person_signs_in_through_the_providers_page_and_the_console_keeps_the_session(platform, providers):
    api, configured = platform.api, providers[0]
    browser = Browser(api.base)
    started = browser.session.get(api.base + "/api/v1/sessions/external", allow_redirects=False,
                                  timeout=10, params={"issuer": configured.issuer,
                                                      "return_to": "/enterprise/demands"})
    assert started.status_code == 303 and started.headers["Location"].startswith(configured.issuer)
    asked = parse_qs(urlsplit(started.headers["Location"]).query)
    assert asked["code_challenge_method"] == ["S256"] and asked["client_id"] == ["onestop-console"]
    flow = started.headers["Set-Cookie"]
    assert "onestop_sign_in=" in flow and "HttpOnly" in flow and "SameSite=Lax" in flow
    assert "Path=/api/v1/sessions/external" in flow

    page = browser.go(started.headers["Location"])
    assert page.status_code == 200 and "统一身份认证平台" in page.text
    wrong = browser.sign_in_at_provider(page, "he.li", "not-her-password")
    assert "账号或密码不正确" in wrong.text
    back = browser.sign_in_at_provider(wrong, "he.li", "lamp-2026")
    assert returned_to(back) == ("/enterprise/demands", {})
    kept = back.headers["Set-Cookie"]
    assert "onestop_external=" in kept and "HttpOnly" in kept and "SameSite=Strict" in kept
    assert "Path=/api/v1/sessions" in kept and "onestop_sign_in=;" in kept  # the flow is over

    tokens = browser.refresh()
    assert tokens.status_code == 200, tokens.text
    answer = tokens.json()
    assert answer["acts"] == {"enterprise": ENTERPRISE} and answer["issuer"] == configured.issuer
    assert answer["person"] is None and answer["refresh_token"] is None
    submitted = api.call("POST", "/api/v1/demands", as_=answer["access_token"],
                         json=factories.demand(ENTERPRISE))
    assert submitted.status_code == 201, submitted.text
    # Its access tokens live 30 s, so each refresh asks the provider with its refresh token,
    # whose successor the cookie then holds.
    before = browser.session.cookies["onestop_external"]
    again = browser.refresh()
    assert again.status_code == 200, again.text
    assert again.json()["access_token"] != answer["access_token"]
    assert browser.session.cookies["onestop_external"] != before
    assert api.call("GET", f"/api/v1/demands/{submitted.json()['id']}",
                    as_=again.json()["access_token"]).status_code == 200

    ended = browser.session.post(api.base + "/api/v1/sessions/end", json={}, timeout=10)
    assert ended.status_code == 204 and "onestop_external=;" in ended.headers["Set-Cookie"]
    over = browser.refresh()
    assert over.status_code == 401 and over.json()["error"] == "unauthorized"


def test_each_failure_of_the_redirect_returns_to_the_sign_in_page_saying_why(platform, providers):
    api, configured = platform.api, providers[0]
    browser = Browser(api.base)
    unknown = browser.session.get(api.base + "/api/v1/sessions/external", allow_redirects=False,
                                  timeout=10, params={"issuer": "https://idp.example.org"})
    assert returned_to(unknown) == ("/sign-in", {"external_error": "unknown_issuer"})
    down = browser.session.get(api.base + "/api/v1/sessions/external", allow_redirects=False,
                               timeout=10, params={"issuer": UNREACHABLE})
    assert returned_to(down) == ("/sign-in", {"external_error": "provider_unavailable"})
    forged = browser.session.get(api.base + "/api/v1/sessions/external/callback", timeout=10,
                                 allow_redirects=False, params={"code": "x", "state": "not-ours"})
    assert returned_to(forged) == ("/sign-in", {"external_error": "expired"})

    # The person cancels on the provider's page.
    page = browser.go(f"/api/v1/sessions/external?issuer={configured.issuer}")
    action = re.search(r'action="([^"]+/abort)"', page.text).group(1)
    assert returned_to(browser.go(urljoin(page.url, action), "POST")) == \
        ("/sign-in", {"external_error": "cancelled"})
    # A person whose roles there map to none here: no session.
    page = browser.go(f"/api/v1/sessions/external?issuer={configured.issuer}&return_to=//evil.example")
    refused = browser.sign_in_at_provider(page, "passer.by", "guest-2026")
    assert returned_to(refused) == ("/sign-in", {"external_error": "no_role"})
    assert "onestop_external" not in browser.session.cookies
    assert browser.refresh().status_code == 401
