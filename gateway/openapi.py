"""The OpenAPI 3 document, generated from the routes' declarations and marshmallow schemas."""
from __future__ import annotations

import re

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from gateway.http import routes_of
from gateway.schemas import ErrorBody

_ERRORS = {
    "400": "Malformed JSON",
    "401": "Missing, malformed, expired or badly signed token; or credentials that sign nobody in",
    "403": "The caller's role may not do this",
    "404": "No such resource (or not the caller's)",
    "409": "The request conflicts with what is stored (a duplicate, a wrong state)",
    "410": "The dossier was disposed of at the end of its retention; details say when, by "
           "whom and why, and its chain head then",
    "413": "Body too large",
    "415": "Body is not of a type this route takes (application/json; for an upload, one of "
           "the file types listed in the answer)",
    "422": "The body or query breaks the schema; details name every offending field",
    "429": "Too many requests (a rate limit, an upload quota, failed sign-ins in a row); "
           "Retry-After says in how many seconds to try again",
    "503": "A system the platform relies on did not answer (a service, the broker's management "
           "API); try again later",
}


def _errors_of(route, has_path_parameters: bool) -> list[str]:
    codes = [str(status) for status in route.answers]
    if route.method not in ("GET", "HEAD", "OPTIONS"):
        codes += ["429"]  # gateway/limits.py
    if not route.public:
        codes += ["401", "403"]
    if route.body is not None:
        codes += ["400", "409", "413", "415", "422"]
    elif route.raw_body:
        codes += ["413", "415", "422"]
    elif route.query:
        codes += ["422"]
    if has_path_parameters:
        codes += ["404"]
    return sorted(set(codes))


def _ecma_pattern(converter, field, **kwargs) -> dict:
    """A Regexp validator's pattern as OpenAPI reads it: ECMA 262 and matched anywhere in the
    value. marshmallow matches from the start, and the end is marked with Python's ``\\Z``,
    which ECMA 262 lacks (its ``$`` means the same without a multiline flag)."""
    regex = next((v.regex.pattern for v in field.validators
                  if isinstance(getattr(v, "regex", None), re.Pattern)), None)
    if regex is None:
        return {}
    if regex.endswith(r"\Z"):
        return {"pattern": f"^(?:{regex[:-2]})$"}
    return {"pattern": f"^(?:{regex})"}


def document(service_cls, version: str = "0.1.0") -> dict:
    marshmallow = MarshmallowPlugin()
    spec = APISpec(title="onestop", version=version, openapi_version="3.0.3",
                   plugins=[marshmallow],
                   info={"description": "HTTP API of the quality-infrastructure one-stop service "
                                        "workstation platform."})
    marshmallow.converter.add_attribute_function(_ecma_pattern)
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer",
                                               "bearerFormat": "JWT"})
    spec.components.schema("Error", schema=ErrorBody)
    paths: dict[str, dict] = {}
    for name, route in routes_of(service_cls):
        if not route.documented:
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route.url)
        operation = {
            "operationId": name,
            "summary": route.summary,
            "responses": {str(route.status): _response(route)},
        }
        parameters = [{"name": p, "in": "path", "required": True, "schema": {"type": "string"}}
                      for p in re.findall(r"{(\w+)}", path)]
        if isinstance(route.query, type):
            parameters.append({"in": "query", "schema": route.query})
        else:
            parameters += [{"name": q, "in": "query", **spec_} for q, spec_ in route.query.items()]
        if parameters:
            operation["parameters"] = parameters
        if route.body is not None:
            operation["requestBody"] = {"required": True, "content": {
                "application/json": {"schema": route.body}}}
        if route.raw_body:
            operation["requestBody"] = {"required": True, "content": {
                "*/*": {"schema": {"type": "string", "format": "binary"}}}}
        if not route.public:
            operation["security"] = [{"bearer": []}]
            operation["x-roles"] = list(route.roles)
        for code in _errors_of(route, "{" in path):
            operation["responses"][code] = {"description": _ERRORS[code], "content": {
                "application/json": {"schema": "Error"}}}
        for method in route.method.split(","):
            paths.setdefault(path, {})[method.lower()] = operation
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    return spec.to_dict()


def _response(route) -> dict:
    if route.response is None:
        return {"description": "OK"}
    return {"description": "OK", "content": {"application/json": {"schema": route.response}}}
