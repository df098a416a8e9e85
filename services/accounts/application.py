"""Accounts: organisations, the people in them, and their sign-ins.

What the gateway asks of it: sign a person in (a password, then tokens), refresh and end a
session, and publish the public keys that verify its tokens. What people with authority ask of
it: create organisations and people, reset a password, grant and revoke roles, disable an
account. Every change is an event naming who made it; sign-ins and failures too.
"""
from __future__ import annotations

import json
import logging
import math
import secrets
import string
import uuid
from datetime import datetime, timedelta
from functools import partial

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from services.accounts import passwords, readmodel, second_factor, tokens
from services.accounts.access import DossierAccess
from services.accounts.keys import KeyRing, key_ring
from services.accounts.organisation import ROLES_OF, Organisation
from services.accounts.person import Person
from services.accounts.session import Session
from services.accounts.views import organisation_view, person_view
from shared.commands import (
    ChangePassword, ChangeRole, CreatePerson, ListAudit, ListOrganisations, ListPersons, Refresh,
    SelfRegistration, RegisterOrganisation, SecondFactorCode, SetEnabled, SignIn,
    VerifyEnterprise)
from shared.config import ConfigurationError, issuer, section
from shared.errors import (
    Conflict, Forbidden, Invalid, NotFound, TooManyAttempts, Unauthenticated)
from shared.field_messages import said
from shared.eventstore import ServiceApplication
from shared.readmodel import equal, keyset_page, upsert

log = logging.getLogger(__name__)

#: Consecutive failed sign-ins of one name before it is locked, and for how long.
LOCK_AFTER = 5
LOCKED_FOR = timedelta(minutes=15)
#: Said for every failed sign-in, whatever failed: the name, the password or the account.
WRONG = "登录名或密码错误"
WRONG_CURRENT = "当前密码不正确"
SAME_PASSWORD = "新密码不能与当前密码相同"
WRONG_CODE = "验证码不正确，请核对身份验证器的时间后重试"
FIRST_OPERATOR = "operator"
#: The roles whose people act for their organisation's party (the others act as themselves).
PARTY_ROLES = ("enterprise", "institution", "supervisor", "operating_institution")


class Accounts(ServiceApplication):
    name = "Accounts"
    service = "accounts"
    snapshotting_intervals = {Person: 100}
    tables = ServiceApplication.tables + readmodel.TABLES
    upstreams = ("intake", "matching")
    # Each reaction decides from one person or one organisation alone.
    applies_runs = True
    reactions = {"SpecialistLeft": "_on_specialist_left",
                 "InstitutionRegistered": "_on_institution_registered",
                 "InstitutionReviewed": "_on_institution_reviewed",
                 "InstitutionSuspended": "_on_standing", "InstitutionReinstated": "_on_standing",
                 "InstitutionExited": "_on_standing"}

    def __init__(self, env=None):
        super().__init__(env)
        self.ring: KeyRing | None = None
        self.issuer = ""
        self.audience = "onestop-api"
        self.access_seconds = tokens.MAX_ACCESS_SECONDS
        self.refresh_lifetime = timedelta(days=7)
        self.session_max_age = timedelta(days=30)
        self.reuse_interval = timedelta(seconds=30)

    def rows(self, aggregate):
        return super().rows(aggregate) + readmodel.rows(aggregate)

    def event_rows(self, events):
        return super().event_rows(events) + readmodel.audit_rows(events)

    def configure(self, config: dict) -> None:
        auth = section(config, "AUTH")
        self.ring = key_ring(config)
        self.issuer = issuer(config)
        self.audience = str(auth.get("audience") or self.audience)
        self.access_seconds = int(auth.get("access_token_seconds") or self.access_seconds)
        if not 5 <= self.access_seconds <= tokens.MAX_ACCESS_SECONDS:
            raise ConfigurationError(f"AUTH.access_token_seconds must be 5 to "
                                     f"{tokens.MAX_ACCESS_SECONDS}")
        self.refresh_lifetime = timedelta(hours=float(auth.get("refresh_token_hours") or 168))
        self.session_max_age = timedelta(hours=float(auth.get("session_max_hours") or 720))
        reuse = auth.get("refresh_reuse_seconds")
        self.reuse_interval = timedelta(seconds=float(30 if reuse in (None, "") else reuse))
        if not timedelta(0) <= self.reuse_interval <= timedelta(seconds=120):
            raise ConfigurationError("AUTH.refresh_reuse_seconds must be 0 to 120")

    # Keys --------------------------------------------------------------------------------
    def jwks(self) -> dict:
        return self.ring.jwks()

    # How people arrive ---------------------------------------------------------------------
    def first_operator(self) -> dict | None:
        """The platform's organisation and its first operator, with a one-time password, the
        first time only (None after)."""
        by = {"role": "system", "subject": "first-start"}
        platform = Organisation(kind="platform", party="platform", name="平台运营方", verified=True, by=by)
        password = one_time_password()
        person = Person(sign_in_name=FIRST_OPERATOR, name="平台运营员", mobile=None, email=None,
                        organisation_id=platform.id, roles=["operator"],
                        password_hash=passwords.hashed(password), by=by, reason="首次启动")
        try:
            self.save(platform, person)
        except IntegrityError:
            return None
        return {"sign_in_name": FIRST_OPERATOR, "password": password}

    def register_organisation(self, payload: dict, by: dict) -> dict:
        command = self.load_command(RegisterOrganisation, payload)
        _require(by, "operator")
        organisation = Organisation(verified=True, by=by, **command)
        try:
            self.save(organisation)
        except IntegrityError:
            raise Conflict(f"{command['kind']} {command['party']} 已登记",
                           {"organisation_id": str(organisation.id)}) from None
        return organisation_view(organisation)

    def register_enterprise(self, payload: dict) -> dict:
        """An enterprise registers itself and its first account, its administrator, with a
        password of their own; a specialist verifies it (the business licence) before its
        people act for it."""
        return self._register_itself("enterprise", "enterprise_admin", payload)

    def register_institution(self, payload: dict) -> dict:
        """An institution registers itself and its first member, who then applies for it under
        its credit code (POST /api/v1/institutions); once matching approves the application,
        its people act for the institution."""
        return self._register_itself("institution", "institution_member", payload)

    def _register_itself(self, kind: str, role: str, payload: dict) -> dict:
        command = self.load_command(SelfRegistration, payload)
        passwords.check_policy(command["password"], command["sign_in_name"])
        by = {"role": kind, "subject": command["credit_code"]}
        enterprise = Organisation(kind=kind, party=command["credit_code"],
                                  name=command["organisation_name"], verified=False, by=by)
        person = Person(sign_in_name=command["sign_in_name"], name=command["name"],
                        mobile=command["mobile"], email=command["email"],
                        organisation_id=enterprise.id, roles=[role],
                        password_hash=passwords.hashed(command["password"]), by=by,
                        reason="自行注册")
        person.change_password(person.password_hash)  # their own choice: nothing to change
        if self._organisation_or_none(enterprise.id) is not None:
            raise Conflict("该统一社会信用代码已注册；请联系本单位管理员或平台运营员为您开通账号",
                           {"organisation_id": str(enterprise.id)})
        try:
            self.save(enterprise, person)
        except IntegrityError:
            raise Conflict(f"登录名 {command['sign_in_name']} 已被使用", {}) from None
        return {"organisation": organisation_view(enterprise), "person": person_view(person)}

    def verify_enterprise(self, organisation_id, payload: dict, by: dict) -> dict:
        command = self.load_command(VerifyEnterprise, payload)
        if by.get("role") not in ("specialist", "operator"):
            raise Forbidden("只有工作站专员或平台运营员可以核验企业", {})
        enterprise = self.find(Organisation, organisation_id, "organisation")
        if enterprise.kind != "enterprise":
            raise Conflict("只有企业需要核验", {"kind": enterprise.kind})
        enterprise.verify(by=by, evidence=command["evidence"])
        self.save_or_conflict(enterprise, what="the enterprise")
        return organisation_view(enterprise)

    def list_organisations(self, query: dict, viewer: dict) -> dict:
        """Operators see every organisation; specialists the enterprises (to verify them)."""
        command = self.load_command(ListOrganisations, query)
        if viewer.get("role") == "specialist":
            if command["kind"] not in (None, "enterprise"):
                raise Forbidden("专员只能查看企业", {"kind": command["kind"]})
            command["kind"] = "enterprise"
        elif viewer.get("role") != "operator":
            raise Forbidden("只有平台运营员或工作站专员可以查看组织名录", {})
        verified = None if command["verified"] is None else int(command["verified"])
        filters, params = equal(kind=command["kind"], verified=verified)
        found, next_after = keyset_page(self.read, "organisations", filters, params, "name",
                                        command["after"], command["per_page"])
        return {"items": [{**row, "verified": bool(row["verified"])} for row in found],
                "per_page": command["per_page"], "next_after": next_after}

    def organisation(self, organisation_id, viewer: dict) -> dict:
        organisation = self.find(Organisation, organisation_id, "organisation")
        if viewer.get("organisation") != str(organisation.id):
            self._may_administer(viewer, organisation)
        return organisation_view(organisation)

    def create_person(self, payload: dict, by: dict) -> dict:
        """A person created by an operator (any organisation) or by an enterprise's
        administrator (in their own): the answer holds a one-time password, shown once."""
        command = self.load_command(CreatePerson, payload)
        organisation = self._named_organisation(command.pop("organisation_id"))
        self._may_administer(by, organisation)
        foreign = sorted(set(command["roles"]) - set(ROLES_OF[organisation.kind]))
        if foreign:
            raise Conflict(f"{organisation.kind} 的人员不能拥有角色 {', '.join(foreign)}",
                           {"allowed_roles": list(ROLES_OF[organisation.kind])})
        password = one_time_password()
        person = Person(organisation_id=organisation.id, password_hash=passwords.hashed(password),
                        by=by, **command)
        try:
            self.save(person)
        except IntegrityError:
            raise Conflict(f"登录名 {command['sign_in_name']} 已被使用", {}) from None
        return {**person_view(person), "one_time_password": password}

    def person(self, person_id, viewer: dict) -> dict:
        person = self.find(Person, person_id, "person")
        if viewer.get("person") != str(person.id):
            self._may_administer(viewer, self._organisation_of(person))
        return person_view(person)

    def list_persons(self, query: dict, viewer: dict) -> dict:
        command = self.load_command(ListPersons, query)
        organisation = self._named_organisation(command["organisation_id"])
        self._may_administer(viewer, organisation)
        filters, params = equal(organisation_id=str(organisation.id))
        found, next_after = keyset_page(self.read, "persons", filters, params, "sign_in_name",
                                        command["after"], command["per_page"])
        return {"items": [_listed(row) for row in found], "per_page": command["per_page"],
                "next_after": next_after}

    # What an administrator does to a person -----------------------------------------------
    def reset_password(self, person_id, by: dict) -> dict:
        person = self.find(Person, person_id, "person")
        self._may_administer(by, self._organisation_of(person))
        password = one_time_password()
        person.reset_password(passwords.hashed(password), by=by)
        self.save_or_conflict(person, what="the person")
        return {**person_view(person), "one_time_password": password}

    def change_role(self, person_id, payload: dict, by: dict) -> dict:
        command = self.load_command(ChangeRole, payload)
        person = self.find(Person, person_id, "person")
        organisation = self._organisation_of(person)
        self._may_administer(by, organisation)
        if command["role"] not in ROLES_OF[organisation.kind]:
            raise Conflict(f"{organisation.kind} 的人员不能拥有角色 {command['role']}",
                           {"allowed_roles": list(ROLES_OF[organisation.kind])})
        change = person.grant if command["action"] == "grant" else person.revoke
        change(command["role"], by=by, reason=command["reason"])
        self.save_or_conflict(person, what="the person")
        return person_view(person)

    def disable_person(self, person_id, payload: dict, by: dict) -> dict:
        """The person's refresh is refused from now on; their access token lapses within its
        lifetime (at most ten minutes)."""
        command = self.load_command(SetEnabled, payload)
        person = self.find(Person, person_id, "person")
        self._may_administer(by, self._organisation_of(person))
        if command["enabled"]:
            person.enable(by=by, reason=command["reason"])
        else:
            person.disable(by=by, reason=command["reason"])
        self.save_or_conflict(person, what="the person")
        return person_view(person)

    # Sign-in -------------------------------------------------------------------------------
    def sign_in(self, payload: dict) -> dict:
        command = self.load_command(SignIn, payload)
        name = command["sign_in_name"].casefold()
        now = self.clock()
        # Counted before the password is checked, so attempts in flight together all count.
        self._attempt(name, now)
        person = self._person_named(name)
        if not passwords.verify(person.password_hash if person else None, command["password"]):
            self._failed(person, "wrong password")
        if person.disabled:
            self._failed(person, "disabled")
        if self._organisation_of(person).standing != "active":
            # Only whoever knows the password learns why.
            raise Unauthenticated("所属机构已被暂停或退出平台，账号暂不可用",
                                  {"reason": "organisation_suspended"})
        step = None
        if person.totp_secret:
            if not command["code"]:
                # Only whoever knows the password learns that a code is needed next.
                raise Unauthenticated("请输入身份验证器上的六位验证码", {"reason": "second_factor_required"})
            step = second_factor.accepted_step(person.totp_secret, command["code"], now,
                                               person.totp_last_step)
            if step is None:
                self._failed(person, "wrong second factor")
        self.recorder.execute([upsert("sign_in_failures", ("name",),
                                      {"name": name, "failures": 0, "locked_until": None})])
        if passwords.needs_rehash(person.password_hash):
            person.rehash_password(passwords.hashed(command["password"]))
        secret, kept = tokens.new_refresh_secret()
        session = Session(person_id=person.id, refresh_hash=kept,
                          expires_at=(now + self.refresh_lifetime).isoformat(), method="password",
                          started_at=now.isoformat(), credentials=person.credentials)
        person.signed_in(session_id=session.id, method="password" if step is None else "password+totp",
                         step=step)
        try:
            self.save(person, session)
        except IntegrityError:  # another sign-in of the person at the same moment
            raise Conflict("同一账号正在登录，请重试", {}) from None
        return self._tokens(person, session, secret, now)

    def refresh(self, payload: dict) -> dict:
        """New tokens for a refresh token, which is replaced. One it replaced, presented again,
        ends the session (unless its answer was lost: ``Session.lost_answer``); an unknown one
        changes nothing."""
        command = self.load_command(Refresh, payload)
        now = self.clock()
        session, secret = self._session_of(command["refresh_token"])
        matches = partial(tokens.same_hash, secret=secret)
        if not matches(session.refresh_hash) and not session.lost_answer(matches, now,
                                                                          self.reuse_interval):
            if any(matches(replaced) for replaced in session.replaced):
                self._end(session, "refresh token reused")
            raise Unauthenticated("会话已失效，请重新登录", {"reason": "session_ended"})
        if datetime.fromisoformat(session.expires_at) <= now:
            raise Unauthenticated("会话已过期，请重新登录", {"reason": "session_expired"})
        person = self.repository.get(session.person_id)
        standing = self._organisation_of(person).standing
        ended = ("person disabled" if person.disabled else
                 "no role left" if not person.roles else
                 f"organisation {standing}" if standing != "active" else
                 "credentials changed" if session.credentials != person.credentials else
                 "too old" if datetime.fromisoformat(session.started_at) + self.session_max_age <= now
                 else None)
        if ended:
            self._end(session, ended)
            raise Unauthenticated("会话已失效，请重新登录", {"reason": "session_ended"})
        secret, kept = tokens.new_refresh_secret()
        session.refreshed(refresh_hash=kept, expires_at=min(
            now + self.refresh_lifetime,
            datetime.fromisoformat(session.started_at) + self.session_max_age).isoformat(),
            at=now.isoformat())
        self.save_or_conflict(session, what="the session")
        return self._tokens(person, session, secret, now)

    def sign_out(self, payload: dict) -> None:
        command = self.load_command(Refresh, payload)
        session, secret = self._session_of(command["refresh_token"])
        if tokens.same_hash(session.refresh_hash, secret):
            self._end(session, "signed out")

    def change_password(self, payload: dict, by: dict) -> dict:
        command = self.load_command(ChangePassword, payload)
        person = self.find(Person, by.get("person"), "person")
        name = person.sign_in_name.casefold()
        self._attempt(name, self.clock())  # guesses with a stolen access token count too
        if not passwords.verify(person.password_hash, command["current_password"]):
            self._failed(person, "wrong current password", answer=False)
            # The person is known here (their token says who): the field may be named.
            raise Unauthenticated(WRONG, {"reason": "wrong_credentials",
                                          "current_password": [WRONG_CURRENT]})
        self.recorder.execute([upsert("sign_in_failures", ("name",), {
            "name": name, "failures": 0, "locked_until": None})])
        if command["new_password"] == command["current_password"]:
            raise Conflict(SAME_PASSWORD, {"new_password": [SAME_PASSWORD]})
        passwords.check_policy(command["new_password"], person.sign_in_name, field="new_password")
        person.change_password(passwords.hashed(command["new_password"]))
        self.save_or_conflict(person, what="the person")
        return person_view(person)

    # The second factor ----------------------------------------------------------------------
    def propose_second_factor(self, by: dict) -> dict:
        """A new secret for the person's authenticator; it counts once a code confirms it."""
        person = self.find(Person, by.get("person"), "person")
        if person.totp_secret:
            raise Conflict("已设置第二重验证；如需更换，请管理员先重置", {"second_factor": True})
        secret = second_factor.new_secret()
        person.propose_second_factor(secret)
        self.save_or_conflict(person, what="the person")
        return {"secret": secret, "otpauth_uri": second_factor.enrolment_link(secret, person.sign_in_name)}

    def confirm_second_factor(self, payload: dict, by: dict) -> dict:
        command = self.load_command(SecondFactorCode, payload)
        person = self.find(Person, by.get("person"), "person")
        if not person.totp_proposed:
            raise Conflict("请先申请设置第二重验证 (POST /api/v1/me/second-factor)", {})
        step = second_factor.accepted_step(person.totp_proposed, command["code"], self.clock(), None)
        if step is None:
            raise Invalid(WRONG_CODE, {"code": [said("wrong_code")]})
        person.enable_second_factor(step)
        self.save_or_conflict(person, what="the person")
        return person_view(person)

    def reset_second_factor(self, person_id, by: dict) -> dict:
        person = self.find(Person, person_id, "person")
        self._may_administer(by, self._organisation_of(person))
        person.reset_second_factor(by=by)
        self.save_or_conflict(person, what="the person")
        return person_view(person)

    # Whom notices go to ---------------------------------------------------------------------
    def recipients(self, audiences: list[dict]) -> list[list[dict]]:
        """The people each notice's audience is, with their contacts, in the order asked: the
        enabled people of an enterprise (``{"kind": "enterprise", "party": <credit code>}``) or
        of an institution (its id), or the persons named (``{"persons": [...]}``, a station's
        specialists). Contacts never travel in events; the notices service asks for them when it
        sends, for a whole round of notices at once."""
        return [self._people_of(audience) for audience in audiences]

    def _people_of(self, audience: dict) -> list[dict]:
        if "persons" in audience:
            named = [str(person_id) for person_id in audience["persons"]]
        else:
            kind, party = audience["kind"], str(audience["party"])
            organisation = self._institution(party) if kind == "institution" else \
                self._organisation_or_none(Organisation.create_id(kind, party))
            if organisation is None:
                return []
            named = [row["id"] for row in self.read(
                "SELECT id FROM {s}persons WHERE organisation_id = %s AND disabled = 0 ORDER BY id",
                str(organisation.id))]
        found = []
        for person_id in named:
            try:
                person = self.find(Person, person_id, "person")
            except NotFound:
                continue  # a specialist recorded without an account
            if not person.disabled:
                found.append({"person_id": str(person.id), "name": person.name,
                              "email": person.email, "mobile": person.mobile})
        return found

    # The trail ------------------------------------------------------------------------------
    def record_access(self, demand_id: str, action: str, by: dict) -> None:
        """A supervisor read, exported or verified a dossier."""
        self.save(DossierAccess(demand_id=str(demand_id), action=action, by=by))

    def audit(self, query: dict, viewer: dict) -> dict:
        """The trail, newest first: sign-ins, failures, role changes, accounts disabled, dossiers
        read; one person's, one kind's, or all."""
        if viewer.get("role") not in ("supervisor", "operator"):
            raise Forbidden("只有监管人员或平台运营员可以查看审计记录", {})
        command = self.load_command(ListAudit, query)
        filters, params = equal(person_id=command["person_id"], event=command["event"])
        found, next_after = keyset_page(self.read, "audit", filters, params, "-at",
                                        command["after"], command["per_page"])
        return {"items": [{"at": row["at"], "person_id": row["person_id"], "event": row["event"],
                           **json.loads(row["detail"])} for row in found],
                "per_page": command["per_page"], "next_after": next_after}

    # Following intake ---------------------------------------------------------------------
    def _on_specialist_left(self, message, data, processing):
        """A person taken off a station's staff loses the specialist role with it (a staff id
        that names no person, as in development, changes nothing)."""
        try:
            person = self.repository.get(uuid.UUID(data["staff_id"]))
        except (ValueError, AggregateNotFoundError):
            return
        if isinstance(person, Person) and "specialist" in person.roles:
            person.revoke("specialist", by={"role": "system", "subject": "intake"},
                          reason=f"离开工作站：{data['reason']}")
            processing.collect_events(person)

    def _on_institution_registered(self, message, data, processing):
        """An institution that registered itself here applied in matching: its organisation
        learns its id there. Only its own application links them: anyone may register a
        credit code here, so one the staff registered is never handed to whoever claimed it."""
        by = data["registered_by"]
        if data["reviewed"] or by.get("role") != "institution" or by.get("subject") != data["credit_code"]:
            return
        applicant = self._organisation_or_none(Organisation.create_id("institution", data["credit_code"]))
        if applicant is None or applicant.institution_id:
            return
        applicant.link_institution(str(data["institution_id"]))
        processing.collect_events(applicant)

    def _on_institution_reviewed(self, message, data, processing):
        applicant = self._institution(data["institution_id"])
        if applicant is not None and data["approved"] and not applicant.verified:
            applicant.verify(by={"role": "system", "subject": "matching"},
                             evidence=f"onboarding approved: {data['reason']}")
            processing.collect_events(applicant)

    def _on_standing(self, message, data, processing):
        """A suspended or departed institution's people act for it no more (their refresh is
        refused from now on); reinstated, they do again."""
        institution = self._institution(data["institution_id"])
        if institution is None:
            return  # an institution with no accounts here
        standing = {"InstitutionSuspended": "suspended", "InstitutionReinstated": "active",
                    "InstitutionExited": "exited"}[message.event]
        institution.change_standing(standing=standing, reason=data["reason"])
        processing.collect_events(institution)

    # Inside --------------------------------------------------------------------------------
    def _tokens(self, person: Person, session: Session, secret: str, now: datetime) -> dict:
        organisation = self._organisation_of(person)
        acts = {}
        for role in person.roles:
            acting = tokens.ACTS_AS[role]
            if not organisation.verified and organisation.kind != "institution":
                continue  # an enterprise not verified yet: its people act for nobody
            # An enterprise's people act for its credit code, an institution's for its id (an
            # applicant's for its credit code, under which it applies), an operating
            # institution's for its credit code (the stations it runs name it); a station's
            # specialists and operators act as themselves.
            acts[acting] = organisation.acting_party if acting in PARTY_ROLES \
                else str(person.id)
        # Until the person has done what is pending, the token serves only to do it.
        pending = "password_change" if person.must_change_password else \
            "verification" if not organisation.verified and organisation.kind == "enterprise" else \
            "second_factor_setup" if not person.totp_secret and second_factor.REQUIRED_FOR & set(acts) \
            else None
        access, expires = tokens.access_token(
            self.ring, issuer=self.issuer, audience=self.audience, person=str(person.id),
            organisation=str(organisation.id), name=person.name, roles=person.roles,
            acts={} if pending else acts, now=now, seconds=self.access_seconds, pending=pending)
        return {"access_token": access, "token_type": "Bearer",
                "expires_in": int((expires - now).total_seconds()),
                "refresh_token": tokens.refresh_token(session.id, secret),
                "must_change_password": person.must_change_password, "pending": pending,
                "person": person_view(person), "acts": {} if pending else acts, "issuer": None}

    def _person_named(self, name: str) -> Person | None:
        try:
            found = self.repository.get(Person.create_id(name))
        except AggregateNotFoundError:
            return None
        return found if isinstance(found, Person) else None

    def _session_of(self, token: str) -> tuple[Session, str]:
        parsed = tokens.parse_refresh_token(token)
        try:
            session = self.repository.get(parsed[0]) if parsed else None
        except AggregateNotFoundError:
            session = None
        if not isinstance(session, Session) or session.ended:
            raise Unauthenticated("会话已失效，请重新登录", {"reason": "session_ended"})
        return session, parsed[1]

    def _attempt(self, name: str, now: datetime) -> None:
        """Counts an attempt of the name, atomically; the sixth in a row locks it for
        ``LOCKED_FOR`` (429), as does any while it is locked."""
        counted = self.recorder.execute_returning(
            "INSERT INTO {s}sign_in_failures AS kept (name, failures, locked_until) "
            "VALUES (%s, 1, NULL) ON CONFLICT (name) DO UPDATE SET failures = kept.failures + 1 "
            "RETURNING failures, locked_until", (name,))[0]
        until = datetime.fromisoformat(counted["locked_until"]) if counted["locked_until"] else None
        if until is None or until <= now:
            if counted["failures"] <= LOCK_AFTER:
                return
            until = now + LOCKED_FOR
            self.recorder.execute([upsert("sign_in_failures", ("name",), {
                "name": name, "failures": 0, "locked_until": until.isoformat()})])
            person = self._person_named(name)
            if person is not None:
                self._failed(person, "locked out", until.isoformat(), answer=False)
        seconds = math.ceil((until - now).total_seconds())
        raise TooManyAttempts(f"登录失败次数过多，请 {math.ceil(seconds / 60)} 分钟后再试",
                              {"retry_after": seconds})

    def _failed(self, person: Person | None, reason: str, locked_until: str | None = None,
                answer: bool = True) -> None:
        """A failure of an existing account is its event (the trail); the answer is the same
        for every failure, and a race for the person never shows in it."""
        for _ in range(3):
            if person is None:
                break
            person.sign_in_failed(reason=reason, locked_until=locked_until)
            try:
                self.save(person)
                break
            except IntegrityError:
                person = self._person_named(person.sign_in_name.casefold())
        else:
            log.warning("a sign-in failure of %s was not recorded: the person kept changing",
                        person.sign_in_name)
        if answer:
            raise Unauthenticated(WRONG, {"reason": "wrong_credentials"})

    def _end(self, session: Session, reason: str) -> None:
        session.end(reason=reason)
        try:
            self.save(session)
        except IntegrityError:
            pass  # refreshed or ended meanwhile: the next presentation is judged afresh

    def _named_organisation(self, organisation_id) -> Organisation:
        """The organisation a command names: one that does not exist is the command's fault."""
        try:
            return self.find(Organisation, organisation_id, "organisation")
        except NotFound:
            raise Invalid(f"没有编号为 {organisation_id} 的组织",
                          {"organisation_id": [said("unknown_organisation")]}) from None

    def _organisation_or_none(self, organisation_id) -> Organisation | None:
        try:
            found = self.repository.get(organisation_id)
        except AggregateNotFoundError:
            return None
        return found if isinstance(found, Organisation) else None

    def _institution(self, institution_id) -> Organisation | None:
        """The organisation of an institution: registered here by its id, or one that applied
        by itself and was linked to it."""
        found = self._organisation_or_none(Organisation.create_id("institution", str(institution_id)))
        if found is None:
            linked = self.read("SELECT organisation_id FROM {s}institutions WHERE institution_id = %s",
                               str(institution_id))
            found = self._organisation_or_none(uuid.UUID(linked[0]["organisation_id"])) if linked else None
        return found

    def _organisation_of(self, person: Person) -> Organisation:
        return self.repository.get(person.organisation_id)

    def _may_administer(self, by: dict, organisation: Organisation) -> None:
        """Operators administer every organisation; an enterprise's administrators their own."""
        if by.get("role") == "operator":
            return
        if (by.get("organisation") == str(organisation.id)
                and "enterprise_admin" in (by.get("roles") or ())):
            return
        raise Forbidden("只有平台运营员或本企业管理员可以管理该组织的账号", {})


def one_time_password() -> str:
    """Meets the policy by construction: 16 characters of four kinds."""
    kinds = (string.ascii_uppercase, string.ascii_lowercase, string.digits, "-_.!@#")
    chosen = [secrets.choice(kind) for kind in kinds]
    chosen += [secrets.choice("".join(kinds)) for _ in range(12)]
    secrets.SystemRandom().shuffle(chosen)
    return "".join(chosen)


def _require(by: dict, role: str) -> None:
    if by.get("role") != role:
        raise Forbidden(f"只有 {role} 可以这样做", {"required_role": role})


def _listed(row: dict) -> dict:
    return {"id": row["id"], "sign_in_name": row["sign_in_name"], "name": row["name"],
            "roles": [r for r in row["roles"].split(",") if r], "disabled": bool(row["disabled"])}
