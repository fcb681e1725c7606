"""The demo site, made fast; and the wired services as a test of the domain sees them (fixture `domain`)."""

from __future__ import annotations

import functools
import itertools
import os
from dataclasses import dataclass

from kiosk.clock import FixedClock
from kiosk.domain import auth, config, people
from kiosk.domain.appointments import AppointmentBook
from kiosk.domain.auth import Principal
from kiosk.domain.escalation import Escalator
from kiosk.domain.frontdesk import FrontDesk
from kiosk.domain.presence import Presence
from kiosk.store import Store
from kiosk.wiring import build_services


@functools.cache
def _hash_pin_once(pin):
    return auth.hash_pin(pin)


def demo_site(store, clock, monkeypatch) -> dict:
    """The demo site (hosts Anna, Ben, Clara, kiosk 'Entrance', manager 'Maria') with credentials.

    PINs are fixed per host position and their (deliberately slow) hashes are computed
    once per test run, so hundreds of tests need not pay for scrypt."""
    pins = itertools.cycle(["111111", "222222", "333333"])
    monkeypatch.setattr(people, "new_pin", lambda: next(pins))
    monkeypatch.setattr(people, "hash_pin", _hash_pin_once)
    return people.add_demo_site(store, clock)


@dataclass
class Domain:
    """The domain's services as a test sees them: no Flask, no sockets; every published event kept."""

    store: Store
    clock: FixedClock
    settings: dict
    presence: Presence
    escalator: Escalator
    appointments: AppointmentBook
    desk: FrontDesk
    events: list
    site: dict

    def principal(self, role, person):
        return Principal(role, person["id"], person["name"], 1, self.site["site"])

    def host(self, name):
        return self.principal("host", next(h for h in self.site["hosts"] if h["name"] == name))

    @property
    def kiosk(self):
        return self.principal("kiosk", self.site["kiosk"])

    def check_in(self, name="Zoë", **fields):
        checkin = {"name": name, "client_id": f"d-{os.urandom(6).hex()}", **fields}
        return self.desk.check_in(self.kiosk, checkin)[0]

    def wait(self, seconds):
        """Let time pass while the serving process keeps its boards' heartbeat going."""
        self.clock.advance(seconds)
        self.presence.heartbeat()

    def named(self, event_name):
        return [event for event in self.events if event.name == event_name]


class Recorder:
    """A publisher that keeps every event, for a test to read."""

    def __init__(self, events: list):
        self.publish = events.append


def wire_domain(store, clock, monkeypatch) -> Domain:
    """The wired services (kiosk/wiring.py, as the app and the CLI have them) on `store` with the demo site."""
    settings = config.defaults() | {"db": str(store.path), "kiosk_checkins_per_minute": 1000}
    events = []
    services = build_services(settings, store, clock, publisher_for=lambda presence: Recorder(events))
    site = demo_site(store, clock, monkeypatch)
    return Domain(store, clock, settings, services.presence, services.escalator, services.appointments,
                  services.desk, events, site)
