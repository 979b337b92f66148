"""JSON text of the wire protocol: orjson when it is installed, the standard library
otherwise, with the same results either way.

Encoding and decoding are about half of the server's time on a read that returns many
items (a 100-item Query page: ~300 us of C ``json`` encoding, ~50 us with orjson), so the
``orjson`` package (a compiled wheel, a dependency on CPython) is used when it can be
imported. Nothing else changes with it: every request that orjson would read differently
from the standard library is read by the standard library.

* orjson refuses what the standard library reads in its own way (a lone surrogate escape,
  which the protocol turns into ``?``; ``1e400``; nesting past 1024 levels): such a body
  is decoded again by the standard library, which gives the answer it always gave.
* orjson reads an integer of more than 64 bits as a float, silently; a body with a run of
  19 or more digits anywhere (in a string too, which costs only the slower path) goes to
  the standard library directly.
* orjson nests as deep as it is asked to, where the standard library stops at Python's
  recursion limit (a SerializationException here): a body with more than
  :data:`FAST_BRACKETS` opening brackets, which could nest that deep, goes to the
  standard library directly. (Requests that big are rare: a full BatchWriteItem of small
  items has a few hundred.)
* Encoding falls back on what orjson cannot write (an integer of more than 64 bits, a
  non-string key). The texts agree byte for byte except for floats written with an
  exponent (orjson ``1e16``, Python ``1e+16``): the same number to any JSON reader, and
  absent from answers in practice (their floats are timestamps and capacity units). A NaN
  (which no answer holds) would be ``null`` from orjson and an error from Python.

``tests/server/test_wire_json.py`` checks both paths against each other on generated documents.
"""

from __future__ import annotations

import json
import re
from typing import Any, Callable

#: The standard library's encoder, configured as the protocol writes: compact, UTF-8
#: (not \\u escapes), no NaN. Answers are trees built from decoded requests and stored
#: items, never cyclic, so the cycle check (an id set per container: ~15% of encoding
#: 100 items) is off.
_stdlib_encode = json.JSONEncoder(
    separators=(",", ":"), ensure_ascii=False, allow_nan=False, check_circular=False
).encode


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


#: DynamoDB's JSON has no NaN/Infinity literals: reading one is a serialization error.
_stdlib_decode = json.JSONDecoder(parse_constant=_reject_constant).decode


class NotJSON(ValueError):
    """The body is not a JSON text (DynamoDB: SerializationException)."""


#: A \uD800-\uDFFF escape; JSON parsing joins a valid pair into one character, so any
#: surrogate left after parsing stands alone.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")

#: One pass over a body finds both: with every digit made a ``0`` and every ``{`` a
#: ``[``, a run of 19 zeros is where orjson would read an integer as a float (more than
#: 64 bits needs 19+ digits), and the ``[`` count bounds the nesting. (A regular
#: expression for a digit run costs ~9 us a KB, this ~1.)
_FOLD = bytes.maketrans(b"123456789{", b"000000000[")
_LONG_DIGITS = b"0" * 19

#: The most ``[`` plus ``{`` a body orjson reads may have: well below the depth where the
#: standard library's parser meets Python's recursion limit (1000 frames by default).
FAST_BRACKETS = 512


def stdlib_encode(value: Any) -> bytes:
    """``value`` as the protocol's JSON, by the standard library alone."""
    return _stdlib_encode(value).encode("utf-8")


def stdlib_decode(body: bytes) -> Any:
    """A request body's JSON value by the standard library alone (raises NotJSON)."""
    try:
        text = body.decode("utf-8")
        value = _stdlib_decode(text)
        if "\\u" in text and _SURROGATE_ESCAPE.search(text):
            # Inside the try: nested deep enough, replacing meets the recursion limit too.
            value = _without_lone_surrogates(value)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise NotJSON from None
    return value


def _without_lone_surrogates(value: Any) -> Any:
    """Every string with its unpaired surrogates replaced by ``?``.

    A JSON escape can name half a surrogate pair, which no UTF-8 text can hold. DynamoDB
    (a Java service) turns such a character into ``?`` when it encodes the string, so
    that is what is stored, measured and echoed back, instead of failing to encode it.
    """
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, list):
        return [_without_lone_surrogates(element) for element in value]
    if isinstance(value, dict):
        return {_without_lone_surrogates(key): _without_lone_surrogates(inner) for key, inner in value.items()}
    return value


def _orjson_codec() -> tuple[Callable[[Any], bytes], Callable[[bytes], Any]] | None:
    try:
        import orjson
    except ImportError:
        return None
    dumps, loads = orjson.dumps, orjson.loads
    encode_error, decode_error = orjson.JSONEncodeError, orjson.JSONDecodeError

    def fast_encode(value: Any) -> bytes:
        try:
            return dumps(value)
        except encode_error:
            return stdlib_encode(value)

    def fast_decode(body: bytes) -> Any:
        folded = body.translate(_FOLD)
        if folded.count(b"[") <= FAST_BRACKETS and _LONG_DIGITS not in folded:
            try:
                return loads(body)
            except decode_error:
                pass
        return stdlib_decode(body)

    return fast_encode, fast_decode


_fast = _orjson_codec()

#: Whether orjson is in use (the benchmark reports it).
ACCELERATED = _fast is not None

#: ``encode(value) -> bytes`` and ``decode(body) -> value`` (raises NotJSON).
encode, decode = _fast if _fast is not None else (stdlib_encode, stdlib_decode)
