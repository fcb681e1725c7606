"""One push to a browser's push service (RFC 8030), encrypted to the subscription (RFC 8291,
aes128gcm, by pywebpush) and signed with the server's VAPID key (RFC 8292, py-vapid).

The POST goes through the webhooks' pinned transport (webhooks/transport.py): the push
service's name is resolved once, judged by the address policy, and the connection goes to
the very address judged. Blocking: run it on an OS thread or under eventlet's or gevent's patched sockets.
"""

from __future__ import annotations

import time

from pywebpush import WebPusher

from kiosk.domain.push import keys
from kiosk.domain.webhooks.transport import DeliveryFailed, http_post

TIMEOUT_SECONDS = 5.0
TTL_SECONDS = 600  # an alert about a waiting guest is worth little after ten minutes
GONE = (404, 410)  # the push service says the subscription no longer exists


def send(subscription: dict, payload: bytes, *, private_pem: str, contact: str, allow_loopback: bool,
         timeout: float = TIMEOUT_SECONDS, tls=None) -> dict:
    """Push once; `{"ok", "gone", "error", "ms"}`. `gone`: the subscription is dead (404/410)."""
    started = time.monotonic()
    endpoint = subscription["endpoint"]
    info = {"endpoint": endpoint, "keys": {"p256dh": subscription["p256dh"], "auth": subscription["auth"]}}
    try:
        body = WebPusher(info).encode(payload, content_encoding="aes128gcm")["body"]
        headers = {"Content-Type": "application/octet-stream", "Content-Encoding": "aes128gcm",
                   "TTL": str(TTL_SECONDS), "Urgency": "high",
                   "Authorization": keys.authorization(private_pem, endpoint, contact)}
        status = http_post(endpoint, body, headers, timeout, allow_loopback=allow_loopback, tls=tls)
    except DeliveryFailed as failed:
        return _outcome(started, str(failed))
    except Exception as problem:  # a key that does not decode, a fault of the library: recorded, never raised
        return _outcome(started, f"could not encrypt the notification ({type(problem).__name__})")
    if 200 <= status < 300:
        return _outcome(started, None)
    return _outcome(started, f"the push service answered {status}", gone=status in GONE)


def _outcome(started: float, error: str | None, *, gone: bool = False) -> dict:
    return {"ok": error is None, "gone": gone, "error": error, "ms": round((time.monotonic() - started) * 1000)}
