"""The head office's view: every site of this server side by side (the operator's), and
beside them the sites of the branches that run their own server and push their days here
(kiosk/domain/branches/received.py).

One row a site, the same window read in each site's own time zone (the 1st of the month
is each branch's own 1st), the figures a chain compares: visits, acknowledge and greet
time (p50/p90), the share greeted within the site's own target, appointments not kept,
alert delivery (p50/p90). Outcomes for customers only, as on a site's own stats page;
nothing of a person.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from kiosk.domain.branches.received import branch_rows
from kiosk.domain.errors import Invalid
from kiosk.domain.stats import appointment_figures, parse_window, totals_figures


def site_rows(store, settings_of: dict[int, dict], now: datetime, from_text: str | None,
              to_text: str | None) -> list[dict]:
    """One row per site of `settings_of` (site id → its settings in force), by name; a window
    that cannot be read raises Invalid (its field named)."""
    rows = []
    for site in store.sites_overview():
        if site["id"] not in settings_of:
            continue  # made after the settings were read: in the next look
        settings = settings_of[site["id"]]
        zone = ZoneInfo(settings["timezone"])
        window = parse_window(from_text, to_text, now, zone)
        figures = totals_figures(store.window_totals(site["id"], *window),
                                 greet_target=settings["greet_target_seconds"])
        appointments = appointment_figures(store.appointment_outcomes(site["id"], *window), zone, now)
        rows.append({
            "site": {"id": site["id"], "name": site["name"], "timezone": settings["timezone"]},
            "from": window[0], "to": window[1], "visits": figures["visits"],
            "acknowledge_seconds": figures["acknowledge_seconds"],
            "greet_seconds": figures["greet_seconds"],
            "target_seconds": settings["greet_target_seconds"],
            "greeted_within_target_pct": figures["greeted_within_target_pct"],
            "appointments": appointments,
            "alert_delivery_ms": figures["alert_delivery_ms"],
            "branch": None,
        })
    return rows


def all_rows(store, settings_of: dict[int, dict], now: datetime, from_text: str | None,
             to_text: str | None) -> list[dict]:
    """This server's sites, then the branches' sites, over the same window."""
    return site_rows(store, settings_of, now, from_text, to_text) + branch_rows(store, now, from_text, to_text)


def label(row: dict) -> str:
    """What the page calls a row: the site's name, after its branch's for a branch's site."""
    return f"{row['branch']['name']} · {row['site']['name']}" if row["branch"] else row["site"]["name"]


SORT_KEYS = {
    "name": lambda row: label(row).casefold(),
    "visits": lambda row: row["visits"],
    "acknowledge_p50": lambda row: row["acknowledge_seconds"]["p50"],
    "acknowledge_p90": lambda row: row["acknowledge_seconds"]["p90"],
    "greet_p50": lambda row: row["greet_seconds"]["p50"],
    "greet_p90": lambda row: row["greet_seconds"]["p90"],
    "within_target_pct": lambda row: row["greeted_within_target_pct"],
    "no_show": lambda row: row["appointments"]["no_show"],
    "delivery_p50": lambda row: row["alert_delivery_ms"]["p50"],
    "delivery_p90": lambda row: row["alert_delivery_ms"]["p90"],
}


def sorted_rows(rows: list[dict], sort: str | None, descending: bool) -> list[dict]:
    """Rows by a column; a site without a figure there (null) comes last either way."""
    sort = sort or "name"
    if sort not in SORT_KEYS:
        raise Invalid(f"'sort' must be one of {', '.join(SORT_KEYS)}", "sort")
    key = SORT_KEYS[sort]
    known = [row for row in rows if key(row) is not None]
    unknown = [row for row in rows if key(row) is None]
    return sorted(known, key=key, reverse=descending) + unknown
