"""What the HTTP server answers by itself, before any route sees the request (a request line
that does not parse, such as a URL with an unencoded space as curl sends it; an unknown HTTP
version; a URL, header line or header block too long; a Content-Length that is no number), in
the API's JSON shape: ``{"error": CODE, "title": ..., "message": ..., "details": {...}}`` (the
title in Chinese: a request that could not be read has no language to ask for).

The server is eventlet's (through nameko's ``HttpOnlyProtocol``). Its standard-library half
answers through ``send_error``, which this protocol writes as JSON; its own half writes fixed
bytes (an empty body) to the connection, which this protocol's output recognises and writes as
JSON too, only before a response to the request has begun.
"""
from __future__ import annotations

import json
import re

from nameko.web.server import HttpOnlyProtocol

from shared.vocabulary import ERROR_LABELS

#: The code and message of each answer the server gives on its own (its reason, which may quote
#: the raw request bytes, goes in the details).
ANSWERS = {
    400: ("bad_request", "the request could not be read: percent-encode spaces and non-ASCII "
                         "characters in the URL (curl -G --data-urlencode does it), and send one "
                         "request line, valid headers and a numeric Content-Length"),
    414: ("uri_too_long", "the URL is too long"),
    "headers": ("headers_too_large", "a header line, or all the headers together, are too long"),
    501: ("not_implemented", "this HTTP method is not supported"),
    505: ("http_version_not_supported", "this HTTP version is not supported"),
}
_RAW_ERROR = re.compile(rb"HTTP/1\.[01] (\d{3}) ([^\r\n]*)\r\n")


def error_body(status: int, reason: str) -> bytes:
    code, message = ANSWERS["headers" if "Header" in reason else status] \
        if status in ANSWERS else ANSWERS[400]
    return json.dumps({"error": code, "title": ERROR_LABELS[code]["zh-CN"], "message": message,
                       "details": {"reason": reason}}, ensure_ascii=False).encode()


class JsonErrorsProtocol(HttpOnlyProtocol):
    # The standard library's error page is HTML: these are JSON.
    def send_error(self, code, message=None, explain=None):
        self.log_error("code %d, message %s", code, message)
        phrase = self.responses.get(code, ("Error",))[0]
        body = error_body(code, message or phrase)
        self.responding = True  # what follows is this answer, written as it is
        self.send_response(code, phrase)  # the standard phrase: the request's bytes stay in the body
        self.send_header("Connection", "close")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self.close_connection = True

    def handle_one_request(self):
        if not isinstance(self.wfile, _JsonErrorsOutput):
            self.wfile = _JsonErrorsOutput(self.wfile, self)
        self.responding = False
        super().handle_one_request()

    def handle_one_response(self):
        self.responding = True
        super().handle_one_response()


class _JsonErrorsOutput:
    """The connection's output, where the server's fixed error answers become JSON ones."""

    def __init__(self, output, protocol: JsonErrorsProtocol):
        self._output, self._protocol = output, protocol

    def write(self, data):
        found = None if self._protocol.responding else _RAW_ERROR.match(bytes(data[:200]))
        if found is None:
            return self._output.write(data)
        status, reason = int(found.group(1)), found.group(2).decode("latin-1")
        body = error_body(status, reason)
        head = (f"HTTP/1.0 {status} {reason}\r\nConnection: close\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")
        return self._output.write(head.encode("latin-1") + body)

    def __getattr__(self, name):
        return getattr(self._output, name)
