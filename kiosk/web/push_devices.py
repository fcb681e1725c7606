"""Which Web Push subscriptions this browser made, so that signing out of its board stops them.

The subscription's POST (kiosk/web/api/push.py) notes its id in the browser's session when the
browser's own sign-in made it (not a bearer token); the board's sign-out (staffboard/views.py)
hands those ids to the domain, which removes the ones still of the host signing out. The
browser keeps its push subscription: the next host to sign in on the device keeps it again for
themselves (static/js/board/push.js), so a shared tablet rings for whoever is signed in.
"""

from __future__ import annotations

from flask import request

SESSION_KEY = "push_subscription_ids"
KEPT_MOST = 5  # a browser makes one subscription; a few survive a re-subscribe or two


def remember(session, subscription_id: int) -> None:
    if "Authorization" in request.headers:
        return
    ids = [known for known in session.get(SESSION_KEY, []) if isinstance(known, int) and known != subscription_id]
    session[SESSION_KEY] = [*ids, subscription_id][-KEPT_MOST:]


def forgotten_at_sign_out(session) -> list[int]:
    """The ids this browser noted, taken out of its session."""
    ids = session.pop(SESSION_KEY, [])
    return [known for known in ids if isinstance(known, int)] if isinstance(ids, list) else []
