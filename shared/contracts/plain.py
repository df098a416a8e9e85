"""A contract's schema turned once into plain functions that load and dump its messages.

Every notification is dumped through its contract by its producer and loaded through it again
by each follower that reacts: marshmallow's general machinery (an error store, a closure per
field, a validator object built per value, hooks looked up per call) cost more than the
conversions themselves. These functions walk the same fields and call the same conversions and
validators (each leaf field's own ``_deserialize``, ``_serialize`` and ``validators``), without
the machinery.

They are a fast path, never a second definition: anything the path is unsure of (a value that
fails, a missing required field, an unknown key where the schema refuses them, a field or hook
it does not know) raises ``Slow``, and the caller loads through marshmallow itself, which gives
the result or the error it always gave. A schema with a hook the path does not run gets no
plain functions at all.
"""
from __future__ import annotations

from collections.abc import Callable

from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields
from marshmallow.decorators import POST_DUMP, POST_LOAD, PRE_DUMP, PRE_LOAD, VALIDATES, VALIDATES_SCHEMA
from marshmallow.error_store import ErrorStore
from marshmallow.utils import missing

Convert = Callable[[object], object]


class Slow(Exception):
    """This value needs marshmallow's own load (it may be invalid, or unusual)."""


class Unsupported(Exception):
    """A schema the plain functions do not cover."""


#: Hooks that change what is loaded or dumped; a schema with any of them keeps marshmallow's path.
_TRANSFORMING_HOOKS = (PRE_LOAD, POST_LOAD, PRE_DUMP, POST_DUMP)


def plain_loader(schema: Schema, unknown: str) -> Callable[[dict], dict] | None:
    """``schema.load(data, unknown=unknown)`` as one function raising ``Slow``, or None if the
    schema has what the plain path does not cover."""
    try:
        return _loader(schema, unknown)
    except Unsupported:
        return None


def plain_dumper(schema: Schema) -> Callable[[dict], dict] | None:
    """``schema.dump(values)`` for a dict of values, or None if not covered."""
    try:
        return _dumper(schema)
    except Unsupported:
        return None


# Loading ---------------------------------------------------------------------------------------
def _loader(schema: Schema, unknown: str) -> Callable[[dict], dict]:
    if any(schema._hooks[tag] for tag in _TRANSFORMING_HOOKS):
        raise Unsupported(type(schema).__name__)
    if unknown not in (EXCLUDE, RAISE):
        raise Unsupported(f"unknown={unknown}")
    plan = [(field.data_key if field.data_key is not None else name, field.attribute or name,
             _field_loader(field), field.required, field.load_default)
            for name, field in schema.load_fields.items()]
    keys = {key for key, *_ in plan}
    validates = bool(schema._hooks[VALIDATES])
    validates_schema = bool(schema._hooks[VALIDATES_SCHEMA])

    def load(data):
        if type(data) is not dict:
            raise Slow
        if unknown == RAISE and not keys.issuperset(data):
            raise Slow
        result = {}
        for key, attribute, convert, required, default in plan:
            value = data.get(key, missing)
            if value is missing:
                if required:
                    raise Slow
                if default is missing:
                    continue
                result[attribute] = default() if callable(default) else default
            else:
                result[attribute] = convert(value)
        if validates or validates_schema:
            _validate_whole(schema, result, data, unknown)
        return result
    return load


def _validate_whole(schema: Schema, result: dict, data: dict, unknown: str) -> None:
    """The schema's own validators (``@validates``, ``@validates_schema``), run by marshmallow's
    own methods on the loaded result, as its load runs them."""
    errors = ErrorStore()
    schema._invoke_field_validators(error_store=errors, data=result, many=False)
    for collection in (True, False):
        schema._invoke_schema_validators(
            error_store=errors, pass_collection=collection, data=result, original_data=data,
            many=False, partial=None, unknown=unknown, field_errors=False)
    if errors.errors:
        raise Slow


def _field_loader(field: fields.Field) -> Convert:
    """Field.deserialize for a present value: None where allowed, the conversion, validators."""
    if field.pre_load or field.post_load:
        raise Unsupported(f"{field.name}: processors")
    convert = _conversion(field)
    validators = tuple(field.validators)
    allow_none = field.allow_none

    def load(value):
        if value is None:
            if allow_none:
                return None
            raise Slow
        output = convert(value)
        for validator in validators:
            try:
                if validator(output) is False:
                    raise Slow
            except ValidationError:
                raise Slow from None
        return output
    return load


def _conversion(field: fields.Field) -> Convert:
    kind = type(field)
    if kind is fields.Nested:
        return _nested_loader(field)
    if kind is fields.List:
        inner = _field_loader(field.inner)

        def each(value):
            if type(value) is not list:
                raise Slow
            return [inner(item) for item in value]
        return each
    if kind is fields.Dict:
        return _mapping_loader(field)
    if kind in (fields.String, fields.Integer, fields.Float, fields.Boolean, fields.UUID,
                fields.Date, fields.Raw):
        return _leaf_loader(field)
    raise Unsupported(f"{field.name}: {kind.__name__}")


#: For the commonest values, what the field's own ``_deserialize`` returns, without the call:
#: a str for a String, an int (never a bool) for an Integer, a bool for a Boolean.
_SAME = {fields.String: (str,), fields.Integer: (int,), fields.Boolean: (bool,)}


def _leaf_loader(field: fields.Field) -> Convert:
    deserialize, name = field._deserialize, field.name
    same = _SAME.get(type(field), ())

    def leaf(value):
        if type(value) in same:
            return value
        try:
            return deserialize(value, name, None)
        except ValidationError:
            raise Slow from None
    return leaf


def _nested_loader(field: fields.Nested) -> Convert:
    schema = field.schema
    unknown = field.unknown if field.unknown is not None else schema.unknown
    load = _loader(schema, unknown)
    if schema.many or field.many:
        def each(value):
            if type(value) is not list:
                raise Slow
            return [load(item) for item in value]
        return each
    return load


def _mapping_loader(field: fields.Dict) -> Convert:
    keys = _field_loader(field.key_field) if field.key_field is not None else None
    values = _field_loader(field.value_field) if field.value_field is not None else None

    def load(value):
        if type(value) is not dict:
            raise Slow
        if keys is None and values is None:
            return dict(value)
        return {(keys(key) if keys else key): (values(item) if values else item)
                for key, item in value.items()}
    return load


# Dumping ---------------------------------------------------------------------------------------
def _dumper(schema: Schema) -> Callable[[dict], dict]:
    if any(schema._hooks[tag] for tag in _TRANSFORMING_HOOKS):
        raise Unsupported(type(schema).__name__)
    plan = [(name, field.data_key if field.data_key is not None else name,
             field.attribute or name, _field_dumper(field), field)
            for name, field in schema.dump_fields.items()]

    def dump(values):
        result = {}
        for name, key, attribute, convert, field in plan:
            if attribute in values:
                value = values[attribute]
                result[key] = None if value is None else convert(value)
            else:
                # What marshmallow does for an absent value (its default, or a look-up that
                # can find a dict's own attribute of that name), done by marshmallow.
                value = field.serialize(name, values, accessor=schema.get_attribute)
                if value is not missing:
                    result[key] = value
        return result
    return dump


def _field_dumper(field: fields.Field) -> Convert:
    kind = type(field)
    if kind is fields.Nested:
        schema = field.schema
        dump = _dumper(schema)
        if schema.many or field.many:
            return lambda value: [dump(item) for item in value]
        return dump
    if kind is fields.List:
        inner = _field_dumper(field.inner)
        return lambda value: [None if item is None else inner(item) for item in value]
    if kind is fields.Dict:
        keys = field.key_field._serialize if field.key_field is not None else None
        values = _field_dumper(field.value_field) if field.value_field is not None else None
        if keys is None and values is None:
            return dict
        return lambda value: {(keys(key, None, None) if keys else key):
                              (values(item) if values and item is not None else item)
                              for key, item in value.items()}
    if kind in (fields.String, fields.Integer, fields.Float, fields.Boolean, fields.UUID,
                fields.Date, fields.Raw):
        serialize = field._serialize
        # A number dumped as a string is the field's own to format.
        same = () if getattr(field, "as_string", False) else _SAME.get(kind, ())
        return lambda value: value if type(value) in same else serialize(value, None, None)
    raise Unsupported(f"{field.name}: {kind.__name__}")
