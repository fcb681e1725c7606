"""A chain's branches at the head office: an operator creates a branch (its token shown once,
kept hashed), a branch pushes one site's day (a resend replaces it), every refusal in the
contract's shape, and /sites/stats and /operator/stats show the branches' sites beside the
local ones, with percentiles over several days worked out by hand from the days' histograms."""

from __future__ import annotations

import hashlib

import pytest

from kiosk.domain import operators
from tests.support.forms import token_session
from tests.support.openapi import PREFIX, check, error_check

SUMMARIES = f"{PREFIX}/branches/summaries"
BRANCHES = f"{PREFIX}/branches"


@pytest.fixture
def store(app):
    return app.extensions["gastgeber"].store


@pytest.fixture
def operator(store, clock):
    return operators.add_operator(store, clock, "Olga")


@pytest.fixture
def branch(api, doc, operator):
    made = check(doc, api.post("/branches", operator["token"], {"name": "Hamburg"}), "post", BRANCHES)
    return made


def durations(pairs: list[list[int]], p50, p90) -> dict:
    return {"p50": p50, "p90": p90, "histogram": pairs}


def summary(day: str, greet: list[list[int]], greet_p: tuple, **changes) -> dict:
    """One site's day at the branch Hamburg (site "Altona", id 7): every greeted visit was
    acknowledged at 5 s, alerts reached the host at 260 ms; nobody left."""
    greeted = sum(count for _, count in greet)
    body = {
        "site": {"id": 7, "name": "Altona", "timezone": "Europe/Berlin"}, "day": day, "visits": greeted,
        "abandoned": 0, "acknowledge_seconds": durations([[5, greeted]], 5, 5),
        "greet_seconds": durations(greet, *greet_p),
        "within_target": {"target_seconds": 120, "greeted": sum(c for v, c in greet if v <= 120), "of": greeted},
        "appointments": {"booked": 2, "checked_in": 1, "no_show": 1},
        "alert_delivery_ms": durations([[260, greeted]], 260, 260),
    }
    body.update(changes)
    return body


DAY_ONE = summary("2026-11-02", [[10, 1], [30, 1], [200, 1]], (30, 200))
DAY_TWO = summary("2026-11-03", [[20, 2], [40, 1]], (20, 40))


def test_an_operator_creates_a_branch_whose_token_is_shown_once_and_kept_hashed(api, doc, store, operator, branch):
    assert branch["token"].startswith("gbr_") and branch["branch"]["name"] == "Hamburg"
    listed = check(doc, api.get("/branches", operator["token"]), "get", BRANCHES)
    assert [b["name"] for b in listed["branches"]] == ["Hamburg"] and "token" not in listed["branches"][0]
    row = store.db.execute("SELECT token_hash FROM branches").fetchone()
    assert row[0] == hashlib.sha256(branch["token"].encode()).hexdigest()
    error_check(doc, api.post("/branches", operator["token"], {"name": " hamburg "}), "post", BRANCHES, 409,
                "conflict", "name")
    error_check(doc, api.post("/branches", operator["token"], {"name": ""}), "post", BRANCHES, 400,
                "invalid_input", "name")


def test_only_an_operator_makes_or_lists_branches(api, doc, demo, branch):
    error_check(doc, api.post("/branches", demo["manager"]["token"], {"name": "X"}), "post", BRANCHES, 403,
                "forbidden")
    error_check(doc, api.get("/branches"), "get", BRANCHES, 401, "unauthorized")
    error_check(doc, api.get("/branches", branch["token"]), "get", BRANCHES, 401, "unauthorized")


def test_a_resend_replaces_the_day(api, doc, store, branch):
    first = check(doc, api.post("/branches/summaries", branch["token"], DAY_ONE), "post", SUMMARIES)
    assert first["summary"]["day"] == "2026-11-02"
    again = api.post("/branches/summaries", branch["token"], summary("2026-11-02", [[12, 1]], (12, 12)))
    assert again.status_code == 200 and check(doc, again, "post", SUMMARIES)
    rows = store.db.execute("SELECT day, greet_s, visits FROM branch_days").fetchall()
    assert rows == [("2026-11-02", "12:1", 1)]


def test_a_wrong_token_or_another_role_is_401_in_the_contracts_shape(api, doc, demo, branch):
    error_check(doc, api.post("/branches/summaries", "gbr_" + "x" * 43, DAY_ONE), "post", SUMMARIES, 401,
                "unauthorized")
    error_check(doc, api.post("/branches/summaries", demo["manager"]["token"], DAY_ONE), "post", SUMMARIES, 401,
                "unauthorized")
    error_check(doc, api.post("/branches/summaries", None, DAY_ONE), "post", SUMMARIES, 401, "unauthorized")


@pytest.mark.parametrize(("change", "field"), [
    ({"customer": "Jonas Weber"}, "customer"),
    ({"site": {"id": 7, "name": "Altona"}}, "site.timezone"),
    ({"site": {"id": 0, "name": "Altona", "timezone": "Europe/Berlin"}}, "site.id"),
    ({"site": {"id": 7, "name": "Altona", "timezone": "Mars/Olympus"}}, "site.timezone"),
    ({"day": "2026-02-30"}, "day"),
    ({"day": "2099-01-01"}, "day"),
    ({"visits": -1}, "visits"),
    ({"visits": "3"}, "visits"),
    ({"abandoned": 4}, "abandoned"),
    ({"greet_seconds": durations([[30, 1], [10, 1]], 10, 30)}, "greet_seconds.histogram"),
    ({"greet_seconds": durations([[10, 9]], 10, 10)}, "greet_seconds.histogram"),
    ({"greet_seconds": durations([[10, 1], [30, 1], [200, 1]], 10, 200)}, "greet_seconds.p50"),
    ({"greet_seconds": durations([[10, 1], [30, 1], [200, True]], 30, 200)}, "greet_seconds.histogram"),
    ({"within_target": {"target_seconds": 120, "greeted": 3, "of": 5}}, "within_target.of"),
    ({"appointments": {"booked": 1, "checked_in": 1, "no_show": 1}}, "appointments.no_show"),
])
def test_a_summary_is_checked_strictly(api, doc, branch, change, field):
    body = {**DAY_ONE, **change}
    error_check(doc, api.post("/branches/summaries", branch["token"], body), "post", SUMMARIES, 400,
                "invalid_input", field)


def test_the_head_office_shows_the_branch_beside_its_own_sites(api, doc, client, demo, operator, branch):
    for day in (DAY_ONE, DAY_TWO, summary("2026-11-08", [[1, 1]], (1, 1))):
        assert api.post("/branches/summaries", branch["token"], day).status_code == 201
    answer = check(doc, api.get("/sites/stats?from=2026-11-01&to=2026-11-08", operator["token"]), "get",
                   f"{PREFIX}/sites/stats")
    local = [row for row in answer["sites"] if row["branch"] is None]
    assert len(local) == 1 and local[0]["alert_delivery_ms"] == {"p50": None, "p90": None}
    altona = next(row for row in answer["sites"] if row["branch"])
    assert altona["branch"] == {"id": branch["branch"]["id"], "name": "Hamburg", "days": 2,
                                "first_day": "2026-11-02", "last_day": "2026-11-03"}  # the 8th: outside
    assert altona["visits"] == 6
    # greet times of both days: 10, 20, 20, 30, 40, 200 → nearest rank 3 and 6 (not a mean of the days' p50s)
    assert altona["greet_seconds"] == {"p50": 20, "p90": 200}
    assert altona["greeted_within_target_pct"] == 83.3  # 5 of 6 within 120 s
    assert altona["appointments"] == {"booked": 4, "checked_in": 2, "no_show": 2}
    assert altona["alert_delivery_ms"] == {"p50": 260, "p90": 260}
    assert altona["from"] == "2026-10-31T23:00:00.000Z"
    slowest = api.get("/sites/stats?from=2026-11-01&to=2026-11-08&sort=greet_p90&order=desc", operator["token"])
    assert slowest.get_json()["sites"][0]["branch"]["name"] == "Hamburg"

    token_session(client, "operator", operator["token"])
    html = client.get("/operator/stats?from=2026-11-01&to=2026-11-08", headers={"Accept-Language": "en"}
                      ).get_data(as_text=True)
    assert "Hamburg · Altona" in html and f'data-branch-id="{branch["branch"]["id"]}"' in html
    assert "Delivery p50" in html and "0.3 s" in html  # 260 ms as the page shows delivery


def test_the_branches_page_shows_a_new_token_once(client, store, operator):
    token_session(client, "operator", operator["token"])
    page = client.get("/operator/branches")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    csrf = html.split('name="csrf_token" value="')[1].split('"')[0]
    made = client.post("/operator/branches", data={"name": "Köln", "csrf_token": csrf})
    assert made.status_code == 303
    shown = client.get(made.headers["Location"]).get_data(as_text=True)
    token = shown.split('id="new-branch-token">')[1].split("<")[0]
    assert token.startswith("gbr_") and store.branch_for_token(hashlib.sha256(token.encode()).hexdigest())
    assert token not in client.get("/operator/branches").get_data(as_text=True)
    taken = client.post("/operator/branches", data={"name": "köln", "csrf_token": csrf},
                        headers={"Accept-Language": "de"})
    assert taken.status_code == 409 and "Es gibt schon eine Filiale" in taken.get_data(as_text=True)


def csrf_of(html: str) -> str:
    return html.split('name="csrf_token" value="')[1].split('"')[0]


def test_an_operator_revokes_a_token_after_a_confirmation_and_the_branch_gets_401(api, doc, client, store, operator,
                                                                                 branch):
    token_session(client, "operator", operator["token"])
    branch_id = branch["branch"]["id"]
    asked = client.get(f"/operator/branches/{branch_id}/token", headers={"Accept-Language": "en"})
    assert asked.status_code == 200 and "stops working at once" in asked.get_data(as_text=True)
    assert store.branch_for_token(hashlib.sha256(branch["token"].encode()).hexdigest())  # asking changed nothing
    done = client.post(f"/operator/branches/{branch_id}/token",
                       data={"action": "revoke", "csrf_token": csrf_of(asked.get_data(as_text=True))})
    assert done.status_code == 303
    shown = client.get(done.headers["Location"], headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'id="token-revoked"' in shown and "Revoked on" in shown
    error_check(doc, api.post("/branches/summaries", branch["token"], DAY_ONE), "post", SUMMARIES, 401,
                "unauthorized")
    entry = store.db.execute("SELECT action, subject, details FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    assert entry[0] == "branch.token_revoked" and entry[1] == f"branch {branch_id} Hamburg"
    assert branch["token"] not in str(entry) and "gbr_" not in str(entry)


def test_a_new_token_replaces_the_old_one_at_once_and_is_shown_once(api, doc, client, store, operator, branch):
    token_session(client, "operator", operator["token"])
    branch_id = branch["branch"]["id"]
    asked = client.get(f"/operator/branches/{branch_id}/token").get_data(as_text=True)
    done = client.post(f"/operator/branches/{branch_id}/token",
                       data={"action": "replace", "csrf_token": csrf_of(asked)})
    assert done.status_code == 303
    shown = client.get(done.headers["Location"]).get_data(as_text=True)
    token = shown.split('id="new-branch-token">')[1].split("<")[0]
    assert token.startswith("gbr_") and token != branch["token"]
    assert token not in client.get("/operator/branches").get_data(as_text=True)
    error_check(doc, api.post("/branches/summaries", branch["token"], DAY_ONE), "post", SUMMARIES, 401,
                "unauthorized")
    check(doc, api.post("/branches/summaries", token, DAY_ONE), "post", SUMMARIES)
    actions = [row[0] for row in store.db.execute("SELECT action, details FROM audit_log WHERE action LIKE 'branch.%'")]
    assert actions == ["branch.added", "branch.token_replaced"]
    assert token not in str(store.db.execute("SELECT * FROM audit_log").fetchall())


def test_the_api_revokes_and_replaces_tokens_for_operators_only(api, doc, demo, operator, branch):
    branch_id = branch["branch"]["id"]
    error_check(doc, api.post(f"/branches/{branch_id}/token/revoke", demo["manager"]["token"], {}),
                "post", f"{BRANCHES}/{{branch_id}}/token/revoke", 403, "forbidden")
    error_check(doc, api.post("/branches/999/token/revoke", operator["token"], {}),
                "post", f"{BRANCHES}/{{branch_id}}/token/revoke", 404, "not_found")
    revoked = check(doc, api.post(f"/branches/{branch_id}/token/revoke", operator["token"], {}),
                    "post", f"{BRANCHES}/{{branch_id}}/token/revoke")
    assert revoked["branch"]["token_revoked_at"] is not None
    made = check(doc, api.post(f"/branches/{branch_id}/token", operator["token"], {}),
                 "post", f"{BRANCHES}/{{branch_id}}/token")
    assert made["branch"]["token_revoked_at"] is None and made["token"].startswith("gbr_")
    check(doc, api.post("/branches/summaries", made["token"], DAY_ONE), "post", SUMMARIES)


def test_a_branch_pushing_too_fast_gets_429_with_retry_after(app, api, doc, operator, branch):
    app.extensions["gastgeber"].branch_limiter.limit = 3  # as `branch_summaries_per_minute = 3` would
    other = check(doc, api.post("/branches", operator["token"], {"name": "Bremen"}), "post", BRANCHES)
    for _ in range(3):
        assert api.post("/branches/summaries", branch["token"], DAY_ONE).status_code in (200, 201)
    limited = api.post("/branches/summaries", branch["token"], DAY_ONE)
    error_check(doc, limited, "post", SUMMARIES, 429, "rate_limited")
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    assert api.post("/branches/summaries", other["token"], DAY_ONE).status_code == 201  # per branch
