"""Retention and the right to be forgotten: personal data goes, visit timings stay."""

import logging

from click.testing import CliRunner

from kiosk.cli import main
from kiosk.domain.privacy import DailyPurge, purge

DAY = 86400


def serve(domain, visit, note="Talked about a mortgage"):
    host = domain.host("Anna")
    domain.desk.act(host, visit["id"], "greet")
    domain.desk.act(host, visit["id"], "complete", note)


def test_purge_anonymises_customers_idle_past_retention_and_keeps_timings(domain):
    old = domain.check_in("Old Olga", phone="0171 1111111", topic="loans")
    serve(domain, old)
    domain.clock.advance(91 * 86400)
    recent = domain.check_in("Recent Rita", email="rita@example.org")
    assert purge(domain.store, domain.clock, retention_days=90).anonymised == 1
    olga = domain.store.customer(old["customer_id"])
    assert (olga["name"], olga["phone"], olga["phone_normalized"]) == ("(anonymised)", None, None)
    kept = domain.store.visit(old["id"])
    assert (kept["note"], kept["topic"], kept["name_given"]) == (None, None, None)  # the name typed goes too
    served = "2026-11-23T09:00:00.000Z"
    assert (kept["arrived_at"], kept["greeted_at"], kept["completed_at"]) == (old["arrived_at"], served, served)
    assert domain.store.customer(recent["customer_id"])["name"] == "Recent Rita"


def test_an_anonymised_customer_is_no_longer_recognised(domain):
    old = domain.check_in("Old Olga", phone="0171 1111111")
    domain.desk.act(domain.host("Anna"), old["id"], "abandon")
    domain.clock.advance(91 * 86400)
    purge(domain.store, domain.clock, retention_days=90)
    again = domain.check_in("Olga", phone="0171 1111111")
    assert domain.store.customer(again["customer_id"])["name"] == "Olga"


def test_the_server_purges_once_a_day(domain):
    daily = DailyPurge(domain.store, domain.clock, 90, max_share_percent=20)
    assert daily.run_if_due().anonymised == 0
    domain.clock.advance(3600)
    assert daily.run_if_due() is None
    domain.clock.advance(23 * 3600)
    assert daily.run_if_due().anonymised == 0


def customers_served_today(domain, count=12):
    visits = [domain.check_in(f"Guest {number}", phone=f"0171 10000{number:02d}") for number in range(count)]
    for visit in visits:
        domain.desk.act(domain.host("Anna"), visit["id"], "abandon")
    return [visit["customer_id"] for visit in visits]


def names(domain, customer_ids):
    return {domain.store.customer(customer_id)["name"] for customer_id in customer_ids}


def test_a_wall_clock_100_days_ahead_holds_the_daily_purge_back_with_one_warning(domain, caplog):
    customers = customers_served_today(domain)
    daily = DailyPurge(domain.store, domain.clock, 90, max_share_percent=20)
    assert daily.run_if_due().anonymised == 0
    domain.clock.set_wall_clock_by(100 * DAY)
    assert daily.run_if_due() is None  # the next purge is a day away by monotonic time, whatever the wall says
    domain.clock.advance(DAY)
    with caplog.at_level(logging.WARNING, logger="kiosk.domain.privacy"):
        purged = daily.run_if_due()
    assert purged.anonymised == 0 and "(anonymised)" not in names(domain, customers)
    warnings = [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]
    assert len(warnings) == 1 and "\n" not in warnings[0]
    assert "site main: 12 of its 12 customers (100 %)" in warnings[0] and "gastgeber purge --confirm" in warnings[0]


def test_a_purge_run_while_the_clock_was_ahead_does_not_put_off_the_next_one_for_months(domain):
    customers = customers_served_today(domain, count=1)
    domain.clock.set_wall_clock_by(100 * DAY)
    DailyPurge(domain.store, domain.clock, 90, max_share_percent=20).run_if_due()  # one customer: not held back
    domain.clock.set_wall_clock_by(-100 * DAY)  # the clock is put right; the server restarts
    domain.check_in("Olga", phone="0171 2222222")
    daily = DailyPurge(domain.store, domain.clock, 1, max_share_percent=20)
    assert daily.run_if_due() is None
    domain.clock.advance(DAY + 1)
    assert daily.run_if_due().anonymised == 1  # a day later, not a hundred
    assert names(domain, customers) == {"(anonymised)"}


def test_purge_command_holds_back_an_unusual_share_until_confirmed(domain, db_path):
    domain.clock.set_wall_clock_by(-200 * DAY)  # visits long ago, by the command's real clock
    customers = customers_served_today(domain)
    runner = CliRunner()
    held = runner.invoke(main, ["purge", "--db", str(db_path)])
    assert held.exit_code == 2 and "anonymised 0 customer(s)" in held.output
    assert "held back site main: 12 of its 12 customers (100 %)" in held.output and "--confirm" in held.output
    assert "(anonymised)" not in names(domain, customers)
    confirmed = runner.invoke(main, ["purge", "--confirm", "--db", str(db_path)])
    assert confirmed.exit_code == 0 and "anonymised 12 customer(s)" in confirmed.output
    assert names(domain, customers) == {"(anonymised)"}


def test_forget_erases_one_customer_and_says_what(domain, db_path):
    visit = domain.check_in("Forget Me", phone="0171 2222222", email="f@example.org")
    serve(domain, visit)
    runner = CliRunner()
    result = runner.invoke(main, ["customer", "forget", str(visit["customer_id"]), "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    assert "removed name, phone, email; cleared notes of 1 visit(s)" in result.output
    assert "visit timings kept" in result.output
    assert domain.store.customer(visit["customer_id"])["name"] == "(anonymised)"
    assert domain.store.visit(visit["id"])["completed_at"] is not None
    again = runner.invoke(main, ["customer", "forget", str(visit["customer_id"]), "--db", str(db_path)])
    assert "already anonymised" in again.output
    assert runner.invoke(main, ["customer", "forget", "4242", "--db", str(db_path)]).exit_code == 2


def test_purge_command(db_path):
    runner = CliRunner()
    runner.invoke(main, ["init", "--db", str(db_path)])
    result = runner.invoke(main, ["purge", "--db", str(db_path)])
    assert result.exit_code == 0 and "anonymised 0 customer(s)" in result.output
