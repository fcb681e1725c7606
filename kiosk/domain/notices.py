"""What a form's answer shows once, after its redirect: a new PIN or token, a pairing code.

Every form answers POST → 303 → GET, so reloading the page sends no form again. What the
POST made and must show exactly once travels to that GET here: the notice is stored on the
server, sealed with a random one-time pad as long as the notice, and only the pad and the
notice's id go into the browser's cookie (never into a URL). Neither the database nor the
cookie alone holds the secret; the first GET of the page it is for reads and deletes it,
so a reload shows it no more. A notice not fetched within NOTICE_SECONDS is gone.
"""

from __future__ import annotations

import base64
import json
import secrets
from datetime import timedelta

from kiosk.clock import to_iso
from kiosk.domain.auth import hash_token

NOTICE_SECONDS = 300
COOKIE_KEY = "notice_once"


def _xor(data: bytes, pad: bytes) -> bytes:
    return bytes(a ^ b for a, b in zip(data, pad, strict=True))


class OneTimeNotices:
    def __init__(self, store, clock):
        self.store = store
        self.clock = clock

    def leave(self, cookie, page: str, notice: dict) -> None:
        """Keep `notice` (JSON-able) for the next GET of `page` by this browser."""
        plain = json.dumps(notice, ensure_ascii=False, separators=(",", ":")).encode()
        pad, notice_id = secrets.token_bytes(len(plain)), secrets.token_urlsafe(24)
        earlier = cookie.get(COOKIE_KEY)
        now = self.clock.now()
        self.store.put_notice(hash_token(notice_id), page, base64.b64encode(_xor(plain, pad)).decode(),
                              to_iso(now + timedelta(seconds=NOTICE_SECONDS)), to_iso(now),
                              replaces=hash_token(earlier["id"]) if isinstance(earlier, dict)
                              and isinstance(earlier.get("id"), str) else None)
        cookie[COOKIE_KEY] = {"id": notice_id, "page": page, "pad": base64.b64encode(pad).decode()}

    def take(self, cookie, page: str) -> dict | None:
        """The notice left for `page`, once; None if there is none (or it is for another page)."""
        held = cookie.get(COOKIE_KEY)
        if not isinstance(held, dict) or held.get("page") != page:
            return None
        cookie.pop(COOKIE_KEY, None)
        try:
            sealed = self.store.take_notice(hash_token(held["id"]), page, to_iso(self.clock.now()))
            if sealed is None:
                return None
            return json.loads(_xor(base64.b64decode(sealed), base64.b64decode(held["pad"])))
        except (KeyError, TypeError, ValueError):  # a cookie from elsewhere: nothing to show
            return None
