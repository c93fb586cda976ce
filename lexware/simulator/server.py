"""Serve the simulator over HTTP with the standard library: `wsgiref` + a thread per connection.

Quiet (no access log on stderr; the request log lives in the simulator) and able to drop a
connection without answering, for the `drop` fault.
"""

from __future__ import annotations

import contextlib
import socket
import socketserver
import sys
import threading
from collections.abc import Iterator
from typing import Any
from wsgiref.simple_server import ServerHandler, WSGIRequestHandler, WSGIServer

from lexware.simulator.app import DropConnection, Simulator


class _Handler(ServerHandler):
    server_software = "lexware-simulator"

    def handle_error(self) -> None:
        if isinstance(sys.exc_info()[1], DropConnection):
            raise  # propagates out of run(), see QuietRequestHandler.handle
        super().handle_error()

    def close(self) -> None:
        status: str | None = getattr(self, "status", None)
        self.status = status or "000 dropped"
        super().close()


class QuietRequestHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass

    def handle(self) -> None:
        self.raw_requestline = self.rfile.readline(65537)
        if len(self.raw_requestline) > 65536:
            self.requestline = self.request_version = self.command = ""
            self.send_error(414)
            return
        if not self.parse_request():
            return
        handler = _Handler(
            self.rfile,
            self.wfile,  # type: ignore[arg-type]
            self.get_stderr(),
            self.get_environ(),
            multithread=True,
        )
        handler.request_handler = self  # type: ignore[attr-defined]
        try:
            handler.run(self.server.get_app())  # type: ignore[attr-defined]
        except DropConnection:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)


class ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256


def make_server(sim: Simulator, host: str = "127.0.0.1", port: int = 8765) -> ThreadingWSGIServer:
    server = ThreadingWSGIServer((host, port), QuietRequestHandler)
    server.set_app(sim)
    return server


@contextlib.contextmanager
def serve_in_thread(sim: Simulator, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve `sim` from a daemon thread for the duration of the block; yields the base URL.

    Port 0 lets the OS pick a free port, so parallel test runs never collide. On exit the
    server stops accepting, its listening socket is closed and the thread is joined.
    """
    server = make_server(sim, host, port)
    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": 0.05},
        name="lexware-simulator-http",
        daemon=True,
    )
    thread.start()
    bound_host, bound_port = server.server_address[:2]
    bound_host = bound_host.decode() if isinstance(bound_host, bytes) else bound_host
    try:
        yield f"http://{bound_host!s}:{bound_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
