"""Events intake publishes about an enterprise's register of measuring instruments
(services/intake/metrology.py). Dates are ISO dates (YYYY-MM-DD) in the station's days; ``at`` is
an ISO 8601 instant."""
from marshmallow import Schema, fields

from shared.contracts import contract
from shared.contracts.values import ActorSchema, EnterpriseSchema


class CertificateSchema(Schema):
    number = fields.String(required=True)
    date = fields.String(required=True, metadata={"description": "YYYY-MM-DD"})
    institution = fields.String(allow_none=True, required=True, metadata={
        "description": "the issuing institution's name, as the enterprise recorded it"})
    institution_id = fields.String(allow_none=True, required=True, metadata={
        "description": "the serving institution, for a certificate recorded at a completion"})
    demand_id = fields.String(allow_none=True, required=True)


class _RegisterEvent(Schema):
    register_id = fields.UUID(required=True)
    by = fields.Nested(ActorSchema, required=True)
    at = fields.String(required=True)


class _InstrumentEvent(_RegisterEvent):
    instrument_id = fields.String(required=True)


@contract("InstrumentRegisterOpened", producer="intake", subject="register_id",
          summary="An enterprise opened its register of measuring instruments.")
class InstrumentRegisterOpened(_RegisterEvent):
    enterprise = fields.Nested(EnterpriseSchema, required=True)
    park = fields.String(required=True)


@contract("InstrumentRegisterHolderChanged", producer="intake", subject="register_id",
          summary="The enterprise changed its contact or park on its instrument register.")
class InstrumentRegisterHolderChanged(InstrumentRegisterOpened):
    pass


@contract("InstrumentRegistered", producer="intake", subject="register_id",
          summary="A measuring instrument entered the enterprise's register, with its next due date.")
class InstrumentRegistered(_InstrumentEvent):
    name = fields.String(required=True)
    model = fields.String(allow_none=True, required=True)
    serial_number = fields.String(required=True)
    location = fields.String(allow_none=True, required=True)
    mandatory = fields.Boolean(required=True, metadata={
        "description": "subject to mandatory verification (强制检定)"})
    interval_months = fields.Integer(required=True)
    last_certificate = fields.Nested(CertificateSchema, allow_none=True, required=True)
    registered_on = fields.String(required=True)
    next_due = fields.String(required=True)


@contract("InstrumentChanged", producer="intake", subject="register_id",
          summary="The enterprise changed an instrument's details, saying why; next_due follows.")
class InstrumentChanged(_InstrumentEvent):
    changes = fields.Dict(required=True)
    next_due = fields.String(required=True)
    reason = fields.String(required=True)


@contract("InstrumentRetired", producer="intake", subject="register_id",
          summary="An instrument went out of use; it is no longer reminded of.")
class InstrumentRetired(_InstrumentEvent):
    reason = fields.String(required=True)


@contract("VerificationDue", producer="intake", subject="register_id",
          summary="An instrument's due date is within the reminder days (once per due date).")
class VerificationDue(_InstrumentEvent):
    enterprise = fields.String(required=True, metadata={"description": "its credit code"})
    park = fields.String(required=True)
    name = fields.String(required=True)
    serial_number = fields.String(required=True)
    due_on = fields.String(required=True)


@contract("VerificationRequested", producer="intake", subject="register_id",
          summary="The enterprise (or its station) asked for the instrument's verification or "
                  "calibration: the demand it became.")
class VerificationRequested(_InstrumentEvent):
    demand_id = fields.UUID(required=True)
    sub_item = fields.String(required=True, metadata={"description": "verification or calibration"})
    due_on = fields.String(required=True)


@contract("CertificateRecorded", producer="intake", subject="register_id",
          summary="The completion of the requested demand carried the certificate: the next "
                  "cycle starts from its date.")
class CertificateRecorded(_InstrumentEvent):
    demand_id = fields.UUID(required=True)
    number = fields.String(required=True)
    issued_on = fields.String(required=True, metadata={"description": "the completion's date"})
    institution_id = fields.String(allow_none=True, required=True)
    next_due = fields.String(required=True)
