"""The board blueprint: PIN sign-in, sign-out and the board page itself."""

from __future__ import annotations

import re

from flask import Blueprint, redirect, render_template, request, session, url_for

from kiosk.domain.auth import pin_matches, sign_in_browser, sign_out_browser
from kiosk.domain.errors import Locked
from kiosk.web.common import retry_after, services, signed_in

board = Blueprint("board", __name__, template_folder="templates")


def public_host(row) -> dict:
    return {"id": row["id"], "name": row["name"], "site": row["site"]}


@board.get("/board")
@signed_in("host", lambda: url_for("board.login"))
def board_page(host):
    settings = services().site_settings.for_site(host.site_id)  # the site's own escalation time and zone
    board_config = {"escalate_after_seconds": settings["escalate_after_seconds"], "timezone": settings["timezone"]}
    return render_template(
        "board.html", host={"id": host.id, "name": host.name, "site": host.site}, board_config=board_config
    )


@board.route("/board/login", methods=["GET", "POST"])
def login():
    store = services().store
    hosts = [public_host(row) for row in store.active_hosts()]
    if request.method == "GET":
        return render_template("board_login.html", hosts=hosts, error=None)
    host_id = request.form.get("host_id", "")
    host = store.person("host", int(host_id)) if re.fullmatch(r"[0-9]{1,12}", host_id) else None
    guard, person = services().signin_guard, host and ("host", host["id"])
    try:
        guard.check(person, request.remote_addr)
    except Locked as locked:
        return render_template("board_login.html", hosts=hosts, error=locked.message), 429, retry_after(locked)
    if not pin_matches(host["pin_hash"] if host else None, request.form.get("pin", "")):
        guard.failed(person, request.remote_addr)
        return render_template("board_login.html", hosts=hosts, error="Name or PIN is not right."), 401
    guard.succeeded(person)
    sign_in_browser(session, "host", host=host)
    return redirect(url_for("board.board_page"))


@board.post("/board/logout")
def logout():
    sign_out_browser(session, "host")
    return redirect(url_for("board.login"))
