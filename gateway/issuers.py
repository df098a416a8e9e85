"""Other OpenID Connect issuers whose access tokens the gateway accepts: a Keycloak realm, a
government unified identity platform (``AUTH.external_issuers``).

Each is verified by its own published keys (its discovery document names them, fetched when
first needed and kept as the platform's own are) and mapped to the platform's roles by
configuration: the claim that lists a person's roles there (a dotted path such as
``realm_access.roles`` reaches into Keycloak's), which of those roles is which of ours, and the
claim that names the party an enterprise, institution or supervisor acts for. A role with no
mapping gives nothing; an issuer not configured is refused.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from urllib.parse import urlsplit

import jwt
import requests

from gateway.published_keys import PublishedKeys
from shared.config import ConfigurationError

ROLES = ("enterprise", "specialist", "institution", "supervisor", "operator")
#: The roles that act for a party named by a claim; the others act as the person themselves.
PARTY_ROLES = ("enterprise", "institution", "supervisor")
#: Asymmetric algorithms only: a shared secret would let whoever verifies also sign.
ALGORITHMS = ["ES256", "ES384", "RS256", "RS384", "RS512", "PS256", "EdDSA"]
#: Roles the platform gives only to people who signed in with a second factor there: the
#: token's ``amr`` must name one of these methods (RFC 8176).
SECOND_FACTOR_ROLES = ("operator", "supervisor")
SECOND_FACTOR_METHODS = {"mfa", "otp", "hwk", "swk", "sms", "sc"}
#: Where an issuer may be reached over plain HTTP: this machine only (a development provider).
LOOPBACK = ("127.0.0.1", "localhost", "::1")


@dataclass
class ExternalIssuer:
    issuer: str
    audience: str
    roles: dict[str, str]
    roles_claim: str = "roles"
    party_claim: str = "org"
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
        self.keys = PublishedKeys(self._jwks, max_age=300)

    def _jwks(self) -> dict:
        discovery = requests.get(f"{self.issuer}/.well-known/openid-configuration", timeout=5)
        discovery.raise_for_status()
        keys = requests.get(discovery.json()["jwks_uri"], timeout=5)
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
