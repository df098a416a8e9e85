"""Bad input at every endpoint gets a clear 4xx JSON error and stores nothing."""
import json
import uuid

import pytest

from gateway.http import MAX_JSON_DEPTH
from tests import factories
from tests.e2e import forged
from tests.e2e.harness import Embedded

SPECIALIST = ("specialist", "s-1")
SUPERVISOR = ("supervisor", "regulator-1")


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    platform = Embedded(tmp_path_factory.mktemp("bad-input")).start()
    platform.api.open_station()
    yield platform
    platform.stop()


def assert_error(response, status, code):
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error", "title", "message", "details"}
    assert body["error"] == code
    assert body["message"]
    return body


ENTERPRISE = factories.credit_code()
OWNER = ("enterprise", ENTERPRISE)


@pytest.mark.parametrize("path, as_, body, field_errors", [
    ("/api/v1/demands", OWNER, {"park": "p"}, {"enterprise", "category", "title", "description"}),
    ("/api/v1/demands", OWNER, factories.demand(ENTERPRISE, category="astrology", expected_by="soon",
                                                items=[""], extra=1),
     {"category", "expected_by", "items", "extra"}),
    ("/api/v1/demands", OWNER, factories.demand(ENTERPRISE, enterprise={
        "name": "x", "credit_code": ENTERPRISE[:17] + "0", "contact": "c", "phone": "call me"}),
     {"enterprise"}),
    ("/api/v1/institutions", SPECIALIST, factories.institution(credit_code="123", categories=[],
                                                               capacity=-1, parks=[]),
     {"credit_code", "categories", "capacity", "parks"}),
    ("/api/v1/institutions", SPECIALIST, factories.institution(qualifications=[{
        "type": "ISO", "number": "1", "scope": [], "valid_from": "2025-01-01",
        "valid_until": "2024-01-01"}]), {"qualifications"}),
    ("/api/v1/institutions", SPECIALIST, factories.institution(capacity="10"), {"capacity"}),
    ("/api/v1/institutions", SPECIALIST, [], {"_schema"}),
    ("/api/v1/demands", OWNER, factories.demand(ENTERPRISE, title="   ", description=" \n ",
                                                expected_by="2020-01-01", items=["a", "a"]),
     {"title", "description", "expected_by", "items"}),
    ("/api/v1/institutions", SPECIALIST, factories.institution(
        name="x\u0000y", categories=["metrology", "metrology"], parks=["p", "p"]),
     {"name", "categories", "parks"}),
    # Testing and certification: a quote in yuan that adds up and is still open; numbers and
    # dates a register can keep.
    (f"/api/v1/assignments/{uuid.uuid4()}/quote", ("institution", str(uuid.uuid4())),
     {"amount": "12,00", "items": [{"item": "test", "amount": "1e3"}], "valid_until": "2020-01-01"},
     {"amount", "items", "valid_until"}),
    (f"/api/v1/assignments/{uuid.uuid4()}/completion", ("institution", str(uuid.uuid4())),
     {"certificate_number": "CQC 1", "issued_on": "2026-01-01", "valid_until": "2025-01-01"},
     {"certificate_number", "valid_until"}),
    (f"/api/v1/assignments/{uuid.uuid4()}/completion", ("institution", str(uuid.uuid4())),
     {"deliverables": [{"kind": "poem", "title": "t", "document": {"name": "a", "sha256": "x"},
                        "milestones": [{"title": "m", "due_on": "soon"}]}]},
     {"deliverables"}),
])
def test_schema_violations_name_every_offending_field(platform, path, as_, body, field_errors):
    error = assert_error(platform.api.call("POST", path, as_=as_, json=body), 422, "validation_failed")
    assert set(error["details"]) == field_errors


def test_text_that_is_not_unicode_is_refused(platform):
    body = factories.demand(ENTERPRISE, title="lamp \ud800")
    error = assert_error(platform.api.call("POST", "/api/v1/demands", as_=OWNER, json=body),
                         422, "validation_failed")
    assert error["details"] == {"_schema": ["文本中有无效的 Unicode 字符"]}


def test_each_field_is_told_what_is_wrong_in_the_readers_language(platform):
    """Chinese unless English is asked for: marshmallow's messages, the project's rules, and a
    service's own refusal (which crosses RPC with its code)."""
    body = factories.demand(ENTERPRISE, title="   ", description="x" * 5001, channel="fax",
                            expected_by="soon", extra=1)
    chinese = assert_error(platform.api.call("POST", "/api/v1/demands", as_=OWNER, json=body),
                           422, "validation_failed")
    assert chinese["title"] == "填写的内容有误"
    assert chinese["details"] == {
        "title": ["不能为空"], "description": ["长度须在 1 到 5000 个字符之间"],
        "channel": ["须为以下之一：online、counter、phone、visit"],
        "expected_by": ["不是有效的日期，如 2026-12-31"], "extra": ["不接受此字段"]}
    english = assert_error(platform.api.call("POST", "/api/v1/demands", as_=OWNER, json=body,
                                             headers={"Accept-Language": "en-GB,en;q=0.9"}),
                           422, "validation_failed")
    assert english["details"] == {
        "title": ["Must not be blank."], "description": ["Between 1 and 5000 characters."],
        "channel": ["Must be one of: online, counter, phone, visit."],
        "expected_by": ["Not a valid date, e.g. 2026-12-31."], "extra": ["Unknown field."]}
    nowhere = factories.demand(ENTERPRISE, park="no-such-park")
    refused = assert_error(platform.api.call("POST", "/api/v1/demands", as_=OWNER, json=nowhere),
                           422, "validation_failed")
    assert refused["details"] == {"park": ["这个园区还没有工作站"]}
    refused = assert_error(platform.api.call("POST", "/api/v1/demands", as_=OWNER, json=nowhere,
                                             headers={"Accept-Language": "en"}), 422, "validation_failed")
    assert refused["details"] == {"park": ["No station serves this park."]}


def test_nested_errors_point_into_the_item(platform):
    body = factories.institution(qualifications=[{
        "type": "ISO", "number": "1", "scope": [], "valid_from": "2025-01-01",
        "valid_until": "2024-01-01"}])
    error = assert_error(platform.api.call("POST", "/api/v1/institutions", as_=SPECIALIST, json=body),
                         422, "validation_failed")
    assert set(error["details"]["qualifications"]["0"]) == {"type", "scope", "valid_until"}


@pytest.mark.parametrize("path", ["/api/v1/demands", "/api/v1/institutions"])
def test_malformed_json_wrong_content_type_and_oversized_bodies(platform, path):
    api = platform.api
    as_ = SPECIALIST
    json_type = {"Content-Type": "application/json"}
    assert_error(api.call("POST", path, as_=as_, data="{", headers=dict(json_type)), 400, "malformed_json")
    assert_error(api.call("POST", path, as_=as_, data=b"\xff\xfe", headers=dict(json_type)), 400,
                 "malformed_json")
    assert_error(api.call("POST", path, as_=as_, data=json.dumps({}),
                          headers={"Content-Type": "text/plain"}), 415, "unsupported_media_type")
    assert_error(api.call("POST", path, as_=as_, data="x" * (1024 * 1024 + 1), headers=dict(json_type)),
                 413, "body_too_large")


def test_an_oversized_body_without_a_length_is_refused_too(platform):
    chunks = (b"x" * 65536 for _ in range(17))  # sent chunked: no Content-Length to refuse early
    assert_error(platform.api.call("POST", "/api/v1/institutions", as_=SPECIALIST, data=chunks,
                                   headers={"Content-Type": "application/json"}),
                 413, "body_too_large")


@pytest.mark.parametrize("content_type, body", [
    # No type at all reaches the gateway as text/plain (eventlet's WSGI default).
    (None, json.dumps(factories.institution())),
    ("application/x-www-form-urlencoded", "name=Panyu+Testing+Centre"),
    ("multipart/form-data; boundary=x", '--x\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--x--'),
    ("application/xml", "<institution/>"),
    ("application/jsonl", json.dumps(factories.institution())),
])
def test_a_body_that_is_not_declared_json_is_refused_for_its_type(platform, content_type, body):
    headers = {"Content-Type": content_type} if content_type else {}
    error = assert_error(platform.api.call("POST", "/api/v1/institutions", as_=SPECIALIST, data=body,
                                           headers=headers),
                         415, "unsupported_media_type")
    assert error["details"] == {"content_type": content_type or "text/plain"}


def test_json_with_parameters_or_capitals_in_its_type_is_json(platform):
    response = platform.api.call("POST", "/api/v1/institutions", as_=SPECIALIST, data=json.dumps({}),
                                 headers={"Content-Type": "Application/JSON; charset=UTF-8"})
    assert_error(response, 422, "validation_failed")


@pytest.mark.parametrize("body", [
    b'{"name": "caf\xe9"}',  # Latin-1
    b'{"name": "\xed\xa0\x80"}',  # a surrogate, encoded as if it were a character
    b'{"name": "\xc0\xaf"}',  # an overlong encoding of "/"
])
def test_a_body_that_is_not_utf_8_is_malformed(platform, body):
    assert_error(platform.api.call("POST", "/api/v1/institutions", as_=SPECIALIST, data=body,
                                   headers={"Content-Type": "application/json"}),
                 400, "malformed_json")


@pytest.mark.parametrize("path, as_, template, enclosing", [
    ("/api/v1/institutions", SPECIALIST, '{"name": %s}', 1),
    # The indicator configuration takes free-form objects, which the schema cannot bound.
    ("/api/v1/evaluation/configurations", SUPERVISOR,
     '{"version": "deep", "grades": [], "dimensions": [], "improvement": {"note": %s}}', 2),
])
def test_json_nested_past_the_limit_is_refused_before_it_is_read(platform, path, as_, template,
                                                                 enclosing):
    def nested(levels):  # arrays around an empty object, inside the template's own levels
        arrays = levels - enclosing - 1
        return template % ("[" * arrays + "{}" + "]" * arrays)
    headers = {"Content-Type": "application/json"}
    refused = assert_error(platform.api.call("POST", path, as_=as_, data=nested(MAX_JSON_DEPTH + 1),
                                             headers=dict(headers)), 400, "malformed_json")
    assert refused["message"] == f"the JSON is nested too deeply (at most {MAX_JSON_DEPTH} levels)"
    # One level less is read, then refused for what it says.
    assert_error(platform.api.call("POST", path, as_=as_, data=nested(MAX_JSON_DEPTH),
                                   headers=dict(headers)), 422, "validation_failed")


@pytest.mark.parametrize("path, as_, parameter, maximum", [
    ("/api/v1/demands", SUPERVISOR, "per_page", 100),
    ("/api/v1/archive/demands", SUPERVISOR, "per_page", 100),
    ("/api/v1/partner/events", ("institution", "i-1"), "limit", 500),
    ("/api/v1/assignments", ("institution", "i-1"), "per_page", 100),
    ("/api/v1/dead-letters", ("operator", "ops-1"), "per_page", 100),
    ("/api/v1/evaluation/configurations", SUPERVISOR, "per_page", 100),
])
@pytest.mark.parametrize("value", ["10000000", "9" * 5000, "1e9", "0", "-1"])
def test_huge_pages_are_refused_not_clamped(platform, path, as_, parameter, maximum, value):
    """The document states each page's bounds; a page past them is an error naming the parameter,
    never silently shortened (a caller would take the shortened page for the whole)."""
    error = assert_error(platform.api.call("GET", f"{path}?{parameter}={value}", as_=as_),
                         422, "validation_failed")
    assert parameter in error["details"]
    documented = platform.api.call("GET", "/openapi.json").json()["paths"][path]["get"]
    bounds = next(p["schema"] for p in documented["parameters"] if p["name"] == parameter)
    assert (bounds["minimum"], bounds["maximum"]) == (1, maximum)


@pytest.mark.parametrize("path, as_", [("/api/v1/demands", SUPERVISOR),
                                       ("/api/v1/dead-letters", ("operator", "ops-1")),
                                       ("/api/v1/evaluation/configurations", SUPERVISOR)])
@pytest.mark.parametrize("after", ["garbage", "W10", "WzEsMl0", "eyJhIjogMX0", "é"])
def test_a_cursor_no_page_gave_is_refused(platform, path, as_, after):
    """Lists page by cursor; one that is not a ``next_after`` (not base64, not JSON, numbers,
    an object) is a 422 naming it, never a 500."""
    error = assert_error(platform.api.call("GET", path, as_=as_,
                                           params={"after": after}), 422, "validation_failed")
    assert error["details"] == {"after": ["不是此列表给出的游标（next_after）"]}


@pytest.mark.parametrize("query", [{"after": "WyJub3BlIiwgIm1hdGNoaW5nOjQiXQ"},  # ["nope", "matching:4"]
                                   {"after": "WyJpbnRha2UiLCAibWF0Y2hpbmciXQ"},  # ["intake", "matching"]
                                   {"service": "gateway"}, {"replayed": "perhaps"}])
def test_the_dead_letters_list_names_what_it_cannot_read(platform, query):
    error = assert_error(platform.api.call("GET", "/api/v1/dead-letters", as_=("operator", "ops-1"),
                                           params=query), 422, "validation_failed")
    assert set(error["details"]) == set(query)


@pytest.mark.parametrize("path", ["/api/v1/demands/00000000-0000-0000-0000-000000000000",
                                  "/api/v1/demands/not-an-id",
                                  "/api/v1/institutions/00000000-0000-0000-0000-000000000000",
                                  "/api/v1/archive/demands/00000000-0000-0000-0000-000000000000"])
def test_unknown_ids_are_404(platform, path):
    assert_error(platform.api.call("GET", path, as_=SPECIALIST), 404, "not_found")


def test_tokens_are_required_and_checked(platform):
    api = platform.api
    path = "/api/v1/demands"
    body = factories.demand(ENTERPRISE)
    assert_error(api.call("POST", path, json=body), 401, "unauthorized")
    assert_error(api.call("POST", path, json=body, headers={"Authorization": "Basic abc"}), 401,
                 "unauthorized")
    for attack, (token, code) in forged.tokens(api, "enterprise", ENTERPRISE).items():
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = api.call("POST", path, json=body, headers=headers)
        assert (response.status_code, response.json()["error"]) == (401, code), attack
        assert response.headers["WWW-Authenticate"] == 'Bearer realm="onestop"', attack
    assert_error(api.call("POST", path, as_=("institution", "i-1"), json=body), 403, "forbidden")
    assert_error(api.call("POST", path, as_=("enterprise", factories.credit_code()), json=body), 403,
                 "forbidden")
    assert_error(api.call("POST", "/api/v1/institutions", as_=OWNER, json=factories.institution()), 403,
                 "forbidden")


def test_unknown_routes_and_methods(platform):
    assert_error(platform.api.call("GET", "/api/v1/nothing"), 404, "not_found")
    # Outside the API: the console's pages, and the API's 404 for a file it does not have.
    page = platform.api.call("GET", "/demands/42")
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert_error(platform.api.call("GET", "/assets/no-such-chunk.js"), 404, "not_found")
    assert_error(platform.api.call("POST", "/demands/42"), 404, "not_found")  # pages are read only
    error = assert_error(platform.api.call("DELETE", "/api/v1/demands"), 405, "method_not_allowed")
    assert error["details"]["allowed_methods"] == ["GET", "HEAD", "POST"]
    assert_error(platform.api.call("OPTIONS", "/api/v1/demands"), 405, "method_not_allowed")
    assert_error(platform.api.call("TRACE", "/healthz"), 405, "method_not_allowed")


@pytest.mark.parametrize("period", ["2026-13", "2026-11%0A", "0000-01", "", "2026-1"])
def test_a_period_must_be_a_month(platform, period):
    assert_error(platform.api.call("GET", f"/api/v1/evaluation/figures?period={period}", as_=SUPERVISOR),
                 422, "validation_failed")


@pytest.mark.parametrize("body, message", [
    ('{"capacity": ' + "9" * 5000 + "}", "the JSON holds a number too long to read"),
    ("[" * 100000 + "]" * 100000, f"the JSON is nested too deeply (at most {MAX_JSON_DEPTH} levels)"),
])
def test_json_a_parser_cannot_take_is_explained(platform, body, message):
    error = assert_error(platform.api.call("POST", "/api/v1/institutions", as_=SPECIALIST, data=body,
                                           headers={"Content-Type": "application/json"}),
                         400, "malformed_json")
    assert error["message"] == message


def test_the_served_openapi_document_is_valid_and_names_every_route(platform):
    from openapi_spec_validator import validate

    served = platform.api.call("GET", "/openapi.json")
    assert served.status_code == 200
    document = served.json()
    validate(document)
    operations = {(method.upper(), path) for path, ops in document["paths"].items() for method in ops}
    assert {("POST", "/api/v1/demands"), ("GET", "/api/v1/demands/{demand_id}/matching"),
            ("POST", "/api/v1/assignments/{assignment_id}/completion")} <= operations
    secured = [op for ops in document["paths"].values() for op in ops.values() if "security" in op]
    assert all(op["x-roles"] for op in secured)


def test_nothing_bad_was_stored(platform):
    """Runs last in this module: after all the refusals above, no demand or institution exists."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    period = datetime.now(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m")  # evaluation's days
    response = platform.api.call("GET", f"/api/v1/evaluation/figures?period={period}", as_=SUPERVISOR)
    assert response.status_code == 200
    # Only the station opened for these tests, with its one specialist, was counted.
    assert response.json()["figures"] == {"staff": 1, "staff_trained": 1}
    assert platform.api.call("GET", "/api/v1/demands", as_=SUPERVISOR).json()["items"] == []


def raw_exchange(port: int, request: bytes) -> tuple[int | None, dict, dict]:
    """Send bytes as they are (no client library would send these) and read the whole answer:
    its status (None for an HTTP/0.9 answer, which has no status line), headers and JSON body."""
    import socket
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(request)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    if not answer.startswith(b"HTTP/"):
        return None, {}, json.loads(answer)
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), {k.lower(): v for k, v in headers.items()}, json.loads(body)


@pytest.mark.parametrize("request_bytes, status, code", [
    # A URL with an unencoded space and Chinese, as curl sends ?name=产品 照片.jpg
    ("GET /api/v1/demands?name=产品 照片.jpg HTTP/1.1\r\nHost: x\r\n\r\n".encode(), 400, "bad_request"),
    (b"GET /api/v1/demands HTTP/1.1\r\nHost: x\r\nContent-Length: twelve\r\n\r\n", 400, "bad_request"),
    (b"GET /api/v1/demands HTTP/1.1\r\nHost: x\r\nX-Long: " + b"a" * 70000 + b"\r\n\r\n", 400,
     "headers_too_large"),
    (b"GET /api/v1/demands?" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414, "uri_too_long"),
    # Neither version can be answered in: the body alone, as to HTTP/0.9 (the standard library's way).
    (b"GET /api/v1/demands HTTP/3.7\r\nHost: x\r\n\r\n", None, "http_version_not_supported"),
    (b"NONSENSE\r\n\r\n", None, "bad_request"),
])
def test_what_the_http_server_refuses_by_itself_is_json_too(platform, request_bytes, status, code):
    answered, headers, body = raw_exchange(platform.port, request_bytes)
    assert answered == status and body["error"] == code and body["message"]
    assert set(body) == {"error", "title", "message", "details"}
    if status is not None:
        assert headers["content-type"] == "application/json"
        assert int(headers["content-length"]) == len(json.dumps(body, ensure_ascii=False).encode())
    # The server still answers what comes next.
    assert platform.api.call("GET", "/api/v1/demands", as_=SPECIALIST).status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/archive/demands//export", "/api/v1/archive/demands//verify",
                                  "/api/v1/demands//matching", "/api/v1/institutions//qualifications"])
def test_an_empty_id_is_not_found_not_a_server_error(platform, path):
    answer = platform.api.call("GET" if "qualifications" not in path else "POST", path,
                               as_=("supervisor", "regulator-1") if "archive" in path else SPECIALIST,
                               json={} if "qualifications" in path else None)
    assert answer.status_code in (404, 405), answer.text
    assert answer.json()["error"] in ("not_found", "method_not_allowed")


@pytest.mark.parametrize("method, path, as_", [
    ("GET", "/api/v1/demands", SPECIALIST), ("GET", "/api/v1/nothing", None), ("POST", "/api/v1/sessions", None),
    ("GET", "/openapi.json", None)])
def test_every_answer_carries_the_security_headers(platform, method, path, as_):
    answer = platform.api.call(method, path, as_=as_, json={} if method == "POST" else None)
    assert answer.headers["Cache-Control"] == "no-store"
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert answer.headers["Referrer-Policy"] == "no-referrer" and answer.headers["X-Frame-Options"] == "DENY"


def test_the_published_keys_may_be_cached_a_minute(platform):
    assert platform.api.call("GET", "/.well-known/jwks.json").headers["Cache-Control"] == "max-age=60"


def test_an_error_says_what_it_is_in_chinese_unless_english_is_asked_for(platform):
    api = platform.api
    missing = api.call("GET", f"/api/v1/demands/{uuid.uuid4()}", as_=("specialist", "s-1"))
    assert missing.status_code == 404
    assert missing.json()["error"] == "not_found" and missing.json()["title"] == "未找到"
    english = api.call("GET", f"/api/v1/demands/{uuid.uuid4()}", as_=("specialist", "s-1"),
                       headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert english.json()["title"] == "Not found"
    chinese = api.call("POST", "/api/v1/demands", as_=("specialist", "s-1"), json={},
                       headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"})
    assert chinese.status_code == 422 and chinese.json()["title"] == "填写的内容有误"
    assert chinese.json()["details"]  # the particulars stay
