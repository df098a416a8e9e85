"""HTTP errors as JSON: ``{"error": CODE, "title": ..., "message": ..., "details": ...}`` with the
right status, the title and each field's message in the reader's language."""
from __future__ import annotations

import json
import logging

from nameko.exceptions import RpcTimeout, UnknownService
from werkzeug.wrappers import Response

from shared.errors import (
    Conflict, Disposed, Forbidden, InsufficientData, Invalid, NotFound, TooManyAttempts,
    Unauthenticated, Unavailable, Unsupported)
from shared.field_messages import worded
from shared.vocabulary import ERROR_LABELS

log = logging.getLogger(__name__)


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, details=None, headers=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details if details is not None else {}
        self.headers = headers or {}


def json_response(payload, status: int = 200, headers=None) -> Response:
    return Response(json.dumps(payload, ensure_ascii=False), status=status,
                    headers=headers, mimetype="application/json")


def as_api_error(exc: Exception) -> ApiError:
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, Invalid):
        return ApiError(422, "validation_failed", exc.args[0], exc.fields)
    if isinstance(exc, NotFound):
        return ApiError(404, "not_found", str(exc.args[0]))
    if isinstance(exc, Forbidden):
        return ApiError(403, "forbidden", exc.args[0], exc.details)
    if isinstance(exc, InsufficientData):
        # Its details are counts; nameko's RPC turns every value it carries into text.
        return ApiError(422, "insufficient_data", exc.args[0],
                        {key: float(value) if "." in str(value) else int(value)
                         for key, value in exc.details.items()})
    if isinstance(exc, Unauthenticated):
        return ApiError(401, "invalid_credentials", exc.args[0], exc.details)
    if isinstance(exc, TooManyAttempts):
        seconds = int(exc.details.get("retry_after", 60))  # text after nameko's RPC
        return ApiError(429, "too_many_attempts", exc.args[0], {"retry_after": seconds},
                        headers={"Retry-After": str(seconds)})
    if isinstance(exc, Unsupported):
        return ApiError(415, "unsupported_media_type", exc.args[0], exc.details)
    if isinstance(exc, Conflict):
        return ApiError(409, "conflict", exc.args[0], exc.details)
    if isinstance(exc, Disposed):
        return ApiError(410, "dossier_disposed", exc.args[0], exc.details)
    if isinstance(exc, Unavailable):
        return ApiError(503, "service_unavailable", exc.args[0], exc.details)
    if isinstance(exc, (RpcTimeout, UnknownService)):
        return ApiError(503, "service_unavailable", "a service did not answer; try again", {})
    log.exception("unexpected error", exc_info=exc)
    return ApiError(500, "internal_error", "something went wrong on our side", {})


def error_response(exc: Exception, language: str = "zh-CN") -> Response:
    """The error as a person reads it in ``language``: what kind it is in words (``title``, its
    code's label) and each field's message; ``message`` keeps the particulars."""
    error = as_api_error(exc)
    body = {"error": error.code, "message": error.message, "details": worded(error.details, language)}
    if error.code in ERROR_LABELS:
        body["title"] = ERROR_LABELS[error.code][language]
    return json_response(body, status=error.status, headers=error.headers)
