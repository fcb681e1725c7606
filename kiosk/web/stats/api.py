"""The stats part of the HTTP API (/api/v1/stats, /api/v1/stats.csv): managers only.

Figures and the export are read off the event loop (store/slow_reads.py)."""

from __future__ import annotations

import functools
import json
from zoneinfo import ZoneInfo

from flask import Response, request

from kiosk.domain.assignment import REASONS
from kiosk.domain.export import EXPORT_PARTS_AT_ONCE, export_bounds, export_part, export_ranges
from kiosk.domain.stats import compute, parse_window, window_extras
from kiosk.web.common import ApiError, requires, services
from kiosk.web.stats import stats_api


def window_from_request(site_id: int | None = None) -> tuple[str, str]:
    """The query's from/to in the site's time zone (default: the last 30 days); 400 if unreadable."""
    return parse_window(request.args.get("from"), request.args.get("to"), services().clock.now(),
                        ZoneInfo(services().site_settings.for_site(site_id)["timezone"]))


def stats_for_request(principal) -> dict:
    """Parse from/to/host_id/reason from the query string and compute the site's figures."""
    return services().slow_reads.run(figures_read(principal))


def figures_read(principal):
    """The read of the site's figures that the query string asks for (a picklable partial: it runs
    in the reading process, see store/slow_reads.py); raises ApiError for a bad parameter."""
    settings = services().site_settings.for_site(principal.site_id)  # the site's own targets and zone
    window = window_from_request(principal.site_id)
    host_id = request.args.get("host_id") or None  # an HTML form sends "" for "all hosts"
    if host_id is not None and not (host_id.isascii() and host_id.isdigit() and len(host_id) < 12):
        raise ApiError(400, "'host_id' must be a host's id", field="host_id")
    reason = request.args.get("reason") or None
    if reason is not None and reason not in REASONS:
        raise ApiError(400, f"'reason' must be one of {', '.join(REASONS)}", field="reason")
    now = services().clock.now()  # read here: figures() runs on a worker thread, outside the app's context

    return functools.partial(site_figures, site_id=principal.site_id, window=window,
                             host_id=int(host_id) if host_id else None, reason=reason, settings=settings, now=now)


def json_text(store, *, read) -> bytes:
    """`read(store)` as the JSON the API answers (written as jsonify writes it), made where the read
    ran: a year's figures are ~80 KB, whose encoding would otherwise take the serving loop ~2 ms."""
    return (json.dumps(read(store), separators=(",", ":"), sort_keys=True) + "\n").encode()


def site_figures(store, *, site_id: int, window, host_id: int | None, reason: str | None, settings: dict,
                 now) -> dict:
    """The site's figures for the window (on the reads' process or a worker thread: plain values only)."""
    data = store.stats_data(site_id, *window, host_id=host_id, reason=reason)
    zone = ZoneInfo(settings["timezone"])
    answer = compute(data, greet_target=settings["greet_target_seconds"],
                     acknowledge_target=settings["acknowledge_target_seconds"], zone=zone, window=window,
                     receipt_seconds=settings["alert_receipt_seconds"])
    return answer | window_extras(store, site_id, window, zone, now)


@stats_api.get("/stats")
@requires("manager")
def get_stats(principal):
    answer = services().slow_reads.run(functools.partial(json_text, read=figures_read(principal)))
    return Response(answer, mimetype="application/json")


@stats_api.get("/stats.csv")
@requires("manager")
def get_stats_csv(principal):
    """One row per visit of the window: times and durations, hosts by name, no customer data.
    Streamed part by part (domain/export.py), each part read off the event loop, two at once."""
    window = window_from_request(principal.site_id)
    slow_reads, site_id = services().slow_reads, principal.site_id  # the stream runs after the view returned
    bounds = slow_reads.run(functools.partial(export_bounds, site_id=site_id, window=window))
    parts = (functools.partial(export_part, site_id=site_id, window=window, after=after, upto=upto)
             for after, upto in export_ranges(bounds))
    filename = f"gastgeber-visits-{window[0][:10]}-{window[1][:10]}.csv"
    return Response(slow_reads.run_ahead(parts, EXPORT_PARTS_AT_ONCE), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
