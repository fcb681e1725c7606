"""A board device's push subscription as the browser hands it over (`PushSubscription.toJSON()`):
`{"endpoint": "https://…", "keys": {"p256dh": "…", "auth": "…"}}`, checked before it is kept.

The endpoint must be an https:// address of a public push service; the address policy of
webhooks/addresses.py refuses this machine and its network (a plain http:// loopback push
service is allowed only with the setting `push_allow_http_loopback`, for tests and
development). Names are judged again after DNS at each push (sending.py)."""

from __future__ import annotations

import base64
import binascii
import ipaddress
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec

from kiosk.domain.errors import Invalid
from kiosk.domain.webhooks.addresses import LOOPBACK_NAMES, AddressRefused, check_address

ENDPOINT_MAX = 500
P256_POINT_BYTES = 65  # an uncompressed P-256 public key
AUTH_BYTES = 16


def parse(body: dict, *, allow_http_loopback: bool) -> dict:
    """`{"endpoint", "p256dh", "auth"}` of a well-formed subscription; else Invalid naming the field."""
    endpoint = body.get("endpoint")
    if not isinstance(endpoint, str) or len(endpoint) > ENDPOINT_MAX:
        raise Invalid(f"'endpoint' must be the push service's URL (at most {ENDPOINT_MAX} characters)", "endpoint")
    _check_endpoint(endpoint, allow_http_loopback)
    keys = body.get("keys")
    if not isinstance(keys, dict):
        raise Invalid("'keys' must hold the subscription's 'p256dh' and 'auth'", "keys")
    p256dh = _key(keys.get("p256dh"), P256_POINT_BYTES, "p256dh")
    auth = _key(keys.get("auth"), AUTH_BYTES, "auth")
    return {"endpoint": endpoint, "p256dh": p256dh, "auth": auth}


def _check_endpoint(endpoint: str, allow_http_loopback: bool) -> None:
    try:
        parts = urlsplit(endpoint)
        parts.port  # noqa: B018 - a port that is not a number raises ValueError here
    except ValueError:
        raise Invalid("'endpoint' is not a valid URL", "endpoint") from None
    host = (parts.hostname or "").lower()
    if not host or not endpoint.isprintable() or any(ch.isspace() for ch in endpoint) or parts.username:
        raise Invalid("'endpoint' is not a valid URL", "endpoint")
    if parts.scheme == "http" and allow_http_loopback and host in LOOPBACK_NAMES:
        return
    if parts.scheme != "https":
        raise Invalid("'endpoint' must be the https:// address of the browser's push service", "endpoint")
    if host in LOOPBACK_NAMES or _is_literal_non_public(host):
        raise Invalid("'endpoint' points into this machine or its local network, which no push service does",
                      "endpoint")


def _is_literal_non_public(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False  # a name: judged after DNS at each push
    try:
        check_address(host.strip("[]"), allow_private=False, allow_loopback=False)
    except AddressRefused:
        return True
    return False


def _key(value, size: int, name: str) -> str:
    message = f"'keys.{name}' must be the subscription's {size}-byte key in base64url"
    if not isinstance(value, str) or len(value) > 200:
        raise Invalid(message, "keys")
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raise Invalid(message, "keys") from None
    if len(raw) != size or (name == "p256dh" and not _on_the_curve(raw)):
        raise Invalid(message, "keys")
    return value.rstrip("=")


def _on_the_curve(point: bytes) -> bool:
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except ValueError:
        return False
    return True
