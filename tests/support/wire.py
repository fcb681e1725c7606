"""A TCP relay on loopback that keeps every byte a client sent: what went over the wire."""

from __future__ import annotations

import contextlib
import socket
import threading

from tests.support.live_server import free_port


class RecordingRelay:
    """Listens on a free loopback port and relays each connection to `target_port` (also when the
    target is down: the client's connection is then closed, as a refused one would fail), keeping
    what each client sent."""

    def __init__(self, target_port: int):
        self.target_port = target_port
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.sent: list[bytearray] = []
        self.lock = threading.Lock()
        self.listening = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, daemon=True).start()

    def wire(self) -> bytes:
        """Every byte every client sent, connection after connection."""
        with self.lock:
            return b"\n".join(bytes(part) for part in self.sent)

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listening.accept()
            except OSError:
                return  # closed
            threading.Thread(target=self._relay, args=(client,), daemon=True).start()

    def _relay(self, client: socket.socket) -> None:
        received = bytearray()
        with self.lock:
            self.sent.append(received)
        try:
            upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=5)
        except OSError:
            client.close()
            return
        back = threading.Thread(target=self._pipe, args=(upstream, client, None), daemon=True)
        back.start()
        self._pipe(client, upstream, received)
        back.join(10)
        upstream.close()
        client.close()

    def _pipe(self, source: socket.socket, sink: socket.socket, record: bytearray | None) -> None:
        with contextlib.suppress(OSError):
            while chunk := source.recv(65536):
                if record is not None:
                    with self.lock:
                        record.extend(chunk)
                sink.sendall(chunk)
        for end in (source, sink):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self.listening.close()
