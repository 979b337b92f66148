# DeleteItem (issue 2, item 7): deleting by key, ReturnValues, the Key checks, the order
# of checks and ConsumedCapacity. Conditions are in test_condition_expression.py.
#
# Sources named below:
#   conformance - the public DynamoDB conformance suite (tier1/deleteItem/*,
#                 tier3/error-messages/deleteItem, tier3/validation-ordering/deleteItem).
#   dynalite    - mhart/dynalite test/deleteItem.js, messages recorded from DynamoDB.
#   boto3-4339  - boto/boto3 issue #4339: DeleteItem with UPDATED_NEW, observed on AWS.
#   extenddb    - ExtendDB PR #212: ConsumedCapacity shapes captured on AWS.

import pytest

from util import assert_error, assert_validation_errors, random_string

VALIDATION = "ValidationException"
MISMATCH = "The provided key element does not match the schema"


def get(client, table, key):
    return client.get_item(TableName=table.name, Key=key, ConsistentRead=True).get("Item")


# DeleteItem removes the item; deleting a missing item succeeds silently. ALL_OLD returns
# what was deleted, nothing when there was nothing. Sources: conformance
# tier1/deleteItem/basic; dynalite deleteItem.js ("return nothing if item does not exist").
def test_delete_item_removes_and_returns_old_values(unchecked_client, table_ss):
    key = {"p": {"S": random_string()}, "c": {"S": "sort1"}}
    unchecked_client.put_item(TableName=table_ss.name, Item={**key, "data": {"S": "old"}})
    got = unchecked_client.delete_item(TableName=table_ss.name, Key=key, ReturnValues="ALL_OLD")
    assert got["Attributes"] == {**key, "data": {"S": "old"}}
    assert get(unchecked_client, table_ss, key) is None
    again = unchecked_client.delete_item(TableName=table_ss.name, Key=key, ReturnValues="ALL_OLD")
    assert "Attributes" not in again
    assert "Attributes" not in unchecked_client.delete_item(TableName=table_ss.name, Key=key)


# Only NONE and ALL_OLD are allowed, with PutItem's message.
# Source: boto3-4339 ("ReturnValues can only be ALL_OLD or NONE" for UPDATED_NEW).
@pytest.mark.parametrize("value", ["ALL_NEW", "UPDATED_OLD", "UPDATED_NEW"])
def test_delete_item_return_values_other_than_all_old(unchecked_client, table_s, value):
    with assert_error(VALIDATION, "ReturnValues can only be ALL_OLD or NONE"):
        unchecked_client.delete_item(TableName=table_s.name, Key={"p": {"S": "x"}}, ReturnValues=value)


# The Key must fit the schema exactly; empty key values have their own message.
# Sources: conformance tier3/error-messages/deleteItem (missing range key); dynalite
# deleteItem.js ("key does not match schema").
@pytest.mark.parametrize("key", [{}, {"p": {"S": "a"}}, {"p": {"S": "a"}, "c": {"N": "1"}},
                                 {"p": {"S": "a"}, "c": {"S": "b"}, "d": {"S": "c"}}])
def test_delete_item_key_must_match_the_schema(unchecked_client, table_ss, key):
    with assert_error(VALIDATION, MISMATCH):
        unchecked_client.delete_item(TableName=table_ss.name, Key=key)


def test_delete_item_key_must_not_be_empty(unchecked_client, table_ss):
    with assert_error(VALIDATION, "One or more parameter values are not valid. The AttributeValue for a key "
                                  "attribute cannot contain an empty string value. Key: c"):
        unchecked_client.delete_item(TableName=table_ss.name, Key={"p": {"S": "a"}, "c": {"S": ""}})


# A missing table is found before the Key is compared with a schema, but after the Key's
# values and ReturnValues are checked. Sources: conformance tier1/deleteItem/validation and
# error-messages/deleteItem; dynalite deleteItem.js ("invalid values in Key").
def test_delete_item_missing_table(unchecked_client):
    missing = "missing_" + random_string()
    with assert_error("ResourceNotFoundException", "Requested resource not found"):
        unchecked_client.delete_item(TableName=missing, Key={"p": {"S": "a"}})
    with assert_error("ResourceNotFoundException", "Requested resource not found"):
        unchecked_client.delete_item(TableName=missing, Key={})
    with assert_error(VALIDATION, "One or more parameter values were invalid: Input collection [a, a] contains "
                                  "duplicates."):
        unchecked_client.delete_item(TableName=missing, Key={"p": {"SS": ["a", "a"]}})
    with assert_error(VALIDATION, "ReturnValues can only be ALL_OLD or NONE"):
        unchecked_client.delete_item(TableName=missing, Key={"p": {"S": "a"}}, ReturnValues="ALL_NEW")


# A malformed TableName is reported alone; the other members' errors together.
# Source: conformance tier3/validation-ordering/deleteItem.
def test_delete_item_shape_errors(unchecked_client):
    with assert_error(VALIDATION, "1 validation error detected: Value '' at 'tableName' failed to satisfy "
                                  "constraint: Member must have length greater than or equal to 1"):
        unchecked_client.delete_item(TableName="", Key={}, ReturnValues="INVALID")
    with assert_validation_errors(
        "Value 'INVALID' at 'returnValues' failed to satisfy constraint: "
        "Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]",
        "Value 'INVALID' at 'returnConsumedCapacity' failed to satisfy constraint: "
        "Member must satisfy enum value set: [INDEXES, TOTAL, NONE]",
    ):
        unchecked_client.delete_item(TableName="_conformance_valid_table_name", Key={"p": {"S": "test"}},
                                     ReturnValues="INVALID", ReturnConsumedCapacity="INVALID")


# Deleting costs one write unit per KB of the deleted item, one unit when there was none.
# Sources: dynalite deleteItem.js ("ConsumedCapacity if specified and item does not
# exist", "for small item", "for larger item"); extenddb (shape).
def test_delete_item_consumed_capacity(unchecked_client, table_s):
    key = {"p": {"S": random_string(10)}}
    request = {"TableName": table_s.name, "Key": key}
    assert unchecked_client.delete_item(**request, ReturnConsumedCapacity="TOTAL")["ConsumedCapacity"] == {
        "TableName": table_s.name, "CapacityUnits": 1.0}
    assert unchecked_client.delete_item(**request, ReturnConsumedCapacity="INDEXES")["ConsumedCapacity"] == {
        "TableName": table_s.name, "CapacityUnits": 1.0, "Table": {"CapacityUnits": 1.0}}
    base = {"c": {"N": "12.3456"}, "d": {"B": b"\x01\x02"}, "e": {"BS": [b"\x01\x02", b"\x02", b"\x01"]}}
    for padding, units in ((999, 1.0), (1000, 2.0)):  # 1024 and 1025 bytes
        unchecked_client.put_item(TableName=table_s.name, Item={**key, "b": {"S": "b" * padding}, **base})
        got = unchecked_client.delete_item(**request, ReturnConsumedCapacity="TOTAL")
        assert got["ConsumedCapacity"]["CapacityUnits"] == units
