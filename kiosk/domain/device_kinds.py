"""What kind of device an alert reached, for the stats: "board", "push", or a channel's kind.

A channel's kind is its URL's scheme; its secure and plain variants (`ntfys`/`ntfy`,
`mailtos`/`mailto`) are one kind to a manager, and e-mail is called so.
"""

from __future__ import annotations

BOARD = "board"
PUSH = "push"
_NAMED = {"mailto": "email", "mailtos": "email"}
# Apprise schemes whose trailing "s" only means TLS
_SECURE_VARIANTS = {"ntfys", "matrixs", "jsons", "xmls", "forms", "mqtts", "gotifys", "signals", "rockets", "mmosts",
                    "nctalks", "apprises", "rsyslogs", "embys", "kodis", "xbmcs", "misskeys", "growls"}


def channel_kind(scheme: str) -> str:
    """The device kind of a channel whose URL has this scheme."""
    scheme = scheme.lower()
    if scheme in _NAMED:
        return _NAMED[scheme]
    if scheme in _SECURE_VARIANTS:
        return scheme[:-1]
    return scheme
