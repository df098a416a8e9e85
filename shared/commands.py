"""Command schemas: what a caller may ask of a service. The gateway validates requests with them
(and documents them in OpenAPI); the owning service loads its RPC arguments with the same schema,
so a command that bypasses the gateway is held to the same rules."""
import json
from datetime import date

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from shared.contracts.values import (
    EnterpriseSchema, QualificationSchema, category_field, credit_code_field, distinct, text)
from shared.errors import Invalid


def _not_in_the_past(value: date) -> None:
    if value < date.today():
        raise ValidationError("must not be in the past")


class Command(Schema):
    class Meta:
        unknown = RAISE


class SubmitDemand(Command):
    enterprise = fields.Nested(EnterpriseSchema, required=True)
    park = text(64, required=True)
    category = category_field(required=True)
    title = text(200, required=True)
    description = text(5000, multiline=True, required=True)
    items = fields.List(text(200), load_default=list, validate=[validate.Length(max=100), distinct])
    expected_by = fields.Date(load_default=None, allow_none=True, validate=_not_in_the_past)


class RegisterInstitution(Command):
    name = text(200, required=True)
    credit_code = credit_code_field()
    categories = fields.List(category_field(), required=True,
                             validate=[validate.Length(min=1), distinct])
    qualifications = fields.List(fields.Nested(QualificationSchema), required=True,
                                 validate=validate.Length(min=1, max=100))
    parks = fields.List(text(64), required=True, validate=[validate.Length(min=1, max=500), distinct])
    capacity = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=100000))


def load_command(schema: type[Schema], payload) -> dict:
    """Load ``payload`` or raise ``Invalid`` naming every offending field."""
    try:
        json.dumps(payload, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate (e.g. "\ud800") is valid JSON but no text; the store cannot keep it.
        raise Invalid("the request contains text that is not valid Unicode",
                      {"_schema": ["unpaired surrogate in a string"]}) from None
    try:
        return schema().load(payload)
    except ValidationError as error:
        raise Invalid("the request breaks the schema", error.normalized_messages()) from None
