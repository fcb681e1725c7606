"""One real send through Apprise, and what became of it (a Delivery).

Apprise blocks (smtplib, requests): `send` is meant to run on an OS thread (the caller's
`offload`, kiosk/async_mode.py's run_off_loop in the server), never on the event loop. Before it
connects, the destination's name is resolved and judged by the address policy of
webhooks/addresses.py, so a channel cannot make the server call into its own network
unless `notify_allow_private_addresses` is on.
"""

from __future__ import annotations

import time

from kiosk.domain.channels.apprise_log import captured
from kiosk.domain.channels.urls import destination, instantiate, masked, scrub, secret_parts
from kiosk.domain.webhooks.addresses import AddressRefused, checked_address

TIMEOUT_SECONDS = 5.0
INLINE_IMAGE = "digest-chart.png"  # the name the digest's HTML refers to (cid:…)
ERROR_MAX = 300


def send(url: str, title: str, body: str, *, allow_private: bool, timeout: float = TIMEOUT_SECONDS,
         html: str | None = None, image: bytes | None = None) -> dict:
    """Send once; returns `{"ok", "error", "ms"}`. The error never holds a secret of the URL.
    With `html`, an e-mail is sent as HTML (Apprise adds the plain-text part) with `image`, a PNG,
    inline as `cid:digest-chart.png`; other kinds get the text `body`."""
    started = time.monotonic()
    secrets: list[str] = []
    try:
        plugin = instantiate(url)
        if plugin is None:
            return _outcome(started, "No installed channel accepts this URL any more")
        secrets = secret_parts(url, masked(plugin))
        _limit_waiting(plugin, timeout)
        host, port = destination(plugin)
        if host:  # Apprise connects by itself: the name is checked after DNS, not pinned (see README)
            checked_address(host, port, allow_private=allow_private, allow_loopback=allow_private)
        with captured() as complaints:
            delivered = plugin.notify(**_message(plugin, title, body, html, image))
        if delivered:
            return _outcome(started, None)
        return _outcome(started, scrub("; ".join(complaints[:2]) or "The service did not take the message", secrets))
    except AddressRefused:
        return _outcome(started, f"{scrub(host, secrets)} is an address of this machine or the local network; "
                                 "allowed only with the setting notify_allow_private_addresses")
    except Exception as problem:  # DNS, a plugin's own fault: recorded, never raised into the sender
        text = f"{type(problem).__name__}: {problem}" if str(problem) else type(problem).__name__
        return _outcome(started, scrub(text, secrets))


def load_plugins() -> None:
    """Load Apprise's plugins now (~0.4 s of CPU the first time a URL is read): the sending process
    does it at its start, at the serving process's priority, not at the first guest's notice."""
    instantiate("json://localhost")


def _message(plugin, title: str, body: str, html: str | None, image: bytes | None) -> dict:
    """What `plugin.notify` is given: the HTML and its inline image for an e-mail, else the text."""
    if html is None or not getattr(plugin, "smtp_host", None):
        return {"body": body, "title": title}
    from apprise import AppriseAttachment, NotifyFormat
    from apprise.attachment.memory import AttachMemory

    attachments = AppriseAttachment()
    if image is not None:
        plugin.inline = True  # RFC 2387: the image inside the HTML, not a download (Apprise's e-mail plugin)
        attachments.add(AttachMemory(content=image, name=INLINE_IMAGE, mimetype="image/png"))
    return {"body": html, "title": title, "body_format": NotifyFormat.HTML, "attach": attachments or None}


def _limit_waiting(plugin, timeout: float) -> None:
    """No attempt waits longer than `timeout` to connect or for an answer."""
    for name in ("socket_connect_timeout", "socket_read_timeout"):
        current = getattr(plugin, name, None)
        setattr(plugin, name, min(current, timeout) if current else timeout)


def _outcome(started: float, error: str | None) -> dict:
    return {"ok": error is None, "error": error[:ERROR_MAX] if error else None,
            "ms": round((time.monotonic() - started) * 1000)}
