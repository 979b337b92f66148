# BatchWriteItem (issue 6): up to 25 puts and deletes across tables, refused as a whole
# when any part is invalid, with DynamoDB's messages and check order; UnprocessedItems,
# ReturnConsumedCapacity and ReturnItemCollectionMetrics.
#
# Sources named below:
#   conformance - the public DynamoDB conformance suite (tier1/batchWriteItem,
#                 tier3/error-messages/batchWriteItem, tier3/limits/batchLimits,
#                 tier3/validation-ordering/batchOperations), run against AWS.
#   dynalite    - mhart/dynalite test/batchWriteItem.js, messages recorded from DynamoDB.
#   localstack  - localstack tests/aws/services/dynamodb snapshots, recorded on AWS.
#   aws-docs    - API_BatchWriteItem.html.
#
# `client` is the resource's client (Python values in and out); `unchecked_client` is a
# plain client with botocore's own validation off, for wire-format and invalid requests.

import re

import pytest

from util import assert_error, assert_validation_errors, new_table, random_string

VALIDATION = "ValidationException"
DUPLICATES = "Provided list of item keys contains duplicates"
KEY_MISMATCH = "The provided key element does not match the schema"
PER_TABLE_LIMIT = ("Map value must satisfy constraint: [Member must have length less than or equal to 25, "
                   "Member must have length greater than or equal to 1]")


def put(item):
    return {"PutRequest": {"Item": item}}


def delete(key):
    return {"DeleteRequest": {"Key": key}}


def get(table, key):
    return table.get_item(Key=key, ConsistentRead=True).get("Item")


# Puts and deletes across two tables are all applied and UnprocessedItems comes back
# empty. Sources: conformance tier1/batchWriteItem basic; dynalite functionality tests.
def test_batch_write_item_puts_and_deletes_across_tables(client, table_s, table_sn):
    p1, p2, gone = random_string(), random_string(), random_string()
    table_s.put_item(Item={"p": gone, "v": "old"})
    response = client.batch_write_item(RequestItems={
        table_s.name: [put({"p": p1, "v": "one"}), delete({"p": gone})],
        table_sn.name: [put({"p": p2, "c": 1, "v": "two"}), put({"p": p2, "c": 2})],
    })
    assert response["UnprocessedItems"] == {}
    assert get(table_s, {"p": p1}) == {"p": p1, "v": "one"}
    assert get(table_s, {"p": gone}) is None
    assert get(table_sn, {"p": p2, "c": 1}) == {"p": p2, "c": 1, "v": "two"}
    assert get(table_sn, {"p": p2, "c": 2}) == {"p": p2, "c": 2}


# A PutRequest replaces the whole item, like PutItem; deleting an absent item is no error.
# Source: aws-docs (BatchWriteItem puts and deletes behave as PutItem and DeleteItem).
def test_batch_write_item_put_replaces_and_delete_of_absent_item_succeeds(client, table_s):
    key = random_string()
    table_s.put_item(Item={"p": key, "a": 1, "b": 2})
    response = client.batch_write_item(RequestItems={table_s.name: [
        put({"p": key, "c": 3}), delete({"p": random_string()})]})
    assert response["UnprocessedItems"] == {}
    assert get(table_s, {"p": key}) == {"p": key, "c": 3}


# Exactly 25 requests is allowed, large items included.
# Source: conformance tier3/limits/batchLimits.
def test_batch_write_item_accepts_25_requests(client, table_s):
    keys = [random_string() for _ in range(25)]
    response = client.batch_write_item(RequestItems={table_s.name: [
        put({"p": key, "payload": "x" * 20_000}) for key in keys]})
    assert response["UnprocessedItems"] == {}
    assert all(get(table_s, {"p": key}) is not None for key in keys)


# 26 requests for one table break the per-table list constraint; DynamoDB echoes the
# whole RequestItems map (Java toString, object hashes included) before the constraint.
# Source: conformance tier3/error-messages/batchWriteItem (anchored regex, AWS).
def test_batch_write_item_refuses_26_requests_for_one_table(client, table_s):
    with pytest.raises(client.exceptions.ClientError) as info:
        client.batch_write_item(RequestItems={table_s.name: [put({"p": str(i)}) for i in range(26)]})
    error = info.value.response["Error"]
    assert error["Code"] == VALIDATION
    assert re.fullmatch(
        r"1 validation error detected: Value '\{" + re.escape(table_s.name) + r"=\[.+\]\}' at 'requestItems' "
        r"failed to satisfy constraint: " + re.escape(PER_TABLE_LIMIT), error["Message"], re.S), error
    assert get(table_s, {"p": "0"}) is None


# The 25-request limit is for the whole request: 13 + 13 over two tables is refused.
# Source: dynalite's BatchGetItem counterpart ("Too many items requested for the
# BatchGetItem call", recorded from DynamoDB); DynamoDB Local words this one the same way
# (99x/serverless-dynamodb-local issue 175).
def test_batch_write_item_refuses_26_requests_over_two_tables(client, table_s, table_n):
    with assert_error(VALIDATION, "Too many items requested for the BatchWriteItem call"):
        client.batch_write_item(RequestItems={
            table_s.name: [put({"p": str(i)}) for i in range(13)],
            table_n.name: [put({"p": i}) for i in range(13)],
        })


# An empty RequestItems has its own message, not the usual constraint one (botocore
# cannot send an absent one; tests/operations/test_batch.py covers that).
# Sources: conformance tier3/error-messages/batchWriteItem and validation-ordering (AWS).
def test_batch_write_item_requires_request_items(unchecked_client):
    with assert_error(VALIDATION, "The requestItems parameter is required for BatchWriteItem"):
        unchecked_client.batch_write_item(RequestItems={})


# A table named with no requests breaks the same per-table constraint (the echo of an
# empty list is []). Source: dynalite "empty list in RequestItems" (recorded).
def test_batch_write_item_refuses_empty_request_list(unchecked_client, table_s):
    with assert_error(VALIDATION, f"1 validation error detected: Value '{{{table_s.name}=[]}}' at 'requestItems' "
                                  f"failed to satisfy constraint: {PER_TABLE_LIMIT}"):
        unchecked_client.batch_write_item(RequestItems={table_s.name: []})


# Table names are the map's keys; a bad one is reported once for the whole map.
# Source: dynalite "short table name" (recorded, regex on the echo).
def test_batch_write_item_refuses_short_table_name(unchecked_client):
    with pytest.raises(unchecked_client.exceptions.ClientError) as info:
        unchecked_client.batch_write_item(RequestItems={"ab": [put({"p": {"S": "x"}})]})
    error = info.value.response["Error"]
    assert error["Code"] == VALIDATION
    assert re.fullmatch(
        r"1 validation error detected: Value '\{ab=\[.+\]\}' at 'requestItems' failed to satisfy constraint: "
        r"Map keys must satisfy constraint: \[Member must have length less than or equal to 255, "
        r"Member must have length greater than or equal to 3, "
        r"Member must satisfy regular expression pattern: \[a-zA-Z0-9_.-\]\+\]", error["Message"]), error


# A PutRequest without Item and a DeleteRequest without Key are collected with the enum
# errors, paths 1-based. Source: dynalite "incorrect attributes" (recorded).
def test_batch_write_item_collects_shape_errors(unchecked_client, table_s):
    with assert_validation_errors(
        "Value 'hi' at 'returnConsumedCapacity' failed to satisfy constraint: "
        "Member must satisfy enum value set: [INDEXES, TOTAL, NONE]",
        "Value 'hi' at 'returnItemCollectionMetrics' failed to satisfy constraint: "
        "Member must satisfy enum value set: [SIZE, NONE]",
        f"Value null at 'requestItems.{table_s.name}.member.1.member.deleteRequest.key' failed to satisfy "
        "constraint: Member must not be null",
        f"Value null at 'requestItems.{table_s.name}.member.1.member.putRequest.item' failed to satisfy "
        "constraint: Member must not be null",
    ):
        unchecked_client.batch_write_item(RequestItems={table_s.name: [{"PutRequest": {}, "DeleteRequest": {}}]},
                                          ReturnConsumedCapacity="hi", ReturnItemCollectionMetrics="hi")


# A WriteRequest with neither PutRequest nor DeleteRequest gets DynamoDB's (odd) wording
# about AttributeValue types. Source: dynalite "empty item in RequestItems" (recorded).
def test_batch_write_item_refuses_empty_write_request(unchecked_client, table_s):
    with assert_error(VALIDATION, "Supplied AttributeValue has more than one datatypes set, "
                                  "must contain exactly one of the supported datatypes"):
        unchecked_client.batch_write_item(RequestItems={table_s.name: [{}]})


# Two requests for one item are refused, whichever kinds and order, and nothing is
# written. Sources: conformance tier3/error-messages/batchWriteItem (put then delete) and
# tier1 validation (two puts); dynalite (delete then put).
@pytest.mark.parametrize("first, second", [("put", "put"), ("put", "delete"), ("delete", "put")])
def test_batch_write_item_refuses_duplicate_keys(client, table_s, first, second):
    key, other = random_string(), random_string()
    make = {"put": lambda: put({"p": key, "v": 1}), "delete": lambda: delete({"p": key})}
    with assert_error(VALIDATION, DUPLICATES):
        client.batch_write_item(RequestItems={table_s.name: [put({"p": other}), make[first](), make[second]()]})
    assert get(table_s, {"p": other}) is None


# Keys are compared as whole primary keys: the same partition key with different sort
# keys, or the same key in two tables, is fine. Source: aws-docs (no two requests on one
# item); dynalite functionality tests.
def test_batch_write_item_same_partition_different_sort_key_is_not_duplicate(client, table_sn, table_s):
    key = random_string()
    client.batch_write_item(RequestItems={table_sn.name: [put({"p": key, "c": 1}), put({"p": key, "c": 2})],
                                          table_s.name: [put({"p": key})]})
    assert get(table_sn, {"p": key, "c": 2}) == {"p": key, "c": 2}


# A table that does not exist: "Requested resource not found", checked before duplicate
# keys. Sources: conformance tier3/error-messages/batchWriteItem; dynalite "should check
# table exists first before checking for duplicate keys" (recorded).
def test_batch_write_item_missing_table(client):
    with assert_error("ResourceNotFoundException", "Requested resource not found"):
        client.batch_write_item(RequestItems={"compat_missing_" + random_string(): [put({"p": "x"}), delete({"p": "x"})]})


# A missing table is reported before a key that could not match any schema.
# Source: dynalite "key is empty and table does not exist" (recorded).
def test_batch_write_item_missing_table_before_key_checks(client):
    with assert_error("ResourceNotFoundException", "Requested resource not found"):
        client.batch_write_item(RequestItems={"compat_missing_" + random_string(): [put({})]})


# A put whose item lacks a key attribute or has it with another type, or a delete whose
# key has the wrong attributes, is a schema mismatch (BatchWriteItem does not use
# PutItem's "Missing the key" wording). Sources: dynalite "key does not match schema"
# (recorded); localstack test_batch_write_not_matching_schema (AWS).
@pytest.mark.parametrize("write", [
    put({"q": "x"}), put({"p": 1}), put({"p": {"a"}}), delete({"p": "x", "q": "y"}), delete({"q": "x"}),
    delete({"p": 1}),
])
def test_batch_write_item_key_must_match_schema(client, table_s, write):
    with assert_error(VALIDATION, KEY_MISMATCH):
        client.batch_write_item(RequestItems={table_s.name: [write]})


# A composite table needs both key attributes. Source: dynalite "range key does not
# match schema" (recorded).
def test_batch_write_item_range_key_must_be_present(client, table_sn):
    with assert_error(VALIDATION, KEY_MISMATCH):
        client.batch_write_item(RequestItems={table_sn.name: [put({"p": random_string()})]})


# An empty string key value keeps its own message. Source: aws-docs (empty string keys);
# the message is PutItem's (conformance tier3/limits/emptyValues).
def test_batch_write_item_refuses_empty_string_key(client, table_s):
    with assert_error(VALIDATION, "One or more parameter values are not valid. The AttributeValue for a key "
                                  "attribute cannot contain an empty string value. Key: p"):
        client.batch_write_item(RequestItems={table_s.name: [put({"p": ""})]})


# Attribute values and item sizes are checked before the table is looked up, so a bad
# value in a request for a missing table is a ValidationException.
# Source: dynalite "invalid values in Item", "item is too big" (recorded).
@pytest.mark.parametrize("value, message", [
    ({"SS": []}, "One or more parameter values were invalid: An string set  may not be empty"),
    ({"BS": []}, "One or more parameter values were invalid: Binary sets should not be empty"),
    ({"N": "1e126"}, "Number overflow. Attempting to store a number with magnitude larger than supported range"),
    ({"S": "x" * 410_000}, "Item size has exceeded the maximum allowed size"),
])
def test_batch_write_item_checks_values_before_table(unchecked_client, value, message):
    with assert_error(VALIDATION, message):
        unchecked_client.batch_write_item(RequestItems={
            "compat_missing_" + random_string(): [put({"p": {"S": "k"}, "a": value})]})


# ReturnConsumedCapacity gives one entry per table: a write costs one unit per KB of the
# item, TOTAL without and INDEXES with the Table breakdown.
# Source: dynalite "ConsumedCapacity from each specified table" (recorded).
@pytest.mark.parametrize("mode", ["TOTAL", "INDEXES"])
def test_batch_write_item_consumed_capacity(client, table_s, table_n, mode):
    response = client.batch_write_item(ReturnConsumedCapacity=mode, RequestItems={
        table_s.name: [put({"p": random_string(), "big": "b" * 1500}), put({"p": random_string()})],
        table_n.name: [put({"p": 12345678})]})
    by_table = {entry["TableName"]: entry for entry in response["ConsumedCapacity"]}
    assert by_table[table_s.name]["CapacityUnits"] == 3.0
    assert by_table[table_n.name]["CapacityUnits"] == 1.0
    if mode == "INDEXES":
        assert by_table[table_s.name]["Table"] == {"CapacityUnits": 3.0}
    else:
        assert "Table" not in by_table[table_s.name]


# Without ReturnConsumedCapacity there is no ConsumedCapacity, and a table without local
# secondary indexes reports no item collections. Source: aws-docs (ItemCollectionMetrics
# is returned only for tables with LSIs).
def test_batch_write_item_plain_response(client, table_s):
    response = client.batch_write_item(ReturnItemCollectionMetrics="SIZE",
                                       RequestItems={table_s.name: [put({"p": random_string()})]})
    assert "ConsumedCapacity" not in response
    assert response.get("ItemCollectionMetrics", {}) == {}


# With an LSI, ReturnItemCollectionMetrics=SIZE gives one entry per write, keyed by the
# partition key, with a size estimate in GB. Source: aws-docs API_ItemCollectionMetrics.
def test_batch_write_item_item_collection_metrics(client, dynamodb):
    with new_table(dynamodb, KeySchema=[{"AttributeName": "p", "KeyType": "HASH"},
                                        {"AttributeName": "c", "KeyType": "RANGE"}],
                   AttributeDefinitions=[{"AttributeName": "p", "AttributeType": "S"},
                                         {"AttributeName": "c", "AttributeType": "N"},
                                         {"AttributeName": "l", "AttributeType": "S"}],
                   LocalSecondaryIndexes=[{"IndexName": "by_l", "KeySchema": [
                       {"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "l", "KeyType": "RANGE"}],
                       "Projection": {"ProjectionType": "ALL"}}]) as table:
        response = client.batch_write_item(ReturnItemCollectionMetrics="SIZE", RequestItems={table.name: [
            put({"p": "a", "c": 1, "l": "x"}), put({"p": "b", "c": 1})]})
        metrics = response["ItemCollectionMetrics"][table.name]
        assert sorted(entry["ItemCollectionKey"]["p"] for entry in metrics) == ["a", "b"]
        assert all(len(entry["SizeEstimateRangeGB"]) == 2 for entry in metrics)


# Batch writes maintain global secondary indexes like any write.
# Source: aws-docs (GSIs are updated by every write to the table).
def test_batch_write_item_updates_global_index(client, dynamodb):
    with new_table(dynamodb, KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}],
                   AttributeDefinitions=[{"AttributeName": "p", "AttributeType": "S"},
                                         {"AttributeName": "g", "AttributeType": "S"}],
                   GlobalSecondaryIndexes=[{"IndexName": "by_g", "KeySchema": [
                       {"AttributeName": "g", "KeyType": "HASH"}], "Projection": {"ProjectionType": "ALL"}}]) as table:
        table.put_item(Item={"p": "old", "g": "group"})
        client.batch_write_item(RequestItems={table.name: [put({"p": "new", "g": "group"}), delete({"p": "old"})]})
        items = table.query(IndexName="by_g", KeyConditionExpression="g = :g",
                            ExpressionAttributeValues={":g": "group"})["Items"]
        assert items == [{"p": "new", "g": "group"}]
