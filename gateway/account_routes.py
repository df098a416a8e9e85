"""The gateway's routes for people: signing in and out, their own account, the public keys and
discovery document of the tokens, and the administration of organisations and accounts.

Mixed into ``GatewayService``, which has an RPC proxy ``accounts`` and the ``external_sign_in``
of gateway/external_sessions.py.
"""
from __future__ import annotations

from marshmallow import Schema, fields
from werkzeug.utils import redirect
from werkzeug.wrappers import Response

from gateway.auth import PERSON
from gateway.errors import ApiError, error_response, json_response
from gateway.external_sessions import (
    FLOW_COOKIE, FLOW_PATH, FLOW_SECONDS, SESSION_COOKIE, SessionEnded, SignInFailed,
    failed_redirect)
from gateway.http import language_of, route
from gateway.schemas import CursorPage, time_zone_field
from gateway.zones import platform_zone, shown
from shared.commands import (
    ChangePassword, ChangeRole, CreatePerson, ListAudit, ListOrganisations, ListPersons, Refresh,
    SelfRegistration, RegisterOrganisation, SecondFactorCode, SetEnabled, SignIn,
    VerifyEnterprise, load_command)
from shared.config import issuer as configured_issuer, section

ADMINISTRATORS = ("operator", "enterprise")
#: A browser's refresh token: HttpOnly, sent only to the session endpoints, never cross-site.
REFRESH_COOKIE = "onestop_refresh"
SESSIONS_PATH = "/api/v1/sessions"


def _text(description: str, required: bool = False) -> dict:
    """A query parameter of text, for the OpenAPI document."""
    return {"schema": {"type": "string"}, "description": description, "required": required}


class PersonView(Schema):
    id = fields.UUID(required=True)
    sign_in_name = fields.String(required=True)
    name = fields.String(required=True)
    mobile = fields.String(allow_none=True, required=True)
    email = fields.String(allow_none=True, required=True)
    organisation_id = fields.UUID(required=True)
    roles = fields.List(fields.String(), required=True)
    must_change_password = fields.Boolean(required=True)
    second_factor = fields.Boolean(required=True, metadata={"description": "an authenticator is set up"})
    disabled = fields.Boolean(required=True)
    created_at = fields.String(required=True)


class PersonWithPassword(PersonView):
    one_time_password = fields.String(required=True, metadata={
        "description": "shown this once: hand it to the person, who must change it at sign-in"})


class PersonListed(Schema):
    id = fields.UUID(required=True)
    sign_in_name = fields.String(required=True)
    name = fields.String(required=True)
    roles = fields.List(fields.String(), required=True)
    disabled = fields.Boolean(required=True)


class PersonPage(CursorPage):
    items = fields.List(fields.Nested(PersonListed), required=True)


class OrganisationView(Schema):
    id = fields.UUID(required=True)
    kind = fields.String(required=True)
    party = fields.String(required=True, metadata={
        "description": "how the other services know it: a credit code, an institution's or a "
                       "station's id, an agency's code"})
    name = fields.String(required=True)
    verified = fields.Boolean(required=True)


class OrganisationPage(CursorPage):
    items = fields.List(fields.Nested(OrganisationView), required=True)


class SelfRegistered(Schema):
    organisation = fields.Nested(OrganisationView, required=True)
    person = fields.Nested(PersonView, required=True)


class AuditPage(CursorPage):
    items = fields.List(fields.Dict(), required=True, metadata={
        "description": "at, person_id, event, and what the event says (by, reason, role, "
                       "method, locked_until, demand_id, action...)"})
    time_zone = time_zone_field("the platform's")


class Tokens(Schema):
    access_token = fields.String(required=True, metadata={"description": "ES256 JWT, at most 10 minutes"})
    token_type = fields.String(required=True)
    expires_in = fields.Integer(required=True, metadata={"description": "seconds"})
    refresh_token = fields.String(allow_none=True, required=True, metadata={
        "description": "single use: each refresh returns a new one; a used one presented again "
                       "ends the session (null: it is in the HttpOnly cookie onestop_refresh)"})
    must_change_password = fields.Boolean(required=True)
    pending = fields.String(allow_none=True, required=True, metadata={
        "enum": ["password_change", "verification", "second_factor_setup", None],
        "description": "what the person must do first; until then the access token serves only "
                       "their own account (/api/v1/me...)"})
    person = fields.Nested(PersonView, allow_none=True, required=True, metadata={
        "description": "null for a person signed in through another identity platform"})
    acts = fields.Dict(keys=fields.String(), values=fields.String(), required=True, metadata={
        "description": "for each role the person may act in now, the party they act for (an "
                       "enterprise's credit code, an institution's id, a supervisor's agency, "
                       "the person themselves); empty while something is pending"})
    issuer = fields.String(allow_none=True, required=True, metadata={
        "description": "the identity platform that signed the person in (null: this one)"})


class SignInProvider(Schema):
    issuer = fields.String(required=True)
    name = fields.String(required=True, metadata={"description": "in the language asked for"})


class SignInProviders(Schema):
    items = fields.List(fields.Nested(SignInProvider), required=True)


class SecondFactorEnrolment(Schema):
    secret = fields.String(required=True, metadata={"description": "base32, for typing in"})
    otpauth_uri = fields.String(required=True, metadata={"description": "for a QR code"})


class AccountRoutes:
    @route("POST", "/api/v1/sessions", body=SignIn, response=Tokens, status=201, answers=(401, 429),
           summary="Sign in with a sign-in name and password. Every failure gets the same 401; "
                   "after 5 in a row the name is locked for 15 minutes (429, Retry-After)")
    def sign_in(self, request, payload):
        in_cookie = load_command(SignIn, payload)["refresh_cookie"]
        tokens = self.accounts.sign_in({key: value for key, value in payload.items()
                                        if key != "refresh_cookie"})
        return self._tokens_answer(request, tokens, 201, in_cookie)

    @route("POST", "/api/v1/sessions/refresh", body=Refresh, response=Tokens, answers=(401,),
           summary="New tokens for a refresh token (in the body, or the session's cookie), which "
                   "is used up")
    def refresh(self, request, payload):
        if _external_session(request, payload):
            return self._external_refresh(request)
        token, from_cookie = _refresh_token(request, payload)
        return self._tokens_answer(request, self.accounts.refresh({"refresh_token": token}), 200,
                                   from_cookie)

    @route("POST", "/api/v1/sessions/end", body=Refresh, status=204, answers=(401,),
           summary="Sign out: the session's refresh token (in the body, or its cookie, which is "
                   "cleared) is refused from now on")
    def sign_out(self, request, payload):
        if _external_session(request, payload):
            ended = Response(status=204)
            _end_external(ended, request)
            return ended
        token, from_cookie = _refresh_token(request, payload)
        self.accounts.sign_out({"refresh_token": token})
        ended = Response(status=204)
        if from_cookie:
            ended.delete_cookie(REFRESH_COOKIE, path=SESSIONS_PATH, secure=_secure(request),
                                httponly=True, samesite="Strict")
        return ended

    @route("GET", "/api/v1/sessions/providers", response=SignInProviders,
           summary="The other identity platforms people may sign in to the console through")
    def sign_in_providers(self, request):
        return {"items": self.external_sign_in.offered(language_of(request))}

    @route("GET", "/api/v1/sessions/external", status=303,
           query={"issuer": _text("one of /api/v1/sessions/providers", required=True),
                  "return_to": _text("a path of the console to return to once signed in")},
           summary="Sign in through another identity platform: a redirect to it (a browser "
                   "navigation; failures return to the console's sign-in page)")
    def external_sign_in_start(self, request):
        try:
            location, flow = self.external_sign_in.start(
                request.args.get("issuer", ""), request.args.get("return_to", "/"),
                platform_url(self.config, request))
        except SignInFailed as failed:
            return failed_redirect(failed.code)
        answer = redirect(location, code=303)
        answer.set_cookie(FLOW_COOKIE, flow, max_age=FLOW_SECONDS, path=FLOW_PATH,
                          secure=_secure(request), httponly=True, samesite="Lax")
        return answer

    @route("GET", "/api/v1/sessions/external/callback", status=303,
           query={"code": _text("from the identity platform"),
                  "state": _text("from the identity platform, as given to it"),
                  "error": _text("from the identity platform, instead of a code")},
           summary="Where the identity platform returns the browser: the code exchanged, the "
                   "session kept in an HttpOnly cookie, back to the console")
    def external_sign_in_finish(self, request):
        try:
            location, session, lifetime = self.external_sign_in.finish(
                request.args.to_dict(), request.cookies.get(FLOW_COOKIE),
                platform_url(self.config, request))
        except SignInFailed as failed:
            answer = failed_redirect(failed.code)
        else:
            answer = redirect(location, code=303)
            answer.set_cookie(SESSION_COOKIE, session, max_age=lifetime, path=SESSIONS_PATH,
                              secure=_secure(request), httponly=True, samesite="Strict")
        answer.delete_cookie(FLOW_COOKIE, path=FLOW_PATH, secure=_secure(request), httponly=True,
                             samesite="Lax")
        return answer

    def _external_refresh(self, request) -> Response:
        try:
            tokens, renewed, lifetime = self.external_sign_in.renew(request.cookies.get(SESSION_COOKIE))
        except SessionEnded as ended:
            refused = ApiError(401, "unauthorized", "会话已结束，请重新登录",
                               {"reason": "session_ended", "detail": str(ended)})
            answer = error_response(refused)
            _end_external(answer, request)
            return answer
        answer = json_response(Tokens().dump(tokens), 200, {"Cache-Control": "no-store"})
        if renewed:
            answer.set_cookie(SESSION_COOKIE, renewed, max_age=lifetime, path=SESSIONS_PATH,
                              secure=_secure(request), httponly=True, samesite="Strict")
        return answer

    def _tokens_answer(self, request, tokens: dict, status: int, in_cookie: bool) -> Response:
        """The tokens as JSON; for a browser, the refresh token as a cookie instead."""
        if not in_cookie:
            return json_response(Tokens().dump(tokens), status)
        answer = json_response(Tokens().dump({**tokens, "refresh_token": None}), status,
                               {"Cache-Control": "no-store"})
        hours = float(section(self.config, "AUTH").get("refresh_token_hours") or 168)
        answer.set_cookie(REFRESH_COOKIE, tokens["refresh_token"], max_age=int(hours * 3600),
                          path=SESSIONS_PATH, secure=_secure(request), httponly=True,
                          samesite="Strict")
        return answer

    @route("GET", "/.well-known/jwks.json", summary="The public keys that verify access tokens")
    def jwks(self, request):
        return json_response(self.accounts.jwks(), headers={"Cache-Control": "max-age=60"})

    @route("GET", "/.well-known/openid-configuration",
           summary="Where the tokens' issuer publishes its keys (OpenID Connect discovery)")
    def openid_configuration(self, request):
        issuer = configured_issuer(self.config)
        base = platform_url(self.config, request)
        return json_response({
            "issuer": issuer, "jwks_uri": f"{base}/.well-known/jwks.json",
            "token_endpoint": f"{base}/api/v1/sessions",
            "id_token_signing_alg_values_supported": ["ES256"],
            "subject_types_supported": ["public"],
            "response_types_supported": ["token"],
            "claims_supported": ["iss", "aud", "sub", "org", "name", "roles", "act", "jti",
                                 "iat", "exp"],
        })

    @route("GET", "/api/v1/me", roles=(PERSON,), response=PersonView,
           summary="The signed-in person's own account")
    def me(self, request, principal):
        return self.accounts.get_person(principal.person, principal.as_actor())

    @route("POST", "/api/v1/me/password", roles=(PERSON,), body=ChangePassword,
           response=PersonView, summary="Change one's own password (a one-time one first of all)")
    def change_password(self, request, principal, payload):
        return self.accounts.change_password(payload, principal.as_actor())

    @route("POST", "/api/v1/me/second-factor", roles=(PERSON,), response=SecondFactorEnrolment,
           status=201, answers=(409,),
           summary="Begin setting up an authenticator (TOTP): its secret, to confirm with a code")
    def propose_second_factor(self, request, principal):
        return self.accounts.propose_second_factor(principal.as_actor())

    @route("POST", "/api/v1/me/second-factor/confirmation", roles=(PERSON,), body=SecondFactorCode,
           response=PersonView,
           summary="Confirm the authenticator with a code it shows; sign in again to act")
    def confirm_second_factor(self, request, principal, payload):
        return self.accounts.confirm_second_factor(payload, principal.as_actor())

    @route("POST", "/api/v1/persons/<person_id>/second-factor-reset", roles=ADMINISTRATORS,
           response=PersonView, answers=(409,),
           summary="Remove a person's authenticator (a lost phone); they set up a new one")
    def reset_second_factor(self, request, principal, person_id):
        return self.accounts.reset_second_factor(person_id, principal.as_actor())

    @route("POST", "/api/v1/enterprise-registrations", body=SelfRegistration,
           response=SelfRegistered, status=201,
           summary="An enterprise registers itself and its administrator's account; a "
                   "specialist verifies it (its business licence) before its people act for it")
    def register_enterprise_itself(self, request, payload):
        return self.accounts.register_enterprise(payload)

    @route("POST", "/api/v1/institution-registrations", body=SelfRegistration,
           response=SelfRegistered, status=201,
           summary="An institution registers itself and its first member, who then applies for "
                   "it (POST /api/v1/institutions); once a specialist approves the application, "
                   "its people act for the institution")
    def register_institution_itself(self, request, payload):
        return self.accounts.register_institution(payload)

    @route("GET", "/api/v1/organisations", roles=("operator", "specialist"), query=ListOrganisations,
           response=OrganisationPage,
           summary="Organisations by name, paged by cursor (specialists: the enterprises, "
                   "?verified=false for those waiting to be verified)")
    def list_organisations(self, request, principal, query):
        self._viewer(principal)  # a specialist on a station's staff
        return self.accounts.list_organisations(query, principal.as_actor())

    @route("POST", "/api/v1/organisations/<organisation_id>/verification",
           roles=("specialist", "operator"), body=VerifyEnterprise, response=OrganisationView,
           summary="Verify a self-registered enterprise, saying what was checked")
    def verify_enterprise(self, request, principal, organisation_id, payload):
        self._viewer(principal)  # a specialist on a station's staff
        return self.accounts.verify_enterprise(organisation_id, payload, principal.as_actor())

    @route("GET", "/api/v1/audit", roles=("supervisor", "operator"), query=ListAudit,
           response=AuditPage,
           summary="The audit trail, newest first: sign-ins, failures and lock-outs, accounts "
                   "created, roles granted and revoked, accounts disabled, enterprises verified, "
                   "and every dossier a supervisor read, exported or verified")
    def audit(self, request, principal, query):
        page = self.accounts.audit(query, principal.as_actor())
        return shown({**page, "time_zone": platform_zone(self.config).key}, query)

    @route("POST", "/api/v1/organisations", roles=("operator",), body=RegisterOrganisation,
           response=OrganisationView, status=201,
           summary="Register a station, an institution, a supervisory agency, an enterprise or a "
                   "station's operating institution (by its unified social credit code)")
    def register_organisation(self, request, principal, payload):
        return self.accounts.register_organisation(payload, principal.as_actor())

    @route("GET", "/api/v1/organisations/<organisation_id>", roles=ADMINISTRATORS,
           response=OrganisationView, summary="Read an organisation")
    def get_organisation(self, request, principal, organisation_id):
        return self.accounts.get_organisation(organisation_id, principal.as_actor())

    @route("POST", "/api/v1/persons", roles=ADMINISTRATORS, body=CreatePerson,
           response=PersonWithPassword, status=201,
           summary="Create an account (operators: in any organisation; an enterprise's "
                   "administrators: in their own), with a one-time password")
    def create_person(self, request, principal, payload):
        return self.accounts.create_person(payload, principal.as_actor())

    @route("GET", "/api/v1/persons", roles=ADMINISTRATORS, query=ListPersons, response=PersonPage,
           summary="The accounts of an organisation, by sign-in name, paged by cursor")
    def list_persons(self, request, principal, query):
        return self.accounts.list_persons(query, principal.as_actor())

    @route("GET", "/api/v1/persons/<person_id>", roles=ADMINISTRATORS, response=PersonView,
           summary="Read an account")
    def get_person(self, request, principal, person_id):
        return self.accounts.get_person(person_id, principal.as_actor())

    @route("POST", "/api/v1/persons/<person_id>/password-reset", roles=ADMINISTRATORS,
           response=PersonWithPassword,
           summary="Give the person a one-time password, to be changed at their next sign-in")
    def reset_password(self, request, principal, person_id):
        return self.accounts.reset_password(person_id, principal.as_actor())

    @route("POST", "/api/v1/persons/<person_id>/roles", roles=ADMINISTRATORS, body=ChangeRole,
           response=PersonView, summary="Grant or revoke a role, with the reason")
    def change_role(self, request, principal, person_id, payload):
        return self.accounts.change_role(person_id, payload, principal.as_actor())

    @route("POST", "/api/v1/persons/<person_id>/enabled", roles=ADMINISTRATORS, body=SetEnabled,
           response=PersonView,
           summary="Disable an account (refresh refused at once, access lapses within 10 "
                   "minutes) or enable it again, with the reason")
    def set_enabled(self, request, principal, person_id, payload):
        return self.accounts.set_enabled(person_id, payload, principal.as_actor())


def _refresh_token(request, payload: dict) -> tuple[str, bool]:
    """The refresh token the body names, else the session's cookie (and whether it was that)."""
    if payload.get("refresh_token"):
        return payload["refresh_token"], False
    if request.cookies.get(REFRESH_COOKIE):
        return request.cookies[REFRESH_COOKIE], True
    raise ApiError(401, "unauthorized", "请重新登录：没有刷新令牌（请求体或会话 Cookie）",
                   {"refresh_token": ["missing"]})


def _external_session(request, payload: dict) -> bool:
    """Whether the request's session is one of another identity platform (a browser's, with no
    refresh token of this platform's)."""
    return (not payload.get("refresh_token") and not request.cookies.get(REFRESH_COOKIE)
            and bool(request.cookies.get(SESSION_COOKIE)))


def _end_external(answer: Response, request) -> None:
    answer.delete_cookie(SESSION_COOKIE, path=SESSIONS_PATH, secure=_secure(request),
                         httponly=True, samesite="Strict")


def platform_url(config: dict, request) -> str:
    """Where people reach the platform: its issuer when that is a URL (a deployment, behind
    its ingress), else where this request came (the embedded mode, whose issuer is a name)."""
    issuer = configured_issuer(config)
    return issuer if issuer.startswith(("https://", "http://")) else request.host_url.rstrip("/")


def _secure(request) -> bool:
    """Secure cookies wherever the browser came over HTTPS (directly or through the ingress);
    the embedded mode on 127.0.0.1 serves plain HTTP."""
    return request.scheme == "https" or request.headers.get("X-Forwarded-Proto") == "https"
