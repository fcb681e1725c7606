"""A site's own settings, laid over the config file's.

The config file (domain/config.py) stays the source of defaults; a manager changes
some of them for their own site (`EDITABLE`), and first-run setup stores the
site's time zone and languages. Values are checked by the very `Setting` rules the
config file is checked with (`config.merge`), stored as JSON per site with who
changed them when, and every change is audited.

`SiteSettings.for_site(site_id)` is the merged mapping every call site reads. It is
cached per site; a process re-reads when the version counter in the database moved
(looked at no more than once every `CHECK_EVERY_SECONDS`), so a change made by one
server process is in force in every other within about a second. Plain Python:
a store, a clock and the config settings.
"""

from __future__ import annotations

import re

from kiosk.clock import to_iso
from kiosk.domain import audit
from kiosk.domain.config import SETTINGS_BY_NAME, ConfigError, merge
from kiosk.domain.errors import Invalid, Reason

CHECK_EVERY_SECONDS = 1.0
# What a manager changes on /admin/settings and through PATCH /api/v1/settings, in page order.
EDITABLE = (
    "escalate_after_seconds", "escalate_managers_after_seconds",
    "acknowledge_target_seconds", "greet_target_seconds",
    "presence_grace_seconds", "retention_days",
    "timezone", "default_language", "kiosk_languages",
    "welcome_text_de", "welcome_text_en", "welcome_text_tr", "welcome_text_ar",
    "privacy_notice_de", "privacy_notice_en", "privacy_notice_tr", "privacy_notice_ar",
)
LABELS = {
    "escalate_after_seconds": "Alert the whole team after (seconds)",
    "escalate_managers_after_seconds": "Alert managers after (seconds)",
    "acknowledge_target_seconds": "Target time to acknowledge (seconds)",
    "greet_target_seconds": "Target time to greet (seconds)",
    "presence_grace_seconds": "Grace before a host whose boards closed counts as away (seconds)",
    "retention_days": "Keep customers' personal data for (days)",
    "timezone": "Time zone",
    "default_language": "Language the kiosk starts in",
    "kiosk_languages": "Languages the kiosk offers",
    "welcome_text_de": "Welcome text (German)",
    "welcome_text_en": "Welcome text (English)",
    "welcome_text_tr": "Welcome text (Turkish)",
    "welcome_text_ar": "Welcome text (Arabic)",
    "privacy_notice_de": "Privacy notice (German)",
    "privacy_notice_en": "Privacy notice (English)",
    "privacy_notice_tr": "Privacy notice (Turkish)",
    "privacy_notice_ar": "Privacy notice (Arabic)",
}
WHOLE_NUMBER = re.compile(r"-?[0-9]{1,12}")


def invalid_settings(errors: dict[str, str]) -> Invalid:
    """Values that break the rules: `errors` maps each key to its message ("must be at least 1, got 0");
    the first names the field."""
    key = next(iter(errors))
    return Invalid(f"'{key}' {errors[key]}", key, errors=errors)


def broken_rule(key: str, value, message: str) -> Reason:
    """The config file's message ("must be at least 1, got 0"), naming the rule a page explains
    in its reader's language: the range of a number, the list to choose from, the longest text."""
    setting = SETTINGS_BY_NAME[key]
    if setting.kind is int:
        return Reason("setting_whole_number", message, low=setting.minimum, high=setting.maximum)
    if key == "timezone":
        return Reason("setting_time_zone", message)
    if setting.kind is list:
        return Reason("setting_languages", message)
    if setting.choices:
        return Reason("setting_language", message)
    if isinstance(value, str) and len(value) > setting.max_length:
        return Reason("setting_too_long", message, most=setting.max_length)
    return Reason("setting_text", message)


def check(key: str, value, base: dict):
    """The value if `key` may be changed here and `value` passes the config file's rule for it."""
    if key not in EDITABLE:
        raise invalid_settings({key: Reason("setting_not_here", "is not a setting that can be changed here")})
    if isinstance(value, str) and SETTINGS_BY_NAME[key].kind is str:
        value = value.replace("\r\n", "\n").strip()
    try:
        return merge(base, {key: value}, source="site")[key]
    except ConfigError as error:
        message = str(error).split(f"key '{key}' ", 1)[-1]
        raise invalid_settings({key: broken_rule(key, value, message)}) from None


def refuse_long_texts(changes: dict) -> None:
    """JSON changes count a text's length as sent, as docs/openapi.json's `maxLength` does (before
    trimming); a form's text is measured once trimmed, by `check`."""
    for key, value in changes.items():
        setting = SETTINGS_BY_NAME.get(key)
        if isinstance(value, str) and setting is not None and setting.kind is str and len(value) > setting.max_length:
            raise invalid_settings({key: f"must be at most {setting.max_length} characters long"})


def from_text(key: str, text: str | list[str]):
    """A form field's text as the setting's type (a list arrives as several values); unreadable text
    is passed on as it is, so `check` refuses it with the config file's message."""
    setting = SETTINGS_BY_NAME.get(key)
    if setting is None:
        return text
    if setting.kind is list:
        return list(text) if isinstance(text, list) else [part.strip() for part in text.split(",") if part.strip()]
    text = text[0] if isinstance(text, list) and text else text
    if setting.kind is int and isinstance(text, str) and WHOLE_NUMBER.fullmatch(text.strip()):
        return int(text.strip())
    return text


class SiteSettings:
    def __init__(self, store, clock, config_settings: dict, *, check_every: float = CHECK_EVERY_SECONDS):
        self.store = store
        self.clock = clock
        self.config = config_settings
        self.check_every = check_every
        self._cache: dict[int, dict] = {}
        self._version: int | None = None
        self._checked_at = None

    def for_site(self, site_id: int | None) -> dict:
        """The settings in force for one site: the config file's, with the site's own values over them."""
        if site_id is None:
            return self.config
        self._forget_if_changed()
        merged = self._cache.get(site_id)
        if merged is None:
            rows = self.store.site_setting_rows(site_id)
            merged = self.config | {key: row["value"] for key, row in rows.items() if key in EDITABLE}
            self._cache[site_id] = merged
        return merged

    def __call__(self, site_id: int | None) -> dict:
        return self.for_site(site_id)

    def described(self, site_id: int) -> list[dict]:
        """Each editable setting with the value in force and where it comes from."""
        rows = self.store.site_setting_rows(site_id)
        merged = self.for_site(site_id)
        described = []
        for key in EDITABLE:
            setting = SETTINGS_BY_NAME[key]
            row = rows.get(key)
            if row is not None:
                source = {"kind": "site", "by": row["updated_by_name"], "at": row["updated_at"]}
            elif self.config[key] != setting.default:
                source = {"kind": "config"}
            else:
                source = {"kind": "default"}
            described.append({
                "key": key, "label": LABELS[key], "help": setting.help, "type": setting.expected(),
                "value": merged[key], "inherited": self.config[key], "source": source,
                "minimum": setting.minimum, "maximum": setting.maximum,
                "choices": list(setting.choices) if setting.choices else None,
            })
        return described

    def change(self, site_id: int, changes: dict, actor) -> list[dict]:
        """Set (or with None, reset to the config file's value) several settings of one site at once.

        Every value is checked first: one bad value changes nothing (Invalid names each).
        Returns what changed: [{key, old, new}], each also in the audit log."""
        base = self.for_site(site_id)
        errors, checked = {}, {}
        for key, value in changes.items():
            try:
                checked[key] = None if value is None else check(key, value, self.config)
            except Invalid as invalid:
                errors.update(invalid.errors)
        if errors:
            raise invalid_settings(errors)
        rows = self.store.site_setting_rows(site_id)
        now = to_iso(self.clock.now())
        changed, values, entries = [], {}, []
        for key, value in checked.items():
            if (value is None and key not in rows) or (key in rows and rows[key]["value"] == value):
                continue
            entry = {"key": key, "old": base[key], "new": self.config[key] if value is None else value}
            if value is None:
                entry["reset"] = True
            values[key] = value
            entries.append(audit.entry(self.clock, actor, "settings.changed", site_id=site_id,
                                       subject=f"setting {key}", details=entry))
            changed.append(entry)
        if values:
            self.store.change_site_settings(site_id, values, now, actor.id if actor else None,
                                            actor.name if actor else None, audit=entries)
        self.forget()
        return changed

    def forget(self) -> None:
        """Drop the cache: the next read comes from the database."""
        self._cache.clear()
        self._checked_at = None

    def _forget_if_changed(self) -> None:
        now = self.clock.now()
        if self._checked_at is not None and 0 <= (now - self._checked_at).total_seconds() < self.check_every:
            return
        self._checked_at = now
        version = self.store.site_settings_version()
        if version != self._version:
            self._cache.clear()
            self._version = version


def site_settings(services, site_id: int | None) -> dict:
    """The settings in force for `site_id` (the config file's for None)."""
    return services.site_settings.for_site(site_id)
