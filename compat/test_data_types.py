# The ten AttributeValue types (issue 2, item 4): what round-trips, what DynamoDB refuses
# and with which message, and the JSON-level errors for values of the wrong shape.
#
# Sources named below:
#   conformance - the public DynamoDB conformance suite (tier1/putItem/dataTypes,
#                 tier3/limits/emptyValues, tier3/error-messages/putItem), run against AWS.
#   dynalite    - mhart/dynalite test/putItem.js and test/helpers.js (assertType), messages
#                 recorded from DynamoDB.
#   dynoxide    - nubo-db/dynoxide issue #110, nesting limit captured on AWS.
#   aws-docs    - HowItWorks.NamingRulesDataTypes.html.
#
# `unchecked_client` sends wire-format values exactly as written (botocore's own checks
# off), which is how malformed values reach the service.

import pytest

from util import assert_error, random_string

VALIDATION = "ValidationException"
SERIALIZATION = "SerializationException"
INVALID = "One or more parameter values were invalid: "


def put(client, table, value):
    client.put_item(TableName=table.name, Item={"p": {"S": random_string()}, "v": value})


def round_trip(client, table, value):
    key = {"p": {"S": random_string()}}
    client.put_item(TableName=table.name, Item={**key, "v": value})
    return client.get_item(TableName=table.name, Key=key, ConsistentRead=True)["Item"]["v"]


# Every type comes back as it was stored, nested ones included. Sources: conformance
# tier1/putItem/basic ("all DynamoDB attribute types") and dataTypes; dynalite putItem.js
# "should put multi attribute item".
@pytest.mark.parametrize("value", [
    {"S": "hello"},
    {"N": "-56.789"},
    {"B": b"\x00\x01\xff"},
    {"BOOL": False},
    {"NULL": True},
    {"SS": ["a", "b"]},
    {"NS": ["-56.789"]},
    {"BS": [b"b"]},
    {"L": [{"S": "a"}, {"N": "1"}, {"BOOL": True}, {"NULL": True}, {"M": {"x": {"S": "y"}}}, {"L": []}]},
    {"M": {"a": {"M": {"b": {"M": {"c": {"S": "deep"}}}}}, "e": {"L": []}, "f": {"M": {}}}},
])
def test_every_type_round_trips(unchecked_client, table_s, value):
    got = round_trip(unchecked_client, table_s, value)
    if "SS" in value or "NS" in value or "BS" in value:
        kind = next(iter(value))
        assert sorted(got[kind]) == sorted(value[kind])
    else:
        assert got == value


# Empty strings and binaries are values outside keys (since May 2020), in lists, maps and
# sets too. Sources: conformance tier3/limits/emptyValues; dynalite putItem.js "should put
# empty values".
@pytest.mark.parametrize("value", [
    {"S": ""}, {"B": b""}, {"SS": [""]}, {"BS": [b""]}, {"L": [{"S": ""}, {"S": "hello"}]}, {"M": {"e": {"S": ""}}},
])
def test_empty_strings_and_binaries_are_values(unchecked_client, table_s, value):
    assert round_trip(unchecked_client, table_s, value) == value


# Empty sets are refused, each type with its own words (two spaces in "set  may" are
# DynamoDB's). Sources: conformance tier3/error-messages/putItem (SS, NS) and
# limits/emptyValues (BS "Binary sets should not be empty"); dynalite putItem.js.
@pytest.mark.parametrize("value, message", [
    ({"SS": []}, INVALID + "An string set  may not be empty"),
    ({"NS": []}, INVALID + "An number set  may not be empty"),
    ({"BS": []}, INVALID + "Binary sets should not be empty"),
    ({"M": {"inner": {"SS": []}}}, INVALID + "An string set  may not be empty"),
    ({"L": [{"SS": []}]}, INVALID + "An string set  may not be empty"),
])
def test_empty_sets_are_refused(unchecked_client, table_s, value, message):
    with assert_error(VALIDATION, message):
        put(unchecked_client, table_s, value)


# Duplicates in a set are refused; the message lists the members as sent (and for BS has
# no space before "of"). Sources: conformance tier3/error-messages/putItem (SS);
# dynalite putItem.js (BS).
def test_duplicate_set_members_are_refused(unchecked_client, table_s):
    with assert_error(VALIDATION, INVALID + "Input collection [a, a] contains duplicates."):
        put(unchecked_client, table_s, {"SS": ["a", "a"]})
    with assert_error(VALIDATION, INVALID + "Input collection [Yg==, Yg==]of type BS contains duplicates."):
        put(unchecked_client, table_s, {"BS": [b"b", b"b"]})


# {"NULL": false} is accepted and stored as {"NULL": true}: a change DynamoDB made in June
# 2026 (before, "Null attribute value types must have the value of true"). Source:
# conformance tier3/error-messages/putItem, captured on AWS 2026-06-08.
def test_null_false_is_stored_as_null_true(unchecked_client, table_s):
    assert round_trip(unchecked_client, table_s, {"NULL": False}) == {"NULL": True}


# Exactly one type descriptor per value: none, an unknown one only, or two are refused.
# Sources: dynalite putItem.js ("unsupported datatype", "multiple datatypes"); for a
# member error next to a second type, the member error comes first.
@pytest.mark.parametrize("value", [{}, {"M": {"a": {}}}, {"L": [{}]}])
def test_value_without_a_type_is_refused(unchecked_client, table_s, value):
    message = "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
    with assert_error(VALIDATION, message):
        put(unchecked_client, table_s, value)


def test_value_with_two_types_is_refused(unchecked_client, table_s):
    message = ("Supplied AttributeValue has more than one datatypes set, "
               "must contain exactly one of the supported datatypes")
    with assert_error(VALIDATION, message):
        put(unchecked_client, table_s, {"S": "a", "N": "1"})
    with assert_error(VALIDATION, "The parameter cannot be converted to a numeric value: b"):
        put(unchecked_client, table_s, {"S": "a", "N": "b"})


# Documents nest up to 32 levels: 31 maps around a scalar are stored, 32 are refused.
# Source: dynoxide issue #110 (captured on AWS, eu-west-2); aws-docs (32 levels).
def nested(levels, leaf):
    for _ in range(levels):
        leaf = {"M": {"a": leaf}}
    return leaf


def test_nesting_limit(unchecked_client, table_s):
    put(unchecked_client, table_s, nested(31, {"S": "x"}))
    message = ("Nesting Levels have exceeded supported limits: "
               "Attributes in the item have nested levels beyond supported limit")
    with assert_error(VALIDATION, message):
        put(unchecked_client, table_s, nested(32, {"S": "x"}))


# A member of the wrong JSON type is a SerializationException, before any other check
# (here, before the empty table name). Source: dynalite test/helpers.js assertType
# (AttrStruct cases, recorded from DynamoDB). Shapes botocore cannot even serialize (a
# list where a map goes, ...) are covered by tests/emulator/test_types.py.
@pytest.mark.parametrize("value, message", [
    ({"S": 23}, "NUMBER_VALUE cannot be converted to String"),
    ({"S": True}, "TRUE_VALUE cannot be converted to String"),
    ({"N": 1.5}, "DECIMAL_VALUE cannot be converted to String"),
    ({"S": ["a"]}, "Unrecognized collection type class java.lang.String"),
    ({"BOOL": 5}, "NUMBER_VALUE cannot be converted to Boolean"),
])
def test_wrong_json_types_are_serialization_errors(unchecked_client, value, message):
    with assert_error(SERIALIZATION, message):
        unchecked_client.put_item(TableName="", Item={"p": {"S": "x"}, "v": value})
