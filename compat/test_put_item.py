# PutItem (issue 2, item 7): writing and replacing items, ReturnValues, the key checks
# and their messages, the order of checks, and ConsumedCapacity. Conditions are in
# test_condition_expression.py, value types in test_data_types.py, sizes in
# test_item_size.py, numbers in test_number.py.
#
# Sources named below:
#   conformance - the public DynamoDB conformance suite (tier1/putItem/*,
#                 tier3/error-messages/putItem, tier3/validation-ordering/putItem), on AWS.
#   dynalite    - mhart/dynalite test/putItem.js, messages recorded from DynamoDB.
#   extenddb    - ExtendDB PR #212: ConsumedCapacity shapes captured on AWS.
#   aws-docs    - API_PutItem.html.

import pytest

from util import assert_error, assert_validation_errors, new_table, random_string

VALIDATION = "ValidationException"
INVALID = "One or more parameter values were invalid: "
EMPTY_KEY = ("One or more parameter values are not valid. The AttributeValue for a key attribute cannot "
             "contain an empty {} value. Key: {}")


def get(client, table, key):
    return client.get_item(TableName=table.name, Key=key, ConsistentRead=True).get("Item")


# A put stores the item, replacing any item with the same key as a whole.
# Source: conformance tier1/putItem/basic ("overwrites an existing item").
def test_put_item_replaces_the_whole_item(unchecked_client, table_ss):
    key = {"p": {"S": random_string()}, "c": {"S": "sort"}}
    assert unchecked_client.put_item(TableName=table_ss.name, Item={**key, "a": {"S": "first"}, "b": {"N": "1"}}) \
        .keys() <= {"ResponseMetadata"}
    unchecked_client.put_item(TableName=table_ss.name, Item={**key, "a": {"S": "second"}})
    assert get(unchecked_client, table_ss, key) == {**key, "a": {"S": "second"}}


# ALL_OLD returns the replaced item (as stored, numbers canonical), nothing for a new one;
# NONE returns nothing. Sources: conformance tier1/putItem/basic; dynalite putItem.js
# "should return correct old values when they exist".
def test_put_item_return_values(unchecked_client, table_s):
    key = {"p": {"S": random_string()}}
    first = unchecked_client.put_item(TableName=table_s.name, Item={**key, "b": {"N": "-0015.789e6"}},
                                      ReturnValues="ALL_OLD")
    assert "Attributes" not in first
    second = unchecked_client.put_item(TableName=table_s.name, Item={**key, "b": {"S": "b"}}, ReturnValues="ALL_OLD")
    assert second["Attributes"] == {**key, "b": {"N": "-15789000"}}
    third = unchecked_client.put_item(TableName=table_s.name, Item=key, ReturnValues="NONE")
    assert "Attributes" not in third


# PutItem accepts the ReturnValues enum in its shape, then only NONE and ALL_OLD.
# Sources: dynalite putItem.js ("incorrect ReturnValues"); conformance tier1/putItem/validation.
@pytest.mark.parametrize("value", ["ALL_NEW", "UPDATED_OLD", "UPDATED_NEW"])
def test_put_item_return_values_other_than_all_old(unchecked_client, table_s, value):
    with assert_error(VALIDATION, "ReturnValues can only be ALL_OLD or NONE"):
        unchecked_client.put_item(TableName=table_s.name, Item={"p": {"S": "x"}}, ReturnValues=value)


# Key attributes: present, of the declared type, not empty, within 2048 (hash) and 1024
# (range) bytes. Sources: dynalite putItem.js ("missing key", "type mismatch for key",
# "empty string key", "empty binary key", "hash key is too big", "range key is too big");
# conformance tier3/limits/emptyValues.
def test_put_item_key_must_be_present(unchecked_client, table_s, table_ss):
    with assert_error(VALIDATION, INVALID + "Missing the key p in the item"):
        unchecked_client.put_item(TableName=table_s.name, Item={"b": {"S": "a"}})
    with assert_error(VALIDATION, INVALID + "Missing the key c in the item"):
        unchecked_client.put_item(TableName=table_ss.name, Item={"p": {"S": "a"}})


@pytest.mark.parametrize("value", [
    {"B": b"ab"}, {"N": "1"}, {"BOOL": True}, {"NULL": True}, {"SS": ["a"]}, {"NS": ["1"]}, {"BS": [b"a"]},
    {"M": {}}, {"L": []},
])
def test_put_item_key_must_have_the_declared_type(unchecked_client, table_s, value):
    actual = next(iter(value))
    with assert_error(VALIDATION, INVALID + f"Type mismatch for key p expected: S actual: {actual}"):
        unchecked_client.put_item(TableName=table_s.name, Item={"p": value})


def test_put_item_key_must_not_be_empty(unchecked_client, table_s, table_sb):
    with assert_error(VALIDATION, EMPTY_KEY.format("string", "p")):
        unchecked_client.put_item(TableName=table_s.name, Item={"p": {"S": ""}})
    with assert_error(VALIDATION, EMPTY_KEY.format("binary", "c")):
        unchecked_client.put_item(TableName=table_sb.name, Item={"p": {"S": "a"}, "c": {"B": b""}})


def test_put_item_key_size_limits(unchecked_client, table_s, table_ss, table_b):
    unchecked_client.put_item(TableName=table_s.name, Item={"p": {"S": random_string(10) + "a" * 2038}})
    with assert_error(VALIDATION, INVALID + "Size of hashkey has exceeded the maximum size limit of2048 bytes"):
        unchecked_client.put_item(TableName=table_s.name, Item={"p": {"S": "a" * 2049}})
    with assert_error(VALIDATION, INVALID + "Size of hashkey has exceeded the maximum size limit of2048 bytes"):
        unchecked_client.put_item(TableName=table_b.name, Item={"p": {"B": b"\x00" * 2049}})
    unchecked_client.put_item(TableName=table_ss.name, Item={"p": {"S": random_string()}, "c": {"S": "\u00e9" * 512}})
    with assert_error(VALIDATION, INVALID + "Aggregated size of all range keys has exceeded the size limit of 1024 bytes"):
        unchecked_client.put_item(TableName=table_ss.name, Item={"p": {"S": "a"}, "c": {"S": "\u00e9" * 512 + "x"}})


# A malformed TableName is reported alone, even with other members wrong; for item
# operations the minimum length is 1. Sources: conformance tier3/error-messages/putItem
# (exact messages) and validation-ordering/putItem ("reports only tableName").
def test_put_item_table_name_errors(unchecked_client):
    message = "1 validation error detected: Value '{}' at 'tableName' failed to satisfy constraint: {}"
    with assert_error(VALIDATION, message.format("", "Member must have length greater than or equal to 1")):
        unchecked_client.put_item(TableName="", Item={}, ReturnValues="INVALID")
    with assert_error(VALIDATION, message.format("a" * 256, "Member must have length less than or equal to 255")):
        unchecked_client.put_item(TableName="a" * 256, Item={"p": {"S": "x"}})
    with assert_error(VALIDATION, message.format("bad table!@#", "Member must satisfy regular expression pattern: "
                                                                 "[a-zA-Z0-9_.-]+")):
        unchecked_client.put_item(TableName="bad table!@#", Item={"p": {"S": "x"}})
    with assert_error(VALIDATION, "1 validation error detected: Value null at 'tableName' failed to satisfy "
                                  "constraint: Member must not be null"):
        unchecked_client.put_item(Item={"p": {"S": "x"}})


# The other members' constraint errors are reported together. Source: conformance
# validation-ordering/putItem ("reports invalid ReturnConsumedCapacity,
# ReturnItemCollectionMetrics, and ReturnValues together"); dynalite putItem.js
# "incorrect attributes" for the wording and the order of each enum's values.
def test_put_item_collects_shape_errors(unchecked_client):
    with assert_validation_errors(
        "Value 'INVALID' at 'returnConsumedCapacity' failed to satisfy constraint: "
        "Member must satisfy enum value set: [INDEXES, TOTAL, NONE]",
        "Value 'INVALID' at 'returnItemCollectionMetrics' failed to satisfy constraint: "
        "Member must satisfy enum value set: [SIZE, NONE]",
        "Value 'INVALID' at 'returnValues' failed to satisfy constraint: "
        "Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]",
    ):
        unchecked_client.put_item(TableName="_conformance_valid_table_name", Item={"p": {"S": "x"}},
                                  ReturnConsumedCapacity="INVALID", ReturnItemCollectionMetrics="INVALID",
                                  ReturnValues="INVALID")


# Values and the item's size are checked before the table is looked up; the key schema
# after it. Sources: dynalite putItem.js ("ResourceNotFoundException if key is empty and
# table does not exist", "item is just small enough"); conformance tier1/putItem/validation.
def test_put_item_checks_values_before_and_keys_after_the_table(unchecked_client):
    missing = "missing_" + random_string()
    with assert_error(VALIDATION, INVALID + "An string set  may not be empty"):
        unchecked_client.put_item(TableName=missing, Item={"p": {"S": "x"}, "bad": {"SS": []}})
    with assert_error(VALIDATION, "ReturnValues can only be ALL_OLD or NONE"):
        unchecked_client.put_item(TableName=missing, Item={"p": {"S": "x"}}, ReturnValues="ALL_NEW")
    with assert_error("ResourceNotFoundException", "Requested resource not found"):
        unchecked_client.put_item(TableName=missing, Item={})


# ConsumedCapacity: TOTAL gives TableName and CapacityUnits, INDEXES adds the Table
# breakdown, NONE or nothing gives none. Sources: conformance tier1/putItem/consumedCapacity;
# dynalite putItem.js (values); extenddb (no Read/WriteCapacityUnits for single-item
# operations).
def test_put_item_consumed_capacity(unchecked_client, table_s):
    item = {"p": {"S": random_string()}, "d": {"S": "hello"}}
    total = unchecked_client.put_item(TableName=table_s.name, Item=item, ReturnConsumedCapacity="TOTAL")
    assert total["ConsumedCapacity"] == {"TableName": table_s.name, "CapacityUnits": 1.0}
    indexes = unchecked_client.put_item(TableName=table_s.name, Item=item, ReturnConsumedCapacity="INDEXES")
    assert indexes["ConsumedCapacity"] == {"TableName": table_s.name, "CapacityUnits": 1.0,
                                           "Table": {"CapacityUnits": 1.0}}
    for extra in ({"ReturnConsumedCapacity": "NONE"}, {}):
        assert "ConsumedCapacity" not in unchecked_client.put_item(TableName=table_s.name, Item=item, **extra)


# A provisioned table reports the same shapes. Source: aws-docs API_ConsumedCapacity.
def test_put_item_consumed_capacity_on_provisioned_table(dynamodb, unchecked_client):
    with new_table(dynamodb, KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}],
                   AttributeDefinitions=[{"AttributeName": "p", "AttributeType": "S"}],
                   BillingMode="PROVISIONED", ProvisionedThroughput={"ReadCapacityUnits": 1,
                                                                     "WriteCapacityUnits": 1}) as table:
        got = unchecked_client.put_item(TableName=table.name, Item={"p": {"S": "x"}}, ReturnConsumedCapacity="INDEXES")
        assert got["ConsumedCapacity"] == {"TableName": table.name, "CapacityUnits": 1.0,
                                           "Table": {"CapacityUnits": 1.0}}


# ReturnItemCollectionMetrics=SIZE says nothing for a table without local secondary
# indexes. Source: aws-docs API_PutItem ("only returned if ... the table has LSIs").
def test_put_item_collection_metrics_without_lsi(unchecked_client, table_ss):
    got = unchecked_client.put_item(TableName=table_ss.name, Item={"p": {"S": random_string()}, "c": {"S": "a"}},
                                    ReturnItemCollectionMetrics="SIZE")
    assert "ItemCollectionMetrics" not in got
