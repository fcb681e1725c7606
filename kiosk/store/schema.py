"""The schema, as numbered migrations (sqlite-utils). Never edit a migration that has shipped: add one.

sqlite-utils applies them in the order they are registered here, which must be their
numbers' order (tests/store/ checks it).
"""

from __future__ import annotations

import unicodedata

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("gastgeber")


def known_migrations() -> set[str]:
    """The names of every migration this version has (a database recording another one is newer)."""
    return {migration.name for migration in migrations._migrations}


@migrations(name="0001_initial")
def _initial(db: Database) -> None:
    db["sites"].create({"id": int, "name": str, "created_at": str}, pk="id", not_null={"name", "created_at"})
    db["sites"].create_index(["name"], unique=True)
    db["hosts"].create(
        {"id": int, "site_id": int, "name": str, "pin_hash": str, "languages": str, "topics": str,
         "status": str, "active": int, "created_at": str},
        pk="id", not_null={"site_id", "name", "status", "active", "created_at"},
        defaults={"status": "available", "active": 1, "languages": "", "topics": ""},
        foreign_keys=[("site_id", "sites", "id")],
    )
    for table in ("kiosks", "managers"):
        db[table].create(
            {"id": int, "site_id": int, "name": str, "created_at": str},
            pk="id", not_null={"site_id", "name", "created_at"},
            foreign_keys=[("site_id", "sites", "id")],
        )
    db["tokens"].create(
        {"token_hash": str, "role": str, "subject_id": int, "site_id": int, "created_at": str, "revoked_at": str},
        pk="token_hash", not_null={"role", "subject_id", "site_id", "created_at"},
        foreign_keys=[("site_id", "sites", "id")],
    )
    db["customers"].create(
        {"id": int, "site_id": int, "name": str, "phone": str, "email": str, "language": str, "created_at": str},
        pk="id", not_null={"site_id", "name", "created_at"},
        foreign_keys=[("site_id", "sites", "id")],
    )
    db["visits"].create(
        {"id": int, "site_id": int, "kiosk_id": int, "client_id": str, "customer_id": int, "host_id": int,
         "assignment_reason": str, "status": str, "language": str, "topic": str, "party_size": int,
         "appointment_code": str, "note": str, "acknowledged_by": int, "greeted_by": int,
         "arrived_at": str, "acknowledged_at": str, "greeted_at": str, "completed_at": str, "abandoned_at": str},
        pk="id", not_null={"site_id", "kiosk_id", "client_id", "customer_id", "status", "arrived_at"},
        foreign_keys=[("site_id", "sites", "id"), ("kiosk_id", "kiosks", "id"), ("customer_id", "customers", "id"),
                      ("host_id", "hosts", "id"), ("acknowledged_by", "hosts", "id"),
                      ("greeted_by", "hosts", "id")],
    )
    db["visits"].create_index(["kiosk_id", "client_id"], unique=True)
    db["visits"].create_index(["site_id", "status"])
    db["visits"].create_index(["site_id", "arrived_at"])
    db["settings"].create({"key": str, "value": str}, pk="key")



@migrations(name="0002_one_host_from_start_to_finish")
def _one_host(db: Database) -> None:
    """Recognised customers with a dedicated host, appointments, escalation, receipts, feedback."""
    customers = db["customers"]
    customers.add_column("phone_normalized", str)
    customers.add_column("email_normalized", str)
    customers.add_column("host_id", int, fk="hosts", fk_col="id")
    customers.create_index(["site_id", "phone_normalized"])
    customers.create_index(["site_id", "email_normalized"])
    db["customer_host_changes"].create(
        {"id": int, "customer_id": int, "from_host_id": int, "to_host_id": int,
         "changed_by_role": str, "changed_by_id": int, "changed_at": str},
        pk="id", not_null={"customer_id", "to_host_id", "changed_by_role", "changed_by_id", "changed_at"},
        foreign_keys=[("customer_id", "customers", "id"), ("from_host_id", "hosts", "id"),
                      ("to_host_id", "hosts", "id")],
    )
    db["appointments"].create(
        {"id": int, "site_id": int, "code": str, "customer_id": int, "host_id": int, "starts_at": str,
         "reason": str, "notes": str, "status": str, "created_at": str, "created_by_role": str, "created_by_id": int},
        pk="id", not_null={"site_id", "code", "customer_id", "starts_at", "status", "created_at"},
        defaults={"status": "scheduled"},
        foreign_keys=[("site_id", "sites", "id"), ("customer_id", "customers", "id"), ("host_id", "hosts", "id")],
    )
    db["appointments"].create_index(["site_id", "code"], unique=True)
    db["appointments"].create_index(["site_id", "starts_at"])
    visits = db["visits"]
    visits.add_column("appointment_id", int, fk="appointments", fk_col="id")
    visits.add_column("escalated_at", str)
    visits.add_column("escalation_reason", str)
    visits.add_column("escalated_to_managers_at", str)
    visits.add_column("alert_delivered_at", str)
    visits.create_index(["status", "arrived_at"])
    visits.create_index(["customer_id", "arrived_at"])
    db["alert_deliveries"].create(
        {"id": int, "visit_id": int, "host_id": int, "board_id": str, "delivered_at": str},
        pk="id", not_null={"visit_id", "host_id", "board_id", "delivered_at"},
        foreign_keys=[("visit_id", "visits", "id"), ("host_id", "hosts", "id")],
    )
    db["feedback"].create(
        {"visit_id": int, "rating": int, "created_at": str},
        pk="visit_id", not_null={"rating", "created_at"},
        foreign_keys=[("visit_id", "visits", "id")],
    )


@migrations(name="0003_privacy")
def _privacy(db: Database) -> None:
    """When a customer's personal data was removed, and which privacy notice a visit accepted."""
    db["customers"].add_column("anonymised_at", str)
    db["visits"].add_column("privacy_notice_version", str)


@migrations(name="0004_stats_durations")
def _stats_durations(db: Database) -> None:
    """Times to acknowledge and greet in milliseconds, derived by SQLite itself (so every writer
    agrees), and an index that holds everything a year of stats reads, so they need no table reads."""
    for column, end in (("acknowledge_ms", "acknowledged_at"), ("greet_ms", "greeted_at")):
        db.execute(
            f"ALTER TABLE visits ADD COLUMN {column} INTEGER GENERATED ALWAYS AS "
            f"(CAST(ROUND((julianday({end}) - julianday(arrived_at)) * 86400000.0) AS INTEGER)) VIRTUAL"
        )
    db.execute(
        "CREATE INDEX visits_for_stats ON visits (site_id, arrived_at, host_id, assignment_reason, "
        "acknowledge_ms, greet_ms, status, escalated_at, acknowledged_by, greeted_by)"
    )


@migrations(name="0005_help_requests")
def _help_requests(db: Database) -> None:
    """Visits that began with the kiosk's "Please help me" button instead of a name."""
    db["visits"].add_column("help_requested", int, not_null_default=0)


@migrations(name="0006_shared_presence")
def _shared_presence(db: Database) -> None:
    """Live boards and scheduler leadership kept in the database, so several server
    processes (behind one message queue) agree on who is signed in and who escalates."""
    db["board_connections"].create(
        {"board_id": str, "host_id": int, "process_id": str, "connected_at": str, "seen_at": str},
        pk="board_id", not_null={"host_id", "process_id", "connected_at", "seen_at"},
        foreign_keys=[("host_id", "hosts", "id")],
    )
    db["board_connections"].create_index(["host_id", "seen_at"])
    db["host_departures"].create({"host_id": int, "left_at": str}, pk="host_id", not_null={"left_at"},
                                 foreign_keys=[("host_id", "hosts", "id")])
    db["locks"].create({"name": str, "holder": str, "expires_at": str}, pk="name",
                       not_null={"holder", "expires_at"})


@migrations(name="0007_open_visits_index")
def _open_visits_index(db: Database) -> None:
    """Open visits are a handful among years of closed ones: a partial index keeps the
    queries of every check-in and board (load, busy hosts, the snapshot) from scanning history."""
    db.execute(
        "CREATE INDEX visits_open ON visits (site_id, host_id, greeted_by) "
        "WHERE status IN ('waiting', 'acknowledged', 'greeted')"
    )


@migrations(name="0008_stats_by_hour")
def _stats_by_hour(db: Database) -> None:
    """Stats group visits by UTC hour and host: with the hour as an indexed (generated)
    column, a year's grouping follows the index instead of sorting 200,000 rows. The
    visit's feedback rating is kept on the visit too, so the same index holds it."""
    db.execute("ALTER TABLE visits ADD COLUMN arrived_hour TEXT "
               "GENERATED ALWAYS AS (substr(arrived_at, 1, 13)) VIRTUAL")
    db.execute("ALTER TABLE visits ADD COLUMN feedback_rating INTEGER")
    db.execute("UPDATE visits SET feedback_rating = (SELECT rating FROM feedback WHERE visit_id = visits.id)")
    db.execute("DROP INDEX visits_for_stats")
    db.execute(
        "CREATE INDEX visits_for_stats ON visits (site_id, arrived_hour, host_id, arrived_at, assignment_reason, "
        "acknowledge_ms, greet_ms, status, escalated_at, acknowledged_by, greeted_by, feedback_rating)"
    )


@migrations(name="0009_stats_summaries")
def _stats_summaries(db: Database) -> None:
    """Summaries of past days for the stats: one row per UTC hour and host with the
    same figures stats_data reads from the visits, so a year's figures read some
    8,000 rows instead of scanning 200,000 visits. `stats_days` lists the days that
    are summed up. Triggers drop a day's summary as soon as any of its visits
    changes, so a summary is never stale; the scheduler sums the day up again."""
    db["stats_days"].create({"site_id": int, "utc_day": str}, pk=("site_id", "utc_day"))
    db["stats_hours"].create(
        {"site_id": int, "arrived_hour": str, "host_id": int, "visits": int, "abandoned": int, "escalated": int,
         "acknowledge_ms": str, "greet_ms": str, "stand_ins": str, "feedback": str},
        not_null={"site_id", "arrived_hour", "visits", "abandoned", "escalated"},
    )
    db["stats_hours"].create_index(["site_id", "arrived_hour"])
    forget_day = """
        DELETE FROM stats_days WHERE site_id = {row}.site_id AND utc_day = substr({row}.arrived_at, 1, 10);
        DELETE FROM stats_hours WHERE site_id = {row}.site_id AND arrived_hour >= substr({row}.arrived_at, 1, 10)
                                  AND arrived_hour < substr({row}.arrived_at, 1, 10) || 'U';"""
    db.execute(f"CREATE TRIGGER visits_inserted_forget_summary AFTER INSERT ON visits BEGIN "
               f"{forget_day.format(row='NEW')} END")
    db.execute(f"CREATE TRIGGER visits_updated_forget_summary AFTER UPDATE ON visits BEGIN "
               f"{forget_day.format(row='OLD')} {forget_day.format(row='NEW')} END")
    db.execute(f"CREATE TRIGGER visits_deleted_forget_summary AFTER DELETE ON visits BEGIN "
               f"{forget_day.format(row='OLD')} END")


@migrations(name="0010_audit_log")
def _audit_log(db: Database) -> None:
    """Every administrative change: who (role, id and name at the time), what, to whom or
    what, when, and on which site (an operator creating a site records the new site)."""
    db["audit_log"].create(
        {"id": int, "site_id": int, "at": str, "actor_role": str, "actor_id": int, "actor_name": str,
         "action": str, "subject": str, "details": str},
        pk="id", not_null={"at", "actor_role", "action"},
    )
    db["audit_log"].create_index(["site_id", "id"])


@migrations(name="0011_site_settings_and_setup")
def _site_settings_and_setup(db: Database) -> None:
    """Managers sign in at a browser with a PIN too; a site's own settings (over the config
    file's), each with who changed it when. `site_settings_version` in `settings` counts
    changes, so every server process notices one with a single cheap read."""
    db["managers"].add_column("pin_hash", str)
    db["site_settings"].create(
        {"site_id": int, "key": str, "value": str, "updated_at": str, "updated_by": int, "updated_by_name": str},
        pk=("site_id", "key"), not_null={"value", "updated_at"},
        foreign_keys=[("site_id", "sites", "id")],
    )


@migrations(name="0012_host_profiles_and_operators")
def _host_profiles_and_operators(db: Database) -> None:
    """A host's initials colour for the team page; operators, who create sites and their
    first manager. An operator's token lives in `tokens` with role 'operator' and no site,
    so every site-bound lookup (which joins `sites`) ignores it."""
    db["hosts"].add_column("colour", str)
    db["operators"].create({"id": int, "name": str, "created_at": str}, pk="id", not_null={"name", "created_at"})
    db["tokens"].transform(not_null={"site_id": False})


@migrations(name="0013_kiosk_pairing")
def _kiosk_pairing(db: Database) -> None:
    """Pairing a tablet with a short code (stored hashed, single use, short-lived) instead of a
    typed token, and each kiosk's last contact so a silent tablet is noticed."""
    db["kiosks"].add_column("last_contact_at", str)
    db["kiosk_pairing_codes"].create(
        {"id": int, "kiosk_id": int, "site_id": int, "code_hash": str, "created_at": str, "expires_at": str,
         "used_at": str, "cancelled_at": str},
        pk="id", not_null={"kiosk_id", "site_id", "code_hash", "created_at", "expires_at"},
        foreign_keys=[("kiosk_id", "kiosks", "id"), ("site_id", "sites", "id")],
    )
    db["kiosk_pairing_codes"].create_index(["code_hash"], unique=True)
    db["kiosk_pairing_codes"].create_index(["kiosk_id"])


@migrations(name="0014_webhooks")
def _webhooks(db: Database) -> None:
    """Webhooks: a site's HTTPS endpoints with the events they want and their signing secret;
    the outbox of deliveries (one row per event and endpoint, claimed by one process at a
    time, retried with backoff) and every attempt of each delivery (status or error, duration)."""
    db["webhooks"].create(
        {"id": int, "site_id": int, "url": str, "events": str, "active": int, "secret": str,
         "created_at": str, "updated_at": str},
        pk="id", not_null={"site_id", "url", "events", "active", "secret", "created_at", "updated_at"},
        foreign_keys=[("site_id", "sites", "id")],
    )
    db["webhooks"].create_index(["site_id", "active"])
    db["webhook_deliveries"].create(
        {"id": int, "uuid": str, "webhook_id": int, "visit_id": int, "event": str, "event_key": str,
         "body": str, "status": str, "attempts": int, "created_at": str, "next_attempt_at": str,
         "claimed_by": str, "claimed_until": str},
        pk="id", not_null={"uuid", "webhook_id", "event", "event_key", "body", "status", "attempts", "created_at"},
        defaults={"attempts": 0, "status": "pending"},
        foreign_keys=[("webhook_id", "webhooks", "id")],
    )
    db["webhook_deliveries"].create_index(["webhook_id", "id"])
    db["webhook_deliveries"].create_index(["webhook_id", "visit_id", "event_key"], unique=True)
    db.execute("CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'")
    db["webhook_attempts"].create(
        {"id": int, "delivery_id": int, "at": str, "status_code": int, "error": str, "duration_ms": int},
        pk="id", not_null={"delivery_id", "at", "duration_ms"},
        foreign_keys=[("delivery_id", "webhook_deliveries", "id")],
    )
    db["webhook_attempts"].create_index(["delivery_id", "id"])


@migrations(name="0015_open_visit_counts")
def _open_visit_counts(db: Database) -> None:
    """Each host's number of open visits (their load, for least-loaded assignment), kept
    by triggers as visits arrive, change host or close. Counting the open visits at each
    check-in instead grew with their number: with thousands waiting (a benchmark that
    never greets anyone) it became the largest cost of a check-in."""
    db.execute("CREATE TABLE host_open_visits (host_id INTEGER PRIMARY KEY REFERENCES hosts(id), "
               "site_id INTEGER NOT NULL, open_visits INTEGER NOT NULL)")
    db.execute("CREATE INDEX host_open_visits_by_site ON host_open_visits (site_id)")
    db.execute("INSERT INTO host_open_visits (host_id, site_id, open_visits) "
               "SELECT host_id, site_id, COUNT(*) FROM visits "
               "WHERE status IN ('waiting', 'acknowledged', 'greeted') AND host_id IS NOT NULL GROUP BY host_id")
    add = ("INSERT INTO host_open_visits (host_id, site_id, open_visits) VALUES (NEW.host_id, NEW.site_id, 1) "
           "ON CONFLICT (host_id) DO UPDATE SET open_visits = open_visits + 1")
    remove = "UPDATE host_open_visits SET open_visits = open_visits - 1 WHERE host_id = OLD.host_id"
    new_open = "NEW.status IN ('waiting', 'acknowledged', 'greeted') AND NEW.host_id IS NOT NULL"
    old_open = "OLD.status IN ('waiting', 'acknowledged', 'greeted') AND OLD.host_id IS NOT NULL"
    db.execute(f"CREATE TRIGGER visits_inserted_count_open AFTER INSERT ON visits WHEN {new_open} BEGIN {add}; END")
    db.execute(f"CREATE TRIGGER visits_closed_or_moved_uncount AFTER UPDATE OF status, host_id ON visits "
               f"WHEN {old_open} BEGIN {remove}; END")
    db.execute(f"CREATE TRIGGER visits_opened_or_moved_count AFTER UPDATE OF status, host_id ON visits "
               f"WHEN {new_open} BEGIN {add}; END")
    db.execute(f"CREATE TRIGGER visits_deleted_uncount AFTER DELETE ON visits WHEN {old_open} BEGIN {remove}; END")


@migrations(name="0016_greeted_visits_index")
def _greeted_visits_index(db: Database) -> None:
    """Who is busy (serving a greeted guest) is asked at every check-in. The open-visits
    index does not hold the status, so that question read every open visit's row; this
    partial index holds only the greeted ones, a handful at any time."""
    db.execute("CREATE INDEX visits_greeted ON visits (site_id, greeted_by) WHERE status = 'greeted'")


@migrations(name="0017_name_given_and_contact_conflict")
def _name_given_and_contact_conflict(db: Database) -> None:
    """The name a customer typed at the kiosk for this visit — the only name a kiosk is ever
    answered with, never the stored record's — and whether the phone or e-mail typed belongs
    to a customer record of another name (the visit is then not attached to that record, and
    the host is asked to check)."""
    db["visits"].add_column("name_given", str)
    db["visits"].add_column("contact_conflict", int, not_null_default=0)


@migrations(name="0018_browser_sessions")
def _browser_sessions(db: Database) -> None:
    """A browser's sign-in as a record on the server: the cookie carries only a random id (stored
    here as its SHA-256), so signing out, or ending the credential it was made with, refuses the
    cookie from then on, even a copy of it. `credential` is what the sign-in rests on (the hash of
    the token typed, or a digest of the PIN hash), checked again on every use."""
    db["browser_sessions"].create(
        {"id": int, "id_hash": str, "role": str, "subject_id": int, "site_id": int, "credential": str,
         "created_at": str, "last_seen_at": str, "expires_at": str, "ended_at": str, "end_reason": str},
        pk="id", not_null={"id_hash", "role", "subject_id", "credential", "created_at", "last_seen_at", "expires_at"},
    )
    db["browser_sessions"].create_index(["id_hash"], unique=True)
    db.execute("CREATE INDEX browser_sessions_live ON browser_sessions (role, subject_id) WHERE ended_at IS NULL")
    db["browser_sessions"].create_index(["expires_at"])


@migrations(name="0019_sign_in_failures")
def _sign_in_failures(db: Database) -> None:
    """Wrong PINs, tokens and codes, shared by every server process: counted per person and
    address, per person from anywhere, and per address (domain/lockout.py)."""
    db["sign_in_failures"].create({"id": int, "person": str, "address": str, "at": str},
                                  pk="id", not_null={"address", "at"})
    db["sign_in_failures"].create_index(["person", "address", "at"])
    db["sign_in_failures"].create_index(["person", "at"])
    db["sign_in_failures"].create_index(["address", "at"])
    db["sign_in_failures"].create_index(["at"])


@migrations(name="0020_channels")
def _channels(db: Database) -> None:
    """Channels: ways to reach one host outside the board (an Apprise URL, kept as typed so it
    can be sent to, and its masked form, the only one ever shown); the outbox of notices (one
    row per channel and visit: each channel hears of a visit at most once, claimed by one
    process at a time, retried with backoff); every send attempt (a Delivery); and the boards'
    receipts of team escalations (whether an "unconfirmed" channel of a colleague is needed)."""
    db["channels"].create(
        {"id": int, "site_id": int, "host_id": int, "url": str, "masked_url": str, "kind": str,
         "send_when": str, "label": str, "created_at": str},
        pk="id", not_null={"site_id", "host_id", "url", "masked_url", "kind", "send_when", "created_at"},
        foreign_keys=[("site_id", "sites", "id"), ("host_id", "hosts", "id")],
    )
    db["channels"].create_index(["host_id"])
    db["channels"].create_index(["site_id"])
    db["channel_notices"].create(
        {"id": int, "channel_id": int, "visit_id": int, "alert": str, "unless_confirmed": int, "status": str,
         "attempts": int, "created_at": str, "next_attempt_at": str, "claimed_by": str, "claimed_until": str},
        pk="id", not_null={"channel_id", "visit_id", "alert", "unless_confirmed", "status", "attempts", "created_at"},
        defaults={"attempts": 0, "status": "pending"},
        foreign_keys=[("channel_id", "channels", "id"), ("visit_id", "visits", "id")],
    )
    db["channel_notices"].create_index(["channel_id", "visit_id"], unique=True)
    db.execute("CREATE INDEX channel_notices_due ON channel_notices (next_attempt_at) WHERE status = 'pending'")
    db["channel_attempts"].create(
        {"id": int, "channel_id": int, "notice_id": int, "at": str, "ok": int, "error": str, "ms": int},
        pk="id", not_null={"channel_id", "at", "ok", "ms"},
        foreign_keys=[("channel_id", "channels", "id"), ("notice_id", "channel_notices", "id")],
    )
    db["channel_attempts"].create_index(["channel_id", "id"])
    db["escalation_receipts"].create(
        {"id": int, "visit_id": int, "host_id": int, "board_id": str, "received_at": str},
        pk="id", not_null={"visit_id", "host_id", "board_id", "received_at"},
        foreign_keys=[("visit_id", "visits", "id"), ("host_id", "hosts", "id")],
    )
    db["escalation_receipts"].create_index(["visit_id", "host_id"])
    # whether a board of a host confirmed a visit's alert is asked before each "unconfirmed" notice
    db.execute("CREATE INDEX IF NOT EXISTS alert_deliveries_by_visit ON alert_deliveries (visit_id, host_id)")


@migrations(name="0021_drills")
def _drills(db: Database) -> None:
    """Drills: a host's "Test my alert", with what each board and each channel did (kept as the
    answer's JSON: a board's sound, notification permission and shown notification; a channel's
    delivery). The team page judges from a host's newest drill whether they can be reached."""
    db["drills"].create(
        {"id": int, "site_id": int, "host_id": int, "at": str, "reached": int, "problems": int, "boards": str,
         "channels": str},
        pk="id", not_null={"site_id", "host_id", "at", "reached", "problems", "boards", "channels"},
        foreign_keys=[("site_id", "sites", "id"), ("host_id", "hosts", "id")],
    )
    db["drills"].create_index(["host_id", "id"])
    db["drills"].create_index(["site_id", "id"])


@migrations(name="0022_status_link_and_estimates")
def _status_link_and_estimates(db: Database) -> None:
    """The customer's own view (the status link): why a visit was abandoned (`left_by_customer`
    when the customer said so on their phone), until when the customer stepped out (the ladder
    waits), and every wait estimate given, to report how often it held."""
    db["visits"].add_column("abandon_reason", str)
    db["visits"].add_column("away_until", str)
    db["wait_estimates"].create(
        {"id": int, "visit_id": int, "site_id": int, "host_id": int, "given_at": str,
         "low_seconds": int, "high_seconds": int, "samples": int},
        pk="id", not_null={"visit_id", "site_id", "given_at", "low_seconds", "high_seconds", "samples"},
        foreign_keys=[("visit_id", "visits", "id"), ("site_id", "sites", "id")],
    )
    db["wait_estimates"].create_index(["visit_id", "id"])
    db["wait_estimates"].create_index(["site_id", "given_at"])


def _folded_0023(name: str) -> str:
    """The name key as migration 0023 computes it (kiosk/store/names.py computes it since; a
    change there needs a migration of its own)."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", name.strip()).casefold())


@migrations(name="0023_unique_names_and_notices_once")
def _unique_names_and_notices_once(db: Database) -> None:
    """Names unique per site, ignoring case, accents' composition and surrounding blanks: hosts
    among the active ones, kiosks and managers among all. `name_key` holds the folded name
    under a unique index. Duplicates made before stay as they are: the oldest of each keeps the
    key, the later ones get none (NULL never collides), so nothing is renamed behind anyone's
    back, and a new duplicate, a rename or a reactivation onto a taken name is refused.
    `notices_once` keeps what a form's answer shows once after its redirect (a new PIN or
    token, a pairing code), sealed with a one-time pad the browser's cookie holds."""
    for table in ("hosts", "kiosks", "managers"):
        db[table].add_column("name_key", str)
        in_index = "active = 1" if table == "hosts" else "1"
        taken: set[tuple[int, str]] = set()
        rows = db.execute(f"SELECT id, site_id, name, {in_index} FROM {table} ORDER BY id").fetchall()
        for row_id, site_id, name, indexed in rows:
            key = _folded_0023(name)
            if indexed and (site_id, key) in taken:
                continue  # a duplicate from before: left without a key
            if indexed:
                taken.add((site_id, key))
            db.execute(f"UPDATE {table} SET name_key = ? WHERE id = ?", (key, row_id))
        where = " WHERE active = 1" if table == "hosts" else ""
        db.execute(f"CREATE UNIQUE INDEX {table}_unique_name ON {table} (site_id, name_key){where}")
    db["notices_once"].create({"id_hash": str, "page": str, "sealed": str, "expires_at": str},
                              pk="id_hash", not_null={"page", "sealed", "expires_at"})
    db["notices_once"].create_index(["expires_at"])


@migrations(name="0024_web_push")
def _web_push(db: Database) -> None:
    """Web Push: a board device's push subscription (its endpoint at the browser's push service
    and the keys its payloads are encrypted to; one row per endpoint, owned by one host); the
    outbox of push notices (one per subscription and visit, claimed, retried like channel
    notices); and the one-time tokens of a notification's "I've seen it" button (only their
    SHA-256 is stored; each works once, for its one visit, until it expires)."""
    db["push_subscriptions"].create(
        {"id": int, "site_id": int, "host_id": int, "endpoint": str, "p256dh": str, "auth": str,
         "created_at": str, "last_ok_at": str, "last_error": str, "last_error_at": str},
        pk="id", not_null={"site_id", "host_id", "endpoint", "p256dh", "auth", "created_at"},
        foreign_keys=[("site_id", "sites", "id"), ("host_id", "hosts", "id")],
    )
    db["push_subscriptions"].create_index(["endpoint"], unique=True)
    db["push_subscriptions"].create_index(["host_id"])
    db["push_notices"].create(
        {"id": int, "subscription_id": int, "visit_id": int, "alert": str, "unless_confirmed": int, "status": str,
         "attempts": int, "created_at": str, "next_attempt_at": str, "claimed_by": str, "claimed_until": str},
        pk="id", not_null={"subscription_id", "visit_id", "alert", "unless_confirmed", "status", "attempts",
                           "created_at"},
        defaults={"attempts": 0, "status": "pending"},
        foreign_keys=[("subscription_id", "push_subscriptions", "id"), ("visit_id", "visits", "id")],
    )
    db["push_notices"].create_index(["subscription_id", "visit_id"], unique=True)
    db.execute("CREATE INDEX push_notices_due ON push_notices (next_attempt_at) WHERE status = 'pending'")
    db["push_acks"].create(
        {"token_hash": str, "visit_id": int, "host_id": int, "expires_at": str, "used_at": str},
        pk="token_hash", not_null={"visit_id", "host_id", "expires_at"},
        foreign_keys=[("visit_id", "visits", "id"), ("host_id", "hosts", "id")],
    )
    db["push_acks"].create_index(["expires_at"])


@migrations(name="0025_sms_to_customers")
def _sms_to_customers(db: Database) -> None:
    """A text message to the customer when their host acknowledges, only with their consent:
    `sms_consent` (they ticked "text me when someone's coming"), and `sms_to`, the number to
    text (the one typed, with its country code), kept only until the message went out or was
    given up, and erased with the customer's personal data. The site's SMS gateway is a
    channel without a host (`host_id` NULL): one per site, set by a manager."""
    db["visits"].add_column("sms_consent", int, not_null_default=0)
    db["visits"].add_column("sms_to", str)
    db["channels"].transform(not_null={"host_id": False})
    db.execute("CREATE UNIQUE INDEX channels_sms_of_site ON channels (site_id) WHERE host_id IS NULL")


@migrations(name="0026_own_language")
def _own_language(db: Database) -> None:
    """Each person's own language: a host's for their board and the alerts sent to them, a
    manager's for the owner's pages. NULL: no choice made, the browser's or the site's applies."""
    db["hosts"].add_column("language", str)
    db["managers"].add_column("language", str)


@migrations(name="0027_stats_complete_times")
def _stats_complete_times(db: Database) -> None:
    """Service time (greeted → completed) for the stats, like the other durations: a column
    SQLite derives itself, held by the stats index, and summed up per hour. The summaries
    so far lack it, so they are dropped; the scheduler sums the days up again (until then
    the figures are read from the visits: the same numbers, a little slower)."""
    db.execute(
        "ALTER TABLE visits ADD COLUMN complete_ms INTEGER GENERATED ALWAYS AS "
        "(CAST(ROUND((julianday(completed_at) - julianday(greeted_at)) * 86400000.0) AS INTEGER)) VIRTUAL"
    )
    db.execute("DROP INDEX visits_for_stats")
    db.execute(
        "CREATE INDEX visits_for_stats ON visits (site_id, arrived_hour, host_id, arrived_at, assignment_reason, "
        "acknowledge_ms, greet_ms, status, escalated_at, acknowledged_by, greeted_by, feedback_rating, complete_ms)"
    )
    db["stats_hours"].add_column("complete_ms", str)
    db.execute("DELETE FROM stats_hours")
    db.execute("DELETE FROM stats_days")


@migrations(name="0028_site_brands")
def _site_brands(db: Database) -> None:
    """A site's own face: its logo as the PNG the server drew from the upload (with its hash,
    which names the file browsers keep for a year), and its accent colour (#rrggbb)."""
    db["site_brands"].create(
        {"site_id": int, "logo": bytes, "logo_hash": str, "logo_width": int, "logo_height": int, "accent": str,
         "updated_at": str},
        pk="site_id", not_null={"updated_at"}, foreign_keys=[("site_id", "sites", "id")])


@migrations(name="0029_undo_completion")
def _undo_completion(db: Database) -> None:
    """A completion undone within its minute (the board's "Undo"): when it was last undone,
    so a board can tell the visit's return to greeted from a late, stale update. And the
    site's completed visits by time, for the board's "Done today" on every (re)connect
    without reading the site's whole history."""
    db["visits"].add_column("completion_undone_at", str)
    db.execute("CREATE INDEX visits_completed ON visits (site_id, completed_at) WHERE status = 'completed'")


@migrations(name="0030_alert_delivery_stats")
def _alert_delivery_stats(db: Database) -> None:
    """Alert delivery for the stats: each receipt keeps the kind of device that confirmed it
    ("board", "push", a channel's kind such as "email" or "ntfy"), so the figure survives the
    channel's removal; check-in → first receipt in milliseconds as a column SQLite derives,
    held by the stats index and summed up per hour; and `stats_slices`, a summed-up day's
    figures per host by device kind and by topic. A receipt inserted later (a second device,
    a late channel) forgets its day's summary, and a day no longer summed up loses its slices.
    The summaries so far lack all this, so they are dropped and summed up again."""
    from kiosk.domain.device_kinds import BOARD, PUSH, channel_kind

    db["alert_deliveries"].add_column("kind", str)
    db.execute(f"UPDATE alert_deliveries SET kind = CASE WHEN board_id LIKE 'push:%' THEN '{PUSH}' "
               f"WHEN board_id LIKE 'channel:%' THEN 'channel' ELSE '{BOARD}' END")
    for channel_id, scheme in db.execute("SELECT id, kind FROM channels").fetchall():
        db.execute("UPDATE alert_deliveries SET kind = ? WHERE board_id = ?",
                   (channel_kind(scheme), f"channel:{channel_id}"))
    db.execute("CREATE INDEX alert_deliveries_for_stats ON alert_deliveries (visit_id, kind, delivered_at)")
    db.execute(
        "ALTER TABLE visits ADD COLUMN alert_delivery_ms INTEGER GENERATED ALWAYS AS "
        "(CAST(ROUND((julianday(alert_delivered_at) - julianday(arrived_at)) * 86400000.0) AS INTEGER)) VIRTUAL"
    )
    db.execute("DROP INDEX visits_for_stats")
    db.execute(
        "CREATE INDEX visits_for_stats ON visits (site_id, arrived_hour, host_id, arrived_at, assignment_reason, "
        "acknowledge_ms, greet_ms, status, escalated_at, acknowledged_by, greeted_by, feedback_rating, complete_ms, "
        "alert_delivery_ms)"
    )
    db["stats_hours"].add_column("alert_delivery_ms", str)
    db["stats_slices"].create(
        {"site_id": int, "utc_day": str, "host_id": int, "slice": str, "key": str, "visits": int, "abandoned": int,
         "values_ms": str},
        not_null={"site_id", "utc_day", "slice", "visits", "abandoned"},
    )
    db["stats_slices"].create_index(["site_id", "utc_day"])
    db.execute("""CREATE TRIGGER alert_deliveries_inserted_forget_summary AFTER INSERT ON alert_deliveries BEGIN
        DELETE FROM stats_days WHERE (site_id, utc_day) IN
            (SELECT site_id, substr(arrived_at, 1, 10) FROM visits WHERE id = NEW.visit_id); END""")
    db.execute("""CREATE TRIGGER stats_days_deleted_forget_slices AFTER DELETE ON stats_days BEGIN
        DELETE FROM stats_slices WHERE site_id = OLD.site_id AND utc_day = OLD.utc_day;
        DELETE FROM stats_hours WHERE site_id = OLD.site_id AND arrived_hour >= OLD.utc_day
                                  AND arrived_hour < OLD.utc_day || 'U'; END""")
    db.execute("DELETE FROM stats_hours")
    db.execute("DELETE FROM stats_days")


@migrations(name="0031_branch_summaries")
def _branch_summaries(db: Database) -> None:
    """A chain's head office and its branches, each running its own server.

    On a branch: `summary_outbox`, one row per site and local day owed to the head office
    (pending until the head office acknowledged it, retried with backoff, claimed with a
    lease like the webhooks' outbox). On the head office: `branches`, each with the SHA-256
    of its token, and `branch_days`, one row per branch, branch site and local day (a resend
    replaces it), read by day for the head office's window; durations as whole-unit
    histograms ("value:count,…"), so percentiles over several days are exact at that unit."""
    db["summary_outbox"].create(
        {"id": int, "site_id": int, "day": str, "status": str, "attempts": int, "next_attempt_at": str,
         "claimed_by": str, "claimed_until": str, "last_error": str, "last_attempt_at": str, "sent_at": str,
         "created_at": str},
        pk="id", not_null={"site_id", "day", "status", "attempts", "next_attempt_at", "created_at"},
        defaults={"attempts": 0}, foreign_keys=[("site_id", "sites", "id")])
    db["summary_outbox"].create_index(["site_id", "day"], unique=True)
    db.execute("CREATE INDEX summary_outbox_due ON summary_outbox (next_attempt_at) WHERE status = 'pending'")
    db["branches"].create(
        {"id": int, "name": str, "name_key": str, "token_hash": str, "created_at": str, "last_push_at": str},
        pk="id", not_null={"name", "name_key", "token_hash", "created_at"})
    db["branches"].create_index(["name_key"], unique=True)
    db["branches"].create_index(["token_hash"], unique=True)
    db["branch_days"].create(
        {"branch_id": int, "site_key": int, "day": str, "site_name": str, "timezone": str, "visits": int,
         "abandoned": int, "acknowledge_s": str, "greet_s": str, "alert_delivery_ms": str, "target_seconds": int,
         "within_target": int, "within_target_of": int, "booked": int, "checked_in": int, "no_show": int,
         "received_at": str},
        pk=("branch_id", "site_key", "day"),
        not_null={"site_name", "timezone", "visits", "abandoned", "target_seconds", "within_target",
                  "within_target_of", "booked", "checked_in", "no_show", "received_at"},
        foreign_keys=[("branch_id", "branches", "id")])
    db["branch_days"].create_index(["day", "branch_id", "site_key"])


@migrations(name="0032_weekly_digest")
def _weekly_digest(db: Database) -> None:
    """The managers' weekly digest. `manager_digests`: a manager's choice (on or off, the local
    weekday it comes on; no row: on, Mondays). `manager_channels`: where a manager's digest goes,
    Apprise URLs like the hosts' channels (the URL as typed, to send; its masked form, the only one
    shown). `digests`: one digest made for one manager and one week (ISO `week`, e.g. 2026-W48),
    its texts and chart, unique per manager and week, so a scheduler that runs again (a restart,
    another process) never makes a second one. `digest_notices`: that digest owed to one channel,
    claimed, retried and recorded like the channels' notices (the last attempt kept on the row)."""
    db["manager_digests"].create(
        {"manager_id": int, "enabled": int, "weekday": int, "updated_at": str},
        pk="manager_id", not_null={"enabled", "weekday", "updated_at"},
        foreign_keys=[("manager_id", "managers", "id")])
    db["manager_channels"].create(
        {"id": int, "site_id": int, "manager_id": int, "url": str, "masked_url": str, "kind": str, "label": str,
         "created_at": str},
        pk="id", not_null={"site_id", "manager_id", "url", "masked_url", "kind", "created_at"},
        foreign_keys=[("site_id", "sites", "id"), ("manager_id", "managers", "id")])
    db["manager_channels"].create_index(["manager_id"])
    db["digests"].create(
        {"id": int, "site_id": int, "manager_id": int, "week": str, "language": str, "made_at": str,
         "subject": str, "text": str, "html": str, "chart_png": bytes},
        pk="id", not_null={"site_id", "manager_id", "week", "language", "made_at", "subject", "text", "html"},
        foreign_keys=[("site_id", "sites", "id"), ("manager_id", "managers", "id")])
    db["digests"].create_index(["manager_id", "week"], unique=True)
    db["digest_notices"].create(
        {"id": int, "digest_id": int, "channel_id": int, "status": str, "attempts": int, "created_at": str,
         "next_attempt_at": str, "claimed_by": str, "claimed_until": str,
         "last_at": str, "last_ok": int, "last_error": str, "last_ms": int},
        pk="id", not_null={"digest_id", "channel_id", "status", "attempts", "created_at"},
        defaults={"attempts": 0, "status": "pending"},
        foreign_keys=[("digest_id", "digests", "id"), ("channel_id", "manager_channels", "id")])
    db["digest_notices"].create_index(["digest_id", "channel_id"], unique=True)
    db.execute("CREATE INDEX digest_notices_due ON digest_notices (next_attempt_at) WHERE status = 'pending'")


@migrations(name="0033_branch_tokens_resends_digest_hour")
def _branch_tokens_resends_digest_hour(db: Database) -> None:
    """A branch's token can be revoked (`token_hash` NULL, `token_revoked_at` set) or replaced by
    a new one; a branch keeps the SHA-256 of the summary it last sent for a day (`sent_hash`), so
    a day whose summary changed after it was sent (a visit completed late) is sent again; and a
    manager's digest comes at the local hour they chose (`hour`, 8 until chosen)."""
    db["branches"].transform(not_null={"token_hash": False})  # nosec B105  # a column rule, no secret
    db["branches"].add_column("token_revoked_at", str)
    db["summary_outbox"].add_column("sent_hash", str)
    db["manager_digests"].add_column("hour", int, not_null_default=8)


@migrations(name="0034_binary_stats_summaries")
def _binary_stats_summaries(db: Database) -> None:
    """The summed-up days keep each group's numbers as a BLOB of little-endian 64-bit integers
    (kiosk/store/stats.py, `SUMMARY_DTYPE`) instead of comma-joined text, so a year's figures
    are read by NumPy without parsing some 1.3 million numbers. The summaries so far are text,
    so the tables are made again empty; the scheduler sums the days up again (until then the
    figures are read from the visits: the same numbers, slower).

    `stats_summary_version` changes with every row written to or removed from the summaries, so
    the parsed summaries a reader keeps (kiosk/store/stats.py, `SummaryCache`) are used only while
    they are current. It starts at a random number: a new database file at the same path never
    takes up an old one's versions."""
    db.execute("DELETE FROM stats_days")
    db["stats_hours"].drop()
    db["stats_hours"].create(
        {"site_id": int, "arrived_hour": str, "host_id": int, "visits": int, "abandoned": int, "escalated": int,
         "acknowledge_ms": bytes, "greet_ms": bytes, "stand_ins": bytes, "feedback": bytes, "complete_ms": bytes,
         "alert_delivery_ms": bytes},
        not_null={"site_id", "arrived_hour", "visits", "abandoned", "escalated"},
    )
    db["stats_hours"].create_index(["site_id", "arrived_hour"])
    db["stats_slices"].drop()
    db["stats_slices"].create(
        {"site_id": int, "utc_day": str, "host_id": int, "slice": str, "key": str, "visits": int, "abandoned": int,
         "values_ms": bytes},
        not_null={"site_id", "utc_day", "slice", "visits", "abandoned"},
    )
    db["stats_slices"].create_index(["site_id", "utc_day"])
    db.execute("CREATE TABLE stats_summary_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)")
    db.execute("INSERT INTO stats_summary_version VALUES (1, abs(random() / 2))")
    for table in ("stats_days", "stats_hours", "stats_slices"):
        for change in ("INSERT", "UPDATE", "DELETE"):
            db.execute(f"CREATE TRIGGER {table}_{change.lower()}_new_version AFTER {change} ON {table} BEGIN "
                       "UPDATE stats_summary_version SET version = version + 1; END")


@migrations(name="0035_stats_day_values")
def _stats_day_values(db: Database) -> None:
    """`stats_day_values`: one row per site and summed-up UTC day with only what the head office's
    view shows (kiosk/domain/head_office.py): visits, abandoned, and the day's acknowledge, greet
    and alert delivery times, each sorted, as one BLOB of little-endian 32-bit integers (64-bit
    when `wide`: a day with a duration past 24 days). A year of 50 sites is then ~18,000 rows of
    three BLOBs instead of ~400,000 hour rows of six. A day no longer summed up loses its row. The
    days summed up so far get theirs from their hour rows, so no day needs summing up again."""
    from kiosk.store.stats import fill_day_values

    db["stats_day_values"].create(
        {"site_id": int, "utc_day": str, "visits": int, "abandoned": int, "wide": int,
         "acknowledge_ms": bytes, "greet_ms": bytes, "alert_delivery_ms": bytes},
        pk=("site_id", "utc_day"), not_null={"visits", "abandoned", "wide"},
    )
    db.execute("""CREATE TRIGGER stats_days_deleted_forget_day_values AFTER DELETE ON stats_days BEGIN
        DELETE FROM stats_day_values WHERE site_id = OLD.site_id AND utc_day = OLD.utc_day; END""")
    for change in ("INSERT", "UPDATE", "DELETE"):
        db.execute(f"CREATE TRIGGER stats_day_values_{change.lower()}_new_version AFTER {change} ON stats_day_values "
                   "BEGIN UPDATE stats_summary_version SET version = version + 1; END")
    fill_day_values(db.conn, db.execute("SELECT site_id, utc_day FROM stats_days").fetchall())
