"""Settings: declared once, read from one TOML file, validated at start.

Every setting is a `Setting` with a default and a help text. `config/gastgeber.toml`
documents each one; a test fails if a setting is missing there.
"""

from __future__ import annotations

import copy
import os
import re
import tomllib
import zoneinfo
from dataclasses import dataclass
from pathlib import Path

from kiosk.domain.assignment import STEPS as ASSIGNMENT_STEPS

DEFAULT_CONFIG_PATH = Path("config/gastgeber.toml")
LANGUAGES = ("de", "en", "tr", "ar")
KIOSK_LANGUAGES = ("de", "en", "tr")  # offered by default; Arabic when a site adds it
ASYNC_MODES = ("eventlet", "gevent", "threading")  # kiosk/async_mode.py serves each
# https:// anywhere, plain http:// only to this machine (tests; a TLS proxy on the same machine); no user:password@
HEAD_OFFICE_URL = (r"(https://[^\s/?#@]+(/[^\s?#]*)?"
                   r"|http://(127\.0\.0\.1|\[::1\]|localhost)(:[0-9]{1,5})?(/[^\s?#]*)?)?")


class ConfigError(Exception):
    """A config file that cannot be used; the message is one line for the operator."""


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    kind: type
    help: str
    minimum: float | None = None
    maximum: float | None = None  # every number has a bound: no value may overflow a date or a timer
    choices: tuple | None = None
    pattern: str | None = None
    max_length: int = 200  # of a string
    secret: bool = False  # its value is never repeated in an error line (it would end up in a log)

    def check(self, value, source: str):
        """Return the value if it has the right type and range, else raise ConfigError."""
        if self.kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)  # a number of hours may be written 12 or 0.5
        wrong_bool = isinstance(value, bool) and self.kind is not bool
        if wrong_bool or not isinstance(value, self.kind):
            shown = type(value).__name__ if self.secret else repr(value)
            raise ConfigError(
                f"{source}: key '{self.name}' must be {self.expected()}, got {shown}"
            )
        if self.minimum is not None and value < self.minimum:
            raise ConfigError(
                f"{source}: key '{self.name}' must be at least {self.minimum}, got {value!r}"
            )
        if self.maximum is not None and value > self.maximum:
            raise ConfigError(f"{source}: key '{self.name}' must be at most {self.maximum}, got {value!r}")
        if self.kind is str and len(value) > self.max_length:
            raise ConfigError(f"{source}: key '{self.name}' must be at most {self.max_length} characters long")
        if self.kind is list:
            return self._check_list(value, source)
        if self.pattern is not None and not re.fullmatch(self.pattern, value):
            shown = "a value that does not" if self.secret else repr(value)
            raise ConfigError(f"{source}: key '{self.name}' must match {self.pattern}, got {shown}")
        if self.choices is not None and value not in self.choices:
            raise ConfigError(
                f"{source}: key '{self.name}' must be one of {', '.join(map(str, self.choices))}, got {value!r}"
            )
        return value

    def _check_list(self, value: list, source: str) -> list:
        unknown = [item for item in value if item not in self.choices]
        if unknown or len(set(value)) != len(value) or not value:
            raise ConfigError(
                f"{source}: key '{self.name}' must be a list of distinct entries from "
                f"{', '.join(self.choices)}, got {value!r}"
            )
        return value

    def expected(self) -> str:
        if self.kind is list:
            return f"a list of strings from {', '.join(self.choices)}"
        return {int: "an integer", float: "a number", str: "a string", bool: "true or false"}[self.kind]


SETTINGS = (
    Setting("db", "data/gastgeber.db", str, "Path of the SQLite database file (relative to the working directory).",
            max_length=4096),
    Setting("timezone", "Europe/Berlin", str, "The site's time zone for display and for stats by hour."),
    Setting("escalate_after_seconds", 30, int, "Unacknowledged this long: the alert goes to the whole team.",
            minimum=1, maximum=3600),
    Setting("escalate_managers_after_seconds", 120, int, "Still unacknowledged this long: managers are alerted too.",
            minimum=1, maximum=86400),
    Setting("alert_receipt_seconds", 5, int,
            "An alert no board of the host confirmed within this long escalates at once.", minimum=1, maximum=600),
    Setting("assignment_order", list(ASSIGNMENT_STEPS), list, "Assignment policy: the steps tried, in order.",
            choices=ASSIGNMENT_STEPS),
    Setting("default_country_code", "49", str,
            "Country calling code assumed for phone numbers without one (for recognising customers).",
            pattern=r"[1-9][0-9]{0,2}"),
    Setting("acknowledge_target_seconds", 30, int, "Target time to acknowledge, shown in stats.",
            minimum=1, maximum=3600),
    Setting("greet_target_seconds", 120, int,
            "Target time to greet: the stats count how many guests were greeted within it.", minimum=1, maximum=86400),
    Setting("presence_grace_seconds", 60, int, "A host whose boards all disconnected counts as signed in this long.",
            minimum=0, maximum=86400),
    Setting("kiosk_checkins_per_minute", 60, int, "Rate limit of check-ins per kiosk device.",
            minimum=1, maximum=100000),
    Setting("retention_days", 90, int, "Personal data of customers older than this is anonymised.",
            minimum=1, maximum=3650),
    Setting("purge_max_share_percent", 20, int,
            "A purge that would anonymise more than this share of a site's customers at once (a clock set far ahead?) "
            "waits for `gastgeber purge --confirm`.", minimum=1, maximum=100),
    Setting("default_language", "de", str, "Language the kiosk starts in.", choices=LANGUAGES),
    Setting("privacy_notice_version", "1", str,
            "Version of the privacy notice the kiosk shows; stored with each visit.",
            pattern=r"[A-Za-z0-9._-]{1,16}"),
    Setting("privacy_notice_de",
            "Wir speichern Ihren Namen und, wenn Sie möchten, Telefon oder E-Mail, um Sie anzukündigen "
            "und beim nächsten Besuch wieder zur selben Ansprechperson zu bringen. "
            "Nach 90 Tagen ohne Besuch löschen wir sie.",
            str, "The kiosk's privacy notice in German.", max_length=4000),
    Setting("privacy_notice_en",
            "We keep your name and, if you like, your phone or e-mail to announce you and to bring you "
            "to the same person next time. We delete them after 90 days without a visit.",
            str, "The kiosk's privacy notice in English.", max_length=4000),
    Setting("privacy_notice_tr",
            "Sizi haber vermek ve bir sonraki ziyaretinizde aynı kişiye yönlendirmek için adınızı ve "
            "isterseniz telefon numaranızı veya e-postanızı saklıyoruz. 90 gün ziyaret olmazsa bunları sileriz.",
            str, "The kiosk's privacy notice in Turkish.", max_length=4000),
    Setting("privacy_notice_ar",
            "نحتفظ باسمك، وإن رغبت برقم هاتفك أو بريدك الإلكتروني، لنُعلن عن وصولك ولنوصلك إلى الشخص نفسه "
            "في زيارتك القادمة. نحذفها بعد 90 يوماً دون زيارة.",
            str, "The kiosk's privacy notice in Arabic.", max_length=4000),
    Setting("welcome_text_de", "", str, "The kiosk's welcome text in German; empty: the built-in text.",
            max_length=500),
    Setting("welcome_text_en", "", str, "The kiosk's welcome text in English; empty: the built-in text.",
            max_length=500),
    Setting("welcome_text_tr", "", str, "The kiosk's welcome text in Turkish; empty: the built-in text.",
            max_length=500),
    Setting("welcome_text_ar", "", str, "The kiosk's welcome text in Arabic; empty: the built-in text.",
            max_length=500),
    Setting("kiosk_languages", list(KIOSK_LANGUAGES), list, "The languages the kiosk offers.", choices=LANGUAGES),
    Setting("kiosk_idle_seconds", 45, int,
            "After this long without change the kiosk returns to its welcome screen.", minimum=5, maximum=3600),
    Setting("live_view_shows_names", False, bool,
            "Show customers' names on the live floor view (/stats/live), e.g. on a staff-only screen."),
    Setting("session_hours", 12, int, "A browser sign-in (board PIN, kiosk setup) lasts this long.",
            minimum=1, maximum=720),
    Setting("secure_cookies", False, bool, "Send the session cookie over HTTPS only: turn on when served behind TLS."),
    Setting("trusted_proxies", 0, int,
            "How many reverse proxies (e.g. nginx) stand in front: their X-Forwarded-* headers are trusted.",
            minimum=0, maximum=10),
    Setting("access_log", False, bool, "Log every HTTP request (costs time on every request)."),
    Setting("message_queue", "", str,
            "redis://… shared by several server processes (`serve --message-queue` overrides "
            "it); the command line publishes its changes (a host deactivated, a token revoked) through it too. Empty: "
            "one process, and a change made on the command line reaches open boards at their next resync."),
    Setting("async_mode", "eventlet", str,
            "What serves the connections: eventlet or gevent (both for production; `threading` is for development "
            "only). The environment's GASTGEBER_ASYNC_MODE overrides it.", choices=ASYNC_MODES),
    Setting("max_connections", 4096, int,
            "Most simultaneous connections (boards, kiosks, requests) the server accepts.", minimum=16, maximum=100000),
    Setting("webhooks_allow_http_loopback", False, bool,
            "Let webhooks use plain http:// to 127.0.0.1, ::1 or localhost "
            "(a receiver on this machine, for tests and development); every other webhook URL must be https://."),
    Setting("webhooks_allow_private_addresses", False, bool, "Let webhooks reach addresses of this machine and the "
            "local network (10.x, 192.168.x, link-local …), e.g. an internal server; off, a site manager cannot make "
            "the server call into the network it runs in."),
    Setting("webhooks_per_site_max", 20, int, "Most webhook endpoints one site may register: each endpoint costs "
            "every check-in of its site an outbox row and the sender a request, so one site cannot slow the "
            "others down.", minimum=1, maximum=200),
    Setting("notify_customer_names", False, bool,
            "Name the waiting customer in messages sent through channels (e-mail, push, chat); off, a message "
            "says only that a guest is waiting, since when, and links to the board."),
    Setting("notify_allow_private_addresses", False, bool,
            "Let channels reach addresses of this machine and the local network (a mail relay or ntfy server in "
            "the shop's own network needs it); checked when a channel is added and after DNS at each delivery."),
    Setting("public_url", "", str,
            "The base URL used in links sent out through channels, e.g. https://door.example.org; "
            "empty: the server's own address.", pattern=r"(https?://[^\s/?#]+(/[^\s?#]*)?)?", max_length=300),
    Setting("status_link_hours", 12.0, float,
            "A customer's status link (the QR code on the kiosk) works until this many hours after their visit "
            "closed; fractions allowed.", minimum=0.01, maximum=720),
    Setting("status_requests_per_minute", 120, int,
            "Rate limit of status pages and status reads (/v/…, /status/…) per address.", minimum=1, maximum=6000),
    Setting("branch_summaries_per_minute", 120, int,
            "Rate limit of a branch's POSTs of its daily summaries to this head office, per branch token.",
            minimum=1, maximum=6000),
    Setting("push_allow_http_loopback", False, bool,
            "Let board devices subscribe to Web Push with a plain http:// push service on 127.0.0.1, ::1 or "
            "localhost (tests and development); a real push service is an https:// address on the internet."),
    Setting("push_contact", "", str,
            "Who runs this server, for the push services (the VAPID `sub`): mailto:it@example.org or an https:// "
            "URL; empty: a placeholder address.", pattern=r"((mailto:|https://)[^\s]+)?", max_length=200),
    Setting("channels_per_host", 5, int, "Most channels (e-mail, push, chat) one host may have.",
            minimum=1, maximum=20),
    Setting("channels_per_site", 200, int, "Most channels all hosts of one site may have together.",
            minimum=1, maximum=2000),
    Setting("head_office_url", "", str,
            "A branch of a chain: the head office's Gastgeber (https://hq.example.org), which this server sends "
            "each site's anonymised daily summaries to; plain http:// only to this machine (127.0.0.1, ::1, "
            "localhost). Empty: nothing is sent.",
            pattern=HEAD_OFFICE_URL, max_length=300),
    Setting("head_office_token", "", str,
            "This branch's token, shown once when the head office's operator created the branch (a secret: keep "
            "the file readable by the server only). Needed with head_office_url.",
            pattern=r"([A-Za-z0-9_-]{20,200})?", secret=True),
    Setting("head_office_ca_file", "", str,
            "A PEM file of the certificate authority the head office's certificate is checked against (a chain's "
            "own CA); empty: the system's trusted authorities.", max_length=4096),
)
SETTINGS_BY_NAME = {s.name: s for s in SETTINGS}


def defaults() -> dict:
    return {s.name: copy.copy(s.default) for s in SETTINGS}


def load(path: str | os.PathLike | None = None, *, required: bool = False) -> dict:
    """Read and validate a config file; a missing default file just means defaults.

    `required` is true when the operator named the file explicitly (flag or
    environment), so a missing file is an error rather than silently ignored.
    """
    path = Path(path) if path else DEFAULT_CONFIG_PATH
    settings = defaults()
    if not path.exists():
        if required:
            raise ConfigError(f"{path}: config file not found")
        return settings
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: not valid TOML ({error})") from None
    return merge(settings, raw, source=str(path))


def merge(settings: dict, raw: dict, *, source: str) -> dict:
    """Validate `raw` (a parsed TOML mapping) and lay it over `settings`."""
    merged = dict(settings)
    for key, value in raw.items():
        setting = SETTINGS_BY_NAME.get(key)
        if setting is None:
            raise ConfigError(f"{source}: unknown key '{key}' (known: {', '.join(SETTINGS_BY_NAME)})")
        merged[key] = setting.check(value, source)
    _check_head_office(merged, source)
    try:
        zoneinfo.ZoneInfo(merged["timezone"])
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a file
        raise ConfigError(
            f"{source}: key 'timezone' must be an IANA time zone such as 'Europe/Berlin', got {merged['timezone']!r}"
        ) from None
    return merged


def _check_head_office(merged: dict, source: str) -> None:
    """A head office needs its token, and a CA file named must be there."""
    if bool(merged["head_office_url"]) != bool(merged["head_office_token"]):
        raise ConfigError(f"{source}: keys 'head_office_url' and 'head_office_token' go together: set both or neither")
    ca_file = merged["head_office_ca_file"]
    if ca_file and not Path(ca_file).is_file():
        raise ConfigError(f"{source}: key 'head_office_ca_file' must name a readable PEM file, got {ca_file!r}")
