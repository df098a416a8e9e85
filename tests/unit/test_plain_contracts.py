"""The contracts' plain functions: every contract has them, and where a message is invalid or
unusual the load is marshmallow's own, with its result or its error. (That they give what
marshmallow gives on valid messages is checked on every message the unit tests' platform
carries: tests/unit/plain_contracts.py.)"""
import uuid

import pytest
from marshmallow import EXCLUDE, Schema, ValidationError, fields

from shared.contracts import CONTRACTS, contract_for
from shared.contracts.plain import Slow, plain_dumper, plain_loader

MATCH = {"match_id": str(uuid.uuid4()), "demand_id": str(uuid.uuid4()), "category": "metrology",
         "items": ["电能表"], "park": "panyu", "expected_by": "2026-03-01",
         "excluded_institutions": [], "round": 1}
ENTERPRISE = {"name": "广州明亮灯具有限公司", "credit_code": "91440101MA59TEST0X", "contact": "李华",
              "phone": "+86 20 8888 0000"}


@pytest.mark.parametrize("event", sorted(CONTRACTS))
def test_every_contract_has_plain_functions(event):
    schema = CONTRACTS[event]._instance()
    assert plain_loader(schema, EXCLUDE) is not None
    assert plain_dumper(schema) is not None


def test_a_valid_message_loads_on_the_plain_path_as_marshmallow_loads_it():
    terms = contract_for("MatchingStarted")
    plain = terms.plain_loader(EXCLUDE)
    loaded = plain({**MATCH, "added_by_a_newer_producer": 1})
    assert loaded == terms._instance().load(MATCH, unknown=EXCLUDE)
    assert loaded["match_id"] == uuid.UUID(MATCH["match_id"]) and loaded["round"] == 1


@pytest.mark.parametrize("change", [
    {"round": "two"},                  # not a number
    {"round": None},                   # None where it is not allowed
    {"category": "astrology"},         # a validator refuses it
    {"items": "电能表"},               # not a list
    {"expected_by": "2026-02-30"},     # not a date
    {"match_id": "not-a-uuid"},
])
def test_an_invalid_message_gets_marshmallows_own_error(change):
    terms = contract_for("MatchingStarted")
    data = {**MATCH, **change}
    with pytest.raises(Slow):
        terms.plain_loader(EXCLUDE)(data)
    with pytest.raises(ValidationError) as plain_path:
        terms.load(data, unknown=EXCLUDE)
    with pytest.raises(ValidationError) as marshmallow:
        terms._instance().load(data, unknown=EXCLUDE)
    assert plain_path.value.messages == marshmallow.value.messages


def test_a_missing_required_field_and_an_unknown_key_in_a_nested_object_are_marshmallows_errors():
    terms = contract_for("DemandSubmitted")
    for enterprise in ({**ENTERPRISE, "fax": "020"}, {"name": "广州明亮灯具有限公司"}):
        data = {"enterprise": enterprise}
        with pytest.raises(ValidationError) as plain_path:
            terms.load(data, unknown=EXCLUDE)
        with pytest.raises(ValidationError) as marshmallow:
            terms._instance().load(data, unknown=EXCLUDE)
        assert plain_path.value.messages == marshmallow.value.messages


def test_a_value_marshmallow_converts_is_converted_by_marshmallow():
    """A number as a string is valid for marshmallow; the plain path leaves it to it."""
    terms = contract_for("MatchingStarted")
    data = {**MATCH, "round": "2"}
    assert terms.load(data, unknown=EXCLUDE)["round"] == 2


def test_a_schema_with_what_the_plain_path_does_not_know_keeps_marshmallows():
    class Custom(fields.String):
        pass

    class Unusual(Schema):
        name = Custom(required=True)

    assert plain_loader(Unusual(), EXCLUDE) is None and plain_dumper(Unusual()) is None
