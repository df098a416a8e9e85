"""Other OpenID Connect issuers whose access tokens the gateway accepts: a Keycloak realm, a
government unified identity platform (``AUTH.external_issuers``).

Each is verified by its own published keys (its discovery document names them, fetched when
first needed and kept as the platform's own are) and mapped to the platform's roles by
configuration: the claim that lists a person's roles there (a dotted path such as
``realm_access.roles`` reaches into Keycloak's), which of those roles is which of ours, and the
claim that names the party an enterprise, institution or supervisor acts for. A role with no
mapping gives nothing; an issuer not configured is refused.

An issuer may also sign people in to the console (``sign_in``): the gateway is then its client
by the authorization code flow (gateway/external_sessions.py).
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import jwt
import requests

from gateway.published_keys import PublishedKeys
from gateway.roles import PARTY_ROLES, ROLES
from shared.config import ConfigurationError

#: Asymmetric algorithms only: a shared secret would let whoever verifies also sign.
ALGORITHMS = ["ES256", "ES384", "RS256", "RS384", "RS512", "PS256", "EdDSA"]
#: Roles the platform gives only to people who signed in with a second factor there: the
#: token's ``amr`` must name one of these methods (RFC 8176).
SECOND_FACTOR_ROLES = ("operator", "supervisor")
SECOND_FACTOR_METHODS = {"mfa", "otp", "hwk", "swk", "sms", "sc"}
#: Where an issuer may be reached over plain HTTP: this machine only (a development provider).
LOOPBACK = ("127.0.0.1", "localhost", "::1")
#: How long an issuer's discovery document is used before it is read again.
DISCOVERY_SECONDS = 300.0


@dataclass(frozen=True)
class BrowserSignIn:
    """The platform as the issuer's client, signing people in to the console."""
    client_id: str
    #: Shown on the sign-in page's button, per language ("zh-CN", "en").
    name: dict[str, str]
    #: None for a public client (PKCE alone); a confidential one's secret otherwise.
    client_secret: str | None = None
    scope: str = "openid"
    #: The resource indicator (RFC 8707) naming the platform, for issuers that need one to put
    #: the platform's audience in the access token.
    resource: str | None = None

    def __post_init__(self):
        if not self.client_id or not isinstance(self.name, dict) or not self.name.get("zh-CN"):
            raise ConfigurationError("AUTH.external_issuers: sign_in needs a client_id and a "
                                     'name with "zh-CN" (and "en")')



@dataclass
class ExternalIssuer:
    issuer: str
    audience: str
    roles: dict[str, str]
    roles_claim: str = "roles"
    party_claim: str = "org"
    sign_in: BrowserSignIn | None = None
    keys: PublishedKeys = field(init=False, repr=False)

    def __post_init__(self):
        address = urlsplit(self.issuer)
        if not (address.scheme == "https"
                or (address.scheme == "http" and address.hostname in LOOPBACK)):
            # Keys fetched over plain HTTP could be swapped on the way, and tokens forged with them.
            raise ConfigurationError(f"AUTH.external_issuers: issuer {self.issuer!r} is not an "
                                     "https URL (plain http only on this machine)")
        unknown = sorted(set(self.roles.values()) - set(ROLES))
        if not self.roles or unknown:
            raise ConfigurationError(f"AUTH.external_issuers: {self.issuer} must map its roles to "
                                     f"{', '.join(ROLES)} (not {', '.join(unknown) or 'nothing'})")
        if isinstance(self.sign_in, dict):
            try:
                self.sign_in = BrowserSignIn(**self.sign_in)
            except TypeError as error:
                raise ConfigurationError(f"AUTH.external_issuers: sign_in: {error}") from None
        self.keys = PublishedKeys(self._jwks, max_age=DISCOVERY_SECONDS)
        self._discovered: tuple[float, dict] | None = None
        self._discovery_lock = threading.Lock()

    def discovery(self) -> dict:
        """Its OpenID Connect discovery document (endpoints, keys), read again when stale."""
        with self._discovery_lock:
            if self._discovered is None or time.monotonic() - self._discovered[0] > DISCOVERY_SECONDS:
                answer = requests.get(f"{self.issuer}/.well-known/openid-configuration", timeout=5)
                answer.raise_for_status()
                self._discovered = (time.monotonic(), answer.json())
            return self._discovered[1]

    def _jwks(self) -> dict:
        keys = requests.get(self.discovery()["jwks_uri"], timeout=5)
        keys.raise_for_status()
        return keys.json()

    def verified(self, token: str, kid: str | None) -> dict:
        """The token's claims, in the platform's terms (``sub``, ``org``, ``roles``, ``act``),
        once its signature, issuer, audience and lifetime are checked."""
        try:
            key = self.keys.key(kid, algorithms=ALGORITHMS)
        except requests.RequestException as error:
            raise jwt.InvalidTokenError(f"the keys of {self.issuer} could not be read: "
                                        f"{type(error).__name__}") from None
        if key is None:
            raise jwt.InvalidTokenError(f"signed with a key {self.issuer} does not publish")
        try:
            claims = jwt.decode(token, key, algorithms=ALGORITHMS, audience=self.audience,
                                issuer=self.issuer,
                                options={"require": ["exp", "iat", "sub", "iss", "aud"]})
        except jwt.InvalidTokenError:
            raise
        except (jwt.PyJWTError, TypeError, ValueError) as error:  # an algorithm its key cannot do
            raise jwt.InvalidTokenError(f"not verifiable with {self.issuer}'s key: "
                                        f"{type(error).__name__}") from None
        theirs = _claim(claims, self.roles_claim) or []
        party = _claim(claims, self.party_claim)
        acts = {}
        methods = claims.get("amr") if isinstance(claims.get("amr"), list) else []
        second_factor = bool(SECOND_FACTOR_METHODS & {str(method) for method in methods})
        for role in theirs if isinstance(theirs, list) else [theirs]:
            ours = self.roles.get(str(role))
            if ours in SECOND_FACTOR_ROLES and not second_factor:
                continue  # as on the platform's own accounts: no second factor, no such role
            if ours in PARTY_ROLES and party:
                acts[ours] = str(party)
            elif ours and ours not in PARTY_ROLES:
                acts[ours] = str(claims["sub"])
        # Their roles and organisation are theirs, not the platform's accounts': nothing that
        # administers accounts here may take them for its own.
        return {"sub": str(claims["sub"]), "org": None, "roles": [], "act": acts,
                "iss": self.issuer, "ext": True, "jti": claims.get("jti")}


def _claim(claims: dict, path: str | None):
    found = claims
    for part in (path or "").split("."):
        if not isinstance(found, dict) or part not in found:
            return None
        found = found[part]
    return found


def external_issuers(configured) -> dict[str, ExternalIssuer]:
    """``AUTH.external_issuers`` (a list; a JSON text in its environment variable), by issuer."""
    if not configured:
        return {}
    if not isinstance(configured, list):
        raise ConfigurationError("AUTH.external_issuers must be a list of issuers")
    found = {}
    for entry in configured:
        try:
            issuer = ExternalIssuer(**{key: entry[key] for key in entry})
        except TypeError as error:
            raise ConfigurationError(f"AUTH.external_issuers: {error}") from None
        found[issuer.issuer] = issuer
    return found
