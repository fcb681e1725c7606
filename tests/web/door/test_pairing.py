"""Kiosk pairing: codes (expiry, single use, any case, hashed at rest), unpairing (the tablet
hears of it at once), last contact, and the API and pages around them."""

import json
import re

import pytest

from kiosk.domain import pairing
from kiosk.domain.auth import Principal, principal_for_token
from kiosk.domain.errors import NotFound
from kiosk.domain.lockout import FAILURES_PER_ADDRESS
from kiosk.domain.people import add_person
from tests.support.forms import form_post, submitted, token_session
from tests.support.openapi import check


@pytest.fixture
def store(app):
    return app.extensions["gastgeber"].store


@pytest.fixture
def kiosks(app):
    """The app's KioskPairing (kiosk/domain/pairing.py)."""
    return app.extensions["gastgeber"].pairing


@pytest.fixture
def maria(demo):
    manager = demo["manager"]
    return Principal("manager", manager["id"], manager["name"], 1, "main")


def code_of(answer):
    return answer["pairing"]["code"]


def audit_actions(store, site_id=1):
    return [entry["action"] for entry in store.audit_entries(site_id, limit=100)]


# ------------------------------------------------------------------ the domain

def test_a_code_pairs_once_in_any_case_and_is_stored_only_as_a_hash(store, clock, maria, app, kiosks):
    kiosk, code = kiosks.register(maria, "  Side door ")
    assert kiosk["name"] == "Side door" and not kiosk["paired"]
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", code["code"]) and not set(code["code"]) & set("01OIL")
    plain = code["code"].replace("-", "")
    database = b"".join(path.read_bytes() for path in store.path.parent.glob("gastgeber.db*"))
    assert plain.encode() not in database and code["code"].encode() not in database

    principal, token, replaced = kiosks.pair(f" {plain[:4].lower()} {plain[4:].lower()} ")
    assert (principal.role, principal.id, principal.name, replaced) == ("kiosk", kiosk["id"], "Side door", 0)
    assert principal_for_token(store, token) == principal
    assert kiosks.kiosk(maria, kiosk["id"])["paired"] is True

    with pytest.raises(pairing.PairingRefused) as again:
        kiosks.pair(code["code"])
    assert again.value.reason == "used"
    assert principal_for_token(store, token) == principal  # a second try takes nothing away


def test_a_code_expires_after_ten_minutes(store, clock, maria, kiosks):
    kiosk, first = kiosks.register(maria, "Entrance 2")
    _, second = kiosks.new_code(maria, kiosk["id"])
    clock.advance(pairing.CODE_VALID_SECONDS - 1)
    assert kiosks.kiosks(1)[-1]["pairing_code_expires_at"] == second["expires_at"]
    clock.advance(1)
    with pytest.raises(pairing.PairingRefused) as expired:
        kiosks.pair(second["code"])
    assert expired.value.reason == "expired" and "expired" in str(expired.value)
    with pytest.raises(pairing.PairingRefused) as replaced:
        kiosks.pair(first["code"])  # a new code cancels the earlier one
    assert replaced.value.reason == "invalid"
    assert kiosks.kiosk(maria, kiosk["id"])["pairing_code_expires_at"] is None


@pytest.mark.parametrize("typed", ["", "ABCD", "ABCD-EFG0", "ABCDEFGHJ", None, 12345678, "x" * 500])
def test_anything_that_cannot_be_a_code_is_refused_as_invalid(store, clock, typed, kiosks):
    with pytest.raises(pairing.PairingRefused) as refused:
        kiosks.pair(typed)
    assert refused.value.reason == "invalid"


def test_pairing_replaces_the_kiosks_earlier_credentials_and_unpairing_revokes_them(store, clock, maria, demo, kiosks):
    entrance = demo["kiosk"]  # registered with the CLI: a typed token
    _, code = kiosks.new_code(maria, entrance["id"])
    _, token, replaced = kiosks.pair(code["code"])
    assert replaced == 1 and principal_for_token(store, entrance["token"]) is None
    _, unused = kiosks.new_code(maria, entrance["id"])

    kiosk = kiosks.unpair(maria, entrance["id"])
    assert kiosk["paired"] is False and kiosk["pairing_code_expires_at"] is None
    assert principal_for_token(store, token) is None
    with pytest.raises(pairing.PairingRefused):
        kiosks.pair(unused["code"])
    entries = store.audit_entries(1, limit=20)
    assert [entry["action"] for entry in entries][:2] == ["kiosk.unpaired", "kiosk.pairing_code_issued"]
    assert entries[0]["details"] == {"credentials_revoked": 1, "codes_cancelled": 1}
    logged = json.dumps(entries)
    for secret in (code["code"], unused["code"], token, code["code"].replace("-", "")):
        assert secret not in logged


def test_another_sites_manager_cannot_touch_our_kiosks(store, clock, demo, kiosks):
    far = add_person(store, clock, "manager", "Fritz", site="branch")
    fritz = Principal("manager", far["id"], "Fritz", store.site_by_name("branch")["id"], "branch")
    for act in (kiosks.unpair, kiosks.new_code, kiosks.kiosk):
        with pytest.raises(NotFound):
            act(fritz, demo["kiosk"]["id"])
    assert kiosks.kiosks(fritz.site_id) == []


def test_last_contact_is_written_at_most_once_a_minute_and_silence_shows(store, clock, maria, demo, kiosks):
    recorder = pairing.ContactRecorder(store, clock)
    kiosk_id = demo["kiosk"]["id"]
    recorder.seen(kiosk_id)
    first = store.kiosk_of_site(1, kiosk_id)["last_contact_at"]
    assert first == "2026-11-23T09:00:00.000Z"
    clock.advance(59)
    recorder.seen(kiosk_id)
    assert store.kiosk_of_site(1, kiosk_id)["last_contact_at"] == first
    clock.advance(1)
    recorder.seen(kiosk_id)
    assert store.kiosk_of_site(1, kiosk_id)["last_contact_at"] == "2026-11-23T09:01:00.000Z"
    clock.advance(pairing.SILENT_AFTER_SECONDS)
    assert kiosks.kiosk(maria, kiosk_id)["silent"] is False
    clock.advance(1)
    assert kiosks.kiosk(maria, kiosk_id)["silent"] is True
    kiosks.unpair(maria, kiosk_id)
    assert kiosks.kiosk(maria, kiosk_id)["silent"] is False  # unpaired: not expected to talk


def test_a_kiosk_never_heard_from_falls_silent_five_minutes_after_pairing(store, clock, maria, demo, kiosks):
    kiosk_id = demo["kiosk"]["id"]  # paired (its CLI token) at 09:00, never connected
    assert kiosks.kiosk(maria, kiosk_id)["silent"] is False
    clock.advance(pairing.SILENT_AFTER_SECONDS + 1)
    assert kiosks.kiosk(maria, kiosk_id)["silent"] is True


# ------------------------------------------------------------------ the API

def test_the_kiosks_api_is_for_managers_of_the_site(api, demo, doc, store, clock):
    far = add_person(store, clock, "manager", "Fritz", site="branch")
    kiosk_id = demo["kiosk"]["id"]
    refused = ((None, 401), ("forged", 401), (demo["kiosk"]["token"], 403), (demo["hosts"][0]["token"], 403))
    for token, status in refused:
        assert check(doc, api.get("/kiosks", token), "get", "/api/v1/kiosks")["error"]
        assert api.get("/kiosks", token).status_code == status
        assert api.post("/kiosks", token, {"name": "X"}).status_code == status
        assert api.post(f"/kiosks/{kiosk_id}/unpair", token).status_code == status
    assert check(doc, api.get("/kiosks", far["token"]), "get", "/api/v1/kiosks") == {"kiosks": []}
    for path in (f"/kiosks/{kiosk_id}/unpair", f"/kiosks/{kiosk_id}/pairing-code"):
        response = api.post(path, far["token"])
        assert response.status_code == 404, path
    assert api.post("/kiosks/999/unpair", demo["manager"]["token"]).status_code == 404


def test_register_pair_check_in_unpair_through_the_api(api, demo, doc, store, socket_client):
    manager = demo["manager"]["token"]
    bad = api.post("/kiosks", manager, {"name": " "})
    assert check(doc, bad, "post", "/api/v1/kiosks")["error"]["field"] == "name"
    made = check(doc, api.post("/kiosks", manager, {"name": "Side door"}), "post", "/api/v1/kiosks")
    assert made["pairing"]["url"].endswith(f"/kiosk/pair?code={made['pairing']['code']}")
    kiosk_id = made["kiosk"]["id"]

    paired = api.post("/kiosks/pair", body={"code": code_of(made).lower()})
    answer = check(doc, paired, "post", "/api/v1/kiosks/pair")
    assert answer["kiosk"] == {"id": kiosk_id, "name": "Side door", "site": "main"}
    token = answer["token"]
    assert api.check_in(token, name="Zoë").status_code == 201
    listed = check(doc, api.get("/kiosks", manager), "get", "/api/v1/kiosks")["kiosks"]
    side = next(kiosk for kiosk in listed if kiosk["id"] == kiosk_id)
    assert side["paired"] and side["last_contact_at"] == "2026-11-23T09:00:00.000Z" and not side["silent"]

    tablet = socket_client(token=token)
    assert tablet.is_connected()
    tablet.get_received()
    unpaired = check(doc, api.post(f"/kiosks/{kiosk_id}/unpair", manager), "post", "/api/v1/kiosks/{kiosk_id}/unpair")
    assert unpaired["kiosk"]["paired"] is False
    assert not tablet.is_connected()  # the server dropped its connection, after telling it why:
    events = [event for event in tablet.queue if event["name"] == "kiosk.unpaired"]  # (get_received wants a connection)
    assert [event["args"][0] for event in events] == [{"kiosk": {"id": kiosk_id}}]
    assert api.check_in(token, name="Zoë").status_code == 401
    assert not socket_client(token=token).is_connected()  # a new connection is refused
    assert {"kiosk.added", "kiosk.pairing_code_issued", "kiosk.paired", "kiosk.unpaired"} <= set(audit_actions(store))


def test_a_paired_kiosk_s_heartbeat_is_its_last_contact(api, app, demo, clock, socket_client, maria, store, kiosks):
    tablet = socket_client(token=demo["kiosk"]["token"])
    clock.advance(120)
    assert tablet.emit("kiosk.heartbeat", {}, callback=True) == {"ok": True}
    assert kiosks.kiosk(maria, demo["kiosk"]["id"])["last_contact_at"] == "2026-11-23T09:02:00.000Z"
    board = socket_client(token=demo["hosts"][0]["token"])
    assert board.emit("kiosk.heartbeat", {}, callback=True)["error"]["code"] == "forbidden"


def test_guessing_codes_locks_the_address_out(api, demo, doc):
    made = api.post("/kiosks", demo["manager"]["token"], {"name": "Side door"}).get_json()
    not_a_string = check(doc, api.post("/kiosks/pair", body={"code": 5}), "post", "/api/v1/kiosks/pair")
    assert not_a_string["error"]["field"] == "code"
    for attempt in range(FAILURES_PER_ADDRESS):
        wrong = api.post("/kiosks/pair", body={"code": "ABCD-EFGH" if attempt % 2 else "nonsense"})
        assert check(doc, wrong, "post", "/api/v1/kiosks/pair")["error"]["code"] == "unauthorized"
    locked = api.post("/kiosks/pair", body={"code": code_of(made)})
    assert check(doc, locked, "post", "/api/v1/kiosks/pair")["error"]["code"] == "rate_limited"
    assert int(locked.headers["Retry-After"]) > 0


# ------------------------------------------------------------------ the pages

@pytest.fixture
def manager_browser(app, demo):
    """A manager's browser that reads English (?lang=, remembered): the texts asserted below are the English ones."""
    browser = app.test_client()
    token_session(browser, "manager", demo["manager"]["token"])
    browser.get("/admin/kiosks?lang=en")
    return browser


def test_the_kiosks_page_registers_a_kiosk_with_a_code_and_a_qr_code(manager_browser, store):
    refused = form_post(manager_browser, "/admin/kiosks", {"name": "\x07"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and 'aria-invalid="true"' in page and "name of 1 to 80 characters" in page
    made = submitted(manager_browser, "/admin/kiosks", {"name": "Side <door>"})
    page = made.get_data(as_text=True)
    assert made.status_code == 200 and "Side &lt;door&gt;" in page and "<door>" not in page
    code = re.search(r'id="pairing-code-value">([A-Z2-9]{4}-[A-Z2-9]{4})<', page).group(1)
    assert 'src="data:image/svg+xml' in page and "Waiting for the tablet" in page
    again = manager_browser.get("/admin/kiosks").get_data(as_text=True)
    assert code not in again  # shown only in the answer that made it
    assert 'href="/admin/kiosks"' in again  # in the admin navigation


def test_the_kiosks_page_shows_silent_kiosks_and_unpairs(manager_browser, demo, clock, app):
    app.extensions["gastgeber"].kiosk_contact.seen(demo["kiosk"]["id"])
    clock.advance(pairing.SILENT_AFTER_SECONDS + 60)
    page = manager_browser.get("/admin/kiosks").get_data(as_text=True)
    assert re.search(rf'data-kiosk-id="{demo["kiosk"]["id"]}" data-paired="true"\s+data-silent="true"', page)
    assert "6 min ago" in page and ">silent<" in page
    response = submitted(manager_browser, f"/admin/kiosks/{demo['kiosk']['id']}/unpair", page="/admin/kiosks")
    assert response.status_code == 200 and "is unpaired" in response.get_data(as_text=True)
    assert form_post(manager_browser, "/admin/kiosks/999/unpair", page="/admin/kiosks").status_code == 404


def test_a_tablet_pairs_on_the_pairing_screen_and_the_qr_link_fills_the_code_in(app, api, demo):
    made = api.post("/kiosks", demo["manager"]["token"], {"name": "Side door"}).get_json()
    tablet = app.test_client()
    assert tablet.get("/kiosk").headers["Location"].endswith("/kiosk/setup")
    screen = tablet.get("/kiosk/setup", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'name="code"' in screen and 'name="token"' in screen  # the old token form stays
    opened = tablet.get(f"/kiosk/pair?code={code_of(made)}").get_data(as_text=True)
    assert f'value="{code_of(made)}"' in opened and 'data-auto-pair="true"' in opened

    empty = form_post(tablet, "/kiosk/pair", {"code": " "}, headers={"Accept-Language": "en"})
    assert empty.status_code == 400 and "Please type the pairing code" in empty.get_data(as_text=True)
    wrong = form_post(tablet, "/kiosk/pair", {"code": "ABCD-EFGH"}, headers={"Accept-Language": "de"})
    page = wrong.get_data(as_text=True)
    assert wrong.status_code == 401 and "nicht gültig" in page and 'aria-invalid="true"' in page
    assert 'value="ABCD-EFGH"' in page  # what was typed stays

    paired = form_post(tablet, "/kiosk/pair", {"code": code_of(made).replace("-", "").lower()})
    assert paired.status_code == 303 and paired.headers["Location"].endswith("/kiosk")
    page = tablet.get("/kiosk").get_data(as_text=True)
    assert 'id="screen-pair"' in page and f'data-kiosk-id="{made["kiosk"]["id"]}"' in page
    assert tablet.post("/api/v1/checkins", json={"name": "Zoë", "client_id": "paired-1"}).status_code == 201
    used = form_post(tablet, "/kiosk/pair", {"code": code_of(made)}, headers={"Accept-Language": "en"})
    assert used.status_code == 401 and "already been used" in used.get_data(as_text=True)
