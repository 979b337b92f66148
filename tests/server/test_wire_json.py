"""The wire protocol's JSON: orjson (when installed) reads and writes what the standard
library does.

server.wire_json uses orjson for speed and the standard library where orjson would
differ; these properties pin "would differ" down on generated documents and bodies, so
a server with orjson answers exactly as one without.
"""

from __future__ import annotations

import json
import sys

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from server import wire_json

pytestmark = pytest.mark.skipif(not wire_json.ACCELERATED, reason="orjson is not installed")

# Every JSON scalar a request can hold, including integers past 64 bits and text with
# lone surrogates (which the standard library writes as \ud800-style escapes).
_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text()
    | st.text(alphabet=st.characters(codec=None, categories=("Cs", "Ll", "Nd", "Cc")))
)
_documents = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=20,
)


def _decoded(decode, body: bytes) -> str:
    """What ``decode`` makes of ``body``, with its types (1 and 1.0 differ)."""
    try:
        return repr(decode(body))
    except wire_json.NotJSON:
        return "NotJSON"


def _stdlib_text(document, ascii_escapes: bool) -> bytes:
    return json.dumps(document, ensure_ascii=ascii_escapes).encode("utf-8", "surrogatepass")


@settings(max_examples=400)
@given(document=_documents, ascii_escapes=st.booleans())
@example(document={"Limit": 123456789012345678901234567890}, ascii_escapes=False)
@example(document={"S": "\ud800"}, ascii_escapes=True)
@example(document={"S": "\ud83d\ude00"}, ascii_escapes=True)
@example(document=[float("inf")], ascii_escapes=False)
def test_decoding_agrees_with_the_standard_library(document, ascii_escapes):
    body = _stdlib_text(document, ascii_escapes)
    assert _decoded(wire_json.decode, body) == _decoded(wire_json.stdlib_decode, body)


@settings(max_examples=400)
@given(document=_documents, cut=st.integers(min_value=0), junk=st.binary(max_size=3))
def test_damaged_bodies_are_judged_alike(document, cut, junk):
    """A body cut short or with bytes spliced in: the same value, or NotJSON from both."""
    body = _stdlib_text(document, False)
    cut %= len(body) + 1
    damaged = body[:cut] + junk + body[cut:]
    assert _decoded(wire_json.decode, damaged) == _decoded(wire_json.stdlib_decode, damaged)


@pytest.mark.parametrize("body", [
    b"", b"{", b"NaN", b'{"a":NaN}', b'{"a":Infinity}', b"[-Infinity]", b"\xef\xbb\xbf{}",
    b'{"a":"\x01"}', b'{"a":"\xff"}', b"[1e400]", b"{} {}", b'{"a":1,"a":2}', b" {}\n",
], ids=repr)
def test_edge_bodies_are_judged_alike(body):
    assert _decoded(wire_json.decode, body) == _decoded(wire_json.stdlib_decode, body)


def _depth(value) -> int:
    """How deeply lists nest in ``value`` (iteratively: the values nest too deep for repr)."""
    depth = 0
    while isinstance(value, list):
        depth, value = depth + 1, value[0] if value else None
    return depth


@pytest.mark.parametrize("levels", [600, 900])
def test_a_lone_surrogate_nested_deep_is_not_json_not_a_crash(levels):
    """Replacing the surrogate walks the value recursively and meets the recursion limit
    before the parser does: still a SerializationException, as before orjson."""
    body = b"[" * levels + b'"\\ud800"' + b"]" * levels
    for decode in (wire_json.decode, wire_json.stdlib_decode):
        with pytest.raises(wire_json.NotJSON):
            decode(body)


@pytest.mark.parametrize("levels", [1000, 1030, 2000, 100_000])
def test_nesting_past_orjsons_limit_is_judged_alike(levels):
    """orjson stops at 1024 levels; the standard library's own limit then decides."""
    body = b"[" * levels + b"]" * levels
    outcomes = []
    for decode in (wire_json.decode, wire_json.stdlib_decode):
        try:
            outcomes.append(_depth(decode(body)))
        except wire_json.NotJSON:
            outcomes.append("NotJSON")
    assert outcomes[0] == outcomes[1]


# What answers are made of: no float with an exponent (see below).
_answer_floats = st.floats(min_value=-1e15, max_value=1e15, allow_nan=False).filter(
    lambda number: number == 0 or abs(number) >= 1e-4
)
_answer_scalars = st.none() | st.booleans() | st.integers() | st.text() | _answer_floats
_answers = st.recursive(
    _answer_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=400)
@given(answer=_answers)
@example(answer={"Count": 2**70, "Text": "\x00\x1f\x7f\u2028\"\\/é😀"})
def test_answers_are_written_byte_for_byte_alike(answer):
    assert wire_json.encode(answer) == wire_json.stdlib_encode(answer)


@settings(max_examples=200)
@given(number=st.floats(allow_nan=False, allow_infinity=False))
@example(number=1e16)
@example(number=1e-5)
def test_floats_with_exponents_read_back_the_same(number):
    """orjson writes 1e16 where Python writes 1e+16: the same number to any reader."""
    assert json.loads(wire_json.encode([number])) == json.loads(wire_json.stdlib_encode([number]))


def test_an_ordinary_request_is_read_and_answered_by_orjson(monkeypatch):
    """The fast path is taken (not silently the fallback) for what SDKs send."""
    def refuse(value):
        raise AssertionError("the standard library was used")

    monkeypatch.setattr(wire_json, "stdlib_decode", refuse)
    monkeypatch.setattr(wire_json, "stdlib_encode", refuse)
    body = b'{"TableName":"users","Key":{"id":{"S":"u-1"},"n":{"N":"12345"}},"ConsistentRead":true}'
    request = wire_json.decode(body)
    assert request["Key"]["n"] == {"N": "12345"}
    assert wire_json.encode(request) == body


_HEADERS = {
    "Content-Type": "application/x-amz-json-1.0",
    "X-Amz-Date": "20240101T000000Z",
    "Authorization": "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/dynamodb/aws4_request, "
                     "SignedHeaders=host, Signature=0123abcd",
}

# A session of requests touching every kind of answer: tables, items of every type,
# a page of items, errors with and without messages, bodies that are not JSON.
_SESSION = [
    ("CreateTable", b'{"TableName":"wire","BillingMode":"PAY_PER_REQUEST",'
                    b'"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],'
                    b'"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},'
                    b'{"AttributeName":"sk","AttributeType":"N"}]}'),
    *[("PutItem", ('{"TableName":"wire","Item":{"pk":{"S":"p\u00e9\\ud83d\\ude00"},"sk":{"N":"%d"},'
                   '"ss":{"SS":["a","b"]},"b":{"B":"AAEC"},"m":{"M":{"l":{"L":[{"NULL":true},{"BOOL":false}]}}},'
                   '"big":{"N":"123456789012345678901234567890"},"lone":{"S":"x\\ud800y"}}}' % i).encode())
      for i in range(5)],
    ("Query", b'{"TableName":"wire","KeyConditionExpression":"pk = :p","ReturnConsumedCapacity":"TOTAL",'
              b'"ExpressionAttributeValues":{":p":{"S":"p\\u00e9\\ud83d\\ude00"}},"Limit":3}'),
    ("Scan", b'{"TableName":"wire","Limit":123456789012345678901234567890}'),
    ("Scan", b'{"TableName":"wire","Limit":1e400}'),
    ("GetItem", b'{"TableName":"wire","Key":{"pk":{"S":"nope"}}}'),
    ("DescribeTable", b'{"TableName":"wire"}'),
    ("PutItem", b'{"TableName":"wire","Item":' + b"[" * 600 + b"]" * 600 + b"}"),
    ("PutItem", b'{"TableName":"wire", NaN}'),
    ("ListTables", b""),
]


def _answers() -> list[tuple[int, bytes]]:
    from emulator.database import Regions
    from server import protocol

    regions = Regions()
    answers = []
    for operation, body in _SESSION:
        status, _, payload = protocol.handle(regions, f"DynamoDB_20120810.{operation}", body, _HEADERS)
        answers.append((status, payload))
    return answers


def _timeless(value):
    """An answer without the times and ids that are new each run (``...DateTime``, TableId)."""
    if isinstance(value, dict):
        return {key: _timeless(inner) for key, inner in value.items()
                if not key.endswith("DateTime") and key != "TableId"}
    if isinstance(value, list):
        return [_timeless(inner) for inner in value]
    return value


def _parsed(answers: list[tuple[int, bytes]]) -> list:
    return [(status, _timeless(json.loads(payload)) if payload else None) for status, payload in answers]


def test_a_server_without_orjson_answers_the_same(monkeypatch):
    """The whole protocol, once with orjson and once with it blocked from importing."""
    import importlib

    with_orjson = _answers()
    monkeypatch.setitem(sys.modules, "orjson", None)  # `import orjson` raises ImportError
    try:
        importlib.reload(wire_json)
        assert not wire_json.ACCELERATED
        without = _answers()
    finally:
        monkeypatch.undo()
        importlib.reload(wire_json)
    assert wire_json.ACCELERATED
    assert _parsed(with_orjson) == _parsed(without)
    assert [status for status, _ in with_orjson] == [200] * 8 + [400, 400, 200, 400, 400, 400]
