"""Which receivers a webhook may reach: https:// only, and never this machine or its local
network unless the settings allow it — checked in the URL at registration and after DNS at
each delivery (one lookup, and the connection goes to the very address checked), so a site
manager cannot make the server call into the network it runs in."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from kiosk.domain.errors import Invalid, Reason

URL_MAX = 500
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
NOT_A_URL = Reason("url_invalid", "This is not a valid URL")
# What docs/openapi.json states of a webhook URL's shape; the address rules below are checked on top.
URL_PATTERN = r"^[ \t]*[Hh][Tt][Tt][Pp][Ss]?://"


def check_url(url, allow_http_loopback: bool, allow_private: bool = False) -> str:
    """An https:// URL (or http:// to this machine when allowed); raises Invalid.
    An address of this machine or the local network written into the URL is refused
    here already unless allowed (names are checked after DNS, at each delivery)."""
    if not isinstance(url, str) or not url.strip(" \t"):
        raise Invalid(Reason("url_missing", "Enter the receiver's URL, starting with https://"), "url")
    url = url.strip(" \t")  # only these: any other white space is refused below, as URL_PATTERN says
    if len(url) > URL_MAX:
        raise Invalid(Reason("url_too_long", f"The URL may be at most {URL_MAX} characters long", most=URL_MAX), "url")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - a port that is not a number raises ValueError here
    except ValueError:
        raise Invalid(NOT_A_URL, "url") from None
    host = (parts.hostname or "").lower()
    if not host or any(ch.isspace() for ch in url) or not url.isprintable():
        raise Invalid(NOT_A_URL, "url")
    if parts.username is not None or parts.password is not None:
        raise Invalid(Reason("url_credentials", "Leave the user name and password out of the URL: the signature "
                             "proves the sender"), "url")
    if parts.fragment:
        raise Invalid(Reason("url_fragment", "A webhook URL has no #fragment"), "url")
    if parts.scheme == "https":
        if not allow_private and _is_non_public_address(host):
            raise Invalid(Reason("url_private", "This URL points into this machine or its local network; only public "
                                 "addresses are allowed (setting webhooks_allow_private_addresses)"), "url")
        return url
    if parts.scheme == "http" and allow_http_loopback and host in LOOPBACK_NAMES:
        return url
    if parts.scheme == "http" and host in LOOPBACK_NAMES:
        raise Invalid(Reason("url_http", "Plain http:// is allowed only to this machine and only with the setting "
                             "webhooks_allow_http_loopback; use https://"), "url")
    raise Invalid(Reason("url_https", "The URL must start with https://"), "url")


def _is_non_public_address(host: str) -> bool:
    try:
        return not ipaddress.ip_address(host.strip("[]")).is_global
    except ValueError:
        return host in LOOPBACK_NAMES  # a name: checked after DNS when delivering


class AddressRefused(OSError):
    """The receiver's name leads into this machine or its local network, which is not allowed."""


def resolve(host: str, port: int, lookup=None) -> list[str]:
    """The receiver's addresses by one DNS lookup (`lookup` is socket.getaddrinfo's shape;
    looked up when called, so eventlet's or gevent's cooperative DNS is used under `gastgeber serve`)."""
    answers = (lookup or socket.getaddrinfo)(host, port, proto=socket.IPPROTO_TCP)
    return [sockaddr[0] for *_, sockaddr in answers]


def checked_address(host: str, port: int, *, allow_private: bool, allow_loopback: bool, lookup=None) -> str:
    """The one address to connect to: resolved once and checked, so that what was checked is
    what is reached (a second lookup could answer differently: DNS rebinding). Every answer
    must pass, else AddressRefused; the first is returned."""
    addresses = resolve(host, port, lookup)
    if not addresses:
        raise OSError(f"{host} has no address")
    for address in addresses:
        check_address(address, allow_private=allow_private, allow_loopback=allow_loopback)
    return addresses[0].split("%")[0]


def check_address(address: str, *, allow_private: bool, allow_loopback: bool) -> None:
    """Refuse a loopback, private, link-local or otherwise non-public IP address unless the
    settings allow it: a site manager must not be able to make the server call into the
    network it runs in. An IPv4 address written as IPv6 (::ffff:127.0.0.1) counts as itself."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback and allow_loopback:
        return
    if not ip.is_global and not allow_private:
        raise AddressRefused(f"{address} is not a public address (setting webhooks_allow_private_addresses)")
