# Global secondary indexes (issue 5): CreateTable with GSIs, what DescribeTable shows of
# them, the checks every write makes against GSI keys, and reading a GSI with Query and
# Scan (sparse index, projections, non-unique keys, pagination, eventual consistency).
#
# Sources named below:
#   dynalite     - architect/dynalite test/createTable.js, putItem.js, updateItem.js,
#                  batchWriteItem.js and validations/createTable.js, recorded from DynamoDB.
#   conformance  - the public DynamoDB conformance suite (tier1/createTable/gsi,
#                  tier1/query/gsi, tier1/scan/gsi*, tier3/error-messages/*), run on AWS.
#   ack-quirks   - ack-api-quirks DynamoDB findings (DDB-TABLE-nnn), probed on AWS 2026-10;
#                  DDB-TABLE-442 is its catalogue of ValidationException texts.
#   aws-docs     - the Developer Guide / API reference page named in the comment.
#
# Reads of a GSI are eventually consistent on AWS, so reads that follow a write go
# through `settled()`, which retries a few times against a real endpoint.

import time

import pytest

from util import assert_error, assert_validation_errors, new_table, random_string, unique_table_name

INVALID = "One or more parameter values were invalid: "
P_S = {"AttributeName": "p", "AttributeType": "S"}
C_S = {"AttributeName": "c", "AttributeType": "S"}
G_S = {"AttributeName": "g", "AttributeType": "S"}
R_N = {"AttributeName": "r", "AttributeType": "N"}


def hash_key(name):
    return [{"AttributeName": name, "KeyType": "HASH"}]


def hash_range(hash_name, range_name):
    return [{"AttributeName": hash_name, "KeyType": "HASH"}, {"AttributeName": range_name, "KeyType": "RANGE"}]


def gsi(name, keys, projection=None, **extra):
    return {"IndexName": name, "KeySchema": keys, "Projection": {"ProjectionType": "ALL"} if projection is None else projection, **extra}


def create(client, **kwargs):
    """CreateTable: unique name, hash key p, on demand, unless overridden."""
    kwargs.setdefault("TableName", unique_table_name())
    kwargs.setdefault("KeySchema", hash_key("p"))
    kwargs.setdefault("AttributeDefinitions", [P_S, G_S])
    if "ProvisionedThroughput" not in kwargs:
        kwargs.setdefault("BillingMode", "PAY_PER_REQUEST")
    return client.create_table(**kwargs)


def settled(read, check, attempts=30):
    """Call ``read()`` until ``check(result)`` holds: GSIs are eventually consistent on AWS
    (the emulator is consistent at once, so there the first call returns)."""
    result = read()
    for _ in range(attempts):
        if check(result):
            return result
        time.sleep(1)
        result = read()
    return result


# A table shared by the write and read tests: hash p (S) + range c (S), and
#   by_g      g (S)               ALL
#   by_g_r    g (S) + r (N)       KEYS_ONLY
#   by_r_inc  r (N)               INCLUDE [x]
@pytest.fixture(scope="module")
def gsi_table(dynamodb):
    with new_table(
        dynamodb,
        KeySchema=hash_range("p", "c"),
        AttributeDefinitions=[P_S, C_S, G_S, R_N],
        GlobalSecondaryIndexes=[
            gsi("by_g", hash_key("g")),
            gsi("by_g_r", hash_range("g", "r"), {"ProjectionType": "KEYS_ONLY"}),
            gsi("by_r_inc", hash_key("r"), {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["x"]}),
        ],
    ) as table:
        yield table


# ---------------------------------------------------------------- CreateTable: what is created

# A GSI created with the table: KeySchema and Projection as sent, IndexStatus ACTIVE once
# the table is, an IndexArn under the table ARN, 0 items and bytes, and throughput 0/0 for
# an on-demand table. Sources: conformance tier1/createTable/gsi and
# tier1/describeTable/basic; dynalite "should succeed for PAY_PER_REQUEST
# GlobalSecondaryIndexes" (IndexArn, IndexSizeBytes, ItemCount, throughput 0/0).
def test_create_table_gsi_description(client, gsi_table):
    table = client.describe_table(TableName=gsi_table.name)["Table"]
    indexes = {index["IndexName"]: index for index in table["GlobalSecondaryIndexes"]}
    assert set(indexes) == {"by_g", "by_g_r", "by_r_inc"}
    composite = indexes["by_g_r"]
    assert composite["KeySchema"] == hash_range("g", "r")
    assert composite["Projection"] == {"ProjectionType": "KEYS_ONLY"}
    assert composite["IndexStatus"] == "ACTIVE"
    assert composite["IndexArn"] == f"{table['TableArn']}/index/by_g_r"
    assert isinstance(composite["IndexSizeBytes"], int) and isinstance(composite["ItemCount"], int)
    throughput = composite["ProvisionedThroughput"]
    assert (throughput["ReadCapacityUnits"], throughput["WriteCapacityUnits"]) == (0, 0)
    assert indexes["by_r_inc"]["Projection"] == {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["x"]}
    assert "LocalSecondaryIndexes" not in table


# On a PROVISIONED table each GSI has its own throughput, shown with
# NumberOfDecreasesToday; the CreateTable response shows the index CREATING. Sources:
# dynalite "should succeed for multiple GlobalSecondaryIndexes"; ack-quirks DDB-TABLE-148.
def test_create_table_provisioned_gsi_throughput(client):
    name = unique_table_name()
    response = create(client, TableName=name, ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
                      GlobalSecondaryIndexes=[gsi("by_g", hash_key("g"), ProvisionedThroughput={
                          "ReadCapacityUnits": 2, "WriteCapacityUnits": 3})])["TableDescription"]
    try:
        (index,) = response["GlobalSecondaryIndexes"]
        assert index["IndexStatus"] == "CREATING"
        assert index["ProvisionedThroughput"] == {"NumberOfDecreasesToday": 0, "ReadCapacityUnits": 2,
                                                  "WriteCapacityUnits": 3}
        client.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 120})
        (index,) = client.describe_table(TableName=name)["Table"]["GlobalSecondaryIndexes"]
        assert index["IndexStatus"] == "ACTIVE"
        assert (index["ProvisionedThroughput"]["ReadCapacityUnits"], index["ProvisionedThroughput"]["WriteCapacityUnits"]) == (2, 3)
    finally:
        client.delete_table(TableName=name)


# A GSI may reuse the table's own key attributes (here its range key as the GSI hash key).
# Source: dynalite "should succeed for multiple GlobalSecondaryIndexes" (GSI key a+b on a
# table keyed by a).
def test_create_table_gsi_on_table_key_attributes(dynamodb, client):
    with new_table(dynamodb, KeySchema=hash_range("p", "c"), AttributeDefinitions=[P_S, C_S],
                   GlobalSecondaryIndexes=[gsi("by_c", hash_range("c", "p"))]) as table:
        (index,) = client.describe_table(TableName=table.name)["Table"]["GlobalSecondaryIndexes"]
        assert index["KeySchema"] == hash_range("c", "p")


# ---------------------------------------------------------------- CreateTable: refused

# Each index's members are checked with the other shape constraints and reported
# together: index name pattern and length, a key schema of 1-2 elements, the projection
# type enum, 1-20 NonKeyAttributes, capacity at least 1. Sources: dynalite "bad
# GlobalSecondaryIndex names", "invalid properties in GlobalSecondaryIndex"; aws-docs
# API_Projection (NonKeyAttributes 1-20 items).
def test_create_table_gsi_shape_errors(unchecked_client):
    long_name = "a" * 256
    with assert_validation_errors(
        "Value 'h;' at 'globalSecondaryIndexes.1.member.indexName' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
        "Value 'h;' at 'globalSecondaryIndexes.1.member.indexName' failed to satisfy constraint: "
        "Member must have length greater than or equal to 3",
        "Value '[]' at 'globalSecondaryIndexes.1.member.keySchema' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1",
        "Value 'abc' at 'globalSecondaryIndexes.1.member.projection.projectionType' failed to satisfy constraint: "
        "Member must satisfy enum value set: [ALL, INCLUDE, KEYS_ONLY]",
        "Value '0' at 'globalSecondaryIndexes.1.member.provisionedThroughput.readCapacityUnits' failed to satisfy "
        "constraint: Member must have value greater than or equal to 1",
        f"Value '{long_name}' at 'globalSecondaryIndexes.2.member.indexName' failed to satisfy constraint: "
        "Member must have length less than or equal to 255",
        "Value '[]' at 'globalSecondaryIndexes.2.member.projection.nonKeyAttributes' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1",
    ):
        create(unchecked_client, ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
               GlobalSecondaryIndexes=[
                   gsi("h;", [], {"ProjectionType": "abc"},
                       ProvisionedThroughput={"ReadCapacityUnits": 0, "WriteCapacityUnits": 1}),
                   gsi(long_name, hash_key("g"), {"ProjectionType": "INCLUDE", "NonKeyAttributes": []},
                       ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}),
               ])


# Missing IndexName, KeySchema and Projection are "must not be null" violations.
# Source: dynalite "more than five empty GlobalSecondaryIndexes".
def test_create_table_gsi_missing_members(unchecked_client):
    with assert_validation_errors(
        "Value null at 'globalSecondaryIndexes.1.member.indexName' failed to satisfy constraint: "
        "Member must not be null",
        "Value null at 'globalSecondaryIndexes.1.member.keySchema' failed to satisfy constraint: "
        "Member must not be null",
        "Value null at 'globalSecondaryIndexes.1.member.projection' failed to satisfy constraint: "
        "Member must not be null",
    ):
        create(unchecked_client, GlobalSecondaryIndexes=[{}])


# At most 20 NonKeyAttributes in one index's projection. Source: aws-docs API_Projection;
# scalar-labs/scalardb PR 107 quotes the real "...nonKeyAttributes' failed to satisfy
# constraint: Member must have length less than or equal to 20".
def test_create_table_gsi_at_most_20_non_key_attributes(client):
    names = [f"a{n}" for n in range(21)]
    with assert_validation_errors(
        f"Value '[{', '.join(names)}]' at 'globalSecondaryIndexes.1.member.projection.nonKeyAttributes' failed to "
        "satisfy constraint: Member must have length less than or equal to 20",
    ):
        create(client, GlobalSecondaryIndexes=[
            gsi("by_g", hash_key("g"), {"ProjectionType": "INCLUDE", "NonKeyAttributes": names})])


# Semantic errors, one at a time. Sources: conformance tier3/error-messages/createTable
# (duplicate index name, exact text); dynalite validations/createTable.js and its tests
# for the others; ack-quirks DDB-TABLE-442 for "ProvisionedThroughput is not specified
# for index" and "ProjectionType is INCLUDE, but NonKeyAttributes is not specified".
@pytest.mark.parametrize("indexes, extra, message", [
    ([], {}, INVALID + "List of GlobalSecondaryIndexes is empty"),
    ([gsi("sameIndex", hash_key("g")), gsi("sameIndex", hash_key("g"))], {},
     INVALID + "Duplicate index name: sameIndex"),
    ([gsi("by_x", hash_range("g", "x"))], {},
     INVALID + "Some index key attributes are not defined in AttributeDefinitions. Keys: [g, x], "
     "AttributeDefinitions: [p, g]"),
    ([gsi("by_g", hash_range("g", "g"))], {},
     "Both the Hash Key and the Range Key element in the KeySchema have the same name"),
    ([gsi("by_g", [{"AttributeName": "g", "KeyType": "RANGE"}])], {},
     "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"),
    ([gsi("by_g", [{"AttributeName": "g", "KeyType": "HASH"}, {"AttributeName": "p", "KeyType": "HASH"}])], {},
     "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type"),
    ([gsi("by_g", hash_key("g"), {})], {}, INVALID + "Unknown ProjectionType: null"),
    ([gsi("by_g", hash_key("g"), {"NonKeyAttributes": ["a"]})], {}, INVALID + "Unknown ProjectionType: null"),
    ([gsi("by_g", hash_key("g"), {"ProjectionType": "ALL", "NonKeyAttributes": ["a"]})], {},
     INVALID + "ProjectionType is ALL, but NonKeyAttributes is specified"),
    ([gsi("by_g", hash_key("g"), {"ProjectionType": "KEYS_ONLY", "NonKeyAttributes": ["a"]})], {},
     INVALID + "ProjectionType is KEYS_ONLY, but NonKeyAttributes is specified"),
    ([gsi("by_g", hash_key("g"), {"ProjectionType": "INCLUDE"})], {},
     INVALID + "ProjectionType is INCLUDE, but NonKeyAttributes is not specified"),
    ([gsi("by_g", hash_key("g"), ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}),
      gsi("other", hash_key("g"))], {},
     INVALID + "ProvisionedThroughput should not be specified for index: by_g when BillingMode is PAY_PER_REQUEST"),
    ([gsi("by_g", hash_key("g"))], {"ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}},
     INVALID + "ProvisionedThroughput is not specified for index: by_g"),
])
def test_create_table_gsi_semantic_errors(client, indexes, extra, message):
    with assert_error("ValidationException", message):
        create(client, GlobalSecondaryIndexes=indexes, **extra)


# More than 20 GSIs. Source: dynalite "more than twenty valid GlobalSecondaryIndexes";
# aws-docs ServiceQuotas (20 GSIs per table by default).
def test_create_table_at_most_20_gsis(client):
    indexes = [gsi(f"gsi{n}", hash_key("g")) for n in range(21)]
    with assert_error("ValidationException", INVALID + "GlobalSecondaryIndex count exceeds the per-table limit of 20"):
        create(client, GlobalSecondaryIndexes=indexes)


# With indexes, an attribute definition no key uses is "not used" (not the
# "Number of attributes in KeySchema does not exactly match" text of index-less tables).
# Source: aws/aws-sdk-java issue 335 quotes the real response
# ("Some AttributeDefinitions are not used. AttributeDefinitions: [index, hash, extra],
# keys used: [index, hash]"); ack-quirks DDB-TABLE-442.
def test_create_table_gsi_unused_definition(client):
    with assert_error("ValidationException") as info:
        create(client, AttributeDefinitions=[P_S, G_S, R_N], GlobalSecondaryIndexes=[gsi("by_g", hash_key("g"))])
    message = info.value.response["Error"]["Message"]
    assert message.startswith(INVALID + "Some AttributeDefinitions are not used. AttributeDefinitions: [")
    assert "keys used: [" in message


# Index key attributes must be defined: an undefined GSI range key. Source: dynalite
# "missing attribute definition with only range key with GlobalSecondaryIndex".
def test_create_table_gsi_undefined_key(client):
    with assert_error("ValidationException", INVALID + "Some index key attributes are not defined in "
                      "AttributeDefinitions. Keys: [g, r], AttributeDefinitions: [p, g]"):
        create(client, GlobalSecondaryIndexes=[gsi("by_g", hash_range("g", "r"))])


# ---------------------------------------------------------------- writes checked against GSI keys

# An item whose GSI key attribute has another type than its definition is refused, naming
# the attribute, both types and the index; a missing GSI key attribute is fine (the item is
# simply not in the index). Sources: dynalite putItem.js/batchWriteItem.js ("Type mismatch
# for Index Key c Expected: S Actual: N IndexName: index1"); user reports of
# "Type mismatch for Index Key gmAlias Expected: S Actual: NULL".
@pytest.mark.parametrize("attribute, value, expected, actual, index", [
    ("g", 1, "S", "N", "by_g"),
    ("g", None, "S", "NULL", "by_g"),
    ("r", "1", "N", "S", "by_g_r"),
    ("r", [], "N", "L", "by_g_r"),
])
def test_put_item_gsi_key_type_mismatch(gsi_table, attribute, value, expected, actual, index):
    key = {"p": random_string(), "c": "c"}
    message = (INVALID + f"Type mismatch for Index Key {attribute} Expected: {expected} Actual: {actual} "
               f"IndexName: {index}")
    with assert_error("ValidationException", message):
        gsi_table.put_item(Item={**key, attribute: value})
    assert "Item" not in gsi_table.get_item(Key=key, ConsistentRead=True)


# An empty string as a GSI key value is refused (while any other attribute may be
# empty). Source: conformance (transactWriteItems error messages) and several user
# reports quote "One or more parameter values are not valid. A value specified for a
# secondary index key is not supported. The AttributeValue for a key attribute cannot
# contain an empty string value. IndexName: ..., IndexKey: ...".
def test_put_item_gsi_key_empty_string(gsi_table):
    with assert_error("ValidationException", "One or more parameter values are not valid. A value specified for a "
                      "secondary index key is not supported. The AttributeValue for a key attribute cannot contain "
                      "an empty string value. IndexName: by_g, IndexKey: g"):
        gsi_table.put_item(Item={"p": random_string(), "c": "c", "g": "", "other": ""})


# An update that makes a GSI key value empty is refused in other words, naming no index;
# in a transaction it refuses the whole request (a ValidationException, not a
# cancellation reason). Sources: conformance tier3/error-messages/transactWriteItems (on
# AWS, an Update creating the item); moto's recording of the UpdateItem message.
def test_update_making_a_gsi_key_empty(gsi_table):
    message = ("One or more parameter values are not valid. The update expression attempted to update a secondary "
               "index key to a value that is not supported. The AttributeValue for a key attribute cannot contain "
               "an empty string value.")
    key = {"p": random_string(), "c": "c"}
    update = {"UpdateExpression": "SET g = :v", "ExpressionAttributeValues": {":v": ""}}
    with assert_error("ValidationException", message):
        gsi_table.update_item(Key=key, **update)
    gsi_table.put_item(Item={**key, "g": "x"})
    with assert_error("ValidationException", message):
        gsi_table.update_item(Key=key, **update)
    client = gsi_table.meta.client
    with assert_error("ValidationException", message):
        client.transact_write_items(TransactItems=[{"Update": {"TableName": gsi_table.name, "Key": key, **update}}])
    assert gsi_table.get_item(Key=key, ConsistentRead=True)["Item"]["g"] == "x"


# A GSI partition key value is limited to 2048 bytes like a table's. Source: real
# responses quoted in architect/dynalite issue 35 and wellcomecollection/platform issue
# 2285 ("Size limit exceeded for Index Key componentId Actual Size: 2175 bytes Max Size:
# 2048 bytes IndexName: work-sets-index").
def test_put_item_gsi_key_too_large(gsi_table):
    with assert_error("ValidationException", INVALID + "Size limit exceeded for Index Key g Actual Size: 2049 bytes "
                      "Max Size: 2048 bytes IndexName: by_g"):
        gsi_table.put_item(Item={"p": random_string(), "c": "c", "g": "x" * 2049})


# ---------------------------------------------------------------- write capacity

# A write that puts an item into a GSI also spends write capacity on the index (one write
# of the index entry's size); ReturnConsumedCapacity=INDEXES itemises it and TOTAL adds it
# up. An item without the index key costs the index nothing. Source: aws-docs
# GSI.html#GSI.ThroughputConsiderations.Writes and API_ConsumedCapacity.
def test_put_item_consumed_capacity_includes_gsi_writes(gsi_table):
    key = {"p": random_string(), "c": "c"}
    response = gsi_table.put_item(Item={**key, "g": "G"}, ReturnConsumedCapacity="INDEXES")
    consumed = response["ConsumedCapacity"]
    assert consumed["CapacityUnits"] == 2.0
    assert consumed["Table"]["CapacityUnits"] == 1.0
    assert {name: entry["CapacityUnits"] for name, entry in consumed["GlobalSecondaryIndexes"].items()} == {"by_g": 1.0}
    response = gsi_table.put_item(Item={**key, "other": "x"}, ReturnConsumedCapacity="TOTAL")
    assert response["ConsumedCapacity"]["CapacityUnits"] == 2.0  # the entry is deleted from by_g
    response = gsi_table.put_item(Item={**key, "other": "y"}, ReturnConsumedCapacity="TOTAL")
    assert response["ConsumedCapacity"]["CapacityUnits"] == 1.0


# ---------------------------------------------------------------- reading a GSI
#
# Key conditions use the legacy KeyConditions form so that these tests do not depend on
# the expression language (tested in its own files); DynamoDB treats both alike.


def eq(value):
    return {"AttributeValueList": [value], "ComparisonOperator": "EQ"}


def query_index(table, index, **conditions):
    return table.query(IndexName=index, KeyConditions=conditions)


# Items sharing a GSI key are all returned (GSI keys need not be unique), with the
# attributes the projection keeps: ALL -> the whole item; KEYS_ONLY -> table and index
# keys; INCLUDE -> those plus the NonKeyAttributes. Sources: conformance tier1/query/gsi,
# tier1/query/select ("Select ALL_PROJECTED_ATTRIBUTES on GSI returns only projected
# attributes"); aws-docs GSI.html#GSI.Projections.
def test_query_gsi_returns_projected_items_sharing_the_key(gsi_table):
    group = random_string()
    items = [{"p": random_string(), "c": str(n), "g": group, "r": n, "x": "ex", "other": "o"} for n in range(3)]
    for item in items:
        gsi_table.put_item(Item=item)

    def by_p(result):
        return sorted(result, key=lambda item: item["p"])

    full = settled(lambda: query_index(gsi_table, "by_g", g=eq(group))["Items"], lambda got: len(got) == 3)
    assert by_p(full) == by_p(items)
    keys = query_index(gsi_table, "by_g_r", g=eq(group))["Items"]
    assert by_p(keys) == by_p([{"p": i["p"], "c": i["c"], "g": group, "r": i["r"]} for i in items])
    assert [item["r"] for item in keys] == [0, 1, 2]  # in GSI range key order
    include = settled(lambda: query_index(gsi_table, "by_r_inc", r=eq(1))["Items"],
                      lambda got: any(item["p"] == items[1]["p"] for item in got))
    mine = [item for item in include if item["p"] == items[1]["p"]]
    assert mine == [{"p": items[1]["p"], "c": "1", "r": 1, "x": "ex"}]


# A GSI holds only the items that have its key attributes (a sparse index); an item that
# loses its key leaves the index, one that gains it joins. Sources: conformance
# tier1/query/gsi ("sparse GSI: items without GSI key attributes are excluded"); aws-docs
# bp-indexes-general-sparse-indexes.html.
def test_query_gsi_is_sparse(gsi_table):
    group, p = random_string(), random_string()
    gsi_table.put_item(Item={"p": p, "c": "1"})
    gsi_table.put_item(Item={"p": p, "c": "2", "g": group})
    found = settled(lambda: query_index(gsi_table, "by_g", g=eq(group))["Items"], lambda got: len(got) == 1)
    assert [item["c"] for item in found] == ["2"]
    assert query_index(gsi_table, "by_g_r", g=eq(group))["Items"] == []  # r missing: not in by_g_r
    gsi_table.put_item(Item={"p": p, "c": "2"})
    gsi_table.put_item(Item={"p": p, "c": "1", "g": group})
    found = settled(lambda: query_index(gsi_table, "by_g", g=eq(group))["Items"],
                    lambda got: [item["c"] for item in got] == ["1"])
    assert [item["c"] for item in found] == ["1"]
    gsi_table.delete_item(Key={"p": p, "c": "1"})
    assert settled(lambda: query_index(gsi_table, "by_g", g=eq(group))["Items"], lambda got: got == []) == []


# A page of a GSI query ends with a LastEvaluatedKey holding the index key and the table
# key, so that a query over many items with one GSI key value resumes exactly where it
# stopped. Sources: aws-docs API_Query (LastEvaluatedKey, ExclusiveStartKey);
# conformance tier1/scan/gsiPagination (the cursor across equal GSI keys).
def test_query_gsi_pages_through_equal_index_keys(gsi_table):
    group = random_string()
    expected = {str(n) for n in range(7)}
    for c in expected:
        gsi_table.put_item(Item={"p": "same", "c": c + group, "g": group, "r": 5})
    settled(lambda: query_index(gsi_table, "by_g_r", g=eq(group))["Items"], lambda got: len(got) == 7)
    seen, start, pages = [], None, 0
    while True:
        kwargs = {"ExclusiveStartKey": start} if start else {}
        page = gsi_table.query(IndexName="by_g_r", KeyConditions={"g": eq(group)}, Limit=3, **kwargs)
        seen.extend(item["c"] for item in page["Items"])
        pages += 1
        start = page.get("LastEvaluatedKey")
        if start is None:
            break
        assert set(start) == {"p", "c", "g", "r"}
    assert sorted(seen) == sorted(c + group for c in expected) and pages >= 3


# ConsistentRead=true is refused on a GSI; Select=ALL_ATTRIBUTES is refused on a GSI that
# does not project everything; a missing index is named. Sources: conformance
# tier3/error-messages/query ("Consistent reads are not supported on global secondary
# indexes"); dynalite query.js/scan.js for the other two texts.
@pytest.mark.parametrize("operation", ["query", "scan"])
def test_gsi_read_errors(gsi_table, operation):
    read = getattr(gsi_table, operation)
    extra = {"KeyConditions": {"g": eq("x")}} if operation == "query" else {}
    with assert_error("ValidationException", "Consistent reads are not supported on global secondary indexes"):
        read(IndexName="by_g", ConsistentRead=True, **extra)
    with assert_error("ValidationException", INVALID + "Select type ALL_ATTRIBUTES is not supported for global "
                      "secondary index by_g_r because its projection type is not ALL"):
        read(IndexName="by_g_r", Select="ALL_ATTRIBUTES", **extra)
    with assert_error("ValidationException", "The table does not have the specified index: nope"):
        read(IndexName="nope", **extra)


# A Query of an index needs a condition on the index's partition key, not the table's.
# Source: dynalite actions/query.js ("Query condition missed key schema element: <key>").
def test_query_gsi_needs_the_index_key(gsi_table):
    with assert_error("ValidationException", "Query condition missed key schema element: g"):
        gsi_table.query(IndexName="by_g", KeyConditions={"p": eq("x")})


# ---------------------------------------------------------------- scanning a GSI

# A Scan of a GSI returns each indexed item once, projected, across pages whose
# LastEvaluatedKey holds the index key and the table key; items without the index key are
# not scanned. Sources: conformance tier1/scan/gsi and gsiPagination (50 items, one GSI
# key value, Limit 10); aws-docs API_Scan.
def test_scan_gsi_pages(dynamodb):
    with new_table(dynamodb, KeySchema=hash_key("p"), AttributeDefinitions=[P_S, G_S],
                   GlobalSecondaryIndexes=[gsi("by_g", hash_range("g", "p"), {"ProjectionType": "KEYS_ONLY"})]) as table:
        for n in range(23):
            table.put_item(Item={"p": f"item-{n:03}", "g": "widget" if n % 3 else "gadget", "n": n})
        table.put_item(Item={"p": "unindexed"})
        settled(lambda: table.scan(IndexName="by_g")["Items"], lambda got: len(got) == 23)
        seen, start = [], None
        while True:
            page = table.scan(IndexName="by_g", Limit=5, **({"ExclusiveStartKey": start} if start else {}))
            seen.extend(page["Items"])
            start = page.get("LastEvaluatedKey")
            if start is None:
                break
            assert set(start) == {"p", "g"}
        assert sorted(item["p"] for item in seen) == [f"item-{n:03}" for n in range(23)]
        assert all(set(item) == {"p", "g"} for item in seen)


# ---------------------------------------------------------------- every write path keeps GSIs

# UpdateItem is checked like PutItem: setting a GSI key attribute to another type is
# refused before anything changes. Source: dynalite test/updateItem.js ("Type mismatch for
# Index Key c Expected: S Actual: N IndexName: index<n>", recorded from DynamoDB).
def test_update_item_gsi_key_type_mismatch(gsi_table):
    key = {"p": random_string(), "c": "c"}
    gsi_table.put_item(Item={**key, "g": "G"})
    with assert_error("ValidationException", INVALID + "Type mismatch for Index Key g Expected: S Actual: N "
                      "IndexName: by_g"):
        gsi_table.update_item(Key=key, UpdateExpression="SET g = :v", ExpressionAttributeValues={":v": 5})
    assert gsi_table.get_item(Key=key, ConsistentRead=True)["Item"]["g"] == "G"


# BatchWriteItem puts are checked the same way. Source: dynalite test/batchWriteItem.js
# ("Type mismatch for Index Key c Expected: S Actual: N IndexName: index<n>").
def test_batch_write_item_gsi_key_type_mismatch(client, gsi_table):
    with assert_error("ValidationException", INVALID + "Type mismatch for Index Key r Expected: N Actual: S "
                      "IndexName: by_g_r"):
        client.batch_write_item(RequestItems={gsi_table.name: [
            {"PutRequest": {"Item": {"p": random_string(), "c": "c", "g": "G", "r": "not a number"}}}]})


# UpdateItem moves an item within and between GSI key values, and REMOVE of the key
# attribute takes it out of the index. Source: aws-docs GSI.html#GSI.Writes ("DynamoDB
# automatically synchronizes each global secondary index with its base table").
def test_update_item_moves_items_in_gsis(gsi_table):
    first, second = random_string(), random_string()
    key = {"p": random_string(), "c": "c"}
    gsi_table.update_item(Key=key, UpdateExpression="SET g = :g, r = :r", ExpressionAttributeValues={
        ":g": first, ":r": 1})
    assert settled(lambda: query_index(gsi_table, "by_g_r", g=eq(first))["Items"], lambda got: len(got) == 1) == [
        {**key, "g": first, "r": 1}]
    gsi_table.update_item(Key=key, UpdateExpression="SET g = :g ADD r :one", ExpressionAttributeValues={
        ":g": second, ":one": 1})
    moved = settled(lambda: query_index(gsi_table, "by_g_r", g=eq(second))["Items"], lambda got: len(got) == 1)
    assert moved == [{**key, "g": second, "r": 2}]
    assert settled(lambda: query_index(gsi_table, "by_g_r", g=eq(first))["Items"], lambda got: got == []) == []
    gsi_table.update_item(Key=key, UpdateExpression="REMOVE r")
    assert settled(lambda: query_index(gsi_table, "by_g_r", g=eq(second))["Items"], lambda got: got == []) == []
    assert [item["p"] for item in query_index(gsi_table, "by_g", g=eq(second))["Items"]] == [key["p"]]
