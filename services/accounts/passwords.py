"""Passwords: the policy a new one must meet, and how one is kept (argon2id).

The policy follows what Chinese government systems are held to (GB/T 22239-2019, level 3: length
and complexity) without the rules that make people write passwords down: at least 10 characters,
three of the four kinds (upper case, lower case, digits, other), not the sign-in name or its
reverse, not one of the passwords every list of leaked ones starts with. What fails is said, in
Chinese, so the person can fix it.
"""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from shared.errors import Invalid
from shared.field_messages import said

MIN_LENGTH = 10
MAX_LENGTH = 128
COMMON = frozenset({
    "password123", "password1234", "passw0rd123", "qwerty12345", "qwertyuiop1", "1234567890a",
    "a1234567890", "abc123456789", "iloveyou123", "admin123456", "administrator", "p@ssw0rd123",
    "woaini1314520", "zxcvbnm12345", "1qaz2wsx3edc", "qazwsxedc123", "aa123456789", "abcd1234567",
})

#: OWASP's argon2id floor (19 MiB, two passes): a guess costs tens of milliseconds of one core.
_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
#: Verified when the sign-in name is unknown, so the answer takes as long as for a real one.
_NOBODY = _HASHER.hash("not-a-password-of-anyone")


def check_policy(password: str, sign_in_name: str, field: str = "password") -> None:
    """Refuse a password the policy does not allow, naming what fails under ``field`` (the
    request's own name for it: ``new_password`` when a person changes theirs)."""
    problems = []
    if not isinstance(password, str) or not (MIN_LENGTH <= len(password) <= MAX_LENGTH):
        problems.append(said("password_length", min=MIN_LENGTH, max=MAX_LENGTH))
    else:
        kinds = sum(any(test(c) for c in password) for test in (
            str.isupper, str.islower, str.isdigit, lambda c: not c.isalnum()))
        if kinds < 3:
            problems.append(said("password_kinds"))
        lowered = password.lower()
        name = sign_in_name.lower()
        if name and (name in lowered or name[::-1] in lowered):
            problems.append(said("password_name"))
        if lowered in COMMON:
            problems.append(said("password_common"))
    if problems:
        raise Invalid("密码不符合要求：" + "；".join(p.in_language("zh-CN") for p in problems),
                      {field: problems})


def hashed(password: str) -> str:
    return _HASHER.hash(password)


def verify(stored_hash: str | None, password: str) -> bool:
    """Whether the password matches; with no stored hash (an unknown name), a verification of
    the same cost still runs and fails."""
    try:
        return _HASHER.verify(stored_hash or _NOBODY, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _HASHER.check_needs_rehash(stored_hash)
