"""How DynamoDB's JSON deserializer (Coral, Jackson underneath) turns a JSON value into a
String or a Boolean, and its SerializationException when it cannot.

Request members (operations/request_types.py) and the insides of AttributeValues
(types.py) are read by the same deserializer, so both use these: a number where a string
belongs is "NUMBER_VALUE cannot be converted to String", an object is "Start of structure
or map found where not expected", and the strings "true"/"yes"/"1" (any case, and their
negatives) are Booleans. The messages follow dynalite's validations/index.js, which
recorded them from DynamoDB.
"""

from __future__ import annotations

from typing import Any

from .errors import SerializationException

MAP_NOT_EXPECTED = "Start of structure or map found where not expected"


def scalar_name(value: Any) -> str:
    """Jackson's name for the JSON token ``value`` was read from."""
    if isinstance(value, bool):
        return "TRUE_VALUE" if value else "FALSE_VALUE"
    if isinstance(value, int):
        return "NUMBER_VALUE"
    if isinstance(value, float):
        return "NUMBER_VALUE" if value.is_integer() else "DECIMAL_VALUE"
    return "STRING_VALUE"


def to_string(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        raise SerializationException("Unrecognized collection type class java.lang.String")
    if isinstance(value, dict):
        raise SerializationException(MAP_NOT_EXPECTED)
    raise SerializationException(f"{scalar_name(value)} cannot be converted to String")


def to_boolean(value: Any) -> bool:
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
        raise SerializationException(MAP_NOT_EXPECTED)
    raise SerializationException(f"{scalar_name(value)} cannot be converted to Boolean")
