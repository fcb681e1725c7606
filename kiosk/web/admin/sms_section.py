"""What the settings page's SMS section (_sms_channel.html) shows: the site's SMS channel,
masked, with its last delivery in the site's time, and what the last form of it left
(the outcome after its redirect, or a refusal next to its field). sms_channel.py has the forms."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import request

from kiosk.clock import from_iso
from kiosk.web.common import services

OUTCOMES = ("saved", "tested", "removed")  # the `?sms=` a form's redirect leaves for the page


def sms_section(principal, form: dict | None = None) -> dict:
    channel = services().channels.sms_channel(principal)
    if channel and channel["last_delivery"]:
        zone = ZoneInfo(services().site_settings.for_site(principal.site_id)["timezone"])
        channel["last_delivery"]["local_at"] = \
            from_iso(channel["last_delivery"]["at"]).astimezone(zone).strftime("%Y-%m-%d %H:%M")
    outcome = request.args.get("sms", "")
    form = form or {}
    return {"channel": channel, "url": form.get("url", ""), "phone": form.get("phone", ""),
            "errors": form.get("errors", {}), "done": outcome if outcome in OUTCOMES and not form else None}
