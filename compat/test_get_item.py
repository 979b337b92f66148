# GetItem (issue 2, item 7): reading by key, the Key checks and their messages, the order
# of checks, ConsistentRead and ConsumedCapacity. Projections are in
# test_projection_expression.py.
#
# Sources named below:
#   conformance - the public DynamoDB conformance suite (tier1/getItem/*,
#                 tier3/error-messages/getItem), run against AWS.
#   dynalite    - mhart/dynalite test/getItem.js, messages recorded from DynamoDB.
#   moto-5345   - getmoto/moto issue #5345: GetItem's empty-key message, observed on AWS.
#   extenddb    - ExtendDB PR #212: ConsumedCapacity shapes captured on AWS.

import pytest

from util import assert_error, random_string

VALIDATION = "ValidationException"
MISMATCH = "The provided key element does not match the schema"
INVALID = "One or more parameter values were invalid: "


# GetItem returns the stored item, or no Item member at all for a missing key, with or
# without ConsistentRead. Source: conformance tier1/getItem/basic.
def test_get_item_returns_the_item_or_nothing(unchecked_client, table_ss):
    key = {"p": {"S": random_string()}, "c": {"S": "sort1"}}
    item = {**key, "value": {"S": "v"}, "n": {"N": "42"}, "flag": {"BOOL": True}}
    unchecked_client.put_item(TableName=table_ss.name, Item=item)
    assert unchecked_client.get_item(TableName=table_ss.name, Key=key, ConsistentRead=True)["Item"] == item
    assert unchecked_client.get_item(TableName=table_ss.name, Key=key, ConsistentRead=False)["Item"] == item
    other = {"p": key["p"], "c": {"S": "wrong-sort"}}
    assert "Item" not in unchecked_client.get_item(TableName=table_ss.name, Key=other, ConsistentRead=True)


# A Key must name exactly the key attributes with their declared types; anything else is
# "The provided key element does not match the schema". Sources: dynalite getItem.js
# ("key does not match schema", "range key does not match schema"); conformance
# tier3/error-messages/getItem (missing range key).
@pytest.mark.parametrize("key", [
    {},
    {"q": {"S": "a"}},
    {"p": {"S": "a"}, "q": {"S": "a"}},
    {"p": {"B": b"ab"}},
    {"p": {"N": "1"}},
    {"p": {"BOOL": True}},
    {"p": {"NULL": True}},
    {"p": {"SS": ["a"]}},
    {"p": {"M": {}}},
    {"p": {"L": []}},
])
def test_get_item_key_must_match_the_schema(unchecked_client, table_s, key):
    with assert_error(VALIDATION, MISMATCH):
        unchecked_client.get_item(TableName=table_s.name, Key=key)


def test_get_item_key_must_include_the_range_key(unchecked_client, table_ss):
    with assert_error(VALIDATION, MISMATCH):
        unchecked_client.get_item(TableName=table_ss.name, Key={"p": {"S": "a"}})


# Empty key values have their own message, the same words as for PutItem's Item.
# Source: moto-5345 (GetItem on AWS, 2022: "One or more parameter values are not valid.
# The AttributeValue for a key attribute cannot contain an empty string value. Key: ...").
def test_get_item_key_must_not_be_empty(unchecked_client, table_s, table_sb):
    with assert_error(VALIDATION, "One or more parameter values are not valid. The AttributeValue for a key "
                                  "attribute cannot contain an empty string value. Key: p"):
        unchecked_client.get_item(TableName=table_s.name, Key={"p": {"S": ""}})
    with assert_error(VALIDATION, "One or more parameter values are not valid. The AttributeValue for a key "
                                  "attribute cannot contain an empty binary value. Key: c"):
        unchecked_client.get_item(TableName=table_sb.name, Key={"p": {"S": "a"}, "c": {"B": b""}})


# Key size limits apply to reads too. Source: dynalite getItem.js ("hash key is too big",
# "range key is too big").
def test_get_item_key_size_limits(unchecked_client, table_s, table_ss):
    longest = random_string(10) + "a" * 2038
    assert "Item" not in unchecked_client.get_item(TableName=table_s.name, Key={"p": {"S": longest}})
    with assert_error(VALIDATION, INVALID + "Size of hashkey has exceeded the maximum size limit of2048 bytes"):
        unchecked_client.get_item(TableName=table_s.name, Key={"p": {"S": "a" * 2049}})
    with assert_error(VALIDATION, INVALID + "Aggregated size of all range keys has exceeded the size limit of 1024 bytes"):
        unchecked_client.get_item(TableName=table_ss.name, Key={"p": {"S": "a"}, "c": {"S": "a" * 1025}})


# A missing table: ResourceNotFoundException with no table name, even when the Key does
# not fit (the schema is only known once the table is found); but invalid values in the
# Key are reported first. Sources: conformance tier3/error-messages/getItem; dynalite
# getItem.js ("key is empty and table does not exist", "empty/invalid numbers in Key").
def test_get_item_missing_table(unchecked_client):
    missing = "missing_" + random_string()
    with assert_error("ResourceNotFoundException", "Requested resource not found"):
        unchecked_client.get_item(TableName=missing, Key={"p": {"S": "a"}})
    with assert_error("ResourceNotFoundException", "Requested resource not found"):
        unchecked_client.get_item(TableName=missing, Key={})
    with assert_error(VALIDATION, "The parameter cannot be converted to a numeric value: b"):
        unchecked_client.get_item(TableName=missing, Key={"p": {"N": "b"}})
    with assert_error(VALIDATION, "Supplied AttributeValue has more than one datatypes set, must contain exactly "
                                  "one of the supported datatypes"):
        unchecked_client.get_item(TableName=missing, Key={"p": {"S": "a", "N": "1"}})


# TableName errors. Source: conformance tier3/error-messages/getItem and putItem (the same
# TableName rules for the item operations).
def test_get_item_table_name_errors(unchecked_client):
    with assert_error(VALIDATION, "1 validation error detected: Value '' at 'tableName' failed to satisfy "
                                  "constraint: Member must have length greater than or equal to 1"):
        unchecked_client.get_item(TableName="", Key={"p": {"S": "a"}})
    with assert_error(VALIDATION, "1 validation error detected: Value 'x!' at 'tableName' failed to satisfy "
                                  "constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"):
        unchecked_client.get_item(TableName="x!", Key={"p": {"S": "a"}})
    with assert_error(VALIDATION, "1 validation error detected: Value 'hi' at 'returnConsumedCapacity' failed to "
                                  "satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]"):
        unchecked_client.get_item(TableName="abc", Key={"p": {"S": "a"}}, ReturnConsumedCapacity="hi")


# Reads cost one unit per 4 KB, half for an eventually consistent read; a missing item
# costs as much as a small one. TOTAL gives TableName and CapacityUnits, INDEXES adds the
# Table breakdown. Sources: dynalite getItem.js ("ConsumedCapacity if specified", "for
# small/larger item with(out) ConsistentRead"); conformance tier1/getItem/consumedCapacity;
# extenddb (shape).
def test_get_item_consumed_capacity(unchecked_client, table_s):
    key = {"p": {"S": random_string(10)}}
    request = {"TableName": table_s.name, "Key": key, "ReturnConsumedCapacity": "TOTAL"}
    assert unchecked_client.get_item(**request)["ConsumedCapacity"] == {"TableName": table_s.name,
                                                                         "CapacityUnits": 0.5}
    assert unchecked_client.get_item(**request, ConsistentRead=True)["ConsumedCapacity"]["CapacityUnits"] == 1.0
    assert unchecked_client.get_item(**{**request, "ReturnConsumedCapacity": "INDEXES"})["ConsumedCapacity"] == {
        "TableName": table_s.name, "CapacityUnits": 0.5, "Table": {"CapacityUnits": 0.5}}
    # 4096 bytes: one unit consistent, half eventually consistent; 4097 bytes: two and one
    for padding, consistent, eventual in ((4084, 1.0, 0.5), (4085, 2.0, 1.0)):
        unchecked_client.put_item(TableName=table_s.name, Item={**key, "b": {"S": "b" * padding}})
        assert unchecked_client.get_item(**request, ConsistentRead=True)["ConsumedCapacity"]["CapacityUnits"] == consistent
        assert unchecked_client.get_item(**request)["ConsumedCapacity"]["CapacityUnits"] == eventual
    assert "ConsumedCapacity" not in unchecked_client.get_item(**{**request, "ReturnConsumedCapacity": "NONE"})
