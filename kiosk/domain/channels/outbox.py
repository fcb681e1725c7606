"""A host's channels and the notices each alert owes them.

Channels are added and removed with an audit entry each (naming the masked URL only).
A use case that alerts a host writes the notices it owes in its own transaction
(`Channels.notices_for`, handed to the store): durable with the check-in or the
escalation, and no network on the alert path. sender.py sends them.

Who is owed what (CONTRACT.md, "channels"):
  * `visit.arrived` → the visit's host's channels; `visit.escalated` to the team →
    the channels of every host it goes to (the managers' step goes to managers' boards
    only: managers have no channels);
  * `when: "always"`: at once; `"unconfirmed"`: when no board of that host confirmed
    the alert within `alert_receipt_seconds`, and at once when the host has no board;
  * each channel hears of a visit at most once.

The site's SMS channel (a channel without a host, one per site, set by a manager) texts a
customer who gave a phone number and ticked "text me when someone's coming" (the visit's
`sms_consent`): one message, "Anna is coming to you now — <shop>", when a host
acknowledges. Without consent, or without the channel, nothing is sent. A manager's test
texts a number they type (their own); like the customers' numbers, it is kept nowhere.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from kiosk.clock import to_iso
from kiosk.domain import audit
from kiosk.domain.channels import messages, sending
from kiosk.domain.channels.sender import with_recipient, without_number
from kiosk.domain.channels.urls import is_literal_address, parse
from kiosk.domain.customers import normalize_phone
from kiosk.domain.domain_events import VisitArrived, VisitEscalated, VisitUpdated
from kiosk.domain.errors import Conflict, Forbidden, Invalid, NotFound
from kiosk.domain.webhooks.addresses import AddressRefused, checked_address

WHEN = ("unconfirmed", "always")
LABEL_MAX = 80
PHONE_DIGITS = (6, 15)  # a number to text: at least this many digits with the country code, at most E.164's
log = logging.getLogger(__name__)


def public_delivery(row: dict, prefix: str = "") -> dict:
    return {"at": row[f"{prefix}at"], "ok": bool(row[f"{prefix}ok"]), "error": row[f"{prefix}error"],
            "ms": row[f"{prefix}ms"]}


def public_channel(row: dict) -> dict:
    """A channel as answers show it: the masked URL, never the one stored to send."""
    return {"id": row["id"], "host": {"id": row["host_id"], "name": row["host_name"]}, "kind": row["kind"],
            "url": row["masked_url"], "when": row["send_when"], "label": row["label"],
            "last_delivery": public_delivery(row, "last_") if row["last_at"] else None}


def public_sms_channel(row: dict) -> dict:
    """The site's SMS channel as answers show it: the masked URL, never the one stored to send."""
    return {"kind": row["kind"], "url": row["masked_url"], "created_at": row["created_at"],
            "last_delivery": public_delivery(row, "last_") if row["last_at"] else None}


class Channels:
    """Hosts' channels (added and removed with an audit entry), their test, and the outbox."""

    def __init__(self, store, clock, presence, settings: dict, *, site_settings, texts_for, languages=("en",),
                 send=sending.send, offload=None):
        """`site_settings(site_id)`: a site's settings in force; `texts_for(language)`: the catalogue
        of a language (key → text); `send`: one real send (sending.py); `offload(function)`: runs
        it on an OS thread (the server's; without it, right here)."""
        self.store = store
        self.clock = clock
        self.presence = presence
        self.settings = settings
        self.site_settings = site_settings
        self.texts_for = texts_for
        self.languages = tuple(languages)
        self.send = send
        self.offload = offload or (lambda function: function())
        self.own_address = "http://127.0.0.1:5000"  # `serve` sets where it listens

    def _now(self) -> str:
        return to_iso(self.clock.now())

    # ---------------------------------------------------------------- the use cases

    def of(self, principal) -> list[dict]:
        """A host's own channels; a manager's site's."""
        host_id = principal.id if principal.role == "host" else None
        return [public_channel(row) for row in self.store.channels_of_site(principal.site_id, host_id)]

    def get(self, principal, channel_id) -> dict:
        """The channel, if the principal may see it (its host, a manager of its site); else NotFound."""
        row = self.store.channel(channel_id) if isinstance(channel_id, int) and 0 < channel_id < 2**62 else None
        if row is None or row["site_id"] != principal.site_id or (
                principal.role == "host" and row["host_id"] != principal.id):
            raise NotFound(f"no channel {channel_id}")
        return row

    def add(self, principal, body: dict) -> dict:
        host = self._owner(principal, body.get("host_id"))
        when = body.get("when", "unconfirmed")
        if when not in WHEN:
            raise Invalid("'when' must be \"unconfirmed\" or \"always\"", "when", code="channel_when")
        label = _label(body.get("label"))
        channel = parse(body.get("url"))
        self._check_target(channel.host, channel.port)
        site = self.site_settings(principal.site_id)
        details = {"host": host["name"], "kind": channel.kind, "url": channel.masked, "when": when}
        channel_id = self.store.add_channel(
            {"site_id": principal.site_id, "host_id": host["id"], "url": channel.url, "masked_url": channel.masked,
             "kind": channel.kind, "send_when": when, "label": label, "created_at": self._now()},
            most_per_host=site["channels_per_host"], most_per_site=site["channels_per_site"],
            audit=lambda channel_id: [audit.entry(self.clock, principal, "channel.added",
                                                  subject=f"channel {channel_id} of {host['name']}",
                                                  details=details)])
        if channel_id is None:
            raise Conflict(f"{host['name']} has as many channels as allowed (at most {site['channels_per_host']} "
                           f"per host, {site['channels_per_site']} per site); remove one first", code="channels_full",
                           values={"name": host["name"], "per_host": site["channels_per_host"],
                                   "per_site": site["channels_per_site"]})
        return public_channel(self.store.channel(channel_id))

    def remove(self, principal, channel_id) -> None:
        row = self.get(principal, channel_id)
        self.store.remove_channel(row["id"], audit=[audit.entry(
            self.clock, principal, "channel.removed", subject=f"channel {row['id']} of {row['host_name']}",
            details={"kind": row["kind"], "url": row["masked_url"]})])

    def test(self, principal, channel_id) -> dict:
        """One real send of a test message; the Delivery it made (kept as the channel's last)."""
        row = self.get(principal, channel_id)
        texts = self.texts_for(self._language(row["host_id"], principal.site_id))
        title, body = messages.test_message(texts, self._link(principal.site_id))
        attempt = self.send_now(self.store.channel_url(row["id"]), title, body)
        self.store.record_test_attempt(row["id"], attempt)
        if not attempt["ok"]:
            log.warning("test of channel %s (%s) failed: %s", row["id"], row["kind"], attempt["error"])
        return public_delivery(attempt)

    # ---------------------------------------------------------------- the site's SMS channel

    def sms_channel(self, principal) -> dict | None:
        row = self.store.sms_channel(principal.site_id)
        return public_sms_channel(row) if row else None

    def set_sms_channel(self, principal, body: dict) -> dict:
        """A manager sets the site's SMS gateway (an Apprise SMS URL, without the recipient:
        each message adds the customer's number as `to`); it replaces the one before."""
        channel = parse(body.get("url"))
        self._check_target(channel.host, channel.port)
        self.store.set_sms_channel(
            {"site_id": principal.site_id, "host_id": None, "url": channel.url, "masked_url": channel.masked,
             "kind": channel.kind, "send_when": "always", "label": None, "created_at": self._now()},
            audit=[audit.entry(self.clock, principal, "sms_channel.set", subject="the site's SMS channel",
                               details={"kind": channel.kind, "url": channel.masked})])
        return self.sms_channel(principal)

    def remove_sms_channel(self, principal) -> None:
        row = self.store.sms_channel(principal.site_id)
        if row is None:
            raise NotFound("this site has no SMS channel")
        self.store.remove_channel(row["id"], audit=[audit.entry(
            self.clock, principal, "sms_channel.removed", subject="the site's SMS channel",
            details={"kind": row["kind"], "url": row["masked_url"]})])

    def test_sms_channel(self, principal, phone, language: str) -> dict:
        """One real text message through the site's SMS channel to `phone` (the manager's own), in
        `language`; the Delivery it made is kept as the channel's last, with the number masked."""
        row = self.store.sms_channel(principal.site_id)
        if row is None:
            raise NotFound("this site has no SMS channel")
        site = self.site_settings(principal.site_id)
        digits = normalize_phone(phone, site["default_country_code"]) if isinstance(phone, str) else None
        if not digits or not PHONE_DIGITS[0] <= len(digits) <= PHONE_DIGITS[1]:
            raise Invalid("Enter the phone number to send the test to, e.g. +49 171 2345678", "phone",
                          code="sms_test_phone")
        number = f"+{digits}"
        texts = self.texts_for(language if language in self.languages else site["default_language"])
        body = messages.sms_test_message(texts, shop=principal.site)
        attempt = self.send_now(with_recipient(self.store.channel_url(row["id"]), number), "", body)
        attempt["error"] = attempt["error"] and without_number(attempt["error"], number)
        self.store.record_test_attempt(row["id"], attempt)
        if not attempt["ok"]:
            log.warning("test of the SMS channel of site %s (%s) failed: %s", principal.site_id, row["kind"],
                        attempt["error"])
        return public_delivery(attempt)

    def has_sms(self, site_id: int) -> bool:
        return self.store.sms_channel(site_id) is not None

    def _owner(self, principal, host_id) -> dict:
        """Whose channel is being added: a host's own; a manager names an active host of the site."""
        if principal.role == "host":
            if host_id is not None and host_id != principal.id:
                raise Forbidden("a host adds channels only for themselves")
            host_id = principal.id
        elif host_id is None:
            raise Invalid("'host_id' is required: whose channel is it?", "host_id", code="channel_host")
        host = None if isinstance(host_id, bool) or not isinstance(host_id, int) else self.store.person("host", host_id)
        if host is None or host["site_id"] != principal.site_id:
            raise Invalid("'host_id' must be the id of an active host of this site", "host_id", code="channel_host")
        return host

    def refuse_private_target(self, host: str | None, port: int | None) -> None:
        """The address policy of a new channel, for a manager's digest channels too."""
        self._check_target(host, port)

    def _check_target(self, host: str | None, port: int | None) -> None:
        """Refused at once: a target written as an address of this machine or the local network
        (without the setting). A name is judged after DNS at each delivery (sending.py)."""
        if not is_literal_address(host) or self.settings["notify_allow_private_addresses"]:
            return
        try:
            checked_address(host, port, allow_private=False, allow_loopback=False)
        except (AddressRefused, OSError):
            raise Invalid("This channel points into this machine or its local network; that is allowed only "
                          "with the setting notify_allow_private_addresses (e.g. for a mail relay in the shop)",
                          "url", code="channel_private") from None

    # ---------------------------------------------------------------- sending, for sender.py too

    def send_through(self, send) -> None:
        """Send with `send` (sending.send's signature), which waits without holding the event
        loop (the serving process's sending process, runtime/send_process.py): no OS thread."""
        self.send, self.offload = send, (lambda function: function())

    def send_now(self, url: str, title: str, body: str, *, html: str | None = None, image: bytes | None = None) -> dict:
        """One send; with `html` (and its inline `image`, a PNG) an e-mail gets that beside the text
        (the weekly digest), every other kind the text `body`."""
        allow_private = self.settings["notify_allow_private_addresses"]
        rich = {"html": html, "image": image} if html is not None else {}
        outcome = self.offload(lambda: self.send(url, title, body, allow_private=allow_private, **rich))
        return {"at": self._now(), "ok": int(outcome["ok"]), "error": outcome["error"], "ms": outcome["ms"]}

    def _link(self, site_id: int) -> str:
        return messages.board_link(self.site_settings(site_id)["public_url"], self.own_address)

    def _language(self, host_id: int, site_id: int) -> str:
        host = self.store.person("host", host_id) or {}
        return messages.host_language(host.get("languages"), self.languages,
                                      self.site_settings(site_id)["default_language"], host.get("language"))

    def message_for(self, notice: dict) -> tuple[str, str]:
        """(title, body) of a claimed notice, in its host's language (a text message: the customer's)."""
        site = self.site_settings(notice["site_id"])
        if notice["alert"] == messages.COMING:
            language = notice["visit_language"] if notice["visit_language"] in self.languages \
                else site["default_language"]
            return "", messages.coming_message(self.texts_for(language), host_name=notice["acknowledged_by_name"]
                                               or notice["visit_host_name"] or "", shop=notice["site_name"])
        language = messages.host_language(notice["host_languages"], self.languages, site["default_language"],
                                          notice["host_language"])
        return messages.alert_message(
            self.texts_for(language), alert=notice["alert"], arrived_at=notice["arrived_at"], zone=site["timezone"],
            link=self._link(notice["site_id"]), host_name=notice["visit_host_name"] or "",
            customer_name=notice["customer_name"] if site["notify_customer_names"] else None)

    # ---------------------------------------------------------------- the outbox

    def notices_for(self, events) -> list[dict]:
        """The notices an alert's events owe, for the store to write in the change's own
        transaction. Cheap: one indexed read when nobody has channels. A fault here is
        logged and owes nothing, so a channel problem never stops a check-in or its alert."""
        try:
            return [row for event in events for row in self._notices(event)]
        except Exception:
            log.exception("could not prepare the channel notices of %s", [getattr(e, "name", e) for e in events])
            return []

    def _notices(self, event) -> list[dict]:
        if isinstance(event, VisitArrived) and event.visit["host_id"] is not None:
            return self._for_hosts(event.visit, "arrived", [event.visit["host_id"]])
        if isinstance(event, VisitEscalated) and event.level == "team":
            return self._for_hosts(event.visit, "team", event.host_ids)
        if isinstance(event, VisitUpdated) and event.visit["status"] == "acknowledged":
            return self._text_the_customer(event.visit)
        return []

    def _text_the_customer(self, visit: dict) -> list[dict]:
        """One text message to a customer who agreed to it, through the site's SMS channel (if any)."""
        if not visit.get("sms_consent") or not visit.get("sms_to"):
            return []
        channel = self.store.sms_channel(visit["site_id"])
        if channel is None:
            return []
        now = self._now()
        return [{"channel_id": channel["id"], "visit_id": visit["id"], "alert": messages.COMING,
                 "unless_confirmed": 0, "status": "pending", "attempts": 0, "created_at": now,
                 "next_attempt_at": now}]

    def _for_hosts(self, visit: dict, alert: str, host_ids) -> list[dict]:
        channels = self.store.channels_of_hosts(host_ids)
        if not channels:
            return []
        now = self.clock.now()
        later = now + timedelta(seconds=self.settings["alert_receipt_seconds"])
        with_boards = {host_id for host_id in {c["host_id"] for c in channels} if self.presence.boards_of(host_id)}
        return [{"channel_id": channel["id"], "visit_id": visit["id"], "alert": alert,
                 "unless_confirmed": int(channel["send_when"] == "unconfirmed"), "status": "pending",
                 "attempts": 0, "created_at": to_iso(now),
                 "next_attempt_at": to_iso(later if channel["send_when"] == "unconfirmed"
                                           and channel["host_id"] in with_boards else now)}
                for channel in channels]


def _label(label) -> str | None:
    if label is None:
        return None
    if not isinstance(label, str) or len(label.strip()) > LABEL_MAX or not label.isprintable():
        raise Invalid(f"'label' must be a text of at most {LABEL_MAX} characters", "label", code="channel_label",
                      values={"most": LABEL_MAX})
    return label.strip() or None
