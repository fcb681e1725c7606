"""Apprise URLs: which are accepted, what a person may see of them, and where they lead.

A channel's URL is the `apprise` package's syntax (`mailtos://user:pass@host?to=…`,
`ntfys://host/topic`, `json://host:port/path`, …). Its secrets (passwords, tokens,
header values) are kept only to send: every answer, page, log line and audit entry
shows the masked form, Apprise's own privacy URL with header and parameter values
masked as well.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlencode

from kiosk.domain.channels.apprise_log import quiet_apprise
from kiosk.domain.errors import Invalid

URL_MAX = 1000
MASK = "****"
LOOPBACK_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost")
# Query parameters whose value is a secret in some plugin, beyond what Apprise masks itself.
_SECRET_PARAMETERS = {"token", "key", "apikey", "api_key", "secret", "password", "pass", "pw", "pass_phrase"}
_PARTS = re.compile(r"[/:@?&=#+,;%\s]+")
SECRET_PART_MIN = 3  # shorter pieces of a URL (a port's digits, "to") are not worth hiding, and would garble texts


@dataclass(frozen=True)
class ChannelUrl:
    """An accepted URL: its kind (the scheme as written), what may be shown, and where the
    server will connect (None: a fixed public service, e.g. Telegram's or Slack's API)."""

    url: str
    kind: str
    masked: str
    host: str | None
    port: int | None


def instantiate(url: str):
    """Apprise's plugin for `url`, or None when no installed plugin accepts it (Apprise's
    own complaint, which may quote the URL, stays out of the logs: apprise_log.py)."""
    quiet_apprise()
    import apprise

    try:
        return apprise.Apprise.instantiate(url, suppress_exceptions=True)
    except Exception:  # a plugin that trips over odd input refuses it
        return None


def parse(url) -> ChannelUrl:
    """The URL if an installed Apprise plugin accepts it; else Invalid naming the field `url`."""
    if not isinstance(url, str) or not url.strip():
        raise Invalid("Enter the channel's URL, e.g. mailtos://user:password@mail.example.org?to=you@example.org "
                      "or ntfys://ntfy.example.org/your-topic", "url", reason="url_missing")
    url = url.strip()
    if len(url) > URL_MAX:
        raise Invalid(f"The URL may be at most {URL_MAX} characters long", "url", reason="url_too_long")
    if not url.isprintable() or any(ch.isspace() for ch in url) or "://" not in url:
        raise Invalid("This is not a valid channel URL (it looks like scheme://…)", "url", reason="url_malformed")
    plugin = instantiate(url)
    if plugin is None:
        kind = url.split("://", 1)[0][:20]
        raise Invalid(f"No channel of this server understands this URL ({kind}://…); check its spelling, "
                      "e.g. mailtos://…, ntfys://…, json://…", "url", reason="url_unknown")
    host, port = destination(plugin)
    return ChannelUrl(url=url, kind=url.split("://", 1)[0].lower(), masked=masked(plugin), host=host, port=port)


def destination(plugin) -> tuple[str | None, int | None]:
    """Where sending connects to: the SMTP server of an e-mail URL, the host of a plugin whose
    host is part of its URL (ntfy, Gotify, Matrix, JSON …); None for a plugin that only talks
    to its fixed public service (its "host" is a token then) or ntfy's public cloud."""
    smtp = getattr(plugin, "smtp_host", None)
    if smtp:
        return smtp, plugin.port
    own_host = "host" in getattr(plugin, "template_tokens", {}) and getattr(plugin, "mode", "") != "cloud"
    if not own_host or not plugin.host:
        return None, None
    return plugin.host, plugin.port


def masked(plugin) -> str:
    """Apprise's privacy URL, with every header (`+Name=`), parameter (`-name=`) and secret-named value masked."""
    shown = plugin.url(privacy=True)
    base, mark, query = shown.partition("?")
    if not mark:
        return shown
    pairs = [(key, MASK if _secret_parameter(key) and value else value)
             for key, value in parse_qsl(query, keep_blank_values=True)]
    return f"{base}?{urlencode(pairs, safe='*')}"


def _secret_parameter(key: str) -> bool:
    return key[:1] in "+-:" or key.lower() in _SECRET_PARAMETERS


def secret_parts(url: str, shown: str) -> list[str]:
    """The pieces of `url` that its masked form `shown` leaves out: what must never appear in a
    text made while sending (an error, a log line). Longest first, so a longer secret is hidden whole."""
    visible = set(_pieces(shown))
    return sorted({part for part in _pieces(url) if part not in visible and len(part) >= SECRET_PART_MIN},
                  key=len, reverse=True)


def _pieces(text: str) -> list[str]:
    return [piece for raw in (text, unquote(text)) for piece in _PARTS.split(raw) if piece]


def scrub(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, MASK)
    return text


def is_literal_address(host: str | None) -> bool:
    """A host written as an address (or a name of this machine): the address policy
    (webhooks/addresses.py) can judge it when the channel is added, without asking DNS.
    Other names are judged after DNS at each delivery."""
    if not host:
        return False
    host = host.strip("[]").lower()
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
