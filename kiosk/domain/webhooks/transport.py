"""One POST to a receiver, at exactly the address that was checked.

The receiver's name is resolved once; that address is checked (addresses.py) and the
connection goes to it, while the URL's host name stays in the Host header, in TLS's SNI
and in the certificate check. Connecting by name instead would look the name up a second
time, and a receiver's DNS may answer a public address to the check and 127.0.0.1 to the
connection (DNS rebinding).

A failure is a `DeliveryFailed` whose text is one of a few coarse categories, the same for
every way a connection can fail (refused, no route, no answer to the connect): the delivery
log a manager reads must not serve to scan the server's network. The cause stays attached
for the server's log.

Plain http.client: under `gastgeber serve` eventlet or gevent has patched sockets, ssl and DNS, so
this waits cooperatively and the alert path runs on meanwhile.
"""

from __future__ import annotations

import http.client
import socket
import ssl
from urllib.parse import urlsplit

from kiosk.domain.webhooks.addresses import AddressRefused, checked_address

# What a manager may read about a failed attempt (docs/webhooks.md, "Delivery, retries and the log").
REFUSED_BY_POLICY = "refused by policy: private address"
COULD_NOT_CONNECT = "could not connect"
TLS_FAILED = "secure connection failed (certificate or TLS)"
NO_VALID_ANSWER = "no valid HTTP answer"
MOST_ANSWER_BYTES = 64 * 1024


def timed_out(seconds: float) -> str:
    return f"timed out after {seconds:g} s"


class DeliveryFailed(Exception):
    """A failed attempt; `str()` is the category a manager sees, `__cause__` the details (log only)."""


class PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to `address`, speaking to `host` (its Host header)."""

    def __init__(self, host: str, port: int | None, *, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class PinnedHTTPSConnection(PinnedHTTPConnection):
    """An HTTPS connection to `address` whose TLS names `host` (SNI) and whose certificate must be `host`'s."""

    default_port = http.client.HTTPS_PORT

    def __init__(self, host: str, port: int | None, *, address: str, timeout: float, context: ssl.SSLContext):
        super().__init__(host, port, address=address, timeout=timeout)
        self.context = context

    def connect(self) -> None:
        super().connect()
        try:
            self.sock = self.context.wrap_socket(self.sock, server_hostname=self.host)
        except ssl.SSLError as problem:
            raise DeliveryFailed(TLS_FAILED) from problem
        except TimeoutError as problem:
            raise DeliveryFailed(timed_out(self.timeout)) from problem


def http_post(url: str, body: bytes, headers: dict, timeout: float, *, allow_private: bool = False,
              allow_loopback: bool = False, lookup=None, tls: ssl.SSLContext | None = None) -> int:
    """POST and return the HTTP status; redirects are not followed (a 3xx is a failure).

    `lookup` answers like socket.getaddrinfo (default: the real DNS); `tls` is the trust
    for https:// (default: the system's CAs). Raises DeliveryFailed."""
    parts = urlsplit(url)
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    connection = _connection(parts.hostname, port, timeout, https, tls,
                             address=_address(parts.hostname, port, allow_private, allow_loopback, lookup))
    try:
        _connect(connection)
        return _exchange(connection, (parts.path or "/") + (f"?{parts.query}" if parts.query else ""), body, headers)
    finally:
        connection.close()


def _address(host: str, port: int, allow_private: bool, allow_loopback: bool, lookup) -> str:
    try:
        return checked_address(host, port, allow_private=allow_private, allow_loopback=allow_loopback, lookup=lookup)
    except AddressRefused as problem:
        raise DeliveryFailed(REFUSED_BY_POLICY) from problem
    except (OSError, UnicodeError) as problem:  # no such name, DNS unreachable
        raise DeliveryFailed(COULD_NOT_CONNECT) from problem


def _connection(host, port, timeout, https: bool, tls, *, address: str) -> PinnedHTTPConnection:
    if https:
        return PinnedHTTPSConnection(host, port, address=address, timeout=timeout,
                                     context=tls or ssl.create_default_context())
    return PinnedHTTPConnection(host, port, address=address, timeout=timeout)


def _connect(connection: PinnedHTTPConnection) -> None:
    """Refused, unreachable or silent: all the same to the log a manager reads."""
    try:
        connection.connect()
    except OSError as problem:
        raise DeliveryFailed(COULD_NOT_CONNECT) from problem


def _exchange(connection: PinnedHTTPConnection, target: str, body: bytes, headers: dict) -> int:
    try:
        connection.request("POST", target, body=body, headers=headers)
        response = connection.getresponse()
        response.read(MOST_ANSWER_BYTES)
        return response.status
    except TimeoutError as problem:
        raise DeliveryFailed(timed_out(connection.timeout)) from problem
    except (OSError, http.client.HTTPException) as problem:
        raise DeliveryFailed(NO_VALID_ANSWER) from problem
