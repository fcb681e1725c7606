"""The admin area's shared parts: who may enter, and the audit log (page and API)."""

from kiosk.domain import audit
from kiosk.domain.auth import Principal
from tests.support.forms import token_session


def signed_in_manager(client, demo):
    token_session(client, "manager", demo["manager"]["token"])


def manager_principal(demo):
    manager = demo["manager"]
    return Principal(role="manager", id=manager["id"], name=manager["name"], site_id=1, site="main")


def test_admin_pages_send_a_stranger_to_sign_in(client, demo):
    response = client.get("/admin/audit")
    assert response.status_code == 302 and "/admin/login" in response.headers["Location"]


def test_the_audit_log_shows_who_changed_what_newest_first(client, demo, app, clock):
    store = app.extensions["gastgeber"].store
    added = audit.entry(clock, manager_principal(demo), "host.added", subject="host 9 <Zoë>", details={"name": "Zoë"})
    store.record_audit([added])
    clock.advance(60)
    store.record_audit([audit.entry(clock, None, "site.created", site_id=1, subject="site main")])
    store.record_audit([audit.entry(clock, None, "site.created", site_id=2, subject="another site's entry")])
    signed_in_manager(client, demo)
    page = client.get("/admin/audit").get_data(as_text=True)
    assert page.index("site.created") < page.index("host.added")  # newest first
    assert "host 9 &lt;Zoë&gt;" in page and "<Zoë>" not in page  # escaped
    assert "another site" not in page


def test_the_audit_api_is_for_managers_and_pages_back(api, demo, app, clock):
    store = app.extensions["gastgeber"].store
    for number in range(3):
        store.record_audit([audit.entry(clock, manager_principal(demo), "settings.changed", details={"n": number})])
    manager = demo["manager"]["token"]
    assert api.get("/audit", demo["hosts"][0]["token"]).status_code == 403
    newest = api.get("/audit?limit=2", manager).get_json()["entries"]
    assert [entry["details"]["n"] for entry in newest] == [2, 1]
    assert newest[0]["actor"] == {"role": "manager", "id": demo["manager"]["id"], "name": demo["manager"]["name"]}
    older = api.get(f"/audit?before={newest[-1]['id']}", manager).get_json()["entries"]
    assert [entry["details"]["n"] for entry in older] == [0]
    bad = api.get("/audit?limit=0", manager)
    assert bad.status_code == 400 and bad.get_json()["error"]["field"] == "limit"
