"""A real MQTT broker of the test's own (Debian's mosquitto on a free loopback port) and a
paho subscriber that keeps what it hears."""

from __future__ import annotations

import subprocess
import threading
from contextlib import contextmanager
from pathlib import Path

from paho.mqtt.client import CallbackAPIVersion, Client

from tests.support.live_server import free_port
from tests.support.polling import wait_until
from tests.support.redis import needs


@contextmanager
def serving_mosquitto(workdir: Path):
    """mosquitto listening on 127.0.0.1 (anonymous clients allowed) until the block ends; its port."""
    port = free_port()
    config = workdir / "mosquitto.conf"
    config.write_text(f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n"
                      f"log_dest file {workdir / 'mosquitto.log'}\n")
    process = subprocess.Popen([needs("mosquitto"), "-c", str(config)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        with subscribed(port, "$SYS/broker/version", ready_timeout=10) as probe:
            wait_until(lambda: probe.messages, timeout=10, message="mosquitto answering")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


class Heard:
    def __init__(self):
        self.messages: list[tuple[str, str]] = []  # (topic, payload)
        self.subscribed = threading.Event()

    def on(self, topic: str) -> list[str]:
        return [payload for got, payload in self.messages if got == topic]


@contextmanager
def subscribed(port: int, topic: str, ready_timeout: float = 5):
    """A paho client subscribed to `topic` (wildcards allowed) at the broker on `port`."""
    heard = Heard()
    client = Client(CallbackAPIVersion.VERSION2)
    client.on_connect = lambda c, _userdata, _flags, _reason, _properties: c.subscribe(topic)
    client.on_subscribe = lambda *_: heard.subscribed.set()
    client.on_message = lambda _c, _userdata, message: heard.messages.append(
        (message.topic, message.payload.decode()))
    wait_until(lambda: _connected(client, port), timeout=ready_timeout, message="connecting to mosquitto",
               interval=0.05)
    client.loop_start()
    try:
        wait_until(heard.subscribed.is_set, timeout=ready_timeout, message=f"subscribed to {topic}")
        yield heard
    finally:
        client.disconnect()
        client.loop_stop()


def _connected(client: Client, port: int) -> bool:
    try:
        client.connect("127.0.0.1", port)
        return True
    except OSError:
        return False  # the broker is not listening yet
