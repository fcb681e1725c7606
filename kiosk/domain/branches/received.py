"""The head office's side: branches with a token each, the summaries they push, and their rows.

An operator creates a branch by name and gets its token once; only its SHA-256 is kept (like
every token here), in `branches`, apart from the site's tokens, so a branch's token opens
nothing but POST /api/v1/branches/summaries and no other token passes for a branch's.

A summary is checked strictly (exact keys, types, bounds, histograms that agree with their
counts and with the day's p50/p90), then kept as one row per branch, site and local day: a
resend replaces it. A window's row per branch site merges the days' histograms, so its
percentiles are those of all the window's visits (at whole seconds, whole milliseconds).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones

import numpy as np

from kiosk.clock import to_iso
from kiosk.domain import audit
from kiosk.domain.auth import Principal, hash_token, new_token
from kiosk.domain.branches import histograms
from kiosk.domain.errors import Invalid, NotFound, Unauthorized
from kiosk.domain.inputs import ISO_DATE, check_text
from kiosk.domain.people import clean_name
from kiosk.domain.stats import parse_window

COUNT_MAX = 1_000_000  # visits of one site in one day: far beyond any
DURATION_MAX = {"acknowledge_seconds": 31 * 86400, "greet_seconds": 31 * 86400, "alert_delivery_ms": 31 * 86400_000}
HISTOGRAM_MAX = 5000  # distinct values of one day's histogram
SITE_ID_MAX = 2**62
SITE_NAME_MAX = 80
SUMMARY_KEYS = {"site", "day", "visits", "abandoned", "acknowledge_seconds", "greet_seconds", "within_target",
                "appointments", "alert_delivery_ms"}
TOKEN_PREFIX = "gbr_"  # nosec B105  # a prefix that tells a branch token apart in a config file, no secret


def create_branch(store, clock, operator: Principal, name) -> dict:
    """A new branch; the answer carries its token, shown only this once."""
    name = clean_name(name)
    token = TOKEN_PREFIX + new_token()
    branch_id = store.add_branch(name, hash_token(token), to_iso(clock.now()), audit=lambda branch_id: [
        audit.entry(clock, operator, "branch.added", subject=f"branch {branch_id} {name}")])
    return {"branch": public_branch(next(row for row in store.branches() if row["id"] == branch_id)),
            "token": token}


def revoke_token(store, clock, operator: Principal, branch_id: int) -> None:
    """The branch's token stops opening anything: its pushes get 401 until it has a new one."""
    _set_token(store, clock, operator, branch_id, None, "branch.token_revoked")


def replace_token(store, clock, operator: Principal, branch_id: int) -> str:
    """A new token for the branch, shown only this once; the old one stops at once."""
    token = TOKEN_PREFIX + new_token()
    _set_token(store, clock, operator, branch_id, hash_token(token), "branch.token_replaced")
    return token


def _set_token(store, clock, operator: Principal, branch_id: int, token_hash: str | None, action: str) -> None:
    """The audit entry names the branch, never a token or its hash."""
    if not store.set_branch_token(branch_id, token_hash, to_iso(clock.now()), audit=lambda name: [
            audit.entry(clock, operator, action, subject=f"branch {branch_id} {name}")]):
        raise NotFound("no such branch")


def public_branch(row: dict) -> dict:
    return {"id": row["id"], "name": row["name"], "created_at": row["created_at"],
            "last_push_at": row["last_push_at"], "sites": row["sites"], "days": row["days"],
            "token_revoked_at": row["token_revoked_at"]}


def branch_for(store, authorization: str) -> dict:
    """The branch whose token the Authorization header carries, else Unauthorized."""
    scheme, _, token = (authorization or "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > 300:
        raise Unauthorized("send the branch's token as 'Authorization: Bearer <token>'")
    branch = store.branch_for_token(hash_token(token))
    if branch is None:
        raise Unauthorized("the branch token is unknown, revoked or replaced")
    return branch


def receive(store, clock, branch: dict, body: dict) -> tuple[dict, bool]:
    """Keep a checked summary; returns what was kept and whether the day is new (a resend replaces)."""
    row = checked_summary(body, clock.now())
    created = store.put_branch_day(branch["id"], row, to_iso(clock.now()))
    return {"branch": {"id": branch["id"], "name": branch["name"]}, "site": {"id": row["site_key"]},
            "day": row["day"]}, created


# ------------------------------------------------------------------ checking a summary

def checked_summary(body: dict, now: datetime) -> dict:
    """The row to keep, or Invalid naming the first field that is wrong (a dotted path)."""
    _exact_keys(body, SUMMARY_KEYS, "")
    site = _object(body, "site", {"id", "name", "timezone"})
    site_id = _whole(site, "id", "site.id", 1, SITE_ID_MAX)
    name = site["name"]
    if not isinstance(name, str) or not name.strip() or len(name) > SITE_NAME_MAX:
        raise Invalid(f"'site.name' must be 1 to {SITE_NAME_MAX} characters", "site.name")
    check_text(name, "site.name", max_length=SITE_NAME_MAX)
    zone = site["timezone"]
    if not isinstance(zone, str) or zone not in available_timezones():
        raise Invalid("'site.timezone' must be an IANA time zone such as Europe/Berlin", "site.timezone")
    day = body["day"]
    if not isinstance(day, str) or not ISO_DATE.match(day):
        raise Invalid("'day' must be a date such as 2026-11-23", "day")
    if datetime.combine(date.fromisoformat(day), time(0), ZoneInfo(zone)) > now:
        raise Invalid("'day' has not begun yet where the site is", "day")
    visits = _whole(body, "visits", "visits", 0, COUNT_MAX)
    abandoned = _whole(body, "abandoned", "abandoned", 0, visits)
    durations = {key: _durations(body, key, visits) for key in DURATION_MAX}
    within = _object(body, "within_target", {"target_seconds", "greeted", "of"})
    greeted = sum(count for _, count in durations["greet_seconds"])
    of = _whole(within, "of", "within_target.of", greeted + abandoned, greeted + abandoned)
    appointments = _object(body, "appointments", {"booked", "checked_in", "no_show"})
    booked = _whole(appointments, "booked", "appointments.booked", 0, COUNT_MAX)
    checked_in = _whole(appointments, "checked_in", "appointments.checked_in", 0, booked)
    return {
        "site_key": site_id, "day": day, "site_name": name.strip(), "timezone": zone, "visits": visits,
        "abandoned": abandoned, **{_column(key): histograms.encode(pairs) for key, pairs in durations.items()},
        "target_seconds": _whole(within, "target_seconds", "within_target.target_seconds", 1, 86400),
        "within_target": _whole(within, "greeted", "within_target.greeted", 0, greeted), "within_target_of": of,
        "booked": booked, "checked_in": checked_in,
        "no_show": _whole(appointments, "no_show", "appointments.no_show", 0, booked - checked_in),
    }


def _column(key: str) -> str:
    return {"acknowledge_seconds": "acknowledge_s", "greet_seconds": "greet_s"}.get(key, key)


def _exact_keys(value, keys: set, path: str) -> None:
    where = f"'{path}'" if path else "the body"
    if not isinstance(value, dict):
        raise Invalid(f"{where} must be an object", path or None)
    for key in value:
        if key not in keys:
            raise Invalid(f"unknown key {str(key)[:40]!r} in {where}", f"{path}.{key}"[:80].lstrip("."))
    for key in sorted(keys):
        if key not in value:
            raise Invalid(f"'{path + '.' if path else ''}{key}' is required", f"{path}.{key}".lstrip("."))


def _object(body: dict, key: str, keys: set) -> dict:
    _exact_keys(body[key], keys, key)
    return body[key]


def _whole(body: dict, key: str, path: str, low: int, high: int) -> int:
    value = body[key]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise Invalid(f"'{path}' must be a whole number from {low} to {high}", path)
    return value


def _durations(body: dict, key: str, visits: int) -> list[list[int]]:
    """A histogram of ascending distinct values with counts, no more than the visits, that gives
    the p50 and p90 sent beside it."""
    figures = _object(body, key, {"p50", "p90", "histogram"})
    pairs = figures["histogram"]
    refused = Invalid(f"'{key}.histogram' must be a list of up to {HISTOGRAM_MAX} [value, count] pairs of whole "
                      "numbers, values ascending, counts at least 1, no more counts than visits", f"{key}.histogram")
    if not isinstance(pairs, list) or len(pairs) > HISTOGRAM_MAX:
        raise refused
    previous = -1
    for pair in pairs:
        if (not isinstance(pair, list) or len(pair) != 2
                or not all(isinstance(n, int) and not isinstance(n, bool) for n in pair)
                or not previous < pair[0] <= DURATION_MAX[key] or not 1 <= pair[1] <= COUNT_MAX):
            raise refused
        previous = pair[0]
    if sum(count for _, count in pairs) > visits:
        raise refused
    values = np.array([value for value, _ in pairs], dtype=np.int64)
    counts = np.array([count for _, count in pairs], dtype=np.int64)
    for percent, given in histograms.spread(values, counts).items():
        if figures[percent] != given:
            raise Invalid(f"'{key}.{percent}' must be the histogram's {percent} ({given})", f"{key}.{percent}")
    return pairs


# ------------------------------------------------------------------ the branches' rows of a window

def branch_rows(store, now: datetime, from_text: str | None, to_text: str | None) -> list[dict]:
    """One row per branch site: the pushed days whose start (local midnight at the branch site)
    lies in the window, read in that site's own time zone as the head office's own sites are."""
    utc = parse_window(from_text, to_text, now, ZoneInfo("UTC"))  # raises Invalid naming the field
    first = (date.fromisoformat(utc[0][:10]) - timedelta(days=1)).isoformat()
    last = (date.fromisoformat(utc[1][:10]) + timedelta(days=1)).isoformat()
    windows: dict[str, tuple[str, str]] = {}
    groups: dict[tuple[int, int], list[dict]] = {}
    for day in store.branch_days(first, last):
        if day["timezone"] not in windows:
            windows[day["timezone"]] = parse_window(from_text, to_text, now, ZoneInfo(day["timezone"]))
        window = windows[day["timezone"]]
        start = to_iso(datetime.combine(date.fromisoformat(day["day"]), time(0), ZoneInfo(day["timezone"])))
        if window[0] <= start < window[1]:
            groups.setdefault((day["branch_id"], day["site_key"]), []).append(day)
    return [_row(sorted(days, key=lambda day: day["day"]), windows) for days in groups.values()]


def _row(days: list[dict], windows: dict) -> dict:
    latest = days[-1]

    def total(column: str) -> int:
        return sum(day[column] for day in days)

    def spread(column: str) -> dict:
        return histograms.spread(*histograms.merged([day[column] for day in days]))

    within, of = total("within_target"), total("within_target_of")
    return {
        "site": {"id": latest["site_key"], "name": latest["site_name"], "timezone": latest["timezone"]},
        "branch": {"id": latest["branch_id"], "name": latest["branch_name"], "days": len(days),
                   "first_day": days[0]["day"], "last_day": latest["day"]},
        "from": windows[latest["timezone"]][0], "to": windows[latest["timezone"]][1], "visits": total("visits"),
        "acknowledge_seconds": spread("acknowledge_s"), "greet_seconds": spread("greet_s"),
        "target_seconds": latest["target_seconds"],
        "greeted_within_target_pct": round(100 * within / of, 1) if of else None,
        "appointments": {"booked": total("booked"), "checked_in": total("checked_in"), "no_show": total("no_show")},
        "alert_delivery_ms": spread("alert_delivery_ms"),
    }
