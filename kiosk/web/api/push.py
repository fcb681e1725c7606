"""Web Push over HTTP (/api/v1/push): the server's public VAPID key, a host's board devices'
subscriptions, and the "I've seen it" button of a notification (kiosk/domain/push/).

The button's POST comes from the service worker, which cannot count on a sign-in: the
one-time token in its path is the whole credential (128 random bits, stored hashed)."""

from __future__ import annotations

import re

from flask import jsonify, session

from kiosk.domain.visits import public_visit
from kiosk.web import push_devices
from kiosk.web.api import api
from kiosk.web.common import ApiError, json_object, requires, services

ACK_TOKEN = re.compile(r"[A-Za-z0-9_-]{10,100}")


@api.get("/push/key")
@requires("host")
def push_key(_host):
    return jsonify({"public_key": services().push.public_key()})


@api.get("/push/subscriptions")
@requires("host")
def list_push_subscriptions(host):
    return jsonify({"subscriptions": services().push.devices(host)})


@api.post("/push/subscriptions")
@requires("host")
def add_push_subscription(host):
    device = services().push.subscribe(host, json_object())
    push_devices.remember(session, device["id"])  # the board's sign-out on this browser stops it
    return jsonify({"subscription": device}), 201


@api.delete("/push/subscriptions/<id:subscription_id>")
@requires("host")
def remove_push_subscription(host, subscription_id: int):
    services().push.unsubscribe(host, subscription_id)
    return "", 204


@api.post("/push/ack/<token>")
def acknowledge_from_notification(token: str):
    if not ACK_TOKEN.fullmatch(token):
        raise ApiError(404, "this notification's button is not known")
    return jsonify({"visit": public_visit(services().push.acknowledge(token, services().desk))})
