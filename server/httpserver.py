"""The HTTP server: one daemon thread per connection, keep-alive, the Flask app behind it.

Why not werkzeug's development server: it closes the connection after every response
(it cannot tell whether the application read the whole request body, and it drains the
socket after each response), so every boto3 call would pay for a new TCP connection,
which costs more than the emulator's own work for most calls. It also prints its own
two-line message and calls ``sys.exit(1)`` when the port is taken, and logs every
request to stderr by itself.

This server reads each request body in full before the app runs (so a connection can
always carry the next request), answers HTTP/1.1 with keep-alive, runs one daemon thread
per connection, logs request lines through ``logging`` (logger ``dynamodb_emulator.http``,
INFO), lets a bind failure surface as ``OSError``, and says ``Server: Server`` as
DynamoDB does.

Each connection starts in :mod:`server.http11`, a hand-written loop that answers the
plain ``POST /`` requests SDKs send at a fraction of ``http.server``'s cost per request;
at the first other request (``GET /``, OPTIONS, chunked bodies, HTTP/1.0, anything odd)
it hands the connection to :class:`_Handler` (``http.server`` running the Flask app),
which serves the connection from there on; the two answer a plain POST byte for byte
alike (tests/server/test_http_fast_path.py).
"""

from __future__ import annotations

import io
import logging
import socket
import socketserver
import struct
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import unquote

from emulator.database import Regions

from . import http11, protocol
from .app import create_app

log = logging.getLogger("dynamodb_emulator.http")

#: Seconds an idle keep-alive connection is kept open.
IDLE_TIMEOUT_SECONDS = 120
#: How often a background server's loop checks whether shutdown() was asked for.
SHUTDOWN_POLL_SECONDS = 0.05
#: How much of a refused (over 16 MiB) body is read and thrown away before answering 413.
_MAX_DISCARD_BYTES = 64 * 1024 * 1024


class _BodyTooLarge(Exception):
    pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive
    server: EmulatorServer
    timeout = IDLE_TIMEOUT_SECONDS
    # Headers and body leave in one write (buffered wfile, flushed by http.server after
    # each request); no Nagle delay either way.
    wbufsize = -1
    disable_nagle_algorithm = True

    def version_string(self) -> str:
        return "Server"

    def __getattr__(self, name: str) -> Any:
        # Every method goes to the app (which answers DynamoDB's 404 to the odd ones).
        if name.startswith("do_"):
            return self._run
        raise AttributeError(name)

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks, total = [], 0
            while True:
                size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline().strip():  # trailers
                        pass
                    return b"".join(chunks)
                total += size
                if total > protocol.MAX_REQUEST_BYTES:
                    raise _BodyTooLarge
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        if length > protocol.MAX_REQUEST_BYTES:
            self._discard(length)
            raise _BodyTooLarge
        return self.rfile.read(length) if length > 0 else b""

    def _discard(self, length: int) -> None:
        """Read (a bounded part of) a refused body, so the client gets to read the 413
        instead of a connection reset while it is still sending."""
        remaining = min(length, _MAX_DISCARD_BYTES)
        while remaining > 0:
            data = self.rfile.read(min(remaining, 1 << 20))
            if not data:
                break
            remaining -= len(data)

    def _environ(self, body: bytes) -> dict[str, Any]:
        path, _, query = self.path.partition("?")
        environ = {
            "REQUEST_METHOD": self.command,
            "SCRIPT_NAME": "",
            "PATH_INFO": unquote(path, "latin-1"),
            "QUERY_STRING": query,
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "CONTENT_LENGTH": str(len(body)),
            "SERVER_NAME": self.server.server_name,
            "SERVER_PORT": str(self.server.server_port),
            "SERVER_PROTOCOL": self.request_version,
            "REMOTE_ADDR": self.client_address[0],
            "REMOTE_PORT": str(self.client_address[1]),
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }
        for name, value in self.headers.items():
            key = "HTTP_" + name.upper().replace("-", "_")
            # The body is already read (and de-chunked): werkzeug must not de-chunk it again.
            if key not in ("HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH", "HTTP_TRANSFER_ENCODING"):
                environ[key] = f"{environ[key]},{value}" if key in environ else value
        return environ

    def _run(self) -> None:
        try:
            body = self._read_body()
        except (_BodyTooLarge, ValueError):
            # DynamoDB answers an over-large body with a bare 413; the unread rest of
            # the body makes the connection unusable, so it is closed.
            self.close_connection = True
            self._send(413, "Request Entity Too Large", [], b"")
            return
        answer: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable:
            answer["status"], answer["headers"] = status, headers
            return lambda data: None

        chunks = self.server.app(self._environ(body), start_response)
        try:
            payload = b"".join(chunks)
        finally:
            getattr(chunks, "close", lambda: None)()
        code, _, reason = answer["status"].partition(" ")
        self._send(int(code), reason, answer["headers"], payload)

    def _send(self, code: int, reason: str, headers: list[tuple[str, str]], payload: bytes) -> None:
        self.send_response(code, reason)
        for name, value in headers:
            if name.lower() not in ("content-length", "connection", "transfer-encoding"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        if log.isEnabledFor(logging.INFO):
            log.info('%s "%s" %s', self.client_address[0], self.requestline, code)

    def log_error(self, format: str, *args: Any) -> None:
        log.debug("%s " + format, self.client_address[0], *args)


def _set_idle_timeout(connection: socket.socket, seconds: float) -> None:
    """Make reads and writes on ``connection`` fail after ``seconds`` of waiting.

    On Linux the kernel keeps the time limit (SO_RCVTIMEO/SO_SNDTIMEO; a read then fails
    with EAGAIN) and the socket stays blocking: a Python socket with a timeout polls
    before every recv and send, two more system calls per request (about 5% of the
    server's CPU for a PutItem). Elsewhere Python keeps it (``settimeout``).
    """
    if sys.platform == "linux":
        try:
            whole = int(seconds)
            timeval = struct.pack("ll", whole, int((seconds - whole) * 1_000_000))
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, timeval)
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, timeval)
            return
        except (OSError, struct.error):
            pass
    connection.settimeout(seconds)


class _Replay(io.RawIOBase):
    """A socket's input with bytes already read from it put back in front."""

    def __init__(self, prefix: bytes, connection: socket.socket) -> None:
        self._prefix = memoryview(prefix)
        self._socket_io = connection.makefile("rb", buffering=0)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int | None:
        if self._prefix:
            count = min(len(buffer), len(self._prefix))
            buffer[:count] = self._prefix[:count]
            self._prefix = self._prefix[count:]
            return count
        return self._socket_io.readinto(buffer)

    def close(self) -> None:
        self._socket_io.close()
        super().close()


class _Fallback(_Handler):
    """:class:`_Handler` on a connection :mod:`server.http11` has read ``prefix`` from."""

    def __init__(self, prefix: bytes, request: socket.socket, client_address: Any, server: EmulatorServer) -> None:
        self._prefix = prefix
        super().__init__(request, client_address, server)

    def setup(self) -> None:
        super().setup()
        self.rfile.close()
        self.rfile = io.BufferedReader(_Replay(self._prefix, self.connection))


class EmulatorServer(ThreadingHTTPServer):
    """A threaded HTTP server (one daemon thread per connection) running a WSGI app."""

    # socketserver's default backlog of 5 refuses connections under a burst of clients.
    request_queue_size = 128

    def __init__(self, host: str, port: int, app: Callable, regions: Regions | None = None) -> None:
        self.app = app
        #: The engine ``POST /`` goes to directly (None: every request goes through ``app``).
        self.regions = regions
        infos = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        self.address_family = infos[0][0]
        super().__init__((host, port), _Handler)

    def finish_request(self, request: socket.socket, client_address: Any) -> None:
        """Serve one connection (on its own thread): :mod:`server.http11` first."""
        if self.regions is None:
            _Handler(request, client_address, self)
            return
        request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        _set_idle_timeout(request, IDLE_TIMEOUT_SECONDS)
        http11.serve(request, client_address, self.regions,
                     lambda prefix: _Fallback(prefix, request, client_address, self))

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks the host name up (getfqdn), which can take seconds
        # on a machine with slow DNS; the name is only used in the WSGI environ.
        socketserver.TCPServer.server_bind(self)
        self.server_name = str(self.server_address[0])
        self.server_port = self.server_address[1]


def build_server(host: str, port: int, regions: Regions) -> EmulatorServer:
    """A server for the app on ``host:port`` (0: a free port); raises OSError if it cannot bind."""
    return EmulatorServer(host, port, create_app(regions), regions)


def serve_in_background(
    regions: Regions, host: str = "127.0.0.1", port: int = 0
) -> tuple[EmulatorServer, threading.Thread]:
    """Start a server on a daemon thread (port 0: a free one); stop it with ``shutdown()``."""
    server = build_server(host, port, regions)
    # A short poll interval makes shutdown() quick (it waits for the loop to notice).
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": SHUTDOWN_POLL_SECONDS},
                              name="dynamodb-emulator", daemon=True)
    thread.start()
    return server, thread
