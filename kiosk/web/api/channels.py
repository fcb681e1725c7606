"""Channels over HTTP (/api/v1/channels): a host's ways to be reached outside the board.

A host lists, adds, tests and removes their own; a manager the site's (adding one names
the host). Answers show a channel's URL masked, never as stored (kiosk/domain/channels/).
"""

from __future__ import annotations

from flask import jsonify

from kiosk.web.api import api
from kiosk.web.common import json_object, requires, services


@api.get("/channels")
@requires("host", "manager")
def list_channels(principal):
    return jsonify({"channels": services().channels.of(principal)})


@api.post("/channels")
@requires("host", "manager")
def add_channel(principal):
    return jsonify({"channel": services().channels.add(principal, json_object())}), 201


@api.delete("/channels/<id:channel_id>")
@requires("host", "manager")
def remove_channel(principal, channel_id: int):
    services().channels.remove(principal, channel_id)
    return "", 204


@api.post("/channels/<id:channel_id>/test")
@requires("host", "manager")
def test_channel(principal, channel_id: int):
    """One real send, answered when it is done (or failed: the Delivery says why)."""
    return jsonify({"delivery": services().channels.test(principal, channel_id)})


@api.get("/sms-channel")
@requires("manager")
def get_sms_channel(principal):
    """The site's SMS channel (texts customers who asked for it), or null."""
    return jsonify({"sms_channel": services().channels.sms_channel(principal)})


@api.put("/sms-channel")
@requires("manager")
def set_sms_channel(principal):
    return jsonify({"sms_channel": services().channels.set_sms_channel(principal, json_object())})


@api.delete("/sms-channel")
@requires("manager")
def remove_sms_channel(principal):
    services().channels.remove_sms_channel(principal)
    return "", 204
