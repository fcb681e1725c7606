"""A real Debian nginx in front of several `gastgeber serve` processes, on a free loopback port.

The config is generated into the nginx's own directory (no file of the system's nginx is
read or written). Socket.IO's long-polling needs every request of one client at the same
process (sticky sessions); the boards here connect with the websocket transport only, so
one upgraded connection carries the whole session and plain round robin is enough. A
browser that starts with polling needs `hash <per-client key> consistent;` in the upstream
instead (README, "Past one machine").
"""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

from tests.support.live_server import free_port
from tests.support.polling import wait_until

CONFIG = """\
{user}worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 8192; }}
http {{
    access_log off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    map $http_upgrade $connection_upgrade {{ default upgrade; '' ''; }}
    upstream gastgeber {{
{servers}
        keepalive 64;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://gastgeber;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_read_timeout 1h;
            proxy_connect_timeout 2s;
            proxy_next_upstream error timeout;
        }}
    }}
}}
"""


def nginx_config(directory: Path, port: int, upstream_ports: list[int]) -> str:
    """The config: round robin over the upstreams; a process that refuses connections is
    passed over for 2 s (`max_fails=1 fail_timeout=2s`), and a request it never received is
    sent to the next one (`proxy_next_upstream error`; a POST it did receive is not repeated)."""
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=2s;" for p in upstream_ports)
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read the temp dirs made here
    return CONFIG.format(user=user, dir=directory, port=port, servers=servers)


class Nginx:
    """`nginx` (the path of the program) in the foreground, proxying to `upstream_ports`."""

    def __init__(self, program: str, directory: Path, upstream_ports: list[int]):
        self.program = program
        self.directory = directory
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.config_path = directory / "nginx.conf"
        self.config_path.write_text(nginx_config(directory, self.port, upstream_ports))
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.program, "-p", str(self.directory), "-e", str(self.directory / "error.log"),
             "-c", str(self.config_path), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(self._listening, timeout=10, interval=0.02,
                   message=lambda: f"nginx listening:\n{self.error_log()}")

    def _listening(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f"nginx exited at start:\n{self.error_log()}")
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
            return True
        except OSError:
            return False

    def error_log(self) -> str:
        path = self.directory / "error.log"
        return path.read_text() if path.exists() else ""

    def worker_pids(self) -> list[int]:
        """The master's children (the worker does the proxying)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
