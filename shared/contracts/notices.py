"""Events the notices service records in its own log: the notices it sends people, how each was
delivered and read, the facts it addresses them by, and people's choices of channels."""
from marshmallow import Schema, fields

from shared.contracts import contract


def _id():
    return fields.UUID(required=True)


def _text():
    return fields.String(required=True)


@contract("NoticeRecorded", producer="notices", subject="notice_id",
          summary="A notice to an enterprise's, an institution's or a station's people: in their "
                  "inbox at once, and sent by their chosen channels.")
class NoticeRecorded(Schema):
    notice_id = _id()
    source = _text()
    audience = _text()
    kind = _text()
    demand_id = fields.String(allow_none=True, required=True)
    values = fields.Dict(required=True)
    at = _text()


@contract("NoticeRead", producer="notices", subject="notice_id",
          summary="A person marked the notice read.")
class NoticeRead(Schema):
    notice_id = _id()
    person_id = _text()
    at = _text()


@contract("NoticeAddressed", producer="notices", subject="notice_id",
          summary="The notice's recipients and their channels, when it was first sent.")
class NoticeAddressed(Schema):
    notice_id = _id()
    deliveries = fields.List(fields.String(), required=True, metadata={
        "description": "'<person_id> <channel>' each"})
    at = _text()


@contract("NoticeSent", producer="notices", subject="notice_id",
          summary="One delivery (a person, a channel) was accepted by the mail server or the "
                  "text-message provider.")
class NoticeSent(Schema):
    notice_id = _id()
    delivery = _text()
    at = _text()


@contract("NoticeSendFailed", producer="notices", subject="notice_id",
          summary="One delivery failed; it is tried again at retry_at, or (null) its tries ran "
                  "out and it waits for an operator's replay.")
class NoticeSendFailed(Schema):
    notice_id = _id()
    delivery = _text()
    error = _text()
    attempts = fields.Integer(required=True)
    at = _text()
    retry_at = fields.String(allow_none=True, required=True)


@contract("NoticeRedelivered", producer="notices", subject="notice_id",
          summary="An operator replayed the notice's abandoned deliveries.")
class NoticeRedelivered(Schema):
    notice_id = _id()
    by = _text()
    at = _text()


@contract("NoticeCaseOpened", producer="notices", subject="notice_case_id",
          summary="The parties of a demand, whom its notices go to.")
class NoticeCaseOpened(Schema):
    notice_case_id = _id()
    demand_id = _text()
    title = _text()
    enterprise = _text()
    station_id = _text()


@contract("NoticeCaseAssigned", producer="notices", subject="notice_case_id",
          summary="The institution serving the demand.")
class NoticeCaseAssigned(Schema):
    notice_case_id = _id()
    institution_id = _text()


@contract("NoticeStationOpened", producer="notices", subject="notice_station_id",
          summary="A station whose specialists receive notices.")
class NoticeStationOpened(Schema):
    notice_station_id = _id()
    station_id = _text()


@contract("NoticeStaffJoined", producer="notices", subject="notice_station_id",
          summary="A specialist receives the station's notices.")
class NoticeStaffJoined(Schema):
    notice_station_id = _id()
    staff_id = _text()


@contract("NoticeStaffLeft", producer="notices", subject="notice_station_id",
          summary="A specialist no longer receives the station's notices.")
class NoticeStaffLeft(Schema):
    notice_station_id = _id()
    staff_id = _text()


@contract("NoticeInstitutionNamed", producer="notices", subject="notice_institution_id",
          summary="An institution's name, as notices show it.")
class NoticeInstitutionNamed(Schema):
    notice_institution_id = _id()
    institution_id = _text()
    name = _text()


@contract("NoticeComplaintOpened", producer="notices", subject="notice_complaint_id",
          summary="Who made a complaint (an enterprise's audience), whom its updates go to.")
class NoticeComplaintOpened(Schema):
    notice_complaint_id = _id()
    complaint_id = _text()
    complainant = fields.String(allow_none=True, required=True)


class _Choice(Schema):
    notice_preferences_id = _id()
    channels = fields.List(fields.String(), required=True)
    language = _text()
    at = _text()


@contract("NoticePreferencesChosen", producer="notices", subject="notice_preferences_id",
          summary="A person chose the channels of their notices (besides the inbox) and their "
                  "language.")
class NoticePreferencesChosen(_Choice):
    person_id = _text()


@contract("NoticePreferencesChanged", producer="notices", subject="notice_preferences_id",
          summary="A person changed their channels or language.")
class NoticePreferencesChanged(_Choice):
    pass
