"""The preview's HTTP side, hardened for a machine with a browser on it.

- It listens on 127.0.0.1 only, and answers only requests whose ``Host`` is
  ``127.0.0.1:PORT`` or ``localhost:PORT``: a web page elsewhere that points its own
  name at 127.0.0.1 (DNS rebinding) gets 403, not the unpublished pack.
- A fixed number of threads handle requests; a connection beyond them gets 503
  at once, and a client that sends nothing is dropped after a timeout.
- Event streams (the reload signal) do not hold a request thread: one thread
  writes to all of them, and there is a cap on how many are open.
- Pages carry a Content-Security-Policy: only the preview's own reload script
  runs (by its nonce) and nothing is fetched from elsewhere, so a template's
  script cannot send the pack anywhere.
"""

from __future__ import annotations

import contextlib
import queue
import secrets
import socket
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

HOST = "127.0.0.1"
LOCAL_NAMES = ("127.0.0.1", "localhost")
REQUEST_THREADS = 4
MAX_STREAMS = 16
REQUEST_TIMEOUT_SECONDS = 10.0  # a client that sends no request in this time is dropped
STREAM_SEND_TIMEOUT_SECONDS = 2.0  # a stream that takes no data in this time is dropped
STREAM_HEAD = (
    b"HTTP/1.0 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\r\n"
)
BUSY = b"HTTP/1.0 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 0\r\n\r\n"


def content_security_policy(nonce: str) -> str:
    """Only our own script (by ``nonce``) runs; images, fonts and styles are inline."""
    return "; ".join(
        (
            "default-src 'none'",
            f"script-src 'nonce-{nonce}'",
            "connect-src 'self'",
            "img-src data:",
            "font-src data:",
            "style-src 'unsafe-inline'",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        )
    )


class BoundedHTTPServer(HTTPServer):
    """An HTTP server on 127.0.0.1 with ``threads`` request threads and a Host check."""

    def __init__(
        self,
        port: int,
        handler: type[BaseHTTPRequestHandler],
        threads: int = REQUEST_THREADS,
    ) -> None:
        super().__init__((HOST, port), handler)
        self.nonce = secrets.token_urlsafe(18)
        self._free = threading.BoundedSemaphore(threads)
        self._requests: queue.SimpleQueue[tuple[Any, Any] | None] = queue.SimpleQueue()
        self._kept: set[Any] = set()  # sockets handed on to the event streams
        self._workers = [
            threading.Thread(target=self._work, name=f"preview-request-{n}", daemon=True)
            for n in range(threads)
        ]
        for worker in self._workers:
            worker.start()

    @property
    def port(self) -> int:
        """The port listened on (useful when 0 asked for a free one)."""
        return int(self.server_address[1])

    def allows_host(self, host: str | None) -> bool:
        """Whether a request with this ``Host`` header is for us (not a rebound name)."""
        if not host:
            return False
        name, colon, port = host.strip().lower().rpartition(":")
        if not colon:
            name, port = port, "80"
        return name in LOCAL_NAMES and port == str(self.port)

    def keep_open(self, connection: Any) -> None:
        """Do not close ``connection`` after its request: an event stream owns it now."""
        self._kept.add(connection)

    def process_request(self, request: Any, client_address: Any) -> None:
        """Queue the connection for a request thread, or answer 503 if all are busy."""
        if not self._free.acquire(blocking=False):
            with contextlib.suppress(OSError):
                request.settimeout(1.0)
                request.sendall(BUSY)
            self.shutdown_request(request)
            return
        request.settimeout(REQUEST_TIMEOUT_SECONDS)
        self._requests.put((request, client_address))

    def server_close(self) -> None:
        """Stop listening and end the request threads."""
        super().server_close()
        for _ in self._workers:
            self._requests.put(None)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that goes away mid-request is not news."""

    def _work(self) -> None:
        while (job := self._requests.get()) is not None:
            request, client_address = job
            try:
                self.finish_request(request, client_address)
            except Exception:
                self.handle_error(request, client_address)
            finally:
                if request in self._kept:
                    self._kept.discard(request)
                else:
                    self.shutdown_request(request)
                self._free.release()


class EventStreams:
    """Open server-sent event streams, all fed by one thread: each hears new versions."""

    def __init__(self, current: Callable[[], int], limit: int = MAX_STREAMS) -> None:
        self._current = current
        self._limit = limit
        self._lock = threading.Lock()
        self._streams: dict[socket.socket, int] = {}

    def __len__(self) -> int:
        with self._lock:
            return len(self._streams)

    def add(self, connection: socket.socket) -> bool:
        """Answer an event-stream request on ``connection`` and keep feeding it; False (and
        nothing sent) if too many streams are open.

        The first event tells the current version; reading it and joining happen
        under the lock ``tell`` takes, so no version is missed in between.
        """
        with self._lock:
            if len(self._streams) >= self._limit:
                return False
            connection.settimeout(STREAM_SEND_TIMEOUT_SECONDS)
            version = self._current()
            if self._send(connection, STREAM_HEAD + f"retry: 1000\ndata: {version}\n\n".encode()):
                self._streams[connection] = version
            return True

    def tell(self, version: int, *, keepalive: bool) -> None:
        """Send ``version`` to every stream that has not heard it; a comment to the rest if
        ``keepalive`` (which also finds closed connections)."""
        with self._lock:
            for connection, heard in list(self._streams.items()):
                if heard != version:
                    message = f"data: {version}\n\n".encode()
                elif keepalive:
                    message = b": still here\n\n"
                else:
                    continue
                if self._send(connection, message):
                    self._streams[connection] = version
                else:
                    del self._streams[connection]

    def close(self) -> None:
        """End every stream."""
        with self._lock:
            for connection in self._streams:
                _close(connection)
            self._streams.clear()

    @staticmethod
    def _send(connection: socket.socket, message: bytes) -> bool:
        try:
            connection.sendall(message)
        except OSError:  # gone, or not reading
            _close(connection)
            return False
        return True


def _close(connection: socket.socket) -> None:
    with contextlib.suppress(OSError):
        connection.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        connection.close()
