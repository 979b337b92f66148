"""The HTTP server answers ``POST /`` without going through Flask (a speed fast path);
its answers must be the Flask view's byte for byte: same status line, same headers in the
same order, same body. Each request here goes to two servers on one engine, one with the
fast path and one without (``regions=None`` sends everything through the WSGI app), and
the raw responses are compared with the request id and Date masked."""

from __future__ import annotations

import json
import re
import socket
import threading

import pytest

from emulator import api
from emulator.database import Regions
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


def request(target: str, body: str, headers: str = SIGNED + JSON10, path: str = "/") -> bytes:
    data = body.encode()
    extra = f"X-Amz-Target: DynamoDB_20120810.{target}\r\n" if target else ""
    return (f"POST {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n{extra}{headers}"
            f"Content-Length: {len(data)}\r\n\r\n").encode() + data


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
}


@pytest.mark.parametrize("raw", CASES.values(), ids=CASES.keys())
def test_http_fast_path_answers_as_the_flask_view(servers, raw):
    fast, through_flask = servers
    assert exchange(fast, raw) == exchange(through_flask, raw)
