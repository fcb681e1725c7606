"""Credentials: a refused sign-in costs the same slow hash whether or not the name exists,
so its time tells nobody which names do."""

from kiosk.domain import auth
from kiosk.domain.setup import manager_for_pin


def counting_hash_checks(monkeypatch) -> list:
    checked = []
    real = auth.check_password_hash

    def counted(pin_hash, pin):
        checked.append(pin_hash)
        return real(pin_hash, pin)

    monkeypatch.setattr(auth, "check_password_hash", counted)
    return checked


def test_an_unknown_manager_name_costs_the_same_hash_as_a_known_one(store, clock, monkeypatch):
    store.add_person("manager", "main", {"name": "Maria", "created_at": "2026-11-23T09:00:00.000Z",
                                         "pin_hash": auth.hash_pin("246810")}, None)
    checked = counting_hash_checks(monkeypatch)
    assert manager_for_pin(store, "Maria", "000000") is None
    assert manager_for_pin(store, "Nobody", "000000") is None
    assert len(checked) == 2 and all(checked)  # one real scrypt check each, the unknown name's too
    assert manager_for_pin(store, "maria", "246810")["name"] == "Maria"


def test_a_host_that_does_not_exist_costs_a_hash_check_at_the_board_sign_in(client, demo, monkeypatch):
    checked = counting_hash_checks(monkeypatch)
    page = client.get("/board/login").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    refused = client.post("/board/login", data={"host_id": "999", "pin": "123456", "csrf_token": token})
    assert refused.status_code == 401 and len(checked) == 1
