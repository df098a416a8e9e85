"""Where a webhook may post, and posting there so that it cannot be turned inward.

An institution names its webhook's URL, so the URL is hostile until checked: it must not reach
the platform's own network (the broker's management API, the metadata service, a pod, this
machine). ``Outbound.destination`` resolves the host once and refuses it unless every address
is public: loopback, private, link-local, shared (CGNAT), multicast, reserved and unspecified
addresses are refused in IPv4 and IPv6, including IPv4 inside IPv6 (mapped, 6to4, Teredo,
NAT64). What is judged is what the resolver gives for the host, and that address is the one
connected to, so a literal's spelling (``2130706433``, ``0x7f.1``, ``0177.0.0.1``, ``127.1``)
cannot slip past: it resolves to the address it means, or (eventlet's resolver reads fewer
spellings than the C library's) to nothing, and is refused either way.
``Outbound.post`` then connects to that checked address only (no second lookup a name's owner
could answer differently), sends the URL's name as Host and in TLS SNI, verifies the
certificate against that name, follows no redirect, and reports a failure in generic words:
what went wrong, never the inside network's answer.

``allowed_networks`` (``PARTNERS.webhook_allowed_networks``) lets through ranges an operator
trusts: an institution reached over a private link, or this machine in development and tests.
"""
from __future__ import annotations

import ipaddress
import re
import socket
from dataclasses import dataclass
from typing import Callable, Sequence
from urllib.parse import urlsplit

import certifi
import urllib3
from urllib3.exceptions import (
    ConnectTimeoutError, NewConnectionError, ProtocolError, ReadTimeoutError, SSLError)

from shared.field_messages import said

#: resolve(host, port) -> the addresses a connection to host would use
Resolve = Callable[[str, int], list[str]]
HOST_NAME = re.compile(r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?",
                       re.IGNORECASE)
NAT64 = ipaddress.ip_network("64:ff9b::/96")
CONNECT_SECONDS, READ_SECONDS = 5.0, 10.0


class DestinationRefused(Exception):
    """The URL may not be posted to; the message (a field message) says why in terms safe to
    show."""


class DeliveryFailed(Exception):
    """A post did not get an answer; the message is generic (no address, no inside detail)."""


@dataclass(frozen=True)
class Destination:
    scheme: str
    host: str        # as the URL names it: sent as Host and SNI, and the certificate's name
    port: int
    target: str      # path and query
    address: str     # the checked address connected to


def system_resolve(host: str, port: int) -> list[str]:
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return []
    return [info[4][0] for info in found]


def public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if address.version == 6:
        inside = [address.ipv4_mapped, address.sixtofour, address.teredo and address.teredo[1]]
        if address in NAT64:
            inside.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
        if any(embedded is not None and not public(embedded) for embedded in inside):
            return False
    return address.is_global and not address.is_multicast


class Outbound:
    def __init__(self, allowed_networks: Sequence[str] = (), allow_http: bool = False,
                 ca_bundle: str | None = None, resolve: Resolve = system_resolve):
        self.allowed = [ipaddress.ip_network(n.strip(), strict=False) for n in allowed_networks if n.strip()]
        self.allow_http = allow_http
        self.ca_bundle = ca_bundle or certifi.where()
        self.resolve = resolve

    def destination(self, url: str) -> Destination:
        """The URL's checked destination, resolved now; DestinationRefused if it may not be."""
        try:
            parts = urlsplit(url)
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            raise DestinationRefused(said("webhook_unreadable")) from None
        if parts.scheme != "https" and not (parts.scheme == "http" and self.allow_http):
            raise DestinationRefused(said("webhook_https"))
        if parts.username is not None or parts.password is not None:
            raise DestinationRefused(said("webhook_credentials"))
        host = parts.hostname or ""
        if not (HOST_NAME.fullmatch(host) or _ipv6(host)):
            raise DestinationRefused(said("webhook_host"))
        addresses = [host] if _literal(host) else self.resolve(host, port)
        if not addresses:
            raise DestinationRefused(said("webhook_unresolved"))
        for text in addresses:
            address = ipaddress.ip_address(text.split("%")[0])
            if not (public(address) or any(address in network for network in self.allowed)):
                raise DestinationRefused(said("webhook_not_public"))
        target = parts.path or "/"
        return Destination(parts.scheme, host, port, target + (f"?{parts.query}" if parts.query else ""),
                           addresses[0].split("%")[0])

    def post(self, url: str, body: bytes, headers: dict) -> int:
        """POST to the URL's destination, checked now; the HTTP status. DestinationRefused or
        DeliveryFailed when there is no answer to count; a redirect is an answer, not followed."""
        destination = self.destination(url)
        default = 443 if destination.scheme == "https" else 80
        name = f"[{destination.host}]" if _ipv6(destination.host) else destination.host
        host_header = name if destination.port == default else f"{name}:{destination.port}"
        timeout = urllib3.Timeout(connect=CONNECT_SECONDS, read=READ_SECONDS)
        if destination.scheme == "https":
            pool = urllib3.HTTPSConnectionPool(
                destination.address, destination.port, timeout=timeout, retries=False,
                cert_reqs="CERT_REQUIRED", ca_certs=self.ca_bundle,
                server_hostname=destination.host, assert_hostname=destination.host)
        else:
            pool = urllib3.HTTPConnectionPool(destination.address, destination.port,
                                              timeout=timeout, retries=False)
        try:
            response = pool.urlopen("POST", destination.target, body=body,
                                    headers={**headers, "Host": host_header},
                                    redirect=False, retries=False, preload_content=False)
            response.release_conn()
            return response.status
        except SSLError:
            raise DeliveryFailed("the TLS connection failed or its certificate was not accepted") from None
        except (NewConnectionError, ProtocolError):  # the first is also a ConnectTimeoutError
            raise DeliveryFailed("could not connect") from None
        except (ConnectTimeoutError, ReadTimeoutError):
            raise DeliveryFailed("timed out") from None
        except OSError:
            raise DeliveryFailed("could not connect") from None
        finally:
            pool.close()


def _literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address a host in its usual spelling is (other spellings go to the resolver)."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _ipv6(host: str) -> bool:
    return getattr(_literal(host), "version", None) == 6
