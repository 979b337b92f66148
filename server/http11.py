"""HTTP/1.1 by hand for the requests SDKs send: one connection's request loop.

Why: with ``http.server`` the emulator spent about 0.28 ms of CPU per PutItem, of which
the engine and :mod:`server.protocol` ~0.05 ms; the rest was ``BaseHTTPRequestHandler``
(the request head parsed line by line through the ``email`` package, buffered file
objects, a dozen method calls per request). This loop reads from the socket into one
buffer, splits the head with ``str.split``, calls :func:`protocol.handle` and writes the
answer with one ``sendall``.

It answers only the plainest request: ``POST /`` (or ``/?query``), ``HTTP/1.1``, a
``Content-Length`` body of at most :data:`protocol.MAX_REQUEST_BYTES`, no
``Transfer-Encoding`` or ``Expect``, a head of printable ASCII with CRLF line ends and
simple ``Name: value`` lines. That is every request boto3 (and the other SDKs) send. At
the first request that is anything else, or whose head it is unsure about, it hands the
connection, with every byte read and not yet answered, to ``fallback``: the
``http.server`` handler of :mod:`server.httpserver`, which then serves the connection
to its end. Whatever this loop answers is byte for byte what that handler would have
answered (same status line, headers in the same order, ``Date``, keep-alive):
``tests/server/test_http11.py`` sends each request to both, and checks :func:`parse_head`
against ``http.client``'s header parsing.
"""

from __future__ import annotations

import logging
import time
from email.utils import formatdate
from typing import Any, Callable, NamedTuple

from emulator.database import Regions

from . import protocol
from .app import status_reason

log = logging.getLogger("dynamodb_emulator.http")

#: Bytes asked of each recv (below glibc's mmap threshold: no mmap/munmap per call).
RECV_BYTES = 64 * 1024
#: A longer head goes to the fallback, which refuses lines over 64 KiB (414/431).
MAX_HEAD_BYTES = 60 * 1024
#: http.client refuses a head of more header lines than this (431: it counts the blank
#: line ending the head against its limit of 100); such a head goes to the fallback.
MAX_HEADER_LINES = 99

# Bytes a head answered here may hold: printable ASCII and tab, and CR and LF only as
# the CRLF pairs ending lines. (http.server decodes the head as latin-1 and also cuts
# lines at a lone CR or LF; such heads go to the fallback.)
_PRINTABLE = bytes(range(0x20, 0x7F)) + b"\t"
# Response headers the HTTP layer writes itself (the app's are dropped, as before).
_FRAMING = ("content-length", "connection", "transfer-encoding")


class Request(NamedTuple):
    """A request head this loop can answer."""

    #: The request line, for the request log.
    line: str
    #: The query string (after ``/?``), "" if none.
    query: str
    #: Header names in lower case; a repeated header's values joined with "," (as in
    #: the WSGI environ and the Flask view).
    headers: dict[str, str]
    content_length: int
    #: ``Connection: close``: close after the answer.
    close: bool


def parse_head(head: bytes) -> Request | None:
    """The request whose head (without its final blank line) is ``head``, or None if it
    is not one of the plain ``POST /`` requests answered here.

    A header value is what ``http.client.parse_headers`` gives: the text after the colon
    with leading blanks removed, trailing ones kept. Connection and Content-Length are
    read as http.server reads them (its first value); a head where that could differ
    from this dict's joined value (a repeated Content-Length, a Connection list) is
    None.
    """
    if len(head) > MAX_HEAD_BYTES:
        return None
    lines = head.decode("latin-1").split("\r\n")
    breaks = len(lines) - 1
    # What is not printable must be the CRLFs the split found: nothing else, no lone CR or LF.
    if breaks > MAX_HEADER_LINES or len(head.translate(None, _PRINTABLE)) != 2 * breaks:
        return None
    words = lines[0].split()
    if len(words) != 3 or words[0] != "POST" or words[2] != "HTTP/1.1":
        return None
    path = words[1]
    if path == "/":
        query = ""
    elif path.startswith("/?"):
        query = path[2:]
    else:
        return None
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        # No colon, an empty name, blanks in the name (a folded line starts with one):
        # the email package reads these otherwise (a defect, or the end of the head).
        if not colon or not name or " " in name or "\t" in name:
            return None
        name = name.lower()
        value = value.lstrip(" \t")
        if name in headers:
            headers[name] = headers[name] + "," + value
        else:
            headers[name] = value
    if "transfer-encoding" in headers or "expect" in headers:
        return None
    length = headers.get("content-length")
    if length is None:
        content_length = 0
    elif length.isdigit():
        content_length = int(length)
        if content_length > protocol.MAX_REQUEST_BYTES:
            return None  # the fallback reads and drops some of it, and answers 413
    else:
        return None
    connection = headers.get("connection")
    close = False
    if connection is not None:
        if connection.lower() == "close":
            close = True
        elif "," in connection:
            return None
    return Request(lines[0], query, headers, content_length, close)


_date_cache: tuple[int, str] = (-1, "")


def _date() -> str:
    """The Date header's value, as http.server writes it (formatted once a second)."""
    global _date_cache
    now = int(time.time())
    second, text = _date_cache
    if second != now:
        text = formatdate(now, usegmt=True)
        _date_cache = (now, text)
    return text


def _status_line(status: int) -> str:
    return f"HTTP/1.1 {status} {status_reason(status)}\r\nServer: Server\r\nDate: "


_STATUS_LINES = {status: _status_line(status) for status in (200, 400, 404, 413, 500)}


def answer(status: int, headers: dict[str, str], payload: bytes, cors: bool, close: bool) -> bytes:
    """The response's bytes: status line, ``Server``, ``Date``, the protocol's headers
    in their order, CORS, ``Content-Length``, ``Connection: close`` if closing; then the
    body (what ``http.server``'s send_response/send_header/end_headers write)."""
    out = [_STATUS_LINES.get(status) or _status_line(status), _date(), "\r\n"]
    for name, value in headers.items():
        if name.lower() not in _FRAMING:
            out.append(f"{name}: {value}\r\n")
    if cors:
        out.append("Access-Control-Allow-Origin: *\r\n")
    out.append(f"Content-Length: {len(payload)}\r\n")
    if close:
        out.append("Connection: close\r\n")
    out.append("\r\n")
    return "".join(out).encode("latin-1") + payload


def serve(connection: Any, client_address: Any, regions: Regions, fallback: Callable[[bytes], Any]) -> None:
    """Answer the requests of one connection until it closes, is idle too long (a read
    then fails: the socket's timeout or SO_RCVTIMEO), asks to close, or needs ``fallback`` (called with the bytes read
    and not answered; it serves the rest of the connection).

    The caller closes the socket afterwards.
    """
    recv = connection.recv
    sendall = connection.sendall
    handle = protocol.handle
    buffer = b""
    try:
        while True:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                # http.server also ends a head at a blank line after a lone LF, and stops
                # at a leading blank line; and it refuses long lines.
                if len(buffer) > MAX_HEAD_BYTES or b"\n\n" in buffer or b"\n\r\n" in buffer or (
                        buffer and buffer[0] in b"\r\n"):
                    fallback(buffer)
                    return
                data = recv(RECV_BYTES)
                if not data:
                    if buffer:  # a cut-off head: answered (or not) as http.server does
                        fallback(buffer)
                    return
                buffer = buffer + data if buffer else data
                continue
            request = parse_head(buffer[:end])
            if request is None:
                fallback(buffer)
                return
            start = end + 4
            stop = start + request.content_length
            if len(buffer) >= stop:
                body = buffer[start:stop]
                buffer = buffer[stop:]
            else:
                pieces = [buffer]
                have = len(buffer)
                while have < stop:
                    data = recv(max(RECV_BYTES, min(stop - have, 1 << 20)))
                    if not data:  # a cut-off body: answered as http.server does
                        fallback(b"".join(pieces))
                        return
                    pieces.append(data)
                    have += len(data)
                buffer = b"".join(pieces)
                body = buffer[start:stop]
                buffer = buffer[stop:]
            headers = request.headers
            status, response_headers, payload = handle(
                regions, headers.get("x-amz-target"), body, headers, request.query)
            if log.isEnabledFor(logging.INFO):
                log.info('%s "%s" %s', client_address[0], request.line, status)
            sendall(answer(status, response_headers, payload, bool(headers.get("origin")), request.close))
            if request.close:
                return
    except (TimeoutError, BlockingIOError) as error:  # idle or stalled longer than the time limit
        log.debug("%s Request timed out: %r", client_address[0], error)
    except OSError:  # the client reset or went away; nothing to answer
        pass
