"""The gateway's one kind of HTTP entrypoint: a route that declares who may call it, what body it
takes and what it returns. The same declaration authenticates, validates, serialises and
documents (gateway/openapi.py reads it), so the OpenAPI document cannot drift from the code.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import eventlet
from nameko.extensions import ENTRYPOINT_EXTENSIONS_ATTR
from nameko.web.handlers import HttpRequestHandler
from nameko.web.server import WebServer
from werkzeug.exceptions import MethodNotAllowed, NotFound as NoRoute
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Response

from gateway.auth import TokenVerifier, principal_for
from gateway.errors import ApiError, error_response, json_response
from gateway.limits import RateLimits
from gateway.protocol import JsonErrorsProtocol
from shared import metrics
from shared.commands import load_command
from shared.errors import CLIENT_ERRORS
from shared.logs import keep_expected_errors_brief
from shared.runtime import MetricsPort

keep_expected_errors_brief()

MAX_BODY_BYTES = 1024 * 1024
UPLOAD_CHUNK = 64 * 1024
#: On every answer: nothing an API answers (a person's case, a token) is kept by caches, sniffed
#: into another type, framed, or allowed to load anything when opened in a browser.
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
#: Far deeper than any command nests, and far below Python's recursion limit: a document nested
#: a few hundred levels parses, but then breaks whoever copies, stores or serialises it later
#: (the archive's store, the RPC of an upstream log), long after the request was answered.
MAX_JSON_DEPTH = 32

class ExclusiveWebServer(WebServer):
    """nameko's web server, but refusing a port another process already listens on (eventlet
    binds with SO_REUSEPORT by default, and two platforms would silently share port 8000), and
    answering what it refuses by itself in JSON (gateway/protocol.py)."""

    def start(self):
        if not self._starting:
            self._starting = True
            self._sock = eventlet.listen(self.bind_addr, reuse_port=False)
            self._sock.settimeout(None)  # as nameko does (kombu issue 838)
            self._serv = self.get_wsgi_server(self._sock, self.get_wsgi_app(),
                                              protocol=JsonErrorsProtocol)
            self._gt = self.container.spawn_managed_thread(self.run)

    def make_url_map(self):
        url_map = Map(merge_slashes=False)  # an empty path segment matches no route: a 404
        for provider in self._providers:
            rule = provider.get_url_rule()
            rule.endpoint = provider
            url_map.add(rule)
        return url_map


class Route(HttpRequestHandler):
    server = ExclusiveWebServer()
    verifier = TokenVerifier()
    limits = RateLimits()
    metrics_port = MetricsPort()

    def __init__(self, method: str, url: str, *, roles=(), body=None, response=None,
                 status: int = 200, summary: str = "", query=None, documented: bool = True,
                 raw_body: bool = False, answers: tuple[int, ...] = (), **kwargs):
        kwargs.setdefault("expected_exceptions", (ApiError, *CLIENT_ERRORS))
        self.documented = documented
        self.raw_body = raw_body  # the handler reads the bytes itself (attachments)
        self.roles = tuple(roles)
        self.body = body
        self.response = response
        self.status = status
        #: error statuses it answers beyond those its declaration implies (a public route's 401)
        self.answers = answers
        self.summary = summary
        #: a command schema (validated, passed as ``query``) or, for a single parameter the
        #: service checks itself, its OpenAPI description by name
        self.query = query or {}
        super().__init__(method, url, **kwargs)

    def setup(self):
        super().setup()
        # Built once: constructing a schema deep-copies its fields (and its nested schemas'),
        # which was a seventh of the gateway's time per read (docs/performance.md).
        self._response_schema = self.response() if self.response is not None else None

    @property
    def public(self) -> bool:
        return not self.roles

    def get_entrypoint_parameters(self, request):
        kwargs = dict(request.path_values)
        principal = None
        if not self.public:
            claims = self.verifier.claims(request.headers.get("Authorization"))
            principal = kwargs["principal"] = principal_for(claims, self.roles, f"{self.method} {self.url}")
        self.limits.check(request, principal)
        if self.body is not None:
            payload = read_json(request)
            load_command(self.body, payload)
            kwargs["payload"] = payload
        if isinstance(self.query, type):
            query = request.args.to_dict()
            load_command(self.query, query)
            kwargs["query"] = query
        return (request,), kwargs

    def handle_request(self, request):
        started = time.perf_counter()
        response = super().handle_request(request)
        if isinstance(response, _Failed):
            response = error_response(response.exc, language_of(request))
        for header, value in SECURITY_HEADERS.items():
            response.headers.setdefault(header, value)  # a route's own (a key set's max-age) stays
        metrics.HTTP_REQUESTS.labels(self.method, self.url, response.status_code).inc()
        metrics.HTTP_LATENCY.labels(self.method, self.url).observe(time.perf_counter() - started)
        return response

    def response_from_result(self, result):
        if isinstance(result, Response):
            return result
        if self._response_schema is not None:
            result = self._response_schema.dump(result)
        return json_response(result, status=self.status)

    def response_from_exception(self, exc):
        return _Failed(exc)  # answered by handle_request, which knows the request's language


class _Failed:
    """What a request raised, on its way to being answered in the request's language."""

    def __init__(self, exc: Exception):
        self.exc = exc


route = Route.decorator


def routes_of(service_cls) -> list[tuple[str, Route]]:
    """(method name, route) for every route the service class declares, in source order."""
    found = []
    members = {}
    for cls in reversed(service_cls.__mro__):  # routes of mixed-in classes too
        members.update(vars(cls))
    for name, member in members.items():
        for entrypoint in getattr(member, ENTRYPOINT_EXTENSIONS_ATTR, ()):
            if isinstance(entrypoint, Route):
                found.append((name, entrypoint))
    return found


def read_bytes(request, limit: int) -> bytes:
    """The body, at most ``limit`` bytes, with or without a Content-Length."""
    raw = _body(request, limit).read(limit + 1)
    if len(raw) > limit:
        raise _too_large(limit)
    return raw


def stream_to_file(request, path: Path, limit: int) -> int:
    """Write the body into ``path`` a chunk at a time (never more than a chunk in memory) and
    return its size; 413 past ``limit``, with the partial file removed."""
    body, size = _body(request, limit), 0
    try:
        with path.open("xb") as out:
            while chunk := body.read(UPLOAD_CHUNK):
                size += len(chunk)
                if size > limit:
                    raise _too_large(limit)
                out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return size


def _body(request, limit: int):
    if (request.content_length or 0) > limit:
        raise _too_large(limit)
    if request.content_length is None and "chunked" in request.headers.get("Transfer-Encoding", ""):
        # werkzeug's stream is empty without a Content-Length; eventlet's input decodes chunks.
        return request.environ["wsgi.input"]
    return request.stream


def _too_large(limit: int) -> ApiError:
    return ApiError(413, "body_too_large", f"the body may not exceed {limit} bytes")


def read_json(request):
    content_type = (request.mimetype or "").lower()
    if content_type != "application/json":
        raise ApiError(415, "unsupported_media_type",
                       "the body must be JSON, sent with Content-Type: application/json",
                       {"content_type": request.headers.get("Content-Type")})
    raw = read_bytes(request, MAX_BODY_BYTES)
    too_deep = ApiError(400, "malformed_json",
                        f"the JSON is nested too deeply (at most {MAX_JSON_DEPTH} levels)")
    try:
        payload = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ApiError(400, "malformed_json", "the body is not valid UTF-8") from None
    except RecursionError:
        raise too_deep from None
    except json.JSONDecodeError as error:
        raise ApiError(400, "malformed_json", f"the body is not valid JSON: {error}") from None
    except ValueError:  # Python's limit on the digits of an integer
        raise ApiError(400, "malformed_json", "the JSON holds a number too long to read") from None
    if _nesting(payload) > MAX_JSON_DEPTH:
        raise too_deep
    return payload


def _nesting(value) -> int:
    """How many arrays and objects enclose one another at the deepest: counted a level at a
    time (no recursion, little Python per item) and only until past the limit."""
    depth, level = 0, [value]
    while depth <= MAX_JSON_DEPTH:
        level = [item for item in level if isinstance(item, (dict, list))]
        if not level:
            break
        depth += 1
        inside = []
        for container in level:
            inside.extend(container.values() if isinstance(container, dict) else container)
        level = inside
    return depth


def language_of(request) -> str:
    """The language a person reads the answer in: Chinese unless the request prefers English."""
    return request.accept_languages.best_match(("zh-CN", "en"), default="zh-CN")


def unmatched(service_cls, method: str, path: str) -> ApiError:
    """The error for a request no declared route takes: 405 if the path exists, else 404."""
    rules = [Rule(r.url, methods=r.method.split(","))
             for _, r in routes_of(service_cls) if r.documented]
    # Not merging slashes: "/demands//export" names no demand, it is no path of ours (merged,
    # werkzeug answered it with a redirect the gateway could not give: a 500).
    adapter = Map(rules, merge_slashes=False).bind("localhost")
    try:
        adapter.match(path, method=method)
    except MethodNotAllowed as error:
        return ApiError(405, "method_not_allowed", f"{method} is not allowed on {path}",
                        {"allowed_methods": sorted(error.valid_methods or [])})
    except NoRoute:
        pass
    return ApiError(404, "not_found", f"no such endpoint: {method} {path}")
