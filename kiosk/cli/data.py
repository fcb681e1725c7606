"""Data: statistics, a demo history, appointments, backups, and personal-data removal."""

from __future__ import annotations

import json
import sys
from zoneinfo import ZoneInfo

import click

from kiosk.cli.common import fail, json_option, open_services, open_store, site_option, with_settings
from kiosk.clock import SystemClock
from kiosk.domain.appointments import ImportRefused, public_appointment
from kiosk.domain.auth import Principal
from kiosk.domain.demo_data import generate
from kiosk.domain.errors import Invalid
from kiosk.domain.people import add_demo_site, add_person
from kiosk.domain.privacy import forget, purge
from kiosk.domain.stats import compute, parse_window, sum_up_past_days, window_extras
from kiosk.store.backup import BackupError, backup, restore


@click.command("purge")
@click.option("--confirm", is_flag=True,
              help="Anonymise even where that is more than purge_max_share_percent of a site's customers at once.")
@with_settings
def purge_command(settings, confirm):
    """Anonymise customers idle for longer than retention_days (the server also does this daily)."""
    services = open_services(settings)  # each site's own retention_days, if it set one
    purged = purge(services.store, services.clock,
                   lambda site_id: services.site_settings.for_site(site_id)["retention_days"],
                   max_share_percent=None if confirm else settings["purge_max_share_percent"])
    click.echo(f"anonymised {purged.anonymised} customer(s) with no visit within their site's retention_days "
               f"(default {settings['retention_days']} days)")
    if purged.held_back:
        fail(f"held back {'; '.join(map(str, purged.held_back))}: more than purge_max_share_percent = "
             f"{settings['purge_max_share_percent']} % at once; if the clock ({services.clock.now():%Y-%m-%d %H:%M} "
             "UTC) is right, run `gastgeber purge --confirm`")


@click.group()
def customer():
    """Customers' personal data."""


@customer.command("forget")
@click.argument("customer_id", type=click.IntRange(1, 2**62))
@with_settings
def forget_customer(settings, customer_id):
    """Erase one customer's personal data on request, and say what was removed."""
    removed = forget(open_store(settings), SystemClock(), customer_id)
    if removed is None:
        fail(f"no customer with id {customer_id}")
    details = [kind for kind in ("name", "phone", "email") if removed[kind]]
    click.echo(f"customer {customer_id}: removed {', '.join(details) or 'no personal details (already anonymised)'}; "
               f"cleared notes of {removed['visit_notes']} visit(s) and {removed['appointment_notes']} appointment(s); "
               "visit timings kept for stats")


@click.command("stats")
@click.option("--from", "from_", help="Start of the window (ISO date or time; default 30 days ago).")
@click.option("--to", help="End of the window, exclusive (default now).")
@site_option
@json_option
@with_settings
def stats_command(settings, from_, to, site, as_json):
    """Print time to acknowledge and to greet, overall, per host and per hour."""
    services = open_services(settings)
    store = services.store
    site_row = store.site_by_name(site) or fail(f"no site named '{site}'")
    site_settings = services.site_settings.for_site(site_row["id"])  # as the stats page
    zone = ZoneInfo(site_settings["timezone"])
    now = SystemClock().now()
    try:
        window = parse_window(from_, to, now, zone)
    except Invalid as error:
        fail(f"--{error.field}: {error.message}")
    figures = compute(store.stats_data(site_row["id"], *window), greet_target=site_settings["greet_target_seconds"],
                      acknowledge_target=site_settings["acknowledge_target_seconds"], zone=zone, window=window,
                      receipt_seconds=site_settings["alert_receipt_seconds"])
    figures |= window_extras(store, site_row["id"], window, zone, now)
    click.echo(json.dumps(figures) if as_json else stats_table(figures))


def stats_table(figures: dict) -> str:
    def seconds(summary):
        return " / ".join("-" if summary[key] is None else f"{summary[key]:.1f}" for key in ("p50", "p90", "max"))

    def milliseconds(summary):
        return " / ".join("-" if summary[key] is None else f"{summary[key]}" for key in ("p50", "p90", "max"))

    def pct(value):
        return "-" if value is None else f"{value:.1f} %"

    lines = [
        f"Visits {figures['from'][:10]} to {figures['to'][:10]}: {figures['visits']}, "
        f"abandoned {figures['abandoned']}, escalated {pct(figures['escalated_pct'])}",
        f"Time to acknowledge (s, p50 / p90 / max): {seconds(figures['acknowledge_seconds'])}"
        f"   target {figures['acknowledge_target_seconds']} s",
        f"Time to greet       (s, p50 / p90 / max): {seconds(figures['greet_seconds'])}"
        f"   target {figures['target_seconds']} s, met {pct(figures['greeted_within_target_pct'])}",
        f"Time to complete    (s, p50 / p90 / max): {seconds(figures['complete_seconds'])}   (greeted → done)",
        f"Left on their own (status page): {figures['left_by_customer']}",
        "Appointments: {booked} booked, {checked_in} checked in, {no_show} no-shows".format(**figures["appointments"]),
        f"Alert delivery      (ms, p50 / p90 / max): {milliseconds(figures['alert_delivery_ms'])}"
        f"   reached nobody within {figures['alert_receipt_seconds']} s: {pct(figures['alert_reached_nobody_pct'])}",
        *(f"  {row['kind']:<17} (ms, p50 / p90 / max): {milliseconds(row['alert_delivery_ms'])}   "
          f"{row['alerts']} alerts, {pct(row['within_receipt_pct'])} within {figures['alert_receipt_seconds']} s"
          for row in figures["alert_delivery_by_kind"]),
        "",
        f"{'host':<20} {'visits':>6}  {'acknowledge p50/p90/max':>26}  {'greet p50/p90/max':>26}  {'in target':>9}"
        f"  {'complete p50/p90/max':>26}",
    ]
    for row in figures["per_host"]:
        lines.append(f"{row['host']['name'][:20]:<20} {row['visits']:>6}  {seconds(row['acknowledge_seconds']):>26}  "
                     f"{seconds(row['greet_seconds']):>26}  {pct(row['greeted_within_target_pct']):>9}"
                     f"  {seconds(row['complete_seconds']):>26}")
    lines += ["", f"{'hour':<6} {'visits':>6}  {'greet p50/p90/max':>26}"]
    lines += [f"{row['hour']:02d}:00  {row['visits']:>6}  {seconds(row['greet_seconds']):>26}"
              for row in figures["by_hour"] if row["visits"]]
    return "\n".join(lines)


@click.command("demo-data")
@click.option("--days", default=90, show_default=True, type=click.IntRange(1, 3660), help="How many days of history.")
@click.option("--per-day", default=40, show_default=True, type=click.IntRange(1, 5000), help="Visits on a weekday.")
@click.option("--seed", default=1, show_default=True, type=int, help="The same seed gives the same history.")
@site_option
@with_settings
def demo_data_command(settings, days, per_day, seed, site):
    """Fill the database with a realistic synthetic history of visits (for trying and benchmarking stats)."""
    store = open_store(settings)
    clock = SystemClock()
    add_demo_site(store, clock, site)
    site_row = store.site_by_name(site)
    kiosk_id = store.first_kiosk_id(site_row["id"])
    if kiosk_id is None:
        kiosk_id = add_person(store, clock, "kiosk", "Entrance", site)["id"]
    zone = ZoneInfo(settings["timezone"])
    count = generate(store, site_id=site_row["id"], kiosk_id=kiosk_id,
                     host_ids=[host["id"] for host in store.active_hosts(site_row["id"])], days=days,
                     end=clock.now().astimezone(zone).date(), zone=zone, visits_per_day=per_day, seed=seed)
    summed = sum_up_past_days(store, clock, limit=days + 1)  # the server would do it within minutes
    click.echo(f"added {count} visits over {days} days to site {site} (seed {seed}); "
               f"summed up {summed} past days for the stats")


@click.command("backup")
@click.argument("target", type=click.Path(dir_okay=False))
@with_settings
def backup_command(settings, target):
    """Copy the database to TARGET, consistently, even while the server runs."""
    try:
        size = backup(settings["db"], target)
    except BackupError as error:
        fail(str(error))
    click.echo(f"backed up {settings['db']} to {target} ({size} bytes)")


@click.command("restore")
@click.argument("source", type=click.Path(dir_okay=False))
@with_settings
def restore_command(settings, source):
    """Replace the database with the backup SOURCE (stop the server first).

    The backup is proven on a copy first; the database it replaces is kept beside it."""
    stamp = SystemClock().now().strftime("%Y%m%dT%H%M%SZ")
    try:
        kept = restore(source, settings["db"], stamp)
    except BackupError as error:
        fail(f"restore refused, {settings['db']} is unchanged: {error}")
    click.echo(f"restored {settings['db']} from {source}; "
               + (f"the database it replaced is kept as {kept}" if kept else "there was no database before"))


@click.group()
def appointments():
    """Manage appointments."""


@appointments.command("import")
@click.argument("csv_file", type=click.File("r", encoding="utf-8-sig"))
@site_option
@json_option
@with_settings
def import_appointments(settings, csv_file, site, as_json):
    """Import appointments from CSV (columns: customer_name, phone, email, host, starts_at, reason, notes).

    Every row is checked first; if any is bad, nothing is imported. starts_at
    without a time zone is the site's local time (its `timezone` setting).
    """

    services = open_services(settings)
    site_row = services.store.site_by_name(site)
    if site_row is None:
        fail(f"no site named '{site}'")
    operator = Principal(role="operator", id=0, name="gastgeber appointments import", site_id=site_row["id"], site=site)
    try:
        text = csv_file.read()
    except UnicodeDecodeError:
        fail(f"{csv_file.name}: not UTF-8 text; save the file as CSV (UTF-8)")
    try:
        rows = services.appointments.import_csv(site_row["id"], text, operator)
    except ImportRefused as refused:
        for problem in refused.problems:
            click.echo(f"gastgeber: {csv_file.name}: {problem}", err=True)
        click.echo("gastgeber: nothing was imported", err=True)
        sys.exit(2)
    if as_json:
        click.echo(json.dumps([public_appointment(row) for row in rows]))
        return
    for row in rows:
        click.echo(f"{row['code']}  {row['starts_at']}  {row['customer_name']}  {row['host_name'] or '-'}")
    click.echo(f"{len(rows)} appointment(s) imported")
