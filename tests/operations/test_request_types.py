"""request_types.conform: DynamoDB's JSON deserializer rules for member types."""

import pytest

from emulator.errors import SerializationException
from emulator.operations.request_types import List, Struct, conform, conform_value

POINT = Struct("Point", {"X": "Long", "On": "Boolean"})


@pytest.mark.parametrize("value, spec, expected", [
    ("s", "String", "s"),
    (3.9, "Long", 3),
    (-3.5, "Integer", -4),  # Java's floor
    ("Yes", "Boolean", True),
    ("0", "Boolean", False),
    ([{"X": 1}], List(POINT), [{"X": 1}]),
])
def test_conform_value_accepts_and_converts(value, spec, expected):
    assert conform_value(value, spec) == expected


@pytest.mark.parametrize("value, spec, message", [
    (1, "String", "NUMBER_VALUE cannot be converted to String"),
    (1.5, "String", "DECIMAL_VALUE cannot be converted to String"),
    (False, "String", "FALSE_VALUE cannot be converted to String"),
    ({}, "String", "Start of structure or map found where not expected"),
    ([], "Long", "Unrecognized collection type class java.lang.Long"),
    (float("nan"), "Long", "DECIMAL_VALUE cannot be converted to Long"),
    (2, "Boolean", "NUMBER_VALUE cannot be converted to Boolean"),
    ("x", List("String"), "Unexpected field type"),
    (5, POINT, "Unexpected field type"),
    ([], POINT, "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.Point"),
])
def test_conform_value_refuses(value, spec, message):
    with pytest.raises(SerializationException) as info:
        conform_value(value, spec)
    assert info.value.message == message


def test_conform_drops_nulls_and_keeps_unknown_members():
    assert conform({"A": None, "B": {"raw": 1}, "P": {"X": 2.0, "On": None}}, {"P": POINT}) == {
        "B": {"raw": 1}, "P": {"X": 2}}
