"""The push service and the browser of Web Push, played by the test (both are outside the system).

`Browser` is what a browser makes when a page subscribes: a P-256 key pair and a 16-byte
auth secret; its `subscription(endpoint)` is the JSON `PushSubscription.toJSON()` gives.
`opened(request, browser, server_key)` is what the push service and the browser do with a
push between them: check the VAPID JWT's signature with the server's public key (RFC 8292),
and decrypt the RFC 8291 (aes128gcm) body with the browser's private key.
"""

from __future__ import annotations

import base64
import json
import os
import time
from dataclasses import dataclass, field

import http_ece
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Browser:
    private_key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    auth: bytes = field(default_factory=lambda: os.urandom(16))

    def subscription(self, endpoint: str) -> dict:
        point = self.private_key.public_key().public_bytes(serialization.Encoding.X962,
                                                           serialization.PublicFormat.UncompressedPoint)
        return {"endpoint": endpoint, "expirationTime": None, "keys": {"p256dh": b64(point), "auth": b64(self.auth)}}


def verified_claims(authorization: str, server_key_b64: str) -> dict:
    """The VAPID JWT's claims, after its ES256 signature checked out against the server's key."""
    scheme, _, rest = authorization.partition(" ")
    assert scheme == "vapid", authorization
    parts = dict(item.strip().split("=", 1) for item in rest.split(","))
    assert parts["k"] == server_key_b64, "the push is signed for another key than the one the browser subscribed with"
    header_b64, claims_b64, signature_b64 = parts["t"].split(".")
    assert json.loads(unb64(header_b64))["alg"] == "ES256"
    signature = unb64(signature_b64)
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64(server_key_b64))
    der = encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
    public.verify(der, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))  # raises if forged
    return json.loads(unb64(claims_b64))


def opened(request: dict, browser: Browser, server_key_b64: str, endpoint_origin: str) -> dict:
    """The notification's JSON as the browser's service worker gets it, after the push service's checks."""
    headers = {name.lower(): value for name, value in request["headers"].items()}
    claims = verified_claims(headers["authorization"], server_key_b64)
    assert claims["aud"] == endpoint_origin
    assert time.time() < claims["exp"] <= time.time() + 24 * 3600
    assert claims["sub"].startswith(("mailto:", "https://"))
    assert headers["content-encoding"] == "aes128gcm" and int(headers["ttl"]) > 0
    plain = http_ece.decrypt(request["body"], private_key=browser.private_key, auth_secret=browser.auth,
                             version="aes128gcm")
    return json.loads(plain)
