"""The HTTP server answers ``POST /`` without going through Flask or http.server (its
hand-written loop, server/http11.py, a speed fast path); its answers must be the Flask
view's byte for byte: same status line, same headers in the same order, same body, same
keep-alive. Each exchange here goes to two servers on one engine, one with the fast path
and one without (``regions=None`` sends everything through http.server and the WSGI
app), and the raw responses are compared with the request id, Date and CRC masked.
Besides DynamoDB requests, the cases include what the fast loop hands to http.server
(other methods and paths, HTTP/1.0, chunked bodies, odd heads, over-large bodies) and
connections carrying several requests, cut off, or switching from one path to the other.
"""

from __future__ import annotations

import json
import logging
import re
import socket
import threading

import pytest

from emulator import api
from emulator.database import Regions
from server import httpserver, protocol
from server.app import create_app
from server.httpserver import EmulatorServer

SIGNED = ("Authorization: AWS4-HMAC-SHA256 Credential=k/20240101/us-east-1/dynamodb/aws4_request, "
          "SignedHeaders=host, Signature=0\r\nX-Amz-Date: 20240101T000000Z\r\n")
JSON10 = "Content-Type: application/x-amz-json-1.0\r\n"
CREATE = ('{"TableName":"fast","BillingMode":"PAY_PER_REQUEST","KeySchema":[{"AttributeName":"p","KeyType":"HASH"}],'
          '"AttributeDefinitions":[{"AttributeName":"p","AttributeType":"S"}]}')


@pytest.fixture(scope="module")
def servers():
    regions = Regions()
    # The table exists before either server sees a request, so every case is stateless
    # (CreateTable below is answered ResourceInUseException by both).
    api.call(regions.get(), "CreateTable", json.loads(CREATE))
    app = create_app(regions)
    pair = [EmulatorServer("127.0.0.1", 0, app, regions), EmulatorServer("127.0.0.1", 0, app, None)]
    threads = [threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True) for s in pair]
    for thread in threads:
        thread.start()
    yield [s.server_port for s in pair]
    for server in pair:
        server.shutdown()
        server.server_close()


def exchange(port: int, raw: bytes) -> bytes:
    """Send ``raw`` on a new connection, close the sending side, read until the server
    closes; the answer with its varying parts masked."""
    with socket.create_connection(("127.0.0.1", port)) as connection:
        connection.sendall(raw)
        connection.shutdown(socket.SHUT_WR)
        chunks = []
        while True:
            chunk = connection.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    answer = b"".join(chunks)
    answer = re.sub(rb"Date: [^\r]*", b"Date: -", answer)
    answer = re.sub(rb"x-amzn-RequestId: [0-9A-Z]{52}", b"x-amzn-RequestId: -", answer)
    return re.sub(rb"x-amz-crc32: \d+", b"x-amz-crc32: -", answer) if b"RequestId" in answer else answer


def request(target: str, body: str, headers: str = SIGNED + JSON10, path: str = "/", close: bool = True,
            method: str = "POST", version: str = "HTTP/1.1") -> bytes:
    data = body.encode()
    extra = f"X-Amz-Target: DynamoDB_20120810.{target}\r\n" if target else ""
    connection = "Connection: close\r\n" if close else ""
    return (f"{method} {path} {version}\r\nHost: x\r\n{connection}{extra}{headers}"
            f"Content-Length: {len(data)}\r\n\r\n").encode() + data


PUT = '{"TableName":"fast","Item":{"p":{"S":"a"},"n":{"N":"1.50"}}}'
GET = '{"TableName":"fast","Key":{"p":{"S":"a"}}}'
# Over 64 KiB: the body arrives in several reads.
BIG_PUT = '{"TableName":"fast","Item":{"p":{"S":"big"},"v":{"S":"%s"}}}' % ("x" * 300_000)
CHUNKED = (b"POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Amz-Target: DynamoDB_20120810.GetItem\r\n"
           + (SIGNED + JSON10).encode() + b"Transfer-Encoding: chunked\r\n\r\n"
           + b"%x\r\n%s\r\n" % (len(GET) - 5, GET[:-5].encode()) + b"5\r\n%s\r\n0\r\n\r\n" % GET[-5:].encode())


CASES = {
    "create table (exists)": request("CreateTable", CREATE),
    "put item": request("PutItem", '{"TableName":"fast","Item":{"p":{"S":"a"},"n":{"N":"1.50"}}}'),
    "get item": request("GetItem", '{"TableName":"fast","Key":{"p":{"S":"a"}}}'),
    "validation error": request("GetItem", '{"TableName":"fast","Key":{}}'),
    "missing table": request("GetItem", '{"TableName":"nope","Key":{"p":{"S":"a"}}}'),
    "not json": request("ListTables", "{nope"),
    "unknown operation": request("Frobnicate", "{}"),
    "no target": request("", "{}"),
    "unsigned": request("ListTables", "{}", JSON10),
    "plain json content type": request("ListTables", "{}", SIGNED + "Content-Type: application/json\r\n"),
    "wrong content type (404)": request("ListTables", "{}", SIGNED + "Content-Type: text/plain\r\n"),
    "with an Origin (CORS)": request("ListTables", "{}", SIGNED + JSON10 + "Origin: http://example.com\r\n"),
    "repeated header": request("ListTables", "{}", SIGNED + JSON10 + "X-Amz-Target: DynamoDB_20120810.ListTables\r\n"),
    "query-string signature": request("ListTables", "{}", JSON10, "/?X-Amz-Algorithm=a&X-Amz-Credential=b"),
    "empty body": request("ListTables", "", SIGNED + JSON10),
    "large body": request("PutItem", BIG_PUT),
    # Handed to http.server by the fast loop:
    "GET health check": b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    "HEAD": b"HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    "CORS preflight": (b"OPTIONS / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nOrigin: http://e.com\r\n"
                       b"Access-Control-Request-Method: POST\r\n\r\n"),
    "PUT method": request("ListTables", "{}", method="PUT"),
    "other path": request("ListTables", "{}", path="/other"),
    "HTTP/1.0": request("GetItem", GET, close=False, version="HTTP/1.0"),
    "chunked body": CHUNKED,
    "Expect: 100-continue": request("GetItem", GET, SIGNED + JSON10 + "Expect: 100-continue\r\n"),
    "body over 16 MiB (413)": (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n{}"
                               % (protocol.MAX_REQUEST_BYTES + 1)),
    "Content-Length not a number (413)": b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: x\r\n\r\n",
    "folded header": request("ListTables", "{}", SIGNED + JSON10 + "X-Folded: a\r\n b\r\n"),
    "bare LF line ends": request("ListTables", "{}").replace(b"\r\n", b"\n"),
    "non-ASCII header value": request("ListTables", "{}", SIGNED + JSON10 + "X-A: caf\u00e9\r\n"),
    "malformed request line": b"POST / HTTP/1.1 x\r\nHost: x\r\n\r\n",
    "HTTP/2 request line": b"POST / HTTP/2.0\r\nHost: x\r\n\r\n",
    # Connections carrying several requests, or cut off:
    "keep-alive, three requests": (request("PutItem", PUT, close=False) + request("GetItem", GET, close=False)
                                   + request("ListTables", "{}", close=False)),
    "Connection: keep-alive": request("ListTables", "{}", SIGNED + JSON10 + "Connection: keep-alive\r\n", close=False),
    "requests after Connection: close are not answered": request("ListTables", "{}") + request("GetItem", GET),
    "fast, then handed over, then the handler's own fast path": (
        request("GetItem", GET, close=False) + b"GET / HTTP/1.1\r\nHost: x\r\n\r\n" + request("GetItem", GET)),
    "leading blank line": b"\r\n" + request("ListTables", "{}"),
    "cut-off head": request("ListTables", "{}", close=False)[:40],
    "cut-off body": request("GetItem", GET, close=False)[:-5],
    "nothing sent": b"",
}


@pytest.mark.parametrize("raw", CASES.values(), ids=CASES.keys())
def test_http_fast_path_answers_as_the_flask_view(servers, raw):
    fast, through_flask = servers
    assert exchange(fast, raw) == exchange(through_flask, raw)


def test_http_fast_path_closes_an_idle_connection(servers, monkeypatch):
    monkeypatch.setattr(httpserver, "IDLE_TIMEOUT_SECONDS", 0.2)
    with socket.create_connection(("127.0.0.1", servers[0])) as connection:
        connection.settimeout(30)  # guard against a hang only
        connection.sendall(request("ListTables", "{}", close=False))
        answer = b""
        while True:  # the answer, then the end of the connection once it has been idle
            chunk = connection.recv(65536)
            if not chunk:
                break
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 200 OK\r\n")


def test_http_fast_path_logs_each_request_line_at_info(servers, caplog):
    with caplog.at_level(logging.INFO, logger="dynamodb_emulator.http"):
        exchange(servers[0], request("ListTables", "{}"))
    assert [record.getMessage() for record in caplog.records] == ['127.0.0.1 "POST / HTTP/1.1" 200']
