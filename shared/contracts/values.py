"""Value schemas more than one contract (and the gateway) share."""
import unicodedata

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from shared.catalogue import CATEGORIES, QUALIFICATION_TYPES, credit_code_problem
from shared.field_messages import said


def credit_code_field(**kwargs):
    return fields.String(required=True, validate=_credit_code, **kwargs)


def _credit_code(value):
    problem = credit_code_problem(value)
    if problem:
        raise ValidationError(problem)


def category_field(**kwargs):
    return fields.String(validate=validate.OneOf(sorted(CATEGORIES)), **kwargs)


def text(max_length, *, multiline=False, **kwargs):
    """A string a person typed: not blank, no control characters (line breaks only if
    ``multiline``), at most ``max_length`` characters."""
    return fields.String(validate=[_Length(min=1, max=max_length), _readable(multiline)], **kwargs)


class _Length(validate.Length):
    """Length, silent about a blank text: "must not be blank" says all there is to say."""

    def __call__(self, value):
        if isinstance(value, str) and not value.strip():
            return value
        return super().__call__(value)


def _readable(multiline):
    allowed = {"\n", "\r", "\t"} if multiline else set()

    def check(value):
        if not value.strip():
            raise ValidationError(said("blank"))
        if any(unicodedata.category(c) == "Cc" and c not in allowed for c in value):
            raise ValidationError(said("control_characters"))
    return check


def distinct_ignoring_case(values):
    """Scope items are matched without regard to case, so they must differ without it too."""
    if len({v.casefold() for v in values}) != len(values):
        raise ValidationError(said("repeated_ignoring_case"))


def park_field(**kwargs):
    """A park's id: lower-case words joined by hyphens, so one park has one spelling."""
    return fields.String(validate=[validate.Length(min=1, max=64), validate.Regexp(
        r"[a-z0-9]+(-[a-z0-9]+)*\Z", error=said("park_id"))], **kwargs)


def distinct(values):
    """A list validator: no value twice."""
    if len(set(values)) != len(values):
        raise ValidationError(said("repeated"))


class EnterpriseSchema(Schema):
    name = text(200, required=True)
    credit_code = credit_code_field()
    contact = text(100, required=True)
    phone = fields.String(required=True, validate=validate.Regexp(
        r"\+?[0-9][0-9 -]{5,19}\Z", error=said("phone")))


class QualificationSchema(Schema):
    type = fields.String(required=True, validate=validate.OneOf(QUALIFICATION_TYPES))
    number = text(64, required=True)
    issuer = text(200, load_default=None, metadata={"description": "the authority that issued it"})
    scope = fields.List(text(200), required=True,
                        validate=[validate.Length(min=1, max=500), distinct_ignoring_case])
    valid_from = fields.Date(required=True)
    valid_until = fields.Date(required=True)

    @validates_schema(skip_on_field_errors=False)
    def _validity_in_order(self, data, **kwargs):
        if "valid_from" in data and "valid_until" in data and data["valid_until"] < data["valid_from"]:
            raise ValidationError(said("until_before_from"), "valid_until")


class ActorSchema(Schema):
    """Who acted: the role and the party acted for, and, for a person who signed in, the person
    and their organisation (absent for the system, the rules, and development tokens)."""
    role = fields.String(required=True)
    subject = fields.String(required=True)
    person = fields.String(load_default=None, allow_none=True)
    organisation = fields.String(load_default=None, allow_none=True)
