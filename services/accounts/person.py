"""A Person: an account in one organisation, with roles, a password and, if set, a second factor.

The id follows from the sign-in name (case does not matter), so a name is taken once and a
sign-in finds its person without a lookup table; names are therefore never changed. Every change
says who made it and why. A password set by someone else (the first one, a reset) must be
changed at the next sign-in.
"""
from __future__ import annotations

import uuid

from eventsourcing.domain import Aggregate, event

from shared.errors import Conflict

_PERSONS = uuid.UUID("9c27d4e8-31b6-4f0a-8a5d-6e2b7c9f1d03")


class Person(Aggregate):
    @staticmethod
    def create_id(sign_in_name: str, **_) -> uuid.UUID:
        return uuid.uuid5(_PERSONS, sign_in_name.casefold())

    @event("PersonCreated")
    def __init__(self, sign_in_name: str, name: str, mobile: str | None, email: str | None,
                 organisation_id: uuid.UUID, roles: list[str], password_hash: str, by: dict,
                 reason: str):
        self.sign_in_name = sign_in_name
        self.name = name
        self.mobile = mobile
        self.email = email
        self.organisation_id = organisation_id
        self.roles = sorted(roles)
        self.password_hash = password_hash
        self.must_change_password = True
        #: the second factor: a secret proposed until a code confirms it, then enabled
        self.totp_proposed: str | None = None
        self.totp_secret: str | None = None
        self.totp_last_step: int | None = None
        self.disabled: dict | None = None
        self.created_by = by
        #: bumped whenever a password or an authenticator changes hands: older sessions end
        self.credentials = 0

    @event("PasswordChanged")
    def change_password(self, password_hash: str) -> None:
        self.password_hash = password_hash
        self.must_change_password = False
        self.credentials = getattr(self, "credentials", 0) + 1

    @event("PasswordRehashed")
    def rehash_password(self, password_hash: str) -> None:
        """The same password under today's hashing parameters: no session ends."""
        self.password_hash = password_hash

    @event("PasswordReset")
    def reset_password(self, password_hash: str, by: dict) -> None:
        self.password_hash = password_hash
        self.must_change_password = True
        self.credentials = getattr(self, "credentials", 0) + 1

    def grant(self, role: str, by: dict, reason: str) -> None:
        if role in self.roles:
            raise Conflict(f"已拥有角色 {role}", {"roles": self.roles})
        self._granted(role=role, by=by, reason=reason)

    @event("RoleGranted")
    def _granted(self, role: str, by: dict, reason: str) -> None:
        self.roles = sorted({*self.roles, role})

    def revoke(self, role: str, by: dict, reason: str) -> None:
        if role not in self.roles:
            raise Conflict(f"未拥有角色 {role}", {"roles": self.roles})
        self._revoked(role=role, by=by, reason=reason)

    @event("RoleRevoked")
    def _revoked(self, role: str, by: dict, reason: str) -> None:
        self.roles = [held for held in self.roles if held != role]

    def disable(self, by: dict, reason: str) -> None:
        if self.disabled:
            raise Conflict("该账号已停用", {"disabled": True})
        self._disabled(by=by, reason=reason)

    @event("PersonDisabled")
    def _disabled(self, by: dict, reason: str) -> None:
        self.disabled = {"by": by, "reason": reason}

    def enable(self, by: dict, reason: str) -> None:
        if not self.disabled:
            raise Conflict("该账号未停用", {"disabled": False})
        self._enabled(by=by, reason=reason)

    @event("PersonEnabled")
    def _enabled(self, by: dict, reason: str) -> None:
        self.disabled = None

    @event("SecondFactorProposed")
    def propose_second_factor(self, secret: str) -> None:
        self.totp_proposed = secret

    @event("SecondFactorEnabled")
    def enable_second_factor(self, step: int) -> None:
        self.totp_secret, self.totp_proposed = self.totp_proposed, None
        self.totp_last_step = step

    def reset_second_factor(self, by: dict) -> None:
        if not (self.totp_secret or self.totp_proposed):
            raise Conflict("该账号未设置第二重验证", {"second_factor": False})
        self._second_factor_reset(by=by)

    @event("SecondFactorReset")
    def _second_factor_reset(self, by: dict) -> None:
        self.totp_secret = self.totp_proposed = self.totp_last_step = None
        self.credentials = getattr(self, "credentials", 0) + 1

    @event("PersonSignedIn")
    def signed_in(self, session_id: uuid.UUID, method: str, step: int | None) -> None:
        if step is not None:
            self.totp_last_step = step

    @event("SignInFailed")
    def sign_in_failed(self, reason: str, locked_until: str | None) -> None:
        pass
