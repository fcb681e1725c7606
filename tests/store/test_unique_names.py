"""Migration 0023: names unique per site from now on, duplicates made before left as they are."""

import pytest
from sqlite_utils import Database

from kiosk.domain.errors import Conflict
from kiosk.store import Store
from kiosk.store.schema import migrations

NOW = "2026-11-23T09:00:00.000Z"


def test_duplicates_from_before_stay_and_no_new_one_is_let_in(db_path):
    old = Database(db_path)
    migrations.apply(old, stop_before="0023_unique_names_and_notices_once")
    old["sites"].insert({"id": 1, "name": "main", "created_at": NOW})
    for name in ("Lea", "lea ", "Lea"):  # three Leas, as reloading the old team page made them
        old["hosts"].insert({"site_id": 1, "name": name, "status": "available", "active": 1, "created_at": NOW})
    for name in ("Eingang", "Eingang"):
        old["kiosks"].insert({"site_id": 1, "name": name, "created_at": NOW})
    old.close()

    store = Store(db_path)
    store.migrate()
    leas = store._rows("SELECT id, name, name_key FROM hosts ORDER BY id")
    assert [row["name"] for row in leas] == ["Lea", "lea ", "Lea"]  # nobody renamed behind anyone's back
    assert [row["name_key"] for row in leas] == ["lea", None, None]  # the oldest holds the name
    with pytest.raises(Conflict) as refused:
        store.add_person("host", "main", {"name": "LEA", "created_at": NOW}, None)
    assert refused.value.field == "name" and "host called “LEA”" in refused.value.message
    with pytest.raises(Conflict):
        store.add_person("kiosk", "main", {"name": "eingang", "created_at": NOW}, None)
    assert store._one("SELECT COUNT(*) AS n FROM hosts")["n"] == 3
    store.close()


def test_names_differing_only_in_unicode_composition_or_case_are_one(store):
    store.add_person("manager", "main", {"name": "Zoë", "created_at": NOW}, None)
    with pytest.raises(Conflict):
        store.add_person("manager", "main", {"name": "ZOE\u0308", "created_at": NOW}, None)  # E + combining diaeresis
    store.add_person("manager", "north", {"name": "Zoë", "created_at": NOW}, None)  # another site: its own names
