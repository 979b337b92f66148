"""server.http11.parse_head reads a request head exactly as http.server does, or declines.

The reference is http.server itself: BaseHTTPRequestHandler.parse_request (request line,
keep-alive) over http.client.parse_headers (the email package). Whenever parse_head
accepts a head, the reference must see the same method, path, version, headers (repeated
ones joined with ",", as the WSGI environ joins them), Connection and Content-Length, and
must end the head where parse_head does. Heads it declines go to http.server unchanged
(tests/server/test_http_fast_path.py checks those answers on the wire).
"""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server import http11, protocol
from server.httpserver import _Handler


def reference(head: bytes):
    """What http.server makes of ``head`` (plus the blank line ending it): the handler
    after parse_request, whether that succeeded, and the bytes it left unread."""
    handler = _Handler.__new__(_Handler)
    handler.rfile = io.BytesIO(head + b"\r\n\r\n")
    handler.wfile = io.BytesIO()
    handler.client_address = ("127.0.0.1", 0)
    handler.raw_requestline = handler.rfile.readline(65537)
    ok = len(handler.raw_requestline) <= 65536 and bool(handler.raw_requestline) and handler.parse_request()
    return handler, ok, handler.rfile.read()


def joined(handler) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name, value in handler.headers.items():
        name = name.lower()
        headers[name] = f"{headers[name]},{value}" if name in headers else value
    return headers


def assert_agrees(head: bytes) -> http11.Request | None:
    request = http11.parse_head(head)
    if request is None:
        return None
    handler, ok, rest = reference(head)
    assert ok and rest == b""
    assert (handler.command, handler.request_version) == ("POST", "HTTP/1.1")
    assert handler.requestline == request.line
    assert handler.path.partition("?")[2] == request.query
    assert handler.path == "/" or handler.path.startswith("/?")
    assert joined(handler) == request.headers
    assert handler.close_connection == request.close
    assert "chunked" not in handler.headers.get("Transfer-Encoding", "").lower()
    assert handler.headers.get("Expect") is None
    assert int(handler.headers.get("Content-Length") or 0) == request.content_length
    return request


BOTO3_HEAD = (
    b"POST / HTTP/1.1\r\nHost: 127.0.0.1:8000\r\nAccept-Encoding: identity\r\n"
    b"X-Amz-Target: DynamoDB_20120810.PutItem\r\nContent-Type: application/x-amz-json-1.0\r\n"
    b"User-Agent: Boto3/1.43.11 md/Botocore#1.43.11 ua/2.1 os/linux#6 lang/python#3.11.7\r\n"
    b"X-Amz-Date: 20240101T000000Z\r\n"
    b"Authorization: AWS4-HMAC-SHA256 Credential=k/20240101/us-east-1/dynamodb/aws4_request, "
    b"SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=00ff\r\n"
    b"amz-sdk-invocation-id: 5f4dcc3b-5aa7-4e3a-9f2b-1a2b3c4d5e6f\r\namz-sdk-request: attempt=1\r\n"
    b"Content-Length: 52"
)


def test_parse_head_reads_a_boto3_request():
    request = assert_agrees(BOTO3_HEAD)
    assert request is not None
    assert request.headers["x-amz-target"] == "DynamoDB_20120810.PutItem"
    assert request.headers["authorization"].endswith("Signature=00ff")
    assert (request.content_length, request.close, request.query, request.line) == (52, False, "", "POST / HTTP/1.1")


ACCEPTED = {
    "no headers": b"POST / HTTP/1.1",
    "query string": b"POST /?X-Amz-Algorithm=a&b=c?d HTTP/1.1\r\nHost: x",
    "blanks around the request line's words": b"POST  /   HTTP/1.1 ",
    "repeated header joined": b"POST / HTTP/1.1\r\nX-A: 1\r\nx-a: 2\r\nX-A:3",
    "blanks after the colon dropped, trailing ones kept": b"POST / HTTP/1.1\r\nX-A: \t v \t\r\nX-B:",
    "colons in the value": b"POST / HTTP/1.1\r\nX-Amz-Date: Mon, 01 Jan 2024 00:00:00 GMT",
    "Connection: close": b"POST / HTTP/1.1\r\nConnection: cLoSe\r\nContent-Length: 0",
    "Connection: keep-alive": b"POST / HTTP/1.1\r\nConnection: keep-alive",
    "Connection with a trailing blank (not close)": b"POST / HTTP/1.1\r\nConnection: close ",
    "odd header name characters": b"POST / HTTP/1.1\r\nX_Odd.Name!~: v",
    "Content-Length with leading zeros": b"POST / HTTP/1.1\r\nContent-Length: 0012",
    "control-free value with tabs": b"POST / HTTP/1.1\r\nX-A: a\tb",
}


@pytest.mark.parametrize("head", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_parse_head_accepts_and_agrees_with_http_server(head):
    assert assert_agrees(head) is not None


DECLINED = {
    "GET": b"GET / HTTP/1.1",
    "lower-case method": b"post / HTTP/1.1",
    "other path": b"POST /x HTTP/1.1",
    "double slash": b"POST // HTTP/1.1",
    "HTTP/1.0": b"POST / HTTP/1.0",
    "HTTP/0.9 line": b"POST /",
    "four words": b"POST / x HTTP/1.1",
    "leading blank line": b"\r\nPOST / HTTP/1.1",
    "chunked": b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked",
    "other transfer coding": b"POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\nContent-Length: 3",
    "Expect": b"POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 3",
    "Content-Length not digits": b"POST / HTTP/1.1\r\nContent-Length: +3",
    "Content-Length with a blank": b"POST / HTTP/1.1\r\nContent-Length: 3 ",
    "Content-Length repeated": b"POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 3",
    "Content-Length over the limit": b"POST / HTTP/1.1\r\nContent-Length: %d" % (protocol.MAX_REQUEST_BYTES + 1),
    "Connection list": b"POST / HTTP/1.1\r\nConnection: keep-alive, close",
    "Connection repeated": b"POST / HTTP/1.1\r\nConnection: close\r\nConnection: keep-alive",
    "folded header": b"POST / HTTP/1.1\r\nX-A: a\r\n b",
    "no colon": b"POST / HTTP/1.1\r\nX-A",
    "empty name": b"POST / HTTP/1.1\r\n: v",
    "blank before the colon": b"POST / HTTP/1.1\r\nX-A : v",
    "bare LF": b"POST / HTTP/1.1\nX-A: v",
    "bare CR": b"POST / HTTP/1.1\r\nX-A: v\rX-B: w",
    "LF ending the head early": b"POST / HTTP/1.1\r\nX-A: v\n\r\nX-B: w",
    "trailing CR": b"POST / HTTP/1.1\r\nX-A: v\r",
    "non-ASCII value": "POST / HTTP/1.1\r\nX-A: caf\u00e9".encode("latin-1"),
    "control character": b"POST / HTTP/1.1\r\nX-A: a\x00b",
    "vertical tab": b"POST / HTTP/1.1\r\nX-A: a\x0bb",
    "DEL": b"POST / HTTP/1.1\r\nX-A: a\x7fb",
    "too long": b"POST / HTTP/1.1\r\nX-A: " + b"v" * http11.MAX_HEAD_BYTES,
}


@pytest.mark.parametrize("head", DECLINED.values(), ids=DECLINED.keys())
def test_parse_head_declines_what_it_does_not_read_as_http_server_does(head):
    assert http11.parse_head(head) is None


def test_parse_head_accepts_the_most_header_lines_http_server_takes():
    assert assert_agrees(b"POST / HTTP/1.1" + b"\r\nX-A: v" * http11.MAX_HEADER_LINES) is not None
    one_more = b"POST / HTTP/1.1" + b"\r\nX-A: v" * (http11.MAX_HEADER_LINES + 1)
    assert http11.parse_head(one_more) is None
    assert not reference(one_more)[1]  # 431 Too many headers


_REQUEST_LINES = st.sampled_from([
    b"POST / HTTP/1.1", b"POST /?a=b HTTP/1.1", b"POST  / HTTP/1.1", b"POST / HTTP/1.1 ", b"POST / HTTP/1.0",
    b"POST /x HTTP/1.1", b"GET / HTTP/1.1", b"POST / HTTP/1.1\t", b"POST\t/ HTTP/1.1", b"POST / HTTP/1.1 x",
])
_NAMES = st.sampled_from([b"Host", b"Content-Length", b"content-length", b"Connection", b"Transfer-Encoding",
                          b"Expect", b"X-Amz-Target", b"Authorization", b"Origin", b"X-A", b"x-a", b"From"])
_VALUES = st.sampled_from([b"", b"close", b"keep-alive", b"Close", b"0", b"12", b"007", b"chunked", b"a,b",
                           b"100-continue", b" v", b"\tv", b"v ", b"AWS4-HMAC-SHA256 Credential=k/d/r/s/aws4_request"])
_JUNK = st.binary(max_size=12).map(lambda data: data.translate(
    bytes.maketrans(bytes(range(8)), b" \t\r\n:,\x00\xe9")))
_LINES = st.one_of(
    st.builds(lambda name, value: name + b": " + value, _NAMES, _VALUES),
    st.builds(lambda name, sep, value: name + sep + value, _NAMES, st.sampled_from([b":", b" :", b":\t", b""]), _VALUES),
    _JUNK,
    st.builds(lambda name, junk: name + b": " + junk, _NAMES, _JUNK),
)


@settings(max_examples=500)
@given(_REQUEST_LINES, st.lists(_LINES, max_size=8))
def test_parse_head_agrees_with_http_server_on_generated_heads(request_line, lines):
    assert_agrees(b"\r\n".join([request_line, *lines]))
