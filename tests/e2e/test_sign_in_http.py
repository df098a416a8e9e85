"""People through the HTTP API, as a new deployment meets them: the first operator's one-time
password, a station's specialist created and signed in, lock-outs, refresh tokens used up, a
disabled person cut off, and tokens anyone can verify with the published keys."""
import stat
from pathlib import Path

import jwt
import pytest
import requests

from tests import factories
from tests.conftest import wait_for
from tests.e2e.harness import Embedded

#: Short-lived access tokens, so the test sees one lapse (a deployment keeps 600 s).
ACCESS_SECONDS = 5


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    # Every reuse of a replaced refresh token ends the session here: the interval in which one
    # is taken for a lost answer is tested with a controlled clock (tests/unit/test_accounts.py).
    platform = Embedded(tmp_path_factory.mktemp("sign-in"),
                        ONESTOP_ACCESS_TOKEN_SECONDS=str(ACCESS_SECONDS),
                        ONESTOP_REFRESH_REUSE_SECONDS="0").start()
    yield platform
    platform.stop()


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def error_of(response, status):
    assert response.status_code == status, response.text
    return response.json()


def test_the_first_operator_signs_in_once_with_the_printed_password_and_must_change_it(platform):
    api = platform.api
    kept = Path(api.env["ONESTOP_DATA_DIR"]) / "first-operator-password"
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    password = kept.read_text().split("one-time password: ")[1].strip()
    assert password in platform.process.output()  # printed at the first start
    signed_in = api.sign_in("operator", password)
    assert signed_in.status_code == 201, signed_in.text
    tokens = signed_in.json()
    assert tokens["must_change_password"] is True and tokens["token_type"] == "Bearer"
    refused = error_of(api.call("GET", "/api/v1/demands", as_=tokens["access_token"]), 403)
    assert refused["error"] == "password_change_required"
    assert api.call("GET", "/api/v1/me", as_=tokens["access_token"]).json()["sign_in_name"] == "operator"
    weak = error_of(api.call("POST", "/api/v1/me/password", as_=tokens["access_token"], json={
        "current_password": password, "new_password": "operator123"}), 422)
    assert weak["error"] == "validation_failed" and "密码不符合要求" in weak["message"]
    changed = api.call("POST", "/api/v1/me/password", as_=tokens["access_token"], json={
        "current_password": password, "new_password": "Panyu-Ops-2026!"})
    assert changed.status_code == 200 and changed.json()["must_change_password"] is False
    assert api.sign_in("operator", password).status_code == 401  # spent
    # An operator must also set up a second factor before acting.
    pending = api.sign_in("operator", "Panyu-Ops-2026!").json()
    assert pending["pending"] == "second_factor_setup"
    refused = error_of(api.call("GET", "/api/v1/demands", as_=pending["access_token"]), 403)
    assert refused["error"] == "second_factor_required"
    wrong = error_of(api.call("POST", "/api/v1/me/second-factor/confirmation",
                              as_=pending["access_token"], json={"code": "123456"}), 409)
    assert wrong["error"] == "conflict"  # nothing proposed yet
    operator = api.with_second_factor("operator", "Panyu-Ops-2026!")
    assert api.call("GET", "/api/v1/demands", as_=operator).status_code == 200
    needs_code = error_of(api.sign_in("operator", "Panyu-Ops-2026!"), 401)
    assert needs_code["details"]["reason"] == "second_factor_required"


def operator_token(api):
    return api.sign_in("operator", "Panyu-Ops-2026!",
                       code=api.authenticators["operator"].code()).json()["access_token"]


def test_a_token_verifies_with_the_published_keys_and_says_who_and_for_whom(platform):
    api = platform.api
    discovery = api.call("GET", "/.well-known/openid-configuration").json()
    assert discovery["issuer"] == "onestop"  # the embedded mode's; a deployment sets its URL
    assert discovery["jwks_uri"] == f"{api.base}/.well-known/jwks.json"
    keys = {k["kid"]: k for k in api.call("GET", "/.well-known/jwks.json").json()["keys"]}
    token = operator_token(api)
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "ES256" and header["kid"] in keys
    claims = jwt.decode(token, jwt.PyJWK(keys[header["kid"]]).key, algorithms=["ES256"],
                        audience="onestop-api", issuer=discovery["issuer"])
    assert claims["roles"] == ["operator"] and claims["act"] == {"operator": claims["sub"]}
    assert claims["exp"] - claims["iat"] == ACCESS_SECONDS
    assert not any("d" in key for key in keys.values())  # public halves only


def test_an_operator_creates_a_specialist_who_works_until_disabled(platform):
    api = platform.api
    operator = operator_token(api)
    station = api.call("POST", "/api/v1/stations", as_=operator, json=factories.station()).json()
    organisation = api.call("POST", "/api/v1/organisations", as_=operator, json={
        "kind": "station", "party": station["id"], "name": station["name"]})
    assert organisation.status_code == 201, organisation.text
    created = api.call("POST", "/api/v1/persons", as_=operator, json={
        "organisation_id": organisation.json()["id"], "sign_in_name": "li.hua", "name": "李华",
        "mobile": "13800138000", "roles": ["specialist"]})
    assert created.status_code == 201, created.text
    person = created.json()
    first = api.sign_in("li.hua", person["one_time_password"]).json()
    assert api.call("POST", "/api/v1/me/password", as_=first["access_token"], json={
        "current_password": person["one_time_password"], "new_password": "Li-Hua-station-9"}).ok
    # The station takes the person on as its specialist (a staff id is the person's id).
    joined = api.call("POST", f"/api/v1/stations/{station['id']}/specialists", as_=operator,
                      json=factories.specialist(person["id"]))
    assert joined.status_code == 201, joined.text
    session = api.sign_in("li.hua", "Li-Hua-station-9").json()
    demand = api.call("POST", "/api/v1/demands", as_=session["access_token"],
                      json=factories.demand(channel="phone"))
    assert demand.status_code == 201, demand.text
    assert api.call("GET", f"/api/v1/demands/{demand.json()['id']}", as_=session["access_token"]).ok
    # The case's history names the person who took it, not only the role.
    dossier = wait_for(lambda: api.call("GET", f"/api/v1/archive/demands/{demand.json()['id']}",
                                        as_=("supervisor", "regulator-1")).json().get("events"),
                       timeout=30, message="the dossier")
    submitted = next(e for e in dossier if e["name"] == "DemandSubmitted")
    assert submitted["data"]["by"] == {"role": "specialist", "subject": person["id"],
                                       "person": person["id"], "organisation": person["organisation_id"]}
    # And the supervisor's reading of it is on the trail.
    trail = api.call("GET", "/api/v1/audit?event=DossierAccessed", as_=("supervisor", "regulator-1")).json()
    assert {"demand_id": demand.json()["id"], "action": "read"}.items() <= trail["items"][0].items()
    assert trail["items"][0]["person_id"] == "regulator-1"  # a development token: no person behind it
    signed_in = api.call("GET", f"/api/v1/audit?event=PersonSignedIn&person_id={person['id']}",
                         as_=("supervisor", "regulator-1")).json()["items"]
    assert len(signed_in) == 2 and {e["method"] for e in signed_in} == {"password"}

    disabled = api.call("POST", f"/api/v1/persons/{person['id']}/enabled", as_=operator,
                        json={"enabled": False, "reason": "调离本工作站"})
    assert disabled.status_code == 200 and disabled.json()["disabled"] is True
    refused = error_of(api.call("POST", "/api/v1/sessions/refresh",
                                json={"refresh_token": session["refresh_token"]}), 401)
    assert refused["error"] == "invalid_credentials"  # at once
    # The access token in hand lapses within its lifetime, and nothing renews it.
    wait_for(lambda: api.call("GET", "/api/v1/demands", as_=session["access_token"]).status_code == 401,
             timeout=ACCESS_SECONDS + 30, interval=0.5, message="the access token to lapse")
    assert error_of(api.sign_in("li.hua", "Li-Hua-station-9"), 401)["error"] == "invalid_credentials"


def test_failures_tell_nothing_and_five_lock_the_name(platform):
    api = platform.api
    answers = []
    for name in ("operator", "no-such-person"):
        for _ in range(5):
            response = api.sign_in(name, "Wrong-password-1")
            answers.append((response.status_code, response.text))
        locked = api.sign_in(name, "Panyu-Ops-2026!")
        assert locked.status_code == 429, locked.text
        assert 840 <= int(locked.headers["Retry-After"]) <= 900
        assert locked.json()["error"] == "too_many_attempts"
    assert len(set(answers)) == 1 and answers[0][0] == 401  # the same for a real and an unknown name
    for body in ({}, {"sign_in_name": "operator"}, {"sign_in_name": "x", "password": ""}, "[]"):
        kwargs = {"data": body, "headers": {"Content-Type": "application/json"}} if isinstance(body, str) \
            else {"json": body}
        assert api.call("POST", "/api/v1/sessions", **kwargs).status_code in (400, 422)


def test_a_refresh_token_serves_once(platform):
    api = platform.api
    operator = api.call("POST", "/api/v1/persons", as_=("operator", "ops-1"), json={
        "organisation_id": api.call("POST", "/api/v1/organisations", as_=("operator", "ops-1"), json={
            "kind": "agency", "party": "panyu-amr", "name": "番禺区市场监督管理局"}).json()["id"],
        "sign_in_name": "zhou.jian", "name": "周检", "roles": ["supervisor"]}).json()
    tokens = api.sign_in("zhou.jian", operator["one_time_password"]).json()
    renewed = api.call("POST", "/api/v1/sessions/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert renewed.status_code == 200, renewed.text
    again = api.call("POST", "/api/v1/sessions/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert again.status_code == 401
    # The replay ended the session: the thief and the owner both sign in again.
    assert api.call("POST", "/api/v1/sessions/refresh",
                    json={"refresh_token": renewed.json()["refresh_token"]}).status_code == 401


def test_a_browser_keeps_its_refresh_token_in_an_http_only_cookie_no_script_can_read(platform):
    api = platform.api
    made = api.call("POST", "/api/v1/persons", as_=("operator", "ops-1"), json={
        "organisation_id": api.call("POST", "/api/v1/organisations", as_=("operator", "ops-1"), json={
            "kind": "agency", "party": "nansha-amr", "name": "南沙区市场监督管理局"}).json()["id"],
        "sign_in_name": "lin.cookie", "name": "林检", "roles": ["supervisor"]}).json()
    browser = requests.Session()
    signed_in = browser.post(api.base + "/api/v1/sessions", timeout=10, json={
        "sign_in_name": "lin.cookie", "password": made["one_time_password"], "refresh_cookie": True})
    assert signed_in.status_code == 201 and signed_in.json()["refresh_token"] is None
    cookie = signed_in.headers["Set-Cookie"]
    assert "onestop_refresh=" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert "Path=/api/v1/sessions" in cookie and "Secure" not in cookie  # plain HTTP on 127.0.0.1
    first = browser.cookies["onestop_refresh"]

    renewed = browser.post(api.base + "/api/v1/sessions/refresh", json={}, timeout=10)
    assert renewed.status_code == 200 and renewed.json()["refresh_token"] is None
    assert renewed.json()["access_token"] and browser.cookies["onestop_refresh"] != first
    # The cookie is used up like any refresh token: presented again, it ends the session.
    stolen = requests.post(api.base + "/api/v1/sessions/refresh", json={}, timeout=10,
                           cookies={"onestop_refresh": first})
    assert stolen.status_code == 401
    assert browser.post(api.base + "/api/v1/sessions/refresh", json={}, timeout=10).status_code == 401

    again = browser.post(api.base + "/api/v1/sessions", timeout=10, json={
        "sign_in_name": "lin.cookie", "password": made["one_time_password"], "refresh_cookie": True})
    assert again.status_code == 201
    ended = browser.post(api.base + "/api/v1/sessions/end", json={}, timeout=10)
    assert ended.status_code == 204 and "onestop_refresh=;" in ended.headers["Set-Cookie"]
    assert "onestop_refresh" not in browser.cookies
    nothing = browser.post(api.base + "/api/v1/sessions/refresh", json={}, timeout=10)
    assert nothing.status_code == 401 and nothing.json()["error"] == "unauthorized"
    # Without the cookie option, tokens come in the body as before.
    assert api.sign_in("lin.cookie", made["one_time_password"]).json()["refresh_token"]


def test_an_enterprise_registers_itself_is_verified_by_a_specialist_and_sees_its_demands(platform):
    api = platform.api
    code, park = factories.credit_code(), "nansha-port-park"
    api.open_station(staff=("s-1",), park=park)
    # A demand taken at the counter before the enterprise had any account.
    counter = api.call("POST", "/api/v1/demands", as_=("specialist", "s-1"),
                       json=factories.demand(code, channel="counter", park=park))
    assert counter.status_code == 201, counter.text
    registered = api.call("POST", "/api/v1/enterprise-registrations", json={
        "credit_code": code, "organisation_name": "番禺灯饰有限公司", "sign_in_name": "panyu-lamps",
        "name": "何丽", "mobile": "13600000000", "password": "Lanterns-2026-ok"})
    assert registered.status_code == 201, registered.text
    waiting = api.sign_in("panyu-lamps", "Lanterns-2026-ok").json()
    assert waiting["pending"] == "verification"
    refused = error_of(api.call("GET", "/api/v1/demands", as_=waiting["access_token"]), 403)
    assert refused["error"] == "verification_pending"
    listed = api.call("GET", "/api/v1/organisations?kind=enterprise&verified=false",
                      as_=("specialist", "s-1")).json()["items"]
    enterprise = registered.json()["organisation"]["id"]
    assert enterprise in [o["id"] for o in listed]
    verified = api.call("POST", f"/api/v1/organisations/{enterprise}/verification",
                        as_=("specialist", "s-1"), json={"evidence": "营业执照原件已核对"})
    assert verified.status_code == 200 and verified.json()["verified"] is True
    acting = api.call("POST", "/api/v1/sessions/refresh",
                      json={"refresh_token": waiting["refresh_token"]}).json()["access_token"]
    mine = api.call("GET", "/api/v1/demands", as_=acting).json()["items"]
    assert counter.json()["id"] in [d["id"] for d in mine]  # the counter's demand is its own now
    submitted = api.call("POST", "/api/v1/demands", as_=acting, json=factories.demand(code, park=park))
    assert submitted.status_code == 201, submitted.text


def test_a_specialist_taken_off_the_station_is_refused_at_once_and_cannot_refresh(platform):
    api = platform.api
    operator = ("operator", "ops-1")
    station = api.open_station(staff=(), park="huangpu-port-park")
    organisation = api.call("POST", "/api/v1/organisations", as_=operator, json={
        "kind": "station", "party": station["id"], "name": station["name"]}).json()
    person, session = api.new_person(operator, organisation["id"], "wu.gang", ["specialist"],
                                     "Wu-Gang-huangpu-7")
    assert api.call("POST", f"/api/v1/stations/{station['id']}/specialists", as_=operator,
                    json=factories.specialist(person["id"])).status_code == 201
    taken = api.call("POST", "/api/v1/demands", as_=session["access_token"],
                     json=factories.demand(channel="phone", park="huangpu-port-park"))
    assert taken.status_code == 201, taken.text
    assert api.call("GET", f"/api/v1/demands/{taken.json()['id']}", as_=session["access_token"]).ok

    removed = api.call("POST", f"/api/v1/stations/{station['id']}/specialists/{person['id']}/removal",
                       as_=operator, json={"reason": "调往其他园区"})
    assert removed.status_code == 200, removed.text
    assert person["id"] not in [s["staff_id"] for s in removed.json()["specialists"]]
    # The token in hand still verifies, but the station's work is refused at once.
    assert api.call("GET", f"/api/v1/demands/{taken.json()['id']}", as_=session["access_token"]).status_code == 404
    assert error_of(api.call("POST", "/api/v1/demands", as_=session["access_token"], json=factories.demand(
        channel="phone", park="huangpu-port-park")), 403)["error"] == "forbidden"
    # Accounts follows the station: the role goes, and with it every refresh.
    wait_for(lambda: api.call("GET", f"/api/v1/persons/{person['id']}", as_=operator).json()["roles"] == [],
             timeout=30, message="the specialist role to be revoked")
    refused = api.call("POST", "/api/v1/sessions/refresh", json={"refresh_token": session["refresh_token"]})
    assert refused.status_code == 401, refused.text


def test_a_new_deployment_as_its_people_meet_it(tmp_path):
    """The issue's walk, each step by a person who signed in: the first operator (one-time
    password changed, authenticator set up) opens a station and creates its specialist; the
    specialist verifies an enterprise that registered itself; the enterprise submits a demand
    and sees it; the specialist, taken off the station, is refused at once and cannot refresh."""
    platform = Embedded(tmp_path).start()
    try:
        api = platform.api
        operator = api.first_operator_token("Walk-Ops-2026!")  # OTP -> new password -> TOTP
        station = api.call("POST", "/api/v1/stations", as_=operator, json=factories.station())
        assert station.status_code == 201, station.text
        organisation = api.call("POST", "/api/v1/organisations", as_=operator, json={
            "kind": "station", "party": station.json()["id"], "name": "番禺站"}).json()
        specialist, staff = api.new_person(operator, organisation["id"], "chen.jing", ["specialist"],
                                           "Station-work-88")
        assert api.call("POST", f"/api/v1/stations/{station.json()['id']}/specialists", as_=operator,
                        json=factories.specialist(specialist["id"])).status_code == 201

        code = factories.credit_code()
        registered = api.call("POST", "/api/v1/enterprise-registrations", json={
            "credit_code": code, "organisation_name": "广州灯具有限公司", "sign_in_name": "gz-lamps",
            "name": "李华", "mobile": "13900000000", "password": "Lamps-for-export-1"})
        assert registered.status_code == 201, registered.text
        waiting = api.call("GET", "/api/v1/organisations?kind=enterprise&verified=false",
                           as_=staff["access_token"]).json()["items"]
        enterprise = registered.json()["organisation"]["id"]
        assert [o["id"] for o in waiting] == [enterprise]
        assert api.call("POST", f"/api/v1/organisations/{enterprise}/verification",
                        as_=staff["access_token"], json={"evidence": "营业执照原件已核对"}).ok

        owner = api.sign_in("gz-lamps", "Lamps-for-export-1").json()
        demand = api.call("POST", "/api/v1/demands", as_=owner["access_token"], json=factories.demand(code))
        assert demand.status_code == 201, demand.text
        mine = api.call("GET", "/api/v1/demands", as_=owner["access_token"]).json()["items"]
        assert [d["id"] for d in mine] == [demand.json()["id"]]

        removed = api.call("POST", f"/api/v1/stations/{station.json()['id']}/specialists/"
                                   f"{specialist['id']}/removal", as_=operator, json={"reason": "调岗"})
        assert removed.status_code == 200, removed.text
        assert api.call("GET", f"/api/v1/demands/{demand.json()['id']}",
                        as_=staff["access_token"]).status_code == 404  # at once
        # Accounts follows the station and takes the role; then no refresh is granted.
        wait_for(lambda: api.call("GET", f"/api/v1/persons/{specialist['id']}", as_=operator).json()["roles"] == [],
                 timeout=30, message="the specialist role to be revoked")
        refused = api.call("POST", "/api/v1/sessions/refresh", json={"refresh_token": staff["refresh_token"]})
        assert refused.status_code == 401, refused.text
    finally:
        platform.stop()
