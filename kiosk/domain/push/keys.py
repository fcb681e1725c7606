"""The server's VAPID key pair (RFC 8292): push services take a notification only with a
JWT signed by the key whose public half the browser subscribed with (`GET /api/v1/push/key`).
Made once per database (`gastgeber init`, or the first use on an older database); the
private key stays in the database's settings table and is never shown."""

from __future__ import annotations

import base64
import time
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from py_vapid import Vapid02

JWT_HOURS = 12  # a push service refuses a VAPID token valid longer than 24 hours


def make_keys() -> tuple[str, str]:
    """(private key PEM, public key as the browser wants it: base64url of the uncompressed P-256 point)."""
    vapid = Vapid02()
    vapid.generate_keys()
    return vapid.private_pem().decode(), public_b64(vapid)


def public_b64(vapid: Vapid02) -> str:
    point = vapid.public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return base64.urlsafe_b64encode(point).rstrip(b"=").decode()


def authorization(private_pem: str, endpoint: str, contact: str, now: float | None = None) -> str:
    """The `Authorization: vapid t=…, k=…` header for one push to `endpoint`'s push service."""
    parts = urlsplit(endpoint)
    claims = {"aud": f"{parts.scheme}://{parts.netloc}", "sub": contact,
              "exp": int((now or time.time()) + JWT_HOURS * 3600)}
    return Vapid02.from_pem(private_pem.encode()).sign(claims)["Authorization"]
