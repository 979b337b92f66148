# BatchGetItem (issue 6): up to 100 keys across tables with per-table projection and
# read consistency, DynamoDB's messages and check order, and the 16 MB response limit
# whose overflow comes back in UnprocessedKeys.
#
# Sources named below:
#   conformance - the public DynamoDB conformance suite (tier1/batchGetItem,
#                 tier3/error-messages/batchGetItem, tier3/limits/batchLimits,
#                 tier3/legacy-api/attributesToGet, tier3/validation-ordering), on AWS.
#   dynalite    - mhart/dynalite test/batchGetItem.js, messages recorded from DynamoDB.
#   aws-docs    - API_BatchGetItem.html.
#
# `client` is the resource's client (Python values in and out); `unchecked_client` is a
# plain client with botocore's own validation off, for invalid requests.

import pytest

from util import assert_error, random_string

VALIDATION = "ValidationException"
DUPLICATES = "Provided list of item keys contains duplicates"


@pytest.fixture
def stored(table_s):
    """Three fresh items of table_s."""
    items = [{"p": random_string(), "n": i, "s": f"text{i}", "m": {"a": i, "b": [1, 2]}} for i in range(3)]
    for item in items:
        table_s.put_item(Item=item)
    return items


def by_key(items, name="p"):
    return {item[name]: item for item in items}


# Found items come back in Responses under their table, missing keys are left out, every
# requested table has an entry, and UnprocessedKeys is empty.
# Sources: conformance tier1/batchGetItem basic; dynalite "empty responses if keys do not exist".
def test_batch_get_item_returns_found_items(client, table_s, table_sn, stored):
    response = client.batch_get_item(RequestItems={
        table_s.name: {"Keys": [{"p": item["p"]} for item in stored] + [{"p": random_string()}]},
        table_sn.name: {"Keys": [{"p": random_string(), "c": 1}]},
    })
    assert by_key(response["Responses"][table_s.name]) == by_key(stored)
    assert response["Responses"][table_sn.name] == []
    assert response["UnprocessedKeys"] == {}


# ProjectionExpression (with names, nested paths) applies per table and does not add the
# key attributes. Source: conformance tier1/batchGetItem ProjectionExpression.
def test_batch_get_item_projection_expression(client, table_s, stored):
    response = client.batch_get_item(RequestItems={table_s.name: {
        "Keys": [{"p": stored[0]["p"]}], "ProjectionExpression": "#s, m.b[1]",
        "ExpressionAttributeNames": {"#s": "s"}, "ConsistentRead": True}})
    assert response["Responses"][table_s.name] == [{"s": "text0", "m": {"b": [2]}}]


# AttributesToGet (legacy) returns the named top-level attributes.
# Source: conformance tier3/legacy-api/attributesToGet.
def test_batch_get_item_attributes_to_get(client, table_s, stored):
    response = client.batch_get_item(RequestItems={table_s.name: {
        "Keys": [{"p": item["p"]} for item in stored[:2]], "AttributesToGet": ["p", "n"]}})
    assert by_key(response["Responses"][table_s.name]) == {item["p"]: {"p": item["p"], "n": item["n"]}
                                                           for item in stored[:2]}


# A ProjectionExpression for one table and AttributesToGet for another mix the two
# syntaxes in one request: refused as a whole. Source: conformance tier3/error-messages/
# batchGetItem (the code; the message is not pinned there, so neither is it here).
def test_batch_get_item_refuses_mixed_projection_styles(client, table_s, table_sn):
    with assert_error(VALIDATION):
        client.batch_get_item(RequestItems={
            table_s.name: {"Keys": [{"p": random_string()}], "ProjectionExpression": "p"},
            table_sn.name: {"Keys": [{"p": random_string(), "c": 1}], "AttributesToGet": ["p"]},
        })


# Exactly 100 keys are allowed. Source: conformance tier3/limits/batchLimits.
def test_batch_get_item_accepts_100_keys(client, table_s, stored):
    keys = [{"p": item["p"]} for item in stored] + [{"p": random_string()} for _ in range(97)]
    response = client.batch_get_item(RequestItems={table_s.name: {"Keys": keys}})
    assert len(response["Responses"][table_s.name]) == 3


# 101 keys for one table break the Keys constraint, worded by DynamoDB's newer validator.
# Source: conformance tier3/error-messages/batchGetItem (exact, AWS).
def test_batch_get_item_refuses_101_keys(client, table_s):
    with assert_error(VALIDATION, f"1 validation error detected: Value at 'RequestItems.{table_s.name}.member.Keys' "
                                  "failed to satisfy constraint: Member must have length less than or equal to 100"):
        client.batch_get_item(RequestItems={table_s.name: {"Keys": [{"p": str(i)} for i in range(101)]}})


# The limit is for the whole request: 100 + 1 keys over two tables is refused.
# Source: dynalite "more than 100 keys over multiple tables" (recorded).
def test_batch_get_item_refuses_101_keys_over_two_tables(client, table_s, table_n):
    with assert_error(VALIDATION, "Too many items requested for the BatchGetItem call"):
        client.batch_get_item(RequestItems={table_s.name: {"Keys": [{"p": str(i)} for i in range(100)]},
                                            table_n.name: {"Keys": [{"p": 1}]}})


# An empty RequestItems has its own message. Source: conformance tier3/error-messages.
def test_batch_get_item_requires_request_items(unchecked_client):
    with assert_error(VALIDATION, "The requestItems parameter is required for BatchGetItem"):
        unchecked_client.batch_get_item(RequestItems={})


# An empty Keys list breaks the same constraint's lower bound, in the same wording as the
# upper one. Source: by analogy with the 101-key message (conformance, AWS); dynalite
# recorded the older wording of the same constraint.
def test_batch_get_item_refuses_empty_keys(unchecked_client, table_s):
    with assert_error(VALIDATION, f"1 validation error detected: Value at 'RequestItems.{table_s.name}.member.Keys' "
                                  "failed to satisfy constraint: Member must have length greater than or equal to 1"):
        unchecked_client.batch_get_item(RequestItems={table_s.name: {"Keys": []}})


# The same key twice in one table's Keys is refused, whatever the order of its attributes.
# Sources: conformance tier1 validation and tier3/error-messages; dynalite "duplicated keys".
@pytest.mark.parametrize("schema", ["s", "sn"])
def test_batch_get_item_refuses_duplicate_keys(client, table_s, table_sn, schema):
    key = random_string()
    if schema == "s":
        name, keys = table_s.name, [{"p": key}, {"p": random_string()}, {"p": key}]
    else:
        name, keys = table_sn.name, [{"p": key, "c": 1}, {"c": 1, "p": key}]
    with assert_error(VALIDATION, DUPLICATES):
        client.batch_get_item(RequestItems={name: {"Keys": keys}})


# Duplicate keys are refused before the table is looked up, and before the keys are
# compared with its schema. Source: dynalite "duplicated keys" against a table that does
# not exist (recorded).
def test_batch_get_item_duplicates_before_table(client):
    with assert_error(VALIDATION, DUPLICATES):
        client.batch_get_item(RequestItems={"compat_missing_" + random_string(): {"Keys": [{"x": 1}, {"x": 1}]}})


# AttributesToGet may not repeat a name. Source: dynalite "duplicate values in
# AttributesToGet" (recorded).
def test_batch_get_item_refuses_duplicate_attributes_to_get(client, table_s):
    with assert_error(VALIDATION, "One or more parameter values were invalid: Duplicate value in attribute name: a"):
        client.batch_get_item(RequestItems={table_s.name: {"Keys": [{"p": "x"}], "AttributesToGet": ["a", "a"]}})


# Expression and non-expression parameters may not be mixed; ExpressionAttributeNames
# needs an expression; an empty or malformed ProjectionExpression is refused; names no
# expression uses are refused. Sources: dynalite validations (recorded); conformance
# tier3/error-messages/transactGetItems for the syntax-error wording.
@pytest.mark.parametrize("spec, message", [
    ({"AttributesToGet": ["a"], "ProjectionExpression": "a"},
     "Can not use both expression and non-expression parameters in the same request: "
     "Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}"),
    ({"ExpressionAttributeNames": {"#a": "a"}},
     "ExpressionAttributeNames can only be specified when using expressions"),
    ({"ProjectionExpression": ""}, "Invalid ProjectionExpression: The expression can not be empty;"),
    ({"ProjectionExpression": "!!!"}, 'Invalid ProjectionExpression: Syntax error; token: "!", near: "!!"'),
    ({"ProjectionExpression": "a", "ExpressionAttributeNames": {"#b": "b"}},
     "Value provided in ExpressionAttributeNames unused in expressions: keys: {#b}"),
])
def test_batch_get_item_expression_rules(client, table_s, spec, message):
    with assert_error(VALIDATION, message):
        client.batch_get_item(RequestItems={table_s.name: {"Keys": [{"p": "x"}], **spec}})


# A table that does not exist: "Requested resource not found", even when the keys could
# not match any schema. Sources: conformance tier3/error-messages/batchGetItem; dynalite
# "key is empty and table does not exist" (recorded).
@pytest.mark.parametrize("key", [{"p": "x"}, {}])
def test_batch_get_item_missing_table(client, key):
    with assert_error("ResourceNotFoundException", "Requested resource not found"):
        client.batch_get_item(RequestItems={"compat_missing_" + random_string(): {"Keys": [key]}})


# Keys must be exactly the table's key attributes, with the declared types.
# Source: dynalite "key does not match schema" (recorded).
@pytest.mark.parametrize("key", [{}, {"q": "a"}, {"p": 1}, {"p": "a", "q": "b"}])
def test_batch_get_item_key_must_match_schema(client, table_s, key):
    with assert_error(VALIDATION, "The provided key element does not match the schema"):
        client.batch_get_item(RequestItems={table_s.name: {"Keys": [key]}})


# ReturnConsumedCapacity: one entry per table; an item read costs one unit per 4 KB when
# consistent and half as much when not, a missing item the minimum.
# Source: aws-docs (read-write-operations); dynalite functionality tests.
def test_batch_get_item_consumed_capacity(client, table_s, table_n, stored):
    big = random_string()
    client.put_item(TableName=table_s.name, Item={"p": big, "data": "x" * 5000})
    response = client.batch_get_item(ReturnConsumedCapacity="TOTAL", RequestItems={
        table_s.name: {"Keys": [{"p": big}, {"p": stored[0]["p"]}], "ConsistentRead": True},
        table_n.name: {"Keys": [{"p": -1}]}})
    by_table = {entry["TableName"]: entry["CapacityUnits"] for entry in response["ConsumedCapacity"]}
    assert by_table == {table_s.name: 3.0, table_n.name: 0.5}


# A response holds at most 16 MB: past that, BatchGetItem returns the keys it did not
# read in UnprocessedKeys, with the table's other request members, and asking again for
# those returns the rest. Source: aws-docs ("If the total size of the items requested
# exceeds 16 MB, BatchGetItem returns a partial result ... UnprocessedKeys").
def test_batch_get_item_returns_unprocessed_keys_past_16_mb(client, table_s):
    prefix = random_string()
    keys = [{"p": f"{prefix}{i:02}"} for i in range(45)]
    payload = "x" * 390_000
    for start in range(0, len(keys), 15):
        client.batch_write_item(RequestItems={table_s.name: [
            {"PutRequest": {"Item": {**key, "payload": payload}}} for key in keys[start:start + 15]]})
    spec = {"Keys": keys, "ProjectionExpression": "p", "ConsistentRead": True}
    response = client.batch_get_item(RequestItems={table_s.name: spec})
    found = {item["p"] for item in response["Responses"][table_s.name]}
    left = response["UnprocessedKeys"][table_s.name]
    assert left["ProjectionExpression"] == "p" and left["ConsistentRead"] is True
    assert found and left["Keys"]
    while left:
        response = client.batch_get_item(RequestItems={table_s.name: left})
        found |= {item["p"] for item in response["Responses"][table_s.name]}
        left = response["UnprocessedKeys"].get(table_s.name)
    assert found == {key["p"] for key in keys}
    client.batch_write_item(RequestItems={table_s.name: [{"DeleteRequest": {"Key": key}} for key in keys[:25]]})
    client.batch_write_item(RequestItems={table_s.name: [{"DeleteRequest": {"Key": key}} for key in keys[25:]]})
