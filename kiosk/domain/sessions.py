"""Browser sign-ins, kept on the server.

A browser that signs in (a host with their PIN, a kiosk tablet paired or given a token, a
manager with PIN or token, an operator with their token) gets a record in the database and
only its random id in the cookie (`<role>_session`); the database keeps the id's SHA-256. A
sign-in holds while its record is live, not past `expires_at` (which moves on with use, like
the cookie's own lifetime), and the credential it was made with still holds. So signing out
refuses the cookie from then on — a copy of it too — and a revoked token, a new PIN, a host
deactivated or a manager's access ended ends the browser sign-ins that rested on it
(kiosk/store marks their records ended in the same transaction).

A browser may hold one sign-in per role at once (a tablet's kiosk and a host's board).
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from kiosk.clock import from_iso, to_iso
from kiosk.domain.auth import OPERATOR, Principal, hash_token, pin_key

TOUCH_SECONDS = 60  # a sign-in in use moves its expiry on at most this often (a write each time)
FORGET_EXPIRED_AFTER = timedelta(days=7)  # records expired this long ago are deleted at the next sign-in
# Before sign-ins were kept on the server, a tablet's cookie held its token's hash here; a tablet
# whose token still holds is moved over, so no tablet needs pairing again after an upgrade.
LEGACY_KIOSK_KEY = "kiosk_token"


def session_key(role: str) -> str:
    """The cookie session's key holding a browser's sign-in as `role`."""
    return f"{role}_session"


class BrowserSessions:
    def __init__(self, store, clock, hours: float):
        self.store = store
        self.clock = clock
        self.lifetime = timedelta(hours=hours)

    def sign_in(self, cookie, role: str, *, token_hash: str | None = None, host: dict | None = None,
                manager: dict | None = None) -> None:
        """Sign this browser in as `role`: with a token (`token_hash`, a live one), as a host (their row),
        or as a manager with their PIN (`manager`, their row). Ends the browser's earlier sign-in
        in this role."""
        subject_id, site_id, credential = self._what_it_rests_on(role, token_hash, host, manager)
        session_id = secrets.token_urlsafe(32)
        now = self.clock.now()
        earlier = cookie.get(session_key(role))
        self.store.start_browser_session(
            {"id_hash": hash_token(session_id), "role": role, "subject_id": subject_id, "site_id": site_id,
             "credential": credential, "created_at": to_iso(now), "last_seen_at": to_iso(now),
             "expires_at": to_iso(now + self.lifetime)},
            replaces=hash_token(earlier) if isinstance(earlier, str) else None,
            forget_before=to_iso(now - FORGET_EXPIRED_AFTER))
        cookie.permanent = True
        cookie[session_key(role)] = session_id

    def sign_out(self, cookie, role: str) -> None:
        session_id = cookie.pop(session_key(role), None)
        if isinstance(session_id, str):
            self.store.end_browser_session(hash_token(session_id), to_iso(self.clock.now()), "signed_out")

    def principal(self, cookie, role: str) -> Principal | None:
        """Whom this browser speaks for as `role`, if its sign-in still holds."""
        if role == "kiosk" and LEGACY_KIOSK_KEY in cookie and session_key(role) not in cookie:
            self._adopt_legacy_tablet(cookie)
        session_id = cookie.get(session_key(role))
        if not isinstance(session_id, str) or len(session_id) > 100:
            return None
        record = self.store.browser_session(hash_token(session_id))
        now = self.clock.now()
        if record is None or record["role"] != role or from_iso(record["expires_at"]) <= now:
            return None
        principal = self._holder(record)
        if principal is not None and (now - from_iso(record["last_seen_at"])).total_seconds() >= TOUCH_SECONDS:
            self.store.touch_browser_session(record["id_hash"], to_iso(now), to_iso(now + self.lifetime))
        return principal

    def _adopt_legacy_tablet(self, cookie) -> None:
        """A tablet bound before this version: its token is its sign-out (unpairing revokes it), so
        a cookie whose token still holds was never signed out, and gets a sign-in of its own."""
        token_hash = cookie.pop(LEGACY_KIOSK_KEY)
        if isinstance(token_hash, str) and self._token_holder("kiosk", token_hash) is not None:
            self.sign_in(cookie, "kiosk", token_hash=token_hash)

    def _what_it_rests_on(self, role, token_hash, host, manager) -> tuple[int, int | None, str]:
        """(subject id, site id, credential) of a new sign-in."""
        if role == "host":
            return host["id"], host["site_id"], "pin:" + pin_key(host["pin_hash"])
        if role == "manager" and manager is not None:
            return manager["id"], manager["site_id"], "pin:" + pin_key(manager["pin_hash"])
        holder = self._token_holder(role, token_hash)
        if holder is None:
            raise ValueError(f"not a live {role} token")  # the caller checked it a moment ago
        return holder.id, holder.site_id, "token:" + token_hash

    def _holder(self, record: dict) -> Principal | None:
        """Who the record speaks for, if the credential it rests on still holds."""
        kind, _, credential = record["credential"].partition(":")
        role, subject_id = record["role"], record["subject_id"]
        if kind == "token":
            holder = self._token_holder(role, credential)
            return holder if holder is not None and holder.id == subject_id else None
        row = self.store.person(role, subject_id) if role in ("host", "manager") else None
        if row is None or not row.get("pin_hash") or pin_key(row["pin_hash"]) != credential:
            return None
        return Principal(role=role, id=row["id"], name=row["name"], site_id=row["site_id"], site=row["site"])

    def _token_holder(self, role: str, token_hash: str) -> Principal | None:
        if role == OPERATOR:
            row = self.store.operator_row(token_hash)
            return Principal(role=OPERATOR, id=row["id"], name=row["name"], site_id=None, site=None) if row else None
        row = self.store.principal_row(token_hash)
        if row is None or row["role"] != role or row["name"] is None:
            return None
        return Principal(role=role, id=row["id"], name=row["name"], site_id=row["site_id"], site=row["site"])
