"""The schema's migrations: applied in the order of their numbers, and a database takes them all."""

import re

from kiosk.store.schema import migrations


def test_migrations_are_registered_in_the_order_of_their_numbers():
    """sqlite-utils applies migrations in registration order: it must be the numbers' order, without gaps."""
    names = [migration.name for migration in migrations._migrations]
    numbers = [int(re.match(r"(\d{4})_", name).group(1)) for name in names]
    assert numbers == list(range(1, len(names) + 1)), names


def test_a_new_database_has_every_migration_applied_once_in_order(store):
    applied = [row["name"] for row in store.db["_sqlite_migrations"].rows_where(order_by="id")]
    assert applied == [migration.name for migration in migrations._migrations]
    assert migrations.pending(store.db) == []
