# Query (issue 4): order, key ranges, ScanIndexForward, Limit and LastEvaluatedKey,
# ExclusiveStartKey and its checks, Select, Count/ScannedCount, ConsistentRead,
# ReturnConsumedCapacity, the 1 MB page, and Query's own error messages. The
# KeyConditionExpression syntax is in test_key_condition_expression.py, filters in
# test_filter_expression.py, the legacy parameters in test_legacy_api.py, index reads in
# test_gsi.py and test_lsi.py.
#
# Sources named below:
#   conformance - the public DynamoDB conformance suite (tier1/query/*, tier3/error-messages/
#                 query, tier3/limits/responseSize), run against AWS.
#   dynalite    - architect/dynalite test/query.js, recorded from DynamoDB.
#   scylla      - scylladb test/alternator/test_query.py, run against AWS by its authors.
#   extenddb    - ExtendDB's ConditionalOperator/mixing tests, captured with the AWS CLI.
#   aws-docs    - the Developer Guide / API reference page named in the comment.

from decimal import Decimal

import pytest

from util import assert_error, full_query, new_table, random_string

INVALID = "One or more parameter values were invalid: "


def fill(table, p, sort_keys, **extra):
    for c in sort_keys:
        table.put_item(Item={"p": p, "c": c, **extra})


def sort_keys_of(items):
    return [item["c"] for item in items]


# Items of a partition come back in sort-key order: numbers numerically (negative, zero,
# fractions), strings and binaries by unsigned bytes; ScanIndexForward=false reverses it.
# Sources: aws-docs Query.html ("Query results are always sorted by the sort key value.
# If the data type of the sort key is Number, the results are returned in numeric order;
# otherwise, in order of UTF-8 bytes"); conformance tier1/query/numericKeys, binaryKeys.
def test_query_orders_numbers_numerically(table_sn):
    p = random_string()
    values = [Decimal(v) for v in ("-100", "-5", "-1.5", "0", "0.001", "1", "5", "10", "100")]
    fill(table_sn, p, reversed(values))
    got = table_sn.query(KeyConditionExpression="p = :p", ExpressionAttributeValues={":p": p}, ConsistentRead=True)
    assert sort_keys_of(got["Items"]) == values
    back = table_sn.query(KeyConditionExpression="p = :p", ExpressionAttributeValues={":p": p},
                          ScanIndexForward=False, ConsistentRead=True)
    assert sort_keys_of(back["Items"]) == values[::-1]


def test_query_orders_strings_and_binaries_by_unsigned_bytes(table_ss, table_sb):
    p = random_string()
    strings = ["A", "B", "Z", "a", "aa", "ab", "b", "\u00e9", "\u4e2d", "\U0001f600"]
    fill(table_ss, p, strings[::-1])
    got = table_ss.query(KeyConditionExpression="p = :p", ExpressionAttributeValues={":p": p}, ConsistentRead=True)
    assert sort_keys_of(got["Items"]) == strings
    binaries = [bytes([1]), bytes([1, 2]), bytes([2]), bytes([127]), bytes([128]), bytes([255])]
    fill(table_sb, p, binaries[::-1])
    got = table_sb.query(KeyConditionExpression="p = :p", ExpressionAttributeValues={":p": p}, ConsistentRead=True)
    assert [bytes(c.value) for c in sort_keys_of(got["Items"])] == binaries


# Each sort-key condition selects its range, in both directions. Sources: aws-docs
# Query.KeyConditionExpressions.html (=, <, <=, >, >=, BETWEEN inclusive, begins_with);
# conformance tier1/query/basic ("supports BETWEEN on sort key", "< on sort key", ...).
@pytest.mark.parametrize("condition, values, expected", [
    ("c = :a", {":a": 3}, [3]),
    ("c < :a", {":a": 3}, [0, 1, 2]),
    ("c <= :a", {":a": 3}, [0, 1, 2, 3]),
    ("c > :a", {":a": 7}, [8, 9]),
    ("c >= :a", {":a": 7}, [7, 8, 9]),
    ("c BETWEEN :a AND :b", {":a": 2, ":b": 5}, [2, 3, 4, 5]),
    ("c BETWEEN :a AND :b", {":a": Decimal("2.5"), ":b": Decimal("2.6")}, []),
])
def test_query_sort_key_ranges(table_sn, condition, values, expected):
    p = random_string()
    fill(table_sn, p, range(10))
    for forward in (True, False):
        got = full_query(table_sn, KeyConditionExpression="p = :p AND " + condition,
                         ExpressionAttributeValues={":p": p, **values}, ScanIndexForward=forward, ConsistentRead=True)
        assert sort_keys_of(got) == (expected if forward else expected[::-1])


# begins_with selects the keys with a prefix, for strings and binaries, in both directions.
# Sources: conformance tier1/query/basic and binaryKeys ("supports begins_with").
def test_query_begins_with(table_ss, table_sb):
    p = random_string()
    fill(table_ss, p, ["a", "ab", "abc", "abd", "ac", "b"])
    for forward, expected in ((True, ["ab", "abc", "abd"]), (False, ["abd", "abc", "ab"])):
        got = table_ss.query(KeyConditionExpression="p = :p AND begins_with(c, :x)", ScanIndexForward=forward,
                             ExpressionAttributeValues={":p": p, ":x": "ab"}, ConsistentRead=True)
        assert sort_keys_of(got["Items"]) == expected
    fill(table_sb, p, [bytes([1]), bytes([1, 2]), bytes([2]), bytes([255]), bytes([255, 0])])
    got = table_sb.query(KeyConditionExpression="p = :p AND begins_with(c, :x)",
                         ExpressionAttributeValues={":p": p, ":x": bytes([255])}, ConsistentRead=True)
    assert [bytes(c.value) for c in sort_keys_of(got["Items"])] == [bytes([255]), bytes([255, 0])]


# A partition with no items gives an empty page with zero counts.
# Source: conformance tier1/query/basic ("returns empty results for a non-existent
# partition key").
def test_query_empty_partition(client, table_sn):
    got = client.query(TableName=table_sn.name, KeyConditionExpression="p = :p",
                       ExpressionAttributeValues={":p": random_string()})
    assert (got["Items"], got["Count"], got["ScannedCount"]) == ([], 0, 0)
    assert "LastEvaluatedKey" not in got


# A Query also works on a table without a sort key (it returns at most one item).
# Source: scylla test_query_no_sort_key.
def test_query_hash_only_table(table_s):
    p = random_string()
    table_s.put_item(Item={"p": p, "animal": "dog"})
    got = table_s.query(KeyConditionExpression="p = :p", ExpressionAttributeValues={":p": p}, ConsistentRead=True)
    assert got["Items"] == [{"p": p, "animal": "dog"}]


# Limit counts the items read; a page that stops because of it carries LastEvaluatedKey,
# the key of its last item, even when no item follows (DynamoDB does not look ahead:
# "The only way to know when you have reached the end of the result set is when
# LastEvaluatedKey is empty"). Sources: aws-docs Query.Pagination.html; conformance
# tier1/query/basic ("respects Limit parameter"); floci issue 2383 (DynamoDB Local and
# DynamoDB return the key when Limit stops exactly at the last item).
def test_query_limit_and_last_evaluated_key(table_sn):
    p = random_string()
    fill(table_sn, p, range(6))
    page = table_sn.query(KeyConditionExpression="p = :p", ExpressionAttributeValues={":p": p},
                          Limit=4, ConsistentRead=True)
    assert sort_keys_of(page["Items"]) == [0, 1, 2, 3]
    assert page["LastEvaluatedKey"] == {"p": p, "c": 3}
    rest = table_sn.query(KeyConditionExpression="p = :p", ExpressionAttributeValues={":p": p}, Limit=2,
                          ExclusiveStartKey=page["LastEvaluatedKey"], ConsistentRead=True)
    assert sort_keys_of(rest["Items"]) == [4, 5] and rest["LastEvaluatedKey"] == {"p": p, "c": 5}
    after = table_sn.query(KeyConditionExpression="p = :p", ExpressionAttributeValues={":p": p}, Limit=2,
                           ExclusiveStartKey=rest["LastEvaluatedKey"], ConsistentRead=True)
    assert after["Items"] == [] and "LastEvaluatedKey" not in after
    whole = table_sn.query(KeyConditionExpression="p = :p", ExpressionAttributeValues={":p": p}, ConsistentRead=True)
    assert "LastEvaluatedKey" not in whole


# Paging with Limit visits every item exactly once, forward and in reverse.
# Sources: conformance tier1/query/basic ("paginates through all items"); scylla
# test_query_limit_paging, test_query_reverse_paging.
@pytest.mark.parametrize("forward", [True, False])
def test_query_pages_cover_the_partition(table_sn, forward):
    p = random_string()
    fill(table_sn, p, range(13))
    got = full_query(table_sn, KeyConditionExpression="p = :p AND c >= :low", ScanIndexForward=forward,
                     ExpressionAttributeValues={":p": p, ":low": 2}, Limit=4, ConsistentRead=True)
    expected = list(range(2, 13))
    assert sort_keys_of(got) == (expected if forward else expected[::-1])


# ExclusiveStartKey need not be a key that was returned, nor one that exists: the query
# resumes after it. Source: scylla test_query_exclusivestartkey.
def test_query_exclusive_start_key_anywhere(table_sn):
    p = random_string()
    fill(table_sn, p, range(0, 20, 2))
    got = table_sn.query(KeyConditionExpression="p = :p", ExpressionAttributeValues={":p": p},
                         ExclusiveStartKey={"p": p, "c": 7}, ConsistentRead=True)
    assert sort_keys_of(got["Items"]) == [8, 10, 12, 14, 16, 18]
    back = table_sn.query(KeyConditionExpression="p = :p", ExpressionAttributeValues={":p": p},
                          ExclusiveStartKey={"p": p, "c": 7}, ScanIndexForward=False, ConsistentRead=True)
    assert sort_keys_of(back["Items"]) == [6, 4, 2, 0]


# ExclusiveStartKey is checked against the key schema and the query: the wrong set of
# attributes, a wrong type, another partition, a sort key outside the range. Sources:
# dynalite query.js ("The provided starting key is invalid", "The provided key element
# does not match the schema", "...outside query boundaries based on provided conditions",
# "...does not match the range key predicate"); scylla test_query_exclusivestartkey_*.
@pytest.mark.parametrize("start, condition, message", [
    ({"p": "P"}, "p = :p", "The provided starting key is invalid"),
    ({"p": "P", "c": 1, "x": 3}, "p = :p", "The provided starting key is invalid"),
    ({"p": 7, "c": 1}, "p = :p", "The provided key element does not match the schema"),
    ({"p": "P", "c": "dog"}, "p = :p", "The provided key element does not match the schema"),
    ({"p": "other", "c": 1}, "p = :p", "The provided starting key is outside query boundaries based on provided "
                                       "conditions"),
    ({"p": "P", "c": 1}, "p = :p AND c > :c", "The provided starting key does not match the range key predicate"),
])
def test_query_exclusive_start_key_errors(table_sn, start, condition, message):
    values = {":p": "P"}
    if ":c" in condition:
        values[":c"] = 5
    with assert_error("ValidationException", message):
        table_sn.query(KeyConditionExpression=condition, ExpressionAttributeValues=values, ExclusiveStartKey=start)


# A Query of a table without a sort key can return at most one item, so it cannot be
# resumed: DynamoDB refuses an ExclusiveStartKey there, quoting it.
# Source: scylla test_query_no_sort_key_exclusive_start_key (the message text is quoted
# from DynamoDB in its comment).
def test_query_hash_only_table_refuses_exclusive_start_key(table_s):
    p = random_string()
    with assert_error("ValidationException", "The provided exclusive start key is invalid: ExclusiveStartKey: "
                      f"{{p=AttributeValue: {{S:{p}}}}}"):
        table_s.query(KeyConditionExpression="p = :p", ExpressionAttributeValues={":p": p},
                      ExclusiveStartKey={"p": p})


# Select: ALL_ATTRIBUTES is the default on a table, COUNT returns counts and no Items,
# SPECIFIC_ATTRIBUTES goes with a projection. Sources: conformance tier1/query/select;
# scylla test_query_select; dynalite query.js ("should return COUNT if requested").
def test_query_select(table_sn):
    p = random_string()
    fill(table_sn, p, range(4), x="ex", y="why")
    base = {"KeyConditionExpression": "p = :p", "ExpressionAttributeValues": {":p": p}, "ConsistentRead": True}
    everything = table_sn.query(Select="ALL_ATTRIBUTES", **base)
    assert everything["Items"] == table_sn.query(**base)["Items"]
    assert everything["Items"][0] == {"p": p, "c": 0, "x": "ex", "y": "why"}
    counted = table_sn.query(Select="COUNT", **base)
    assert "Items" not in counted and counted["Count"] == counted["ScannedCount"] == 4
    specific = table_sn.query(Select="SPECIFIC_ATTRIBUTES", ProjectionExpression="x, c", **base)
    assert specific["Items"] == [{"x": "ex", "c": c} for c in range(4)]
    limited = table_sn.query(Select="COUNT", Limit=3, **base)
    assert limited["Count"] == 3 and limited["LastEvaluatedKey"] == {"p": p, "c": 2}


# Select's rules, with DynamoDB's messages. Sources: conformance tier3/error-messages/query
# ("invalid Select value") and a later revision's scan/select rejections; extenddb
# (SPECIFIC_ATTRIBUTES without a projection; ALL_PROJECTED_ATTRIBUTES on a table);
# scylla test_query_select (which member the message names).
@pytest.mark.parametrize("extra, message", [
    ({"Select": "ALL_PROJECTED_ATTRIBUTES"}, "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName"),
    ({"Select": "SPECIFIC_ATTRIBUTES"}, "Must specify the AttributesToGet or ProjectionExpression when choosing to get "
                                        "SPECIFIC_ATTRIBUTES"),
    ({"Select": "ALL_ATTRIBUTES", "ProjectionExpression": "x"}, "Cannot specify the ProjectionExpression when choosing "
                                                                "to get ALL_ATTRIBUTES"),
    ({"Select": "COUNT", "ProjectionExpression": "x"}, "Cannot specify the ProjectionExpression when choosing to get "
                                                       "only the Count"),
])
def test_query_select_errors(client, table_sn, extra, message):
    with assert_error("ValidationException", message):
        client.query(TableName=table_sn.name, KeyConditionExpression="p = :p",
                     ExpressionAttributeValues={":p": "x"}, **extra)


def test_query_select_enum(unchecked_client, table_sn):
    with assert_error("ValidationException", "1 validation error detected: Value 'INVALID_VALUE' at 'select' failed "
                      "to satisfy constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, "
                      "ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]"):
        unchecked_client.query(TableName=table_sn.name, KeyConditionExpression="p = :p",
                               ExpressionAttributeValues={":p": {"S": "x"}}, Select="INVALID_VALUE")


# A Limit below 1 is refused; Query names the member "Limit" and leaves out the value.
# Source: conformance tier3/error-messages/query ("Limit of 0"; observed on AWS).
def test_query_limit_zero(unchecked_client, table_sn):
    with assert_error("ValidationException", "1 validation error detected: Value at 'Limit' failed to satisfy "
                      "constraint: Member must have value greater than or equal to 1"):
        unchecked_client.query(TableName=table_sn.name, KeyConditionExpression="p = :v",
                               ExpressionAttributeValues={":v": {"S": "val"}}, Limit=0)


# A Query needs a key condition. Source: dynalite validations/query.js
# ("Either the KeyConditions or KeyConditionExpression parameter must be specified in the
# request."); conformance tier1/query/validation.
def test_query_needs_a_key_condition(client, table_sn):
    with assert_error("ValidationException", "Either the KeyConditions or KeyConditionExpression parameter must be "
                      "specified in the request."):
        client.query(TableName=table_sn.name)


# A missing table: "Requested resource not found", after the request-level checks.
# Sources: conformance tier1/query/validation; dynalite query.js ("should check table exists
# before checking key validity").
def test_query_missing_table(client):
    with assert_error("ResourceNotFoundException", "Requested resource not found"):
        client.query(TableName="compat_no_such_table_" + random_string(),
                     KeyConditionExpression="z = :a", ExpressionAttributeValues={":a": 1})


# Count and ScannedCount: Count is what the filter kept, ScannedCount what was read.
# Sources: conformance tier1/query/basic ("filters results but ScannedCount reflects
# pre-filter count"); aws-docs Query.Count.html.
def test_query_count_and_scanned_count(table_sn):
    p = random_string()
    fill(table_sn, p, range(6))
    table_sn.put_item(Item={"p": p, "c": 3, "flag": True})
    got = table_sn.query(KeyConditionExpression="p = :p", FilterExpression="attribute_exists(flag)",
                         ExpressionAttributeValues={":p": p}, ConsistentRead=True)
    assert (got["Count"], got["ScannedCount"]) == (1, 6)


# ReturnConsumedCapacity: a Query of a small item costs 1 unit strongly consistent, 0.5
# eventually consistent; the items read are rounded up to 4 KB once for the whole Query,
# not per item; INDEXES adds the table's share. Sources: scylla
# test_returnconsumedcapacity.py (test_query_consumed_capacity); aws-docs
# read-write-operations.html ("Query ... the total size of all items ... rounded up to
# the next 4 KB boundary").
def test_query_consumed_capacity(client, table_sn):
    p = random_string()
    client.put_item(TableName=table_sn.name, Item={"p": p, "c": 1})
    request = {"TableName": table_sn.name, "KeyConditionExpression": "p = :p",
               "ExpressionAttributeValues": {":p": p}, "ReturnConsumedCapacity": "TOTAL"}
    assert client.query(ConsistentRead=True, **request)["ConsumedCapacity"] == {
        "TableName": table_sn.name, "CapacityUnits": 1.0}
    assert client.query(**request)["ConsumedCapacity"]["CapacityUnits"] == 0.5
    for c in range(2, 5):
        client.put_item(TableName=table_sn.name, Item={"p": p, "c": c, "v": "x" * 2000})
    # four items, ~6 KB together: two 4 KB units, not four
    assert client.query(ConsistentRead=True, **request)["ConsumedCapacity"]["CapacityUnits"] == 2.0
    indexes = client.query(ConsistentRead=True, **{**request, "ReturnConsumedCapacity": "INDEXES"})
    assert indexes["ConsumedCapacity"] == {"TableName": table_sn.name, "CapacityUnits": 2.0,
                                           "Table": {"CapacityUnits": 2.0}}


# A Query reads at most 1 MB of items per call, and says where it stopped; paging gets
# everything. Sources: conformance tier3/limits/responseSize (20 items of ~60 KB in one
# partition); aws-docs Query.Pagination.html ("A single Query only returns a result set
# that fits within the 1 MB size limit"); scylla test_query_reverse_longish (reverse too).
def test_query_one_megabyte_pages(table_sn):
    p = random_string()
    fill(table_sn, p, range(20), payload="x" * 60_000)
    for forward in (True, False):
        first = table_sn.query(KeyConditionExpression="p = :p", ExpressionAttributeValues={":p": p},
                               ScanIndexForward=forward, ConsistentRead=True)
        assert 0 < len(first["Items"]) < 20 and "LastEvaluatedKey" in first
        assert sum(len(item["payload"]) for item in first["Items"]) <= 1024 * 1024
        got = full_query(table_sn, KeyConditionExpression="p = :p", ExpressionAttributeValues={":p": p},
                         ScanIndexForward=forward, ConsistentRead=True)
        assert sort_keys_of(got) == (list(range(20)) if forward else list(range(19, -1, -1)))
    limited = table_sn.query(KeyConditionExpression="p = :p", ExpressionAttributeValues={":p": p}, Limit=5,
                             ConsistentRead=True)
    assert len(limited["Items"]) == 5 and "LastEvaluatedKey" in limited


# Querying an index: without Select the index's projected attributes come back, and a
# LastEvaluatedKey carries the index key and the table key. Sources: aws-docs API_Query
# (Select: "ALL_PROJECTED_ATTRIBUTES ... the default when querying an index"); dynalite
# query.js ("should only return projected attributes by default for secondary indexes").
def test_query_index_defaults_to_projected_attributes(dynamodb):
    with new_table(dynamodb,
                   KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "c", "KeyType": "RANGE"}],
                   AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"} for n in ("p", "c", "l")],
                   LocalSecondaryIndexes=[{"IndexName": "by_l", "KeySchema": [
                       {"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "l", "KeyType": "RANGE"}],
                       "Projection": {"ProjectionType": "KEYS_ONLY"}}]) as table:
        for n in range(3):
            table.put_item(Item={"p": "a", "c": str(n), "l": str(9 - n), "x": "not projected"})
        got = table.query(IndexName="by_l", KeyConditionExpression="p = :p", ExpressionAttributeValues={":p": "a"},
                          Limit=2, ConsistentRead=True)
        assert got["Items"] == [{"p": "a", "c": "2", "l": "7"}, {"p": "a", "c": "1", "l": "8"}]
        assert got["LastEvaluatedKey"] == {"p": "a", "c": "1", "l": "8"}
        everything = table.query(IndexName="by_l", KeyConditionExpression="p = :p", Select="ALL_ATTRIBUTES",
                                 ExpressionAttributeValues={":p": "a"}, ConsistentRead=True)
        assert everything["Items"][0] == {"p": "a", "c": "2", "l": "7", "x": "not projected"}
