"""AttributeValue deserialization, validation, normalization, key order and item size.

Expected messages are DynamoDB's as recorded by dynalite (test/putItem.js, test/helpers.js)
unless a test says otherwise.
"""

import pytest

from emulator.errors import SerializationException, ValidationException
from emulator.types import (
    EMPTY_VALUE_MESSAGE,
    MULTIPLE_TYPES_MESSAGE,
    NESTING_TOO_DEEP_MESSAGE,
    SizedItem,
    check_base64,
    check_item_size,
    item_size,
    key_attribute_value,
    key_size,
    key_value,
    normalize_item,
    normalize_value,
    parse_item,
    value_size,
)

INVALID = "One or more parameter values were invalid: "


def validation_error(value):
    with pytest.raises(ValidationException) as info:
        normalize_value(value)
    return info.value.message


def serialization_error(value):
    with pytest.raises(SerializationException) as info:
        normalize_value(value)
    return info.value.message


# ---------------------------------------------------------------- validation messages


@pytest.mark.parametrize("value", [
    {},
    {"a": ""},
    {"S": None},
    {"M": {"a": {}}},
    {"L": [{}]},
    {"L": [{"a": {}}]},
])
def test_empty_attribute_value_is_refused(value):
    assert validation_error(value) == EMPTY_VALUE_MESSAGE


def test_several_types_in_one_value_are_refused():
    assert validation_error({"S": "a", "N": "1"}) == MULTIPLE_TYPES_MESSAGE


def test_member_errors_come_before_the_several_types_error():
    # dynalite test/putItem.js "empty/invalid numbers": {S: 'a', N: 'b'}
    assert validation_error({"S": "a", "N": "b"}) == "The parameter cannot be converted to a numeric value: b"
    assert validation_error({"S": "", "N": ""}) == "The parameter cannot be converted to a numeric value"


def test_null_false_is_stored_as_null_true():
    # DynamoDB changed in June 2026: {"NULL": false} used to be refused.
    for given in (False, "no", "false", True):
        assert normalize_value({"NULL": given}) == {"NULL": True}
    assert normalize_value({"L": [{"NULL": False}]}) == {"L": [{"NULL": True}]}
    with pytest.raises(SerializationException):
        normalize_value({"NULL": "maybe"})


def test_unknown_and_null_members_are_ignored():
    assert normalize_value({"S": "a", "X": 1}) == {"S": "a"}
    assert normalize_value({"N": "1", "S": None}) == {"N": "1"}


@pytest.mark.parametrize("value, message", [
    ({"SS": []}, INVALID + "An string set  may not be empty"),
    ({"NS": []}, INVALID + "An number set  may not be empty"),
    ({"BS": []}, INVALID + "Binary sets should not be empty"),
    ({"SS": ["a", "a"]}, INVALID + "Input collection [a, a] contains duplicates."),
    ({"BS": ["Yg==", "Yg=="]}, INVALID + "Input collection [Yg==, Yg==]of type BS contains duplicates."),
    ({"NS": ["1", "1"]}, "Input collection contains duplicates"),
    ({"NS": ["1", "1.0"]}, "Input collection contains duplicates"),
    ({"NS": ["1E2", "100"]}, "Input collection contains duplicates"),
    ({"NS": ["1", ""]}, "The parameter cannot be converted to a numeric value"),
    ({"NS": ["1", "b"]}, "The parameter cannot be converted to a numeric value: b"),
    ({"M": {"a": {"SS": []}}}, INVALID + "An string set  may not be empty"),
    ({"L": [{"SS": []}]}, INVALID + "An string set  may not be empty"),
])
def test_invalid_values_are_refused_with_dynamodbs_messages(value, message):
    assert validation_error(value) == message


def test_empty_strings_binaries_and_set_members_are_values():
    # Allowed outside keys since 2020 (dynalite test/putItem.js "should put empty values").
    for value in ({"S": ""}, {"B": ""}, {"SS": [""]}, {"BS": [""]}, {"L": []}, {"M": {}}):
        assert normalize_value(value) == value


def test_canonical_values_are_returned_unchanged():
    value = {"M": {"a": {"L": [{"N": "1.5"}, {"S": "x"}]}, "b": {"SS": ["a", "b"]}}}
    assert normalize_value(value) is value


def test_changed_values_are_new_and_leave_the_request_alone():
    value = {"M": {"a": {"L": [{"N": "01.50"}, {"S": "x"}]}}}
    normalized = normalize_value(value)
    assert normalized == {"M": {"a": {"L": [{"N": "1.5"}, {"S": "x"}]}}}
    assert value["M"]["a"]["L"][0] == {"N": "01.50"}


def test_number_sets_are_stored_canonical():
    assert normalize_value({"NS": ["01", "2.50", "-0"]}) == {"NS": ["1", "2.5", "0"]}


def test_bool_and_null_accept_what_jacksons_boolean_reader_accepts():
    assert normalize_value({"BOOL": "true"}) == {"BOOL": True}
    assert normalize_value({"BOOL": "No"}) == {"BOOL": False}
    assert normalize_value({"NULL": "YES"}) == {"NULL": True}
    assert normalize_value({"NULL": "1"}) == {"NULL": True}


def nested(levels, leaf):
    value = leaf
    for _ in range(levels):
        value = {"M": {"a": value}}
    return value


def test_nesting_of_32_levels_is_allowed_and_33_refused():
    # Captured on AWS: 31 map wrappers around a scalar pass, 32 fail (nubo-db/dynoxide#110).
    assert normalize_value(nested(31, {"S": "x"}))
    assert validation_error(nested(32, {"S": "x"})) == NESTING_TOO_DEEP_MESSAGE
    assert normalize_value(nested(31, {"M": {}}))  # an empty map at level 32 holds nothing
    assert validation_error(nested(31, {"L": [{"N": "1"}]})) == NESTING_TOO_DEEP_MESSAGE


# ---------------------------------------------------------------- deserialization messages


@pytest.mark.parametrize("value, message", [
    ("23", "Unexpected value type in payload"),
    (23, "Unexpected value type in payload"),
    (True, "Unexpected value type in payload"),
    ([], "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue"),
    ({"S": True}, "TRUE_VALUE cannot be converted to String"),
    ({"S": False}, "FALSE_VALUE cannot be converted to String"),
    ({"S": 23}, "NUMBER_VALUE cannot be converted to String"),
    ({"S": 34.56}, "DECIMAL_VALUE cannot be converted to String"),
    ({"S": []}, "Unrecognized collection type class java.lang.String"),
    ({"S": {}}, "Start of structure or map found where not expected"),
    ({"N": 5}, "NUMBER_VALUE cannot be converted to String"),
    ({"B": True}, "only base-64-encoded strings are convertible to bytes"),
    ({"B": 23}, "only base-64-encoded strings are convertible to bytes"),
    ({"B": []}, "Unrecognized collection type class java.nio.ByteBuffer"),
    ({"B": {}}, "Start of structure or map found where not expected"),
    ({"B": "23456"}, "Base64 encoded length is expected a multiple of 4 bytes but found: 5"),
    ({"B": "=+/="}, "Invalid last non-pad Base64 character dectected"),
    ({"B": "+/+="}, "Invalid last non-pad Base64 character dectected"),
    ({"BOOL": "23"}, "Unexpected token received from parser"),
    ({"BOOL": 23}, "NUMBER_VALUE cannot be converted to Boolean"),
    ({"NULL": 34.56}, "DECIMAL_VALUE cannot be converted to Boolean"),
    ({"BOOL": []}, "Unrecognized collection type class java.lang.Boolean"),
    ({"NULL": {}}, "Start of structure or map found where not expected"),
    ({"SS": "23"}, "Unexpected field type"),
    ({"NS": 23}, "Unexpected field type"),
    ({"L": True}, "Unexpected field type"),
    ({"BS": {}}, "Start of structure or map found where not expected"),
    ({"SS": [23]}, "NUMBER_VALUE cannot be converted to String"),
    ({"BS": [True]}, "only base-64-encoded strings are convertible to bytes"),
    ({"L": ["23"]}, "Unexpected value type in payload"),
    ({"L": [[]]}, "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue"),
    ({"M": "23"}, "Unexpected field type"),
    ({"M": []}, "Unrecognized collection type java.util.Map<java.lang.String, "
                "com.amazonaws.dynamodb.v20120810.AttributeValue>"),
    ({"M": {"a": 5}}, "Unexpected value type in payload"),
    ({"M": {"a": {"BS": [5]}}}, "only base-64-encoded strings are convertible to bytes"),
])
def test_wrong_json_types_are_serialization_errors(value, message):
    assert serialization_error(value) == message


def test_base64_must_be_canonical():
    assert check_base64("Yg==") == "Yg=="
    assert check_base64("") == ""
    with pytest.raises(SerializationException):
        check_base64("Yh==")  # decodes to b"b" too, with non-zero padding bits
    with pytest.raises(SerializationException):
        check_base64("Y g=")


def test_parse_item_defers_validation_errors_and_raises_serialization_errors():
    parsed = parse_item({"a": {"S": "x"}, "b": {"SS": []}, "c": {"N": "1"}})
    assert parsed.error is not None
    assert parsed.error.message == INVALID + "An string set  may not be empty"
    with pytest.raises(ValidationException):
        parsed.check()
    # A serialization error after the first validation error still wins ...
    with pytest.raises(SerializationException):
        parse_item({"a": {"SS": []}, "b": {"S": 5}})
    # ... also inside the very value that failed validation.
    with pytest.raises(SerializationException):
        parse_item({"a": {"L": [{"SS": []}, {"S": 5}]}})


def test_parse_item_refuses_a_non_map():
    with pytest.raises(SerializationException) as info:
        parse_item([])
    assert info.value.message == ("Unrecognized collection type java.util.Map<java.lang.String, "
                                  "com.amazonaws.dynamodb.v20120810.AttributeValue>")
    with pytest.raises(SerializationException) as info:
        parse_item("23")
    assert info.value.message == "Unexpected field type"


def test_parse_item_null_attribute_is_an_empty_value():
    assert parse_item({"a": None}).error.message == EMPTY_VALUE_MESSAGE


def test_parsed_items_are_new_dicts_that_know_their_size():
    raw = {"a": {"S": "xy"}, "n": {"N": "01.5"}}
    item = normalize_item(raw)
    assert type(item) is SizedItem and item is not raw
    assert item == {"a": {"S": "xy"}, "n": {"N": "1.5"}}
    assert item_size(item) == item.size == 1 + 2 + 1 + 3
    assert raw["n"] == {"N": "01.5"}



@pytest.mark.parametrize("limit", [10_000, 0])
def test_attribute_names_are_interned_and_measured_whether_or_not_remembered(monkeypatch, limit):
    """Names are interned and measured once and remembered, up to a bound; past it (the
    bound 0 here), each is interned and measured again, with the same results."""
    import sys

    import emulator.types as types

    monkeypatch.setattr(types, "_NAMES_LIMIT", limit)
    monkeypatch.setattr(types, "_NAMES", {})
    items = []
    for _ in range(2):
        name = "".join(["caf\u00e9", "-name"])  # a new string object each time
        items.append(parse_item({name: {"S": "ab"}, "l": {"L": []}, "n": {"N": "7"}}).check())
        assert items[-1].size == item_size(dict(items[-1])) == (len(name.encode()) + 2) + (1 + 3) + (1 + 2)
    first, second = (next(iter(item)) for item in items)
    assert first is second is sys.intern(name)
    assert len(types._NAMES) == (3 if limit else 0)


def test_empty_lists_are_one_shared_value():
    first = parse_item({"l": {"L": []}}).check()["l"]
    assert first == {"L": []} and parse_item({"m": {"L": []}}).check()["m"] is first

# ---------------------------------------------------------------- key order


def test_key_values_order_the_dynamodb_way():
    assert key_value({"N": "10"}) > key_value({"N": "9"})
    assert key_value({"N": "-1"}) < key_value({"N": "0.5"})
    assert key_value({"S": "a"}) < key_value({"S": "b"}) < key_value({"S": "\u00e9"}) < key_value({"S": "\U0001f600"})
    assert key_value({"B": "AA=="}) < key_value({"B": "gA=="})  # 0x00 < 0x80: unsigned bytes
    assert key_value({"S": "Z"}) < key_value({"S": "a"})


def test_key_attribute_value_inverts_key_value():
    for value in ({"S": "x"}, {"N": "-1.5"}, {"B": "AQI="}):
        kind = next(iter(value))
        assert key_attribute_value(kind, key_value(value)) == value


def test_key_size_counts_utf8_and_raw_bytes():
    assert key_size({"S": "\u00e9"}) == 2
    assert key_size({"B": "AQID"}) == 3
    assert key_size({"B": "AQI="}) == 2


# ---------------------------------------------------------------- sizes


def test_value_sizes():
    assert value_size({"S": "h\u00e9"}) == 3
    assert value_size({"B": "AQID"}) == 3
    assert value_size({"BOOL": False}) == value_size({"NULL": True}) == 1
    assert value_size({"SS": ["a", "bb"]}) == 3
    assert value_size({"NS": ["1", "-1"]}) == 2 + 3
    assert value_size({"BS": ["AQI=", "Ag==", "AQ=="]}) == 4
    assert value_size({"L": []}) == value_size({"M": {}}) == 3
    assert value_size({"L": [{"S": "a"}, {"S": "aa"}]}) == 3 + (1 + 1) + (1 + 2)
    assert value_size({"M": {"aa": {"S": "aa"}, "bbb": {"S": "bbb"}}}) == 3 + (1 + 2 + 2) + (1 + 3 + 3)


def test_item_sizes_of_dynalites_capacity_boundary_items():
    # dynalite test/getItem.js: each item is exactly 4096 bytes (1 RCU consistent) on AWS.
    first = {
        "a": {"S": "A" * 10}, "bb": {"S": "b" * 3999}, "ccc": {"N": "12.3456"}, "dddd": {"B": "AQI="},
        "eeeee": {"BS": ["AQI=", "Ag==", "AQ=="]}, "ffffff": {"NULL": True}, "ggggggg": {"BOOL": False},
        "hhhhhhhh": {"L": [{"S": "a"}, {"S": "aa"}, {"S": "bb"}, {"S": "ccc"}]},
        "iiiiiiiii": {"M": {"aa": {"S": "aa"}, "bbb": {"S": "bbb"}}},
    }
    second = {
        "a": {"S": "A" * 10}, "ab": {"S": "b" * 4026}, "abc": {"NULL": True}, "abcd": {"BOOL": True},
        "abcde": {"L": [{"S": "aa"}, {"N": "12.3456"}, {"B": "AQI="}]},
        "abcdef": {"M": {"aa": {"S": "aa"}, "bbb": {"N": "12.3456"}, "cccc": {"B": "AQI="}}},
    }
    assert item_size(first) == item_size(second) == 4096
    # dynalite test/putItem.js: 1024 bytes is 1 WCU, 1025 bytes is 2.
    small = {"a": {"S": "A" * 10}, "b": {"S": "b" * 999}, "c": {"N": "12.3456"}, "d": {"B": "AQI="},
             "e": {"BS": ["AQI=", "Ag==", "AQ=="]}}
    assert item_size(small) == 1024


def test_item_size_limit_is_409600_bytes_inclusive():
    assert check_item_size({"a": {"S": "x" * (409600 - 1)}}) == 409600
    with pytest.raises(ValidationException) as info:
        check_item_size({"a": {"S": "x" * 409600}})
    assert info.value.message == "Item size has exceeded the maximum allowed size"


def test_attribute_names_count_in_utf8():
    assert item_size({"\u00e9": {"S": ""}}) == 2
