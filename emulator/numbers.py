"""DynamoDB numbers: the grammar, the canonical text, the limits and the stored size.

A number has up to 38 significant digits and a magnitude from 1E-130 to below 1E+126
(https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html).
DynamoDB stores it normalized and returns it in plain decimal notation, which
:func:`normalize_number` produces from any accepted spelling. Numbers stay strings here;
arithmetic (UpdateItem's ADD and ``+``) belongs to the expressions.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from typing import Any, Optional

from . import limits
from .errors import ValidationException

NUMBER_TOO_PRECISE_MESSAGE = "Attempting to store more than 38 significant digits in a Number"
NUMBER_OVERFLOW_MESSAGE = "Number overflow. Attempting to store a number with magnitude larger than supported range"
NUMBER_UNDERFLOW_MESSAGE = "Number underflow. Attempting to store a number with magnitude smaller than supported range"
NUMBER_MALFORMED_MESSAGE = "The parameter cannot be converted to a numeric value"

#: DynamoDB's number grammar: sign, digits with at most one point, optional exponent; no
#: spaces, no NaN/Infinity (dynoxide is_well_formed_dynamo_number, verified on AWS).
_NUMBER_SYNTAX = re.compile(r"([+-]?)(?:(\d+)\.?(\d*)|\.(\d+))(?:[eE]([+-]?\d+))?", re.ASCII)
#: Numbers already in canonical form and short enough (<= 38 characters) to be within
#: 38 digits and the exponent range: returned unchanged, without further work.
_CANONICAL_SHORT = re.compile(r"0|-?[1-9]\d*(?:\.\d*[1-9])?|-?0\.\d*[1-9]", re.ASCII)
#: Short numbers without an exponent ("01.50", "+5", "-0"): canonical once zeros are trimmed.
_PLAIN_SHORT = re.compile(r"([+-]?)(\d+)\.?(\d*)", re.ASCII)


def is_canonical_integer(text: str) -> bool:
    """Whether ``text`` is an integer of at most 38 digits in canonical form (no sign but
    ``-``, no leading zero, not ``-0``), and so its own canonical text."""
    digits = text[1:] if text[:1] == "-" else text
    return (0 < len(digits) <= 38 and digits.isdigit() and digits.isascii()
            and (digits[0] != "0" or text == "0"))


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


def canonical_integer_size(text: str) -> int:
    """:func:`number_size` of ``text`` when it is a canonical integer, else 0, worked out
    from its digits. For parsing items, whose numbers that are not small (ids,
    timestamps) are mostly seen once: they would miss the caches of
    :func:`normalize_number` and :func:`number_size` and push out numbers that come
    back. (In front of those caches, this check cost more than their hits: an
    UpdateItem's repeated small numbers, 172k -> 179k instructions.)"""
    if not is_canonical_integer(text):
        return 0
    negative = text[:1] == "-"
    digits = text[1:] if negative else text
    count = len(digits.rstrip("0"))
    if not count:
        return 1
    return 1 + (count + 1) // 2 + (0 if count % 2 or (len(digits) - 1) % 2 else 1) + negative


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
