"""Every message a field can get reads in Chinese for a zh-CN reader (and in English when asked):
marshmallow's own, the project's validators', and the services' refusals (shared/field_messages.py).

Four checks: the catalogue's Chinese is Chinese; every message marshmallow can make is one of
its codes; every schema the gateway loads a body or a query with declares only field messages
(its fields, its validators, probed, and what it answers to bad input of every kind); and no
source file words a field's message in a plain string.
"""
from __future__ import annotations

import ast
import inspect
import json
import re
import string
from pathlib import Path

import pytest
from marshmallow import Schema, ValidationError, fields, validate

from gateway.http import routes_of
from gateway.service import GatewayService
from nameko.exceptions import deserialize, serialize
from shared.commands import Command
from shared.errors import Invalid
from shared.field_messages import (
    MARSHMALLOW_FIELDS, MARSHMALLOW_VALIDATORS, MESSAGES, FieldMessage, said, worded)

ROOT = Path(__file__).resolve().parents[2]
HAN = re.compile(r"[\u4e00-\u9fff]")
#: Latin words a Chinese message may hold: codes and notations the API speaks, not English.
NOTATION = {
    "true", "false", "UUID", "UTF", "IP", "SHA", "ASCII", "Unicode", "https", "panyu", "energy", "park",
    "all", "station", "institution", "category", "YYYY", "MM", "DD", "Qn", "HH", "monday",
    "sunday", "next_after", "station_id", "revisit_phone", "revisit_visit", "grades", "grade",
    "min", "max", "indicator_below", "due_days", "id", "name", "weight", "indicators", "linear",
    "banded", "yes_no", "floor", "target", "per_30_days", "at_least", "at_most", "score", "n",
    "I", "O", "S", "V", "Z",
}
ROUTE_SCHEMAS = sorted({schema for _, route in routes_of(GatewayService)
                        for schema in (route.body, route.query)
                        if isinstance(schema, type) and issubclass(schema, Schema)},
                       key=lambda schema: schema.__name__)


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_each_message_is_chinese_for_a_chinese_reader(code):
    zh, en = MESSAGES[code]
    assert HAN.search(zh), code
    assert not HAN.search(en), code
    assert placeholders(zh) <= placeholders(en), code  # a value Chinese uses, English has too
    filled = string.Formatter().vformat(zh, (), {name: "" for name in placeholders(zh)})
    words = set(re.findall(r"(?<![A-Za-z0-9_])[A-Za-z][A-Za-z0-9_]*", re.sub(r"\d{4}-\d{2}-\d{2}T[\d:+]+", "", filled)))
    assert words <= NOTATION, f"{code}: English in {zh!r}: {words - NOTATION}"


def test_every_message_marshmallow_makes_is_a_field_message():
    """A marshmallow upgrade that adds a message fails here until it has a code."""
    for cls in vars(fields).values():
        name = getattr(cls, "__name__", "")
        if inspect.isclass(cls) and "default_error_messages" in vars(cls):
            declared = vars(cls)["default_error_messages"]
            assert set(declared) == set(MARSHMALLOW_FIELDS.get(name, {})), name
            assert all(isinstance(message, FieldMessage) for message in declared.values()), name
    assert all(isinstance(m, FieldMessage) for m in Schema._default_error_messages.values())
    for cls in vars(validate).values():
        name = getattr(cls, "__name__", "")
        if inspect.isclass(cls) and issubclass(cls, validate.Validator):
            declared = {key for key in vars(cls) if key in ("default_message", "message_min",
                                                            "message_max", "message_all", "message_equal")}
            assert declared == set(MARSHMALLOW_VALIDATORS.get(name, {})), name
            assert all(isinstance(getattr(cls, key), FieldMessage) for key in declared), name


def _fields_of(schema: Schema, seen: set):
    """Every field a schema loads with, nested ones and list items included."""
    if type(schema) in seen:
        return
    seen.add(type(schema))
    for field in schema.fields.values():
        yield from _within(field, seen)


def _within(field, seen):
    yield field
    if isinstance(field, fields.Nested):
        yield from _fields_of(field.schema, seen)
    for inner in (getattr(field, "inner", None), getattr(field, "key_field", None),
                  getattr(field, "value_field", None), *getattr(field, "tuple_fields", ())):
        if inner is not None:
            yield from _within(inner, seen)


#: What a validator is tried with: each kind of thing a person may type wrong.
PROBES = ("", "   ", "\x01", "x" * 10_001, "not-a-code", ["a", "a"], ["A", "a"], [], -1, 0, 10**12,
          [{"type": "CMA", "number": "1", "valid_from": "2026-01-01", "valid_until": "2027-01-01"}] * 2)


@pytest.mark.parametrize("schema", ROUTE_SCHEMAS, ids=lambda schema: schema.__name__)
def test_every_message_a_route_schema_declares_is_a_field_message(schema):
    instance = schema(**({"today": None} if issubclass(schema, Command) else {}))
    assert all(isinstance(m, FieldMessage) for m in instance.error_messages.values())
    for field in _fields_of(instance, set()):
        for key, message in field.error_messages.items():
            assert isinstance(message, FieldMessage), (schema.__name__, field, key)
        for validator in field.validators:
            if isinstance(validator, validate.Validator):
                for attribute in ("error", "message_min", "message_max", "message_all", "message_equal"):
                    message = getattr(validator, attribute, None)
                    assert message is None or isinstance(message, FieldMessage), (schema.__name__, validator)
                continue
            for probe in PROBES:
                try:
                    validator(probe)
                except ValidationError as error:
                    assert all(isinstance(m, FieldMessage) for m in error.messages), (validator, error.messages)
                except Exception:  # noqa: BLE001 - a probe of a type the validator never gets
                    pass


def _leaves(details):
    if isinstance(details, dict):
        for value in details.values():
            yield from _leaves(value)
    elif isinstance(details, list):
        for value in details:
            yield from _leaves(value)
    else:
        yield details


def _refusals(schema) -> list[dict]:
    """What the schema answers to nothing, to the wrong kind of value in every field, and to
    text that is blank or far too long."""
    instance = schema(**({"today": None} if issubclass(schema, Command) else {}))
    payloads = [{}, {"not_a_field": 1},
                {name: {"wrong": [1]} for name in instance.load_fields},
                {name: "" for name in instance.load_fields},
                {name: [" "] for name in instance.load_fields},
                {name: "x" * 6000 for name in instance.load_fields},
                {name: -1 for name in instance.load_fields}]
    found = []
    for payload in payloads:
        try:
            instance.load(payload)
        except ValidationError as error:
            found.append(error.normalized_messages())
    return found


@pytest.mark.parametrize("schema", ROUTE_SCHEMAS, ids=lambda schema: schema.__name__)
def test_a_chinese_reader_reads_every_refusal_of_a_route_schema_in_chinese(schema):
    for details in _refusals(schema):
        for message in _leaves(details):
            assert isinstance(message, FieldMessage), (schema.__name__, message)
        for zh, en in zip(_leaves(worded(details, "zh-CN")), _leaves(worded(details, "en"))):
            assert HAN.search(zh) and not HAN.search(en), (schema.__name__, zh, en)


def test_values_fill_both_languages_and_are_never_what_was_typed():
    schema = type("Form", (Schema,), {
        "title": fields.String(validate=validate.Length(min=1, max=200)),
        "items": fields.List(fields.String(), validate=validate.Length(max=2)),
        "score": fields.Integer(validate=validate.Range(min=1, max=5)),
        "area": fields.Float(validate=validate.Range(min=0, min_inclusive=False)),
        "urgency": fields.String(validate=validate.OneOf(["low", "high"])),
        "on": fields.Date(), "at": fields.AwareDateTime(), "password": fields.Integer()})
    with pytest.raises(ValidationError) as refused:
        schema().load({"title": "x" * 201, "items": ["a", "b", "c"], "score": 9, "area": 0,
                       "urgency": "now", "on": "soon", "at": "2026-12-01T09:00:00",
                       "password": "s3cret-Typed"})
    details = refused.value.normalized_messages()
    assert worded(details, "zh-CN") == {
        "title": ["长度须在 1 到 200 个字符之间"], "items": ["最多 2 项"], "score": ["须在 1 到 5 之间"],
        "area": ["须大于 0"], "urgency": ["须为以下之一：low、high"], "on": ["不是有效的日期，如 2026-12-31"],
        "at": ["须带时区偏移，如 2026-12-31T09:30:00+08:00"], "password": ["须为整数"]}
    assert worded(details, "en")["title"] == ["Between 1 and 200 characters."]
    assert worded(details, "en")["area"] == ["Must be more than 0."]
    assert "s3cret" not in json.dumps(details) + json.dumps(worded(details, "zh-CN"))


def test_a_blank_text_is_told_it_is_blank_once():
    from shared.contracts.values import text
    form = type("Form", (Schema,), {"title": text(200)})
    for blank in ("", "   "):
        with pytest.raises(ValidationError) as refused:
            form().load({"title": blank})
        assert worded(refused.value.normalized_messages(), "zh-CN") == {"title": ["不能为空"]}


def test_a_services_refusal_keeps_its_codes_across_rpc():
    refused = Invalid("the request breaks the schema", {
        "title": [said("length_between", min=1, max=200)],
        "qualifications": {"0": {"scope": [said("required")]}}, "note": ["kept as it is"]})
    received = deserialize(json.loads(json.dumps(serialize(refused))))
    assert received.fields == refused.fields  # the English, as text
    assert worded(received.fields, "zh-CN") == {
        "title": ["长度须在 1 到 200 个字符之间"], "qualifications": {"0": {"scope": ["必填"]}},
        "note": ["kept as it is"]}


#: Where a field's message is worded: validators, schemas and the services' refusals.
SOURCES = [path for folder in ("shared", "services", "gateway") for path in (ROOT / folder).rglob("*.py")]
PLAIN = (ast.Constant, ast.JoinedStr, ast.BinOp)


def _plain(node) -> bool:
    """Text written out: a literal, an f-string, a concatenation, or str() of something."""
    return (isinstance(node, PLAIN) and not (isinstance(node, ast.Constant) and not isinstance(node.value, str))) or (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "str")


def _messages_in(node):
    """The messages of a details literal: the items of its lists, at any depth."""
    if isinstance(node, ast.Dict):
        for value in node.values:
            yield from _messages_in(value)
    elif isinstance(node, (ast.List, ast.Tuple)):
        for item in node.elts:
            if isinstance(item, (ast.Dict, ast.List)):
                yield from _messages_in(item)
            else:
                yield item


def test_no_source_words_a_field_message_in_plain_text():
    found = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            if name in ("ValidationError", "DestinationRefused") and node.args and _plain(node.args[0]):
                found.append(where)
            if name in ("Regexp", "Length", "Range", "OneOf", "Email", "URL") and any(
                    keyword.arg == "error" and _plain(keyword.value) for keyword in node.keywords):
                found.append(where)
            if name == "Invalid" or (name == "ApiError" and node.args and
                                     isinstance(node.args[0], ast.Constant) and node.args[0].value in (400, 422)):
                found += [where for argument in node.args[1:] if isinstance(argument, ast.Dict)
                          for message in _messages_in(argument) if _plain(message)]
    assert not found, "field messages as plain text (use said(code)): " + ", ".join(found)
