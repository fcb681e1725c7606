"""Retention and the right to be forgotten: personal data goes, visit timings stay."""

from click.testing import CliRunner

from kiosk.cli import main
from kiosk.domain.privacy import purge, purge_if_due


def serve(domain, visit, note="Talked about a mortgage"):
    host = domain.host("Anna")
    domain.desk.act(host, visit["id"], "greet")
    domain.desk.act(host, visit["id"], "complete", note)


def test_purge_anonymises_customers_idle_past_retention_and_keeps_timings(domain):
    old = domain.check_in("Old Olga", phone="0171 1111111", topic="loans")
    serve(domain, old)
    domain.clock.advance(91 * 86400)
    recent = domain.check_in("Recent Rita", email="rita@example.org")
    assert purge(domain.store, domain.clock, retention_days=90) == 1
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
    assert purge_if_due(domain.store, domain.clock, 90) == 0
    domain.clock.advance(3600)
    assert purge_if_due(domain.store, domain.clock, 90) is None
    domain.clock.advance(23 * 3600)
    assert purge_if_due(domain.store, domain.clock, 90) == 0


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
