"""What a channel says: short enough for a lock screen, in the host's language.

"A guest is waiting for you (since 14:03) · open the board https://door.example.org/board".
The customer is named only when the site's `notify_customer_names` is on. Texts come
from the catalogues (translations/<lang>/LC_MESSAGES/messages.po, keys `notify.*`),
handed in as `texts` (the key → text mapping of one language, English filling any gap).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from kiosk.clock import from_iso

NAME_MAX = 40
COMING = "coming"  # a notice's `alert` for the text message to the customer (the others: arrived, team)


def board_link(public_url: str, own_address: str) -> str:
    return (public_url or own_address).rstrip("/") + "/board"


def host_language(host_languages: str | None, available: tuple[str, ...], default: str,
                  chosen: str | None = None) -> str:
    """The host's own choice of language (their board's), else the first language they speak that
    has a catalogue, else the site's default."""
    if chosen in available:
        return chosen
    for code in (host_languages or "").split(","):
        if code.strip() in available:
            return code.strip()
    return default


def alert_message(texts: dict, *, alert: str, arrived_at: str, zone: str, link: str, host_name: str,
                  customer_name: str | None) -> tuple[str, str]:
    """(title, body) of a notice. `alert` is "arrived" (to the visit's own host) or "team"
    (to a colleague: the guest waits for `host_name`); `customer_name` only when it may be said."""
    since = from_iso(arrived_at).astimezone(ZoneInfo(zone)).strftime("%H:%M")
    key = "waiting_for_you" if alert == "arrived" else "waiting_for_colleague"
    if customer_name:
        key = f"named_{key}"
    line = _text(texts, f"notify.{key}").format(time=since, host=host_name, name=_short(customer_name or ""))
    return _text(texts, "notify.title"), f"{line} · {_text(texts, 'notify.open_board')} {link}"


def test_message(texts: dict, link: str) -> tuple[str, str]:
    return _text(texts, "notify.test_title"), f"{_text(texts, 'notify.test_body')} · " \
                                              f"{_text(texts, 'notify.open_board')} {link}"


def _text(texts: dict, key: str) -> str:
    return texts.get(key) or key


def _short(name: str) -> str:
    return name if len(name) <= NAME_MAX else name[:NAME_MAX - 1] + "…"


def coming_message(texts: dict, *, host_name: str, shop: str) -> str:
    """The customer's one text message: "Anna is coming to you now — <shop>" (first name only)."""
    first = (host_name or "").split()[:1]
    return _text(texts, "sms.coming").format(name=_short(first[0] if first else ""), shop=_short(shop))


def sms_test_message(texts: dict, *, shop: str) -> str:
    """A manager's test of the site's SMS channel: what a customer's text will look like."""
    return _text(texts, "sms_channel.test_message").format(shop=_short(shop))
