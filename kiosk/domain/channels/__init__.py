"""Channels: reaching a host who is not looking at a board (e-mail, ntfy, chat …) through Apprise.

urls.py         which Apprise URLs are accepted, their masked form, where they lead
messages.py     what a notice says, in the host's language
outbox.py       a host's channels (`Channels`: add, list, remove, test) and the notices each alert owes
sender.py       claiming, deciding, sending, recording and retrying notices
sending.py      one real send through Apprise, off the event loop, behind the address policy
apprise_log.py  Apprise's log kept out of ours (it may quote a URL's secrets)

The names below are the package's public face.
"""

from kiosk.domain.channels.outbox import WHEN, Channels, public_channel, public_delivery
from kiosk.domain.channels.sender import (
    CLAIM_SECONDS,
    FORGET_EVERY_SECONDS,
    LOG_DAYS,
    RETRY_AFTER_SECONDS,
    ChannelSender,
    next_step,
)
from kiosk.domain.channels.sending import TIMEOUT_SECONDS, send
from kiosk.domain.channels.urls import URL_MAX, ChannelUrl, parse

__all__ = [
    "CLAIM_SECONDS",
    "FORGET_EVERY_SECONDS",
    "LOG_DAYS",
    "RETRY_AFTER_SECONDS",
    "TIMEOUT_SECONDS",
    "URL_MAX",
    "WHEN",
    "ChannelSender",
    "ChannelUrl",
    "Channels",
    "next_step",
    "parse",
    "public_channel",
    "public_delivery",
    "send",
]
