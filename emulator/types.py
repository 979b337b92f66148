"""AttributeValues: deserialization, validation, number normalization, key order, item size.

Items travel and are stored in DynamoDB's wire format (``{"a": {"S": "x"}}``). A value is
checked once, on the way in, and comes out normalized (numbers in canonical form), so every
later read hands the stored dict out unchanged. Values that are already canonical are
returned as they are: no copies on the hot path.

DynamoDB looks at an AttributeValue in two passes, and this module keeps them apart:

1. **Deserialization** (Coral's JSON reader): a member of the wrong JSON type is a
   ``SerializationException`` ("NUMBER_VALUE cannot be converted to String", ...). Members
   sent as ``null`` and unknown members are dropped; ``BOOL``/``NULL`` accept the strings
   "true"/"yes"/"1" (any case) and their negatives; binaries must be canonical base64.
   Such an error anywhere in the request beats every validation error.
2. **Validation** (the operation's checks, after the request-shape pass): exactly one type
   per value, non-empty sets without duplicates, numbers within 38 digits and 1E-130..1E+126,
   ``NULL`` true, nesting at most 32 levels.

:func:`parse_item` does both in one walk and *defers* the first validation error (see
:class:`ParsedItem`), so an operation can report request-shape errors first, as DynamoDB
does. Messages are DynamoDB's, as recorded by dynalite (test/putItem.js, test/helpers.js
``assertType``) and confirmed where noted.

Ordering: DynamoDB orders sort keys numerically for N and by unsigned bytes for S and B.
Python ``str`` order is code-point order, which equals UTF-8 byte order, so ``str``,
``Decimal`` and ``bytes`` serve directly as key-order values.
"""

from __future__ import annotations

import base64
import binascii
import re
from decimal import Decimal
from functools import lru_cache
from typing import Any, NamedTuple, Optional, Union

from . import limits
from .errors import SerializationException, ValidationException

AttributeValue = dict[str, Any]
Item = dict[str, AttributeValue]
KeyValue = Union[str, Decimal, bytes]

SCALAR_TYPES = ("S", "N", "B")
#: The members of the AttributeValue structure, in the API model's order.
ALL_TYPES = ("S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL")
SET_TYPES = ("SS", "NS", "BS")

INVALID = "One or more parameter values were invalid: "
EMPTY_VALUE_MESSAGE = "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
MULTIPLE_TYPES_MESSAGE = (
    "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"
)
NULL_FALSE_MESSAGE = INVALID + "Null attribute value types must have the value of true"
ITEM_TOO_LARGE_MESSAGE = "Item size has exceeded the maximum allowed size"
NUMBER_TOO_PRECISE_MESSAGE = "Attempting to store more than 38 significant digits in a Number"
NUMBER_OVERFLOW_MESSAGE = "Number overflow. Attempting to store a number with magnitude larger than supported range"
NUMBER_UNDERFLOW_MESSAGE = "Number underflow. Attempting to store a number with magnitude smaller than supported range"
NUMBER_MALFORMED_MESSAGE = "The parameter cannot be converted to a numeric value"
NUMBER_SET_DUPLICATES_MESSAGE = "Input collection contains duplicates"
# Captured on AWS (dynoxide src/validation.rs, nubo-db/dynoxide#110): 31 map wrappers around
# a scalar are accepted, 32 are refused with this message.
NESTING_TOO_DEEP_MESSAGE = (
    "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit"
)
_EMPTY_SET_MESSAGES = {
    "SS": INVALID + "An string set  may not be empty",
    "NS": INVALID + "An number set  may not be empty",
    "BS": INVALID + "Binary sets should not be empty",
}

# Deserialization messages (Coral/Jackson, recorded by dynalite test/helpers.js).
_MODEL = "com.amazonaws.dynamodb.v20120810."
_MAP_NOT_EXPECTED = "Start of structure or map found where not expected"
_NOT_A_VALUE = "Unexpected value type in payload"
_FIELD_TYPE = "Unexpected field type"
_VALUE_AS_LIST = f"Unrecognized collection type class {_MODEL}AttributeValue"
_MAP_AS_LIST = f"Unrecognized collection type java.util.Map<java.lang.String, {_MODEL}AttributeValue>"
_BLOB_SCALAR = "only base-64-encoded strings are convertible to bytes"
_BLOB_AS_LIST = "Unrecognized collection type class java.nio.ByteBuffer"
_BASE64_INVALID = "Invalid last non-pad Base64 character dectected"  # sic, DynamoDB's spelling


# ---------------------------------------------------------------- numbers

#: DynamoDB's number grammar: sign, digits with at most one point, optional exponent; no
#: spaces, no NaN/Infinity (dynoxide is_well_formed_dynamo_number, verified on AWS).
_NUMBER_SYNTAX = re.compile(r"([+-]?)(?:(\d+)\.?(\d*)|\.(\d+))(?:[eE]([+-]?\d+))?", re.ASCII)
#: Numbers already in canonical form and short enough (<= 38 characters) to be within
#: 38 digits and the exponent range: returned unchanged, without further work.
_CANONICAL_SHORT = re.compile(r"0|-?[1-9]\d*(?:\.\d*[1-9])?|-?0\.\d*[1-9]", re.ASCII)
#: Short numbers without an exponent ("01.50", "+5", "-0"): canonical once zeros are trimmed.
_PLAIN_SHORT = re.compile(r"([+-]?)(\d+)\.?(\d*)", re.ASCII)


@lru_cache(maxsize=16384)  # measured: a hit costs a third of the canonical-form regex
def normalize_number(text: str) -> str:
    """The canonical text of a DynamoDB number, or DynamoDB's ValidationException.

    Canonical: no exponent, no leading zeros, no trailing fractional zeros, no ``+``,
    zero as ``0`` (``"01.50"`` -> ``"1.5"``, ``"1.5E2"`` -> ``"150"``, ``"-0"`` -> ``"0"``,
    ``"1E-130"`` -> ``"0.000...1"``), as DynamoDB returns it (dynalite test/putItem.js
    "should put really long numbers"; conformance tier3/limits/numberPrecision).
    """
    if len(text) <= 38:
        if _CANONICAL_SHORT.fullmatch(text):
            return text
        plain = _PLAIN_SHORT.fullmatch(text)
        if plain is not None:  # no exponent, at most 38 digits: only zeros to trim
            sign, whole, fraction = plain.groups()
            whole = whole.lstrip("0") or "0"
            fraction = fraction.rstrip("0") if fraction else ""
            if whole == "0" and not fraction:
                return "0"
            number = whole + "." + fraction if fraction else whole
            return "-" + number if sign == "-" else number
    negative, digits, exponent = _number_parts(text)
    return _format(negative, digits, exponent)


def _number_parts(text: str) -> tuple[bool, str, int]:
    """Sign, significant digits (no leading/trailing zeros) and the exponent of the last
    digit, after DynamoDB's checks in its order: syntax, overflow, underflow, precision."""
    if not text:
        raise ValidationException(NUMBER_MALFORMED_MESSAGE)
    match = _NUMBER_SYNTAX.fullmatch(text)
    if match is None:
        raise ValidationException(f"{NUMBER_MALFORMED_MESSAGE}: {text}")
    sign, whole, fraction, bare_fraction, exponent_text = match.groups()
    fraction = fraction or bare_fraction or ""
    digits = ((whole or "") + fraction).lstrip("0")
    if not digits:
        return False, "", 0
    stripped = digits.rstrip("0")
    exponent = _exponent(exponent_text) - len(fraction) + len(digits) - len(stripped)
    adjusted = exponent + len(stripped) - 1  # power of ten of the first digit
    if adjusted > limits.MAX_NUMBER_EXPONENT:
        raise ValidationException(NUMBER_OVERFLOW_MESSAGE)
    if adjusted < limits.MIN_NUMBER_EXPONENT:
        raise ValidationException(NUMBER_UNDERFLOW_MESSAGE)
    if len(stripped) > limits.MAX_NUMBER_DIGITS:
        raise ValidationException(NUMBER_TOO_PRECISE_MESSAGE)
    return sign == "-", stripped, exponent


def _exponent(text: Optional[str]) -> int:
    """The exponent's value; absurdly long ones are clamped (any of them is out of range,
    and int() refuses strings of over 4300 digits)."""
    if not text:
        return 0
    negative = text[0] == "-"
    magnitude = text.lstrip("+-").lstrip("0")
    value = int(magnitude or "0") if len(magnitude) <= 18 else 10**18
    return -value if negative else value


def _format(negative: bool, digits: str, exponent: int) -> str:
    if not digits:
        return "0"
    if exponent >= 0:
        text = digits + "0" * exponent
    elif -exponent < len(digits):
        text = digits[:exponent] + "." + digits[exponent:]
    else:
        text = "0." + "0" * (-exponent - len(digits)) + digits
    return "-" + text if negative else text


def parse_number(text: Any) -> Decimal:
    """A DynamoDB number as a Decimal (validated like a stored one)."""
    if not isinstance(text, str):
        raise ValidationException(NUMBER_MALFORMED_MESSAGE)
    return Decimal(normalize_number(text))


def format_number(value: Decimal) -> str:
    """Canonical text of a Decimal that holds a valid DynamoDB number."""
    sign, raw_digits, exponent = value.as_tuple()
    digits = "".join(map(str, raw_digits)).lstrip("0")
    stripped = digits.rstrip("0")
    return _format(bool(sign), stripped, exponent + len(digits) - len(stripped))


@lru_cache(maxsize=8192)
def number_size(text: str) -> int:
    """Bytes a (canonical) number counts toward item size.

    DynamoDB stores the significant digits in base 100, aligned on the decimal point,
    plus one byte of exponent and one more for a negative number: ``1 + ceil(n/2)``
    for ``n`` significant digits, one more when ``n`` is even and the first digit's
    power of ten is even (``1.2`` is ``01|20``: 3 bytes; ``12`` is ``12``: 2 bytes).
    This is dynalite's db/index.js valSize, and fits every literal dynoxide measured
    byte-exact on AWS by bisecting the 400 KB limit (src/types.rs, PR #195).
    """
    negative = text.startswith("-")
    body = text[1:] if negative else text
    point = body.find(".")
    if point < 0:
        digits = body.rstrip("0")
        first_power = len(body) - 1
    else:
        whole = body[:point]
        digits = (whole + body[point + 1:]).lstrip("0")
        first_power = len(whole) - 1 if whole != "0" else -(len(body) - point - len(digits))
        digits = digits.rstrip("0")
    count = len(digits)
    if not count:
        return 1
    return 1 + (count + 1) // 2 + (0 if count % 2 or first_power % 2 else 1) + negative


# ---------------------------------------------------------------- binaries


def check_base64(value: Any) -> str:
    """A Blob member: a canonical base64 string, or DynamoDB's SerializationException
    (non-canonical padding bits, e.g. ``Yh==`` for ``b"b"``, are refused too)."""
    if type(value) is not str:
        if isinstance(value, list):
            raise SerializationException(_BLOB_AS_LIST)
        raise SerializationException(_MAP_NOT_EXPECTED if isinstance(value, dict) else _BLOB_SCALAR)
    if len(value) % 4:
        raise SerializationException(f"Base64 encoded length is expected a multiple of 4 bytes but found: {len(value)}")
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise SerializationException(_BASE64_INVALID) from None
    if base64.b64encode(raw).decode("ascii") != value:
        raise SerializationException(_BASE64_INVALID)
    return value


def decode_binary(value: str) -> bytes:
    """The bytes of a (checked) base64 binary value."""
    return base64.b64decode(value)


def encode_binary(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def binary_length(value: str) -> int:
    """Decoded length of a canonical base64 string, without decoding it."""
    if not value:
        return 0
    return len(value) // 4 * 3 - (2 if value.endswith("==") else 1 if value.endswith("=") else 0)


# ---------------------------------------------------------------- deserialization helpers


def _scalar_name(value: Any) -> str:
    if isinstance(value, bool):
        return "TRUE_VALUE" if value else "FALSE_VALUE"
    if isinstance(value, float) and not value.is_integer():
        return "DECIMAL_VALUE"
    return "NUMBER_VALUE"


def _string(value: Any) -> str:
    """A String member (S, N, a set element)."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        raise SerializationException("Unrecognized collection type class java.lang.String")
    if isinstance(value, dict):
        raise SerializationException(_MAP_NOT_EXPECTED)
    raise SerializationException(f"{_scalar_name(value)} cannot be converted to String")


def _boolean(value: Any) -> bool:
    """A Boolean member (BOOL, NULL): Jackson also takes "true"/"yes"/"1" and negatives."""
    if value is True or value is False:
        return value
    if isinstance(value, str):
        word = value.upper()
        if word in ("TRUE", "1", "YES"):
            return True
        if word in ("FALSE", "0", "NO"):
            return False
        raise SerializationException("Unexpected token received from parser")
    if isinstance(value, list):
        raise SerializationException("Unrecognized collection type class java.lang.Boolean")
    if isinstance(value, dict):
        raise SerializationException(_MAP_NOT_EXPECTED)
    raise SerializationException(f"{_scalar_name(value)} cannot be converted to Boolean")


def _list(value: Any) -> list:
    """A List member (SS, NS, BS, L)."""
    if type(value) is list:
        return value
    if isinstance(value, list):
        return list(value)
    raise SerializationException(_MAP_NOT_EXPECTED if isinstance(value, dict) else _FIELD_TYPE)


def _map(value: Any) -> dict:
    """A Map<String, AttributeValue> member (M, and an Item or Key itself)."""
    if isinstance(value, dict):
        return value
    raise SerializationException(_MAP_AS_LIST if isinstance(value, list) else _FIELD_TYPE)


def _members(value: Any) -> dict:
    """The non-null members of an AttributeValue structure that Coral knows (others are
    dropped); SerializationException when ``value`` is not a JSON object."""
    if not isinstance(value, dict):
        raise SerializationException(_VALUE_AS_LIST if isinstance(value, list) else _NOT_A_VALUE)
    return {kind: value[kind] for kind in ALL_TYPES if value.get(kind) is not None}


def check_serialization(value: Any) -> None:
    """Only the deserialization pass over one AttributeValue (after a validation error
    was found in it, a later serialization error must still win)."""
    for kind, inner in _members(value).items():
        if kind in ("S", "N"):
            _string(inner)
        elif kind == "B":
            check_base64(inner)
        elif kind in ("BOOL", "NULL"):
            _boolean(inner)
        elif kind in ("SS", "NS"):
            for member in _list(inner):
                if member is not None:
                    _string(member)
        elif kind == "BS":
            for member in _list(inner):
                if member is not None:
                    check_base64(member)
        elif kind == "L":
            for element in _list(inner):
                check_serialization(element)
        else:
            for element in _map(inner).values():
                check_serialization(element)


# ---------------------------------------------------------------- validation


def normalize_value(value: Any, depth: int = 1) -> AttributeValue:
    """Check one AttributeValue and return it in canonical form.

    Raises the first SerializationException or ValidationException in document order.
    The result is ``value`` itself when nothing needed changing (the common case).
    ``depth`` is the value's nesting level: a top-level attribute is level 1.
    """
    if type(value) is dict and len(value) == 1:
        for kind, inner in value.items():
            if kind == "S":
                if type(inner) is str:
                    return value
            elif kind == "N":
                if type(inner) is str:
                    canonical = normalize_number(inner)
                    return value if canonical == inner else {"N": canonical}
            checker = _CHECKERS.get(kind)
            if checker is not None and inner is not None:
                checked = checker(inner, depth)
                return value if checked is inner else {kind: checked}
    return _normalize_general(value, depth)


def _normalize_general(value: Any, depth: int) -> AttributeValue:
    """Values with unknown or null members, or several types: each member is checked in
    the model's order, then the count (dynalite validateAttributeValue)."""
    members = _members(value)
    checked = {kind: _CHECKERS[kind](inner, depth) for kind, inner in members.items()}
    if not checked:
        raise ValidationException(EMPTY_VALUE_MESSAGE)
    if len(checked) > 1:
        raise ValidationException(MULTIPLE_TYPES_MESSAGE)
    return checked


def _check_s(inner: Any, depth: int) -> str:
    return _string(inner)


def _check_n(inner: Any, depth: int) -> str:
    return normalize_number(_string(inner))


def _check_b(inner: Any, depth: int) -> str:
    return check_base64(inner)


def _check_bool(inner: Any, depth: int) -> bool:
    return _boolean(inner)


def _check_null(inner: Any, depth: int) -> bool:
    if _boolean(inner) is not True:
        raise ValidationException(NULL_FALSE_MESSAGE)
    return True


def _check_ss(inner: Any, depth: int) -> list:
    members = _set_members(inner, "SS")
    if not all(type(member) is str for member in members):
        members = [_string(m) for m in members]
    if len(set(members)) != len(members):
        raise ValidationException(INVALID + f"Input collection [{', '.join(members)}] contains duplicates.")
    return members


def _check_ns(inner: Any, depth: int) -> list:
    members = _set_members(inner, "NS")
    canonical = [normalize_number(_string(m)) for m in members]
    if len(set(canonical)) != len(canonical):
        raise ValidationException(NUMBER_SET_DUPLICATES_MESSAGE)
    return inner if canonical == inner else canonical


def _check_bs(inner: Any, depth: int) -> list:
    members = _set_members(inner, "BS")
    for member in members:
        check_base64(member)
    if len(set(members)) != len(members):  # canonical base64: equal text <=> equal bytes
        raise ValidationException(INVALID + f"Input collection [{', '.join(members)}]of type BS contains duplicates.")
    return members


def _set_members(inner: Any, kind: str) -> list:
    members = _list(inner)
    if not all(members):  # cheap scan; only None and "" are falsy among valid members
        if None not in members:
            return members
        # a JSON null element counts as absent, like any null member
        members = [m for m in members if m is not None]
    if not members:
        raise ValidationException(_EMPTY_SET_MESSAGES[kind])
    return members


def _too_deep(depth: int) -> None:
    """A List or Map at level 32 may not hold anything: its elements would be at 33."""
    if depth >= limits.MAX_NESTING_DEPTH:
        raise ValidationException(NESTING_TOO_DEEP_MESSAGE)


def _check_l(inner: Any, depth: int) -> list:
    elements = _list(inner)
    if elements:
        _too_deep(depth)
    result = None
    for position, element in enumerate(elements):
        if element is None:
            raise ValidationException(EMPTY_VALUE_MESSAGE)
        checked = normalize_value(element, depth + 1)
        if checked is not element:
            if result is None:
                result = list(elements)
            result[position] = checked
    return result if result is not None else elements


def _check_m(inner: Any, depth: int) -> dict:
    entries = _map(inner)
    if entries:
        _too_deep(depth)
    result = None
    for name, element in entries.items():
        if element is None:
            raise ValidationException(EMPTY_VALUE_MESSAGE)
        checked = normalize_value(element, depth + 1)
        if checked is not element:
            if result is None:
                result = dict(entries)
            result[name] = checked
    return result if result is not None else entries


_CHECKERS = {
    "S": _check_s, "N": _check_n, "B": _check_b, "SS": _check_ss, "NS": _check_ns, "BS": _check_bs,
    "M": _check_m, "L": _check_l, "NULL": _check_null, "BOOL": _check_bool,
}


def _parse_value(value: Any, depth: int = 1) -> tuple[AttributeValue, int]:
    """:func:`normalize_value` and :func:`value_size` in one walk, for the write path.

    Only well-formed values of the common types take the fast way; anything else (an
    error, a binary, a deep or unusual value) goes through normalize_value, so messages and
    their order are exactly normalize_value's. Measured: a third faster than the two walks
    for a typical 1 KB item.
    """
    if type(value) is dict and len(value) == 1:
        for kind, inner in value.items():
            if kind == "S":
                if type(inner) is str:
                    return value, len(inner) if inner.isascii() else _utf8_length(inner)
            elif kind == "N":
                if type(inner) is str:
                    canonical = normalize_number(inner)
                    return (value if canonical == inner else {"N": canonical}), number_size(canonical)
            elif kind == "M":
                if type(inner) is dict and depth < limits.MAX_NESTING_DEPTH and None not in inner.values():
                    entries = None
                    size = 3
                    for name, element in inner.items():
                        checked, element_size = _parse_value(element, depth + 1)
                        size += 1 + (len(name) if name.isascii() else _utf8_length(name)) + element_size
                        if checked is not element:
                            if entries is None:
                                entries = dict(inner)
                            entries[name] = checked
                    return (value if entries is None else {"M": entries}), size
            elif kind == "L":
                if type(inner) is list and depth < limits.MAX_NESTING_DEPTH and None not in inner:
                    elements = None
                    size = 3
                    for position, element in enumerate(inner):
                        checked, element_size = _parse_value(element, depth + 1)
                        size += 1 + element_size
                        if checked is not element:
                            if elements is None:
                                elements = list(inner)
                            elements[position] = checked
                    return (value if elements is None else {"L": elements}), size
            elif kind == "SS":
                if (type(inner) is list and inner and all(type(member) is str for member in inner)
                        and len(set(inner)) == len(inner)):
                    return value, _utf8_length("".join(inner))
            elif kind in ("BOOL", "NULL"):
                if inner is True or (inner is False and kind == "BOOL"):
                    return value, 1
    checked = normalize_value(value, depth)
    return checked, value_size(checked)


class SizedItem(dict):  # type: ignore[type-arg]
    """A normalized item that carries its size, computed once when it was parsed.

    Stored items are immutable, so the size never goes stale; :func:`item_size` answers
    in O(1) for them, which takes two of the three size walks out of every PutItem
    (the limit check, and the table's running total for the old and the new item).
    It is a plain dict in every other respect (equality, JSON encoding, ``dict(x)``).
    """

    __slots__ = ("size",)


class ParsedItem(NamedTuple):
    """An Item or Key after both passes. ``error`` is the first validation error, which
    the operation raises (:meth:`check`) after its request-shape errors."""

    item: Item
    error: Optional[ValidationException]

    def check(self) -> Item:
        if self.error is not None:
            raise self.error
        return self.item


def parse_item(raw: Any) -> ParsedItem:
    """Deserialize and validate an Item or Key (a map of AttributeValues).

    SerializationException is raised at once; the first ValidationException is returned
    in :class:`ParsedItem`, after the rest was still checked for serialization errors.
    The result is a new :class:`SizedItem` (values shared when already canonical).
    """
    entries = _map(raw)
    item = SizedItem()
    size = 0
    for name, value in entries.items():
        # Fast path, measured: top-level strings are most attributes of most items.
        if type(value) is dict and len(value) == 1:
            inner = value.get("S")
            if type(inner) is str:
                item[name] = value
                size += (len(name) if name.isascii() else _utf8_length(name)) + (
                    len(inner) if inner.isascii() else _utf8_length(inner))
                continue
        try:
            if value is None:
                raise ValidationException(EMPTY_VALUE_MESSAGE)
            item[name], value_bytes = _parse_value(value)
        except ValidationException as problem:
            _check_rest(entries, name)
            return ParsedItem(item, problem)
        size += (len(name) if name.isascii() else _utf8_length(name)) + value_bytes
    item.size = size
    return ParsedItem(item, None)


def _check_rest(entries: dict, failed: str) -> None:
    """After the first validation error, a serialization error from there on still wins."""
    seen = False
    for name, value in entries.items():
        if name == failed:
            seen = True
        if seen and value is not None:
            check_serialization(value)


def normalize_item(item: Any) -> Item:
    """Check every attribute of an item and return it normalized (raising at once)."""
    return parse_item(item).check()


def value_type(value: AttributeValue) -> str:
    """The type descriptor of a (normalized) AttributeValue."""
    for kind in value:
        return kind
    raise ValidationException(EMPTY_VALUE_MESSAGE)


# ---------------------------------------------------------------- key order


def key_value(value: AttributeValue) -> KeyValue:
    """The Python value that sorts the way DynamoDB sorts this S, N or B value."""
    inner = value.get("S")
    if inner is not None:
        return inner
    inner = value.get("N")
    if inner is not None:
        return Decimal(inner)
    return decode_binary(value["B"])


def key_attribute_value(kind: str, key: KeyValue) -> AttributeValue:
    """Inverse of :func:`key_value` for a key of declared type ``kind``."""
    if kind == "S":
        return {"S": key}
    if kind == "N":
        return {"N": format_number(key)}  # type: ignore[arg-type]
    return {"B": encode_binary(key)}  # type: ignore[arg-type]


def key_size(value: AttributeValue) -> int:
    """Bytes of a key value for the 2048/1024-byte key limits (S: UTF-8, B: raw)."""
    inner = value.get("S")
    if inner is not None:
        return _utf8_length(inner)
    inner = value.get("B")
    if inner is not None:
        return binary_length(inner)
    return number_size(value["N"])


# ---------------------------------------------------------------- sizes


def _utf8_length(text: str) -> int:
    if text.isascii():
        return len(text)
    # surrogatepass: a lone surrogate (legal in JSON escapes) counts its 3 bytes
    return len(text.encode("utf-8", "surrogatepass"))


def value_size(value: AttributeValue) -> int:
    """Bytes a value counts toward the 400 KB item limit and capacity units.

    Rules from https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html
    made exact by dynalite's db/index.js (whose capacity tests were recorded on AWS):
    S: UTF-8 bytes; B: raw bytes; N: :func:`number_size`; BOOL, NULL: 1; sets: the sum
    of their members; L and M: 3 bytes, plus 1 per element, plus (M) each key's bytes.
    """
    for kind, inner in value.items():
        if kind == "S":
            return _utf8_length(inner)
        if kind == "N":
            return number_size(inner)
        if kind == "M":
            return 3 + sum(1 + _utf8_length(name) + value_size(element) for name, element in inner.items())
        if kind == "L":
            return 3 + sum(1 + value_size(element) for element in inner)
        if kind == "B":
            return binary_length(inner)
        if kind == "SS":
            return _utf8_length("".join(inner))
        if kind == "NS":
            return sum(number_size(member) for member in inner)
        if kind == "BS":
            return sum(binary_length(member) for member in inner)
        return 1  # BOOL, NULL
    return 0


def item_size(item: Item) -> int:
    """Bytes of an item: each attribute name's UTF-8 bytes plus its value's size."""
    if type(item) is SizedItem:
        return item.size  # type: ignore[attr-defined, no-any-return]
    return _item_size(item)


def _item_size(item: Item) -> int:
    size = 0
    for name, value in item.items():
        size += _utf8_length(name) + value_size(value)
    return size


def check_item_size(item: Item) -> int:
    """The item's size, or DynamoDB's error when it is over 400 KB (409,600 bytes,
    inclusive: dynalite test/putItem.js "just small enough")."""
    size = item_size(item)
    if size > limits.MAX_ITEM_SIZE_BYTES:
        raise ValidationException(ITEM_TOO_LARGE_MESSAGE)
    return size
