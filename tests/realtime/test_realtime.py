"""Delivery receipts: only a board that showed the alert counts as having received it."""


def test_a_board_that_could_not_show_the_alert_is_no_delivery(app, api, demo):
    services = app.extensions["gastgeber"]
    visit = api.check_in(demo["kiosk"]["token"]).get_json()["visit"]
    host_id = visit["host"]["id"]
    services.publisher._receipt(visit["id"], host_id, "board-1")({"received": False})
    assert services.store.visit(visit["id"])["alert_delivered_at"] is None
    services.publisher._receipt(visit["id"], host_id, "board-2")({"received": True})
    assert services.store.visit(visit["id"])["alert_delivered_at"] == "2026-11-23T09:00:00.000Z"
    assert [(d["board_id"], d["kind"]) for d in services.store.deliveries(visit["id"])] == [("board-2", "board")]
