"""The gateway's routes for people's notices: their inbox, read and unread, and their choice of
channels (mixed into ``GatewayService``). A person reads the notices of what they act for: their
enterprise's, their institution's, or as a specialist their station's."""
from __future__ import annotations

from marshmallow import Schema, fields

from gateway.http import language_of, route
from gateway.schemas import CursorPage
from shared.commands import ChooseNoticePreferences, ListNotices

READERS = ("enterprise", "institution", "specialist")


class NoticeView(Schema):
    id = fields.String(required=True)
    kind = fields.String(required=True, metadata={"description": "what the notice is about (a code)"})
    demand_id = fields.String(allow_none=True, required=True)
    subject = fields.String(required=True, metadata={"description": "in the language Accept-Language prefers"})
    body = fields.String(required=True)
    at = fields.String(required=True, metadata={"description": "in the station's time zone, with its offset"})
    at_utc = fields.String(required=True)
    read = fields.Boolean(required=True, metadata={"description": "read by you (each person reads for themselves)"})


class NoticePage(CursorPage):
    items = fields.List(fields.Nested(NoticeView), required=True)
    unread = fields.Integer(required=True, metadata={"description": "how many you have not read, in all"})


class NoticePreferencesView(Schema):
    channels = fields.List(fields.String(), required=True, metadata={
        "description": "email, sms: sent where you have that address; the inbox has every notice"})
    language = fields.String(required=True)
    chosen = fields.Boolean(required=True, metadata={"description": "false: the defaults, until you choose"})


def _acts(principal) -> dict:
    return {principal.role: principal.subject}


def _reader(principal) -> str:
    # A development token has no person: its subject stands in.
    return principal.person or f"{principal.role}:{principal.subject}"


class NoticeRoutes:
    @route("GET", "/api/v1/notifications", roles=READERS, query=ListNotices, response=NoticePage,
           summary="Your notices, newest first, in the language Accept-Language prefers; "
                   "unread=true for those you have not read")
    def list_notices(self, request, principal, query):
        return self.notices.inbox(_reader(principal), _acts(principal), query, language_of(request))

    @route("POST", "/api/v1/notifications/<notice_id>/read", roles=READERS, response=NoticeView,
           summary="Mark a notice read (for you; others of your organisation read their own)")
    def read_notice(self, request, principal, notice_id):
        return self.notices.mark_read(notice_id, _reader(principal), _acts(principal), language_of(request))

    @route("GET", "/api/v1/notifications/preferences", roles=READERS, response=NoticePreferencesView,
           summary="Your channels besides the inbox, and the language of what is sent to you")
    def notice_preferences(self, request, principal):
        return self.notices.preferences(_reader(principal))

    @route("PUT", "/api/v1/notifications/preferences", roles=READERS, body=ChooseNoticePreferences,
           response=NoticePreferencesView,
           summary="Choose your channels (email, sms; none: the inbox only) and language")
    def choose_notice_preferences(self, request, principal, payload):
        return self.notices.choose_preferences(_reader(principal), payload)
