"""AttributeValues: validation, number normalization, key ordering and item size.

Items travel and are stored in DynamoDB's wire format (``{"a": {"S": "x"}}``). This module
checks a value once, on the way in, and returns it normalized (numbers in canonical form),
so every later read can hand the stored dict out unchanged.

Ordering: DynamoDB orders sort keys numerically for N and by unsigned bytes for S and B.
Python ``str`` comparison is code-point order, which equals UTF-8 byte order, so ``str``,
``Decimal`` and ``bytes`` are used directly as key-order values.
"""

from __future__ import annotations

import base64
import binascii
import re
from decimal import Context, Decimal, InvalidOperation
from typing import Any, Union

from . import limits
from .errors import SerializationException, ValidationException

AttributeValue = dict[str, Any]
Item = dict[str, AttributeValue]
KeyValue = Union[str, Decimal, bytes]

SCALAR_TYPES = ("S", "N", "B")
ALL_TYPES = ("S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL")

INVALID = "One or more parameter values were invalid: "
EMPTY_VALUE_MESSAGE = (
    "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
)
MULTIPLE_TYPES_MESSAGE = (
    "Supplied AttributeValue has more than one datatypes set, "
    "must contain exactly one of the supported datatypes"
)
ITEM_TOO_LARGE_MESSAGE = "Item size has exceeded the maximum allowed size"
NUMBER_TOO_PRECISE_MESSAGE = "Attempting to store more than 38 significant digits in a Number"
NUMBER_OVERFLOW_MESSAGE = (
    "Number overflow. Attempting to store a number with magnitude larger than supported range"
)
NUMBER_UNDERFLOW_MESSAGE = (
    "Number underflow. Attempting to store a number with magnitude smaller than supported range"
)
NUMBER_MALFORMED_MESSAGE = "A value provided cannot be converted into a number"
NESTING_TOO_DEEP_MESSAGE = "Nesting Levels have exceeded supported limits"

# Wide enough for any valid DynamoDB number (38 digits, exponents -130..125) so that
# arithmetic on valid inputs is exact; range and precision are then checked explicitly.
NUMBER_CONTEXT = Context(prec=80, Emax=999999, Emin=-999999)
_NUMBER_SYNTAX = re.compile(r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*\Z")
_SET_NAMES = {"SS": "string set", "NS": "number set", "BS": "binary set"}


# ---------------------------------------------------------------- numbers


def parse_number(text: Any) -> Decimal:
    """Parse a DynamoDB number string, enforcing its syntax, precision and range."""
    if not isinstance(text, str) or not _NUMBER_SYNTAX.match(text):
        raise ValidationException(NUMBER_MALFORMED_MESSAGE)
    value = Decimal(text.strip()).normalize(NUMBER_CONTEXT)
    check_number_range(value)
    return value


def check_number_range(value: Decimal) -> None:
    """Raise DynamoDB's message if ``value`` is outside what a Number can hold."""
    if not value:
        return
    digits = value.as_tuple().digits
    if len(digits) > limits.MAX_NUMBER_DIGITS:
        raise ValidationException(NUMBER_TOO_PRECISE_MESSAGE)
    exponent = value.adjusted()
    if exponent > limits.MAX_NUMBER_EXPONENT:
        raise ValidationException(NUMBER_OVERFLOW_MESSAGE)
    if exponent < limits.MIN_NUMBER_EXPONENT:
        raise ValidationException(NUMBER_UNDERFLOW_MESSAGE)


def format_number(value: Decimal) -> str:
    """Canonical text of a number: no exponent, no leading or trailing zeros, no ``-0``."""
    if not value:
        return "0"
    text = format(value.normalize(NUMBER_CONTEXT), "f")
    return text


def normalize_number(text: Any) -> str:
    return format_number(parse_number(text))


# ---------------------------------------------------------------- binaries


def decode_binary(value: Any) -> bytes:
    """Binary values arrive base64-encoded in the JSON protocol."""
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    if not isinstance(value, str):
        raise SerializationException("Base64 encoded binary value expected")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise SerializationException(
            "Base64 encoded length is expected a multiple of 4 bytes but found: "
            f"{len(value)}"
        ) from None


def encode_binary(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


# ---------------------------------------------------------------- validation


def normalize_value(value: Any, depth: int = 1) -> AttributeValue:
    """Check one AttributeValue and return it in canonical form (a new dict when changed)."""
    if not isinstance(value, dict):
        raise SerializationException("Unexpected value type in payload")
    if len(value) != 1:
        present = [k for k in value if k in ALL_TYPES and value[k] is not None]
        if not present:
            raise ValidationException(EMPTY_VALUE_MESSAGE)
        if len(present) > 1:
            raise ValidationException(MULTIPLE_TYPES_MESSAGE)
        value = {present[0]: value[present[0]]}
    ((kind, inner),) = value.items()
    if depth > limits.MAX_NESTING_DEPTH:
        raise ValidationException(NESTING_TOO_DEEP_MESSAGE)
    if kind == "S":
        if not isinstance(inner, str):
            raise SerializationException("NUMBER_VALUE cannot be converted to String")
        return value
    if kind == "N":
        canonical = normalize_number(inner)
        return value if canonical == inner else {"N": canonical}
    if kind == "B":
        decode_binary(inner)
        return value
    if kind == "BOOL":
        if not isinstance(inner, bool):
            raise SerializationException("Unexpected value type in payload")
        return value
    if kind == "NULL":
        if inner is not True:
            raise ValidationException(
                INVALID + "Null attribute value types must have the value of true"
            )
        return value
    if kind in ("SS", "NS", "BS"):
        return {kind: _normalize_set(kind, inner)}
    if kind == "L":
        if not isinstance(inner, list):
            raise SerializationException("Unexpected value type in payload")
        return {"L": [normalize_value(v, depth + 1) for v in inner]}
    if kind == "M":
        if not isinstance(inner, dict):
            raise SerializationException("Unexpected value type in payload")
        return {"M": {k: normalize_value(v, depth + 1) for k, v in inner.items()}}
    if inner is None:
        raise ValidationException(EMPTY_VALUE_MESSAGE)
    raise SerializationException(f"Unknown AttributeValue type: {kind}")


def _normalize_set(kind: str, members: Any) -> list:
    if not isinstance(members, list):
        raise SerializationException("Unexpected value type in payload")
    if not members:
        raise ValidationException(INVALID + f"An {_SET_NAMES[kind]}  may not be empty")
    if kind == "SS":
        if not all(isinstance(m, str) for m in members):
            raise SerializationException("Unexpected value type in payload")
        normalized = members
        identities: list[Any] = members
    elif kind == "NS":
        normalized = [normalize_number(m) for m in members]
        identities = [Decimal(m) for m in normalized]
    else:
        identities = [decode_binary(m) for m in members]
        normalized = members
    if len(set(identities)) != len(identities):
        shown = ", ".join(str(m) for m in members)
        raise ValidationException(INVALID + f"Input collection [{shown}] contains duplicates.")
    return normalized


def normalize_item(item: Any) -> Item:
    """Check every attribute of an item and return it normalized."""
    if not isinstance(item, dict):
        raise SerializationException("Unexpected value type in payload")
    return {name: normalize_value(value) for name, value in item.items()}


def value_type(value: AttributeValue) -> str:
    """The type descriptor of a (normalized) AttributeValue."""
    for kind in value:
        return kind
    raise ValidationException(EMPTY_VALUE_MESSAGE)


# ---------------------------------------------------------------- key order


def key_value(value: AttributeValue) -> KeyValue:
    """The Python value that sorts the way DynamoDB sorts this S, N or B value."""
    if "S" in value:
        return value["S"]
    if "N" in value:
        return Decimal(value["N"])
    return decode_binary(value["B"])


def key_attribute_value(kind: str, key: KeyValue) -> AttributeValue:
    """Inverse of :func:`key_value` for a key of declared type ``kind``."""
    if kind == "S":
        return {"S": key}
    if kind == "N":
        return {"N": format_number(key)}  # type: ignore[arg-type]
    return {"B": encode_binary(key)}  # type: ignore[arg-type]


# ---------------------------------------------------------------- sizes


def number_size(text: str) -> int:
    """DynamoDB stores numbers as base-100 digits: one byte per two significant digits plus one."""
    digits = text.lstrip("-").replace(".", "").strip("0")
    return (len(digits) + 1) // 2 + 1 + (1 if text.startswith("-") else 0)


def value_size(value: AttributeValue) -> int:
    """Bytes a value counts toward the 400 KB item limit and capacity units.

    Rules from https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html
    """
    ((kind, inner),) = value.items()
    if kind == "S":
        return len(inner.encode("utf-8"))
    if kind == "N":
        return number_size(inner)
    if kind == "B":
        return len(decode_binary(inner))
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "SS":
        return sum(len(m.encode("utf-8")) for m in inner)
    if kind == "NS":
        return sum(number_size(m) for m in inner)
    if kind == "BS":
        return sum(len(decode_binary(m)) for m in inner)
    if kind == "L":
        return 3 + sum(1 + value_size(v) for v in inner)
    # M
    return 3 + sum(1 + len(k.encode("utf-8")) + value_size(v) for k, v in inner.items())


def item_size(item: Item) -> int:
    return sum(len(name.encode("utf-8")) + value_size(value) for name, value in item.items())


def check_item_size(item: Item) -> int:
    size = item_size(item)
    if size > limits.MAX_ITEM_SIZE_BYTES:
        raise ValidationException(ITEM_TOO_LARGE_MESSAGE)
    return size
