"""What lies outside the system when a webhook is sent: DNS and the internet beyond loopback.

`FakeDns` answers like socket.getaddrinfo from a table (a name may answer differently each
time it is asked: DNS rebinding) and counts the questions. `FakeInternet` stands for every
address that is not this machine's: a connection there fails the way it is told to and is
recorded, so no test sends a packet off this machine; loopback connections are real.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass, field


@dataclass
class FakeDns:
    """`answers`: name → list of addresses, one per lookup (the last one repeats); a name
    not in the table does not exist."""

    answers: dict
    asked: list = field(default_factory=list)

    def __call__(self, host, port, *args, **kwargs):
        self.asked.append(host)
        if host not in self.answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        answers = self.answers[host]
        address = answers.pop(0) if len(answers) > 1 else answers[0]
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        return [(family, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port))]


@dataclass
class FakeInternet:
    """Installed over socket.create_connection: off-machine addresses fail with `failures[address]`
    (default: refused) and are recorded in `dialled`."""

    real_connect: object
    failures: dict = field(default_factory=dict)
    dialled: list = field(default_factory=list)

    def __call__(self, address, *args, **kwargs):
        host, port = address[0], address[1]
        try:
            on_this_machine = ipaddress.ip_address(host).is_loopback
        except ValueError:
            on_this_machine = host == "localhost"
        if on_this_machine:
            return self.real_connect(address, *args, **kwargs)
        self.dialled.append((host, port))
        raise self.failures.get(host, ConnectionRefusedError(111, "Connection refused"))


def fake_internet(monkeypatch, failures: dict | None = None) -> FakeInternet:
    internet = FakeInternet(socket.create_connection, dict(failures or {}))
    monkeypatch.setattr(socket, "create_connection", internet)
    return internet
