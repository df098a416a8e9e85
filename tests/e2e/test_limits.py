"""Limits through the HTTP API of a running platform: sign-ins per client address, writes per
person, the daily upload quota, each a 429 with Retry-After; reads never limited; files of
types the station does not take, or names that disguise them, refused."""
import pytest

from tests.e2e.harness import Embedded

SPECIALIST = ("specialist", "s-1")


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    platform = Embedded(tmp_path_factory.mktemp("limits"), ONESTOP_SIGN_IN_RATE="3",
                        ONESTOP_WRITE_RATE="2", ONESTOP_ADDRESS_WRITE_RATE="100",
                        ONESTOP_TRUSTED_PROXIES="1", ONESTOP_ATTACHMENT_DAILY_QUOTA="1000").start()
    yield platform
    platform.stop()


def from_address(address):
    return {"X-Forwarded-For": f"198.51.100.1, {address}"}  # the Ingress appends what it saw


def test_sign_ins_are_limited_per_client_address(platform):
    api = platform.api
    wrong = {"sign_in_name": "nobody", "password": "Not-the-password-1"}
    answers = [api.session.post(api.base + "/api/v1/sessions", json=wrong, timeout=10,
                                headers=from_address("203.0.113.5")) for _ in range(4)]
    assert [a.status_code for a in answers] == [401, 401, 401, 429]
    assert answers[-1].json()["error"] == "too_many_requests"
    assert 1 <= int(answers[-1].headers["Retry-After"]) <= 20
    other = api.session.post(api.base + "/api/v1/sessions", json=wrong, timeout=10,
                             headers=from_address("203.0.113.6"))
    assert other.status_code == 401  # another address has its own allowance


def test_writes_are_limited_per_person_and_reads_are_not(platform):
    api = platform.api
    answers = [api.call("POST", "/api/v1/demands", as_=SPECIALIST, json={}) for _ in range(3)]
    assert [a.status_code for a in answers] == [422, 422, 429]
    assert int(answers[-1].headers["Retry-After"]) >= 1
    assert api.call("POST", "/api/v1/demands", as_=("specialist", "s-2"), json={}).status_code == 422
    assert all(api.call("GET", "/api/v1/demands", as_=SPECIALIST).status_code != 429 for _ in range(5))


def test_uploads_are_held_to_the_daily_quota_and_to_the_types_taken(platform):
    api = platform.api
    me = ("enterprise", "91440101MA59UPLOAD1")

    def upload(name, data, media_type="application/pdf", who=me):
        return api.call("POST", f"/api/v1/attachments?name={name}", as_=who, data=data,
                        headers={"Content-Type": media_type})
    html = upload("page.html", b"<html><script>alert(1)</script></html>", "text/html")
    assert html.status_code == 415 and html.json()["error"] == "unsupported_media_type"
    disguised = upload("report\u202efdp.exe", b"%PDF-1.7 x", who=("enterprise", "91440101MA59UPLOAD2"))
    assert disguised.status_code == 422 and "name" in disguised.json()["details"]
    assert upload("a.pdf", b"%PDF-1.7 " + b"a" * 590, who=("enterprise", "91440101MA59UPLOAD3")).status_code == 201
    quota = ("enterprise", "91440101MA59UPLOAD3")
    over = upload("b.pdf", b"%PDF-1.7 " + b"b" * 590, who=quota)
    assert over.status_code == 429 and int(over.headers["Retry-After"]) > 23 * 3600
