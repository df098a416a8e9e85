"""The second factor: time-based one-time codes (TOTP, RFC 6238: six digits, 30 s steps), as
every authenticator app reads them from an ``otpauth://`` link or its QR code.

A code is accepted in its own step or the one before or after (a phone's clock a little off),
and only once: the step a sign-in used is kept, and a code of that step or an earlier one is
refused, so a code seen over a shoulder cannot be used again.
"""
from __future__ import annotations

from datetime import datetime

import pyotp

#: Roles whose people must have a second factor before they may act.
REQUIRED_FOR = frozenset({"supervisor", "operator"})
ISSUER_NAME = "onestop"


def new_secret() -> str:
    return pyotp.random_base32()


def enrolment_link(secret: str, sign_in_name: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=sign_in_name, issuer_name=ISSUER_NAME)


def accepted_step(secret: str, code: str, now: datetime, last_step: int | None) -> int | None:
    """The time step the code belongs to, when it is right and not used before; else None."""
    totp = pyotp.TOTP(secret)
    code = str(code or "").strip()
    if not (len(code) == 6 and code.isdigit()):
        return None
    current = totp.timecode(now)
    for step in (current - 1, current, current + 1):
        if pyotp.utils.strings_equal(totp.generate_otp(step), code):
            return step if last_step is None or step > last_step else None
    return None


def code_at(secret: str, moment: datetime) -> str:
    """The code an authenticator shows at that moment (for people's own tests and tools)."""
    return pyotp.TOTP(secret).at(moment)
