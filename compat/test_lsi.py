# Local secondary indexes (issue 5): CreateTable with LSIs, what DescribeTable shows of
# them, writes checked against LSI keys, item collection metrics, and reading an LSI
# (strongly consistent reads allowed, projections, pagination).
#
# Sources named below:
#   dynalite     - architect/dynalite test/createTable.js and validations/createTable.js,
#                  recorded from DynamoDB.
#   conformance  - the public DynamoDB conformance suite (tier1/createTable/lsi,
#                  tier1/query/lsi, tier1/scan/lsi*, tier3/error-messages/createTable).
#   ack-quirks   - ack-api-quirks DynamoDB findings, catalogue DDB-TABLE-442 (2026-10).
#   aws-docs     - the Developer Guide / API reference page named in the comment.

import pytest

from util import assert_error, new_table, random_string, unique_table_name

INVALID = "One or more parameter values were invalid: "
P_S = {"AttributeName": "p", "AttributeType": "S"}
C_S = {"AttributeName": "c", "AttributeType": "S"}
L_N = {"AttributeName": "l", "AttributeType": "N"}
M_S = {"AttributeName": "m", "AttributeType": "S"}


def hash_key(name):
    return [{"AttributeName": name, "KeyType": "HASH"}]


def hash_range(hash_name, range_name):
    return [{"AttributeName": hash_name, "KeyType": "HASH"}, {"AttributeName": range_name, "KeyType": "RANGE"}]


def lsi(name, range_name, projection=None, hash_name="p"):
    return {"IndexName": name, "KeySchema": hash_range(hash_name, range_name),
            "Projection": {"ProjectionType": "ALL"} if projection is None else projection}


def create(client, **kwargs):
    """CreateTable: unique name, key p+c, on demand, unless overridden."""
    kwargs.setdefault("TableName", unique_table_name())
    kwargs.setdefault("KeySchema", hash_range("p", "c"))
    kwargs.setdefault("AttributeDefinitions", [P_S, C_S, L_N])
    kwargs.setdefault("BillingMode", "PAY_PER_REQUEST")
    return client.create_table(**kwargs)


# A table shared by the tests below: hash p (S) + range c (S), and
#   by_l      p + l (N)   ALL
#   by_m_inc  p + m (S)   INCLUDE [x]
@pytest.fixture(scope="module")
def lsi_table(dynamodb):
    with new_table(
        dynamodb,
        KeySchema=hash_range("p", "c"),
        AttributeDefinitions=[P_S, C_S, L_N, M_S],
        LocalSecondaryIndexes=[
            lsi("by_l", "l"),
            lsi("by_m_inc", "m", {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["x"]}),
        ],
    ) as table:
        yield table


# ---------------------------------------------------------------- CreateTable: what is created

# An LSI is listed under LocalSecondaryIndexes with its KeySchema, Projection, IndexArn,
# IndexSizeBytes and ItemCount, and no IndexStatus or throughput (it shares the
# table's). Sources: conformance tier1/createTable/lsi and tier1/describeTable/basic;
# dynalite "should succeed for LocalSecondaryIndexes".
def test_create_table_lsi_description(client, lsi_table):
    table = client.describe_table(TableName=lsi_table.name)["Table"]
    indexes = {index["IndexName"]: index for index in table["LocalSecondaryIndexes"]}
    assert set(indexes) == {"by_l", "by_m_inc"}
    index = indexes["by_m_inc"]
    assert index["KeySchema"] == hash_range("p", "m")
    assert index["Projection"] == {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["x"]}
    assert index["IndexArn"] == f"{table['TableArn']}/index/by_m_inc"
    assert isinstance(index["IndexSizeBytes"], int) and isinstance(index["ItemCount"], int)
    assert "IndexStatus" not in index and "ProvisionedThroughput" not in index
    assert "GlobalSecondaryIndexes" not in table


# ---------------------------------------------------------------- CreateTable: refused

# Sources: conformance tier3/error-messages/createTable (hash-only table, exact text) and
# tier1/createTable/lsi (another hash key); dynalite validations/createTable.js and its
# tests for the rest, in that order of precedence.
@pytest.mark.parametrize("schema, definitions, indexes, message", [
    (hash_key("p"), [P_S, L_N], [lsi("lsi1", "l")],
     INVALID + "Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex"),
    (None, None, [], INVALID + "List of LocalSecondaryIndexes is empty"),
    (None, [P_S, C_S, L_N, M_S], [lsi("lsi1", "l", hash_name="m")],
     INVALID + "Index KeySchema does not have the same leading hash key as table KeySchema for index: lsi1. "
     "index hash key: m, table hash key: p"),
    (None, None, [{"IndexName": "lsi1", "KeySchema": hash_key("p"), "Projection": {"ProjectionType": "ALL"}}],
     INVALID + "Index KeySchema does not have a range key for index: lsi1"),
    (None, None, [lsi("lsi1", "z")],
     INVALID + "Some index key attributes are not defined in AttributeDefinitions. Keys: [p, z], "
     "AttributeDefinitions: [p, c, l]"),
    (None, None, [lsi("lsi1", "p")], "Both the Hash Key and the Range Key element in the KeySchema have the same name"),
    (None, None, [{"IndexName": "lsi1", "KeySchema": [{"AttributeName": "p", "KeyType": "RANGE"}],
                   "Projection": {"ProjectionType": "ALL"}}],
     "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"),
    (None, None, [lsi("lsi1", "l", {})], INVALID + "Unknown ProjectionType: null"),
    (None, None, [lsi("lsi1", "l", {"ProjectionType": "KEYS_ONLY", "NonKeyAttributes": ["a"]})],
     INVALID + "ProjectionType is KEYS_ONLY, but NonKeyAttributes is specified"),
    (None, None, [lsi("same", "l"), lsi("same", "l")], INVALID + "Duplicate index name: same"),
    (None, None, [lsi(f"lsi{n}", "l") for n in range(6)],
     INVALID + "Number of LocalSecondaryIndexes exceeds per-table limit of 5"),
])
def test_create_table_lsi_errors(client, schema, definitions, indexes, message):
    kwargs = {"LocalSecondaryIndexes": indexes}
    if schema is not None:
        kwargs["KeySchema"] = schema
    if definitions is not None:
        kwargs["AttributeDefinitions"] = definitions
    with assert_error("ValidationException", message):
        create(client, **kwargs)


# An LSI and a GSI may not share a name. Source: dynalite "duplicate index names between
# LocalSecondaryIndexes and GlobalSecondaryIndexes".
def test_create_table_lsi_and_gsi_share_no_name(client):
    with assert_error("ValidationException", INVALID + "Duplicate index name: idx"):
        create(client, LocalSecondaryIndexes=[lsi("idx", "l")], GlobalSecondaryIndexes=[
            {"IndexName": "idx", "KeySchema": hash_key("l"), "Projection": {"ProjectionType": "ALL"}}])


# An LSI key of the table's own range key is accepted (it is only a copy in another
# order). Source: dynalite "should succeed for LocalSecondaryIndexes" (LSI key a+b on a
# table keyed a+b).
def test_create_table_lsi_on_table_range_key(dynamodb, client):
    with new_table(dynamodb, KeySchema=hash_range("p", "c"), AttributeDefinitions=[P_S, C_S],
                   LocalSecondaryIndexes=[lsi("same_order", "c", {"ProjectionType": "KEYS_ONLY"})]) as table:
        (index,) = client.describe_table(TableName=table.name)["Table"]["LocalSecondaryIndexes"]
        assert index["Projection"] == {"ProjectionType": "KEYS_ONLY"}


# ---------------------------------------------------------------- writes checked against LSI keys

# The LSI range key must have its declared type. Source: dynalite batchWriteItem.js and
# updateItem.js ("Type mismatch for Index Key c Expected: S Actual: N IndexName: index1").
def test_put_item_lsi_key_type_mismatch(lsi_table):
    key = {"p": random_string(), "c": "c"}
    with assert_error("ValidationException", INVALID + "Type mismatch for Index Key l Expected: N Actual: S "
                      "IndexName: by_l"):
        lsi_table.put_item(Item={**key, "l": "one"})
    assert "Item" not in lsi_table.get_item(Key=key, ConsistentRead=True)


# ---------------------------------------------------------------- item collection metrics

# With ReturnItemCollectionMetrics=SIZE, a write to a table with an LSI reports the item
# collection it touched: its partition key and a [lower, upper] size estimate in GB
# ([0.0, 1.0] for a small collection); a table without an LSI reports nothing. Sources:
# aws-docs API_PutItem / API_DeleteItem ("ItemCollectionMetrics ... is only returned if
# the ReturnItemCollectionMetrics parameter was specified. If the table does not have any
# local secondary indexes, this information is not returned"), API_ItemCollectionMetrics.
def test_put_and_delete_report_item_collection_metrics(lsi_table):
    key = random_string()
    response = lsi_table.put_item(Item={"p": key, "c": "1", "l": 3}, ReturnItemCollectionMetrics="SIZE")
    assert response["ItemCollectionMetrics"] == {"ItemCollectionKey": {"p": key}, "SizeEstimateRangeGB": [0.0, 1.0]}
    response = lsi_table.delete_item(Key={"p": key, "c": "1"}, ReturnItemCollectionMetrics="SIZE")
    assert response["ItemCollectionMetrics"]["ItemCollectionKey"] == {"p": key}
    assert "ItemCollectionMetrics" not in lsi_table.put_item(Item={"p": key, "c": "2"})
    assert "ItemCollectionMetrics" not in lsi_table.put_item(Item={"p": key, "c": "2"},
                                                             ReturnItemCollectionMetrics="NONE")


def test_no_item_collection_metrics_without_lsi(table_s):
    response = table_s.put_item(Item={"p": random_string()}, ReturnItemCollectionMetrics="SIZE")
    assert "ItemCollectionMetrics" not in response


# ---------------------------------------------------------------- reading an LSI
#
# Key conditions use the legacy KeyConditions form (see compat/test_gsi.py).


def cond(operator, *values):
    return {"AttributeValueList": list(values), "ComparisonOperator": operator}


# An LSI orders a partition's items by the index range key, with strongly consistent reads
# allowed, and range conditions on that key. Sources: conformance tier1/query/lsi
# ("queries LSI with BETWEEN on sort key", "supports ConsistentRead on LSI (unlike
# GSI)", "returns items only from the queried partition").
def test_query_lsi_range_in_index_order(lsi_table):
    p = random_string()
    for c, l in (("a", 30), ("b", 10), ("c", 20), ("d", 40)):
        lsi_table.put_item(Item={"p": p, "c": c, "l": l})
    lsi_table.put_item(Item={"p": p + "other", "c": "a", "l": 20})
    lsi_table.put_item(Item={"p": p, "c": "e"})  # no l: not in by_l
    result = lsi_table.query(IndexName="by_l", ConsistentRead=True,
                             KeyConditions={"p": cond("EQ", p), "l": cond("BETWEEN", 15, 35)})
    assert [item["c"] for item in result["Items"]] == ["c", "a"]
    result = lsi_table.query(IndexName="by_l", ConsistentRead=True, ScanIndexForward=False,
                             KeyConditions={"p": cond("EQ", p)})
    assert [item["l"] for item in result["Items"]] == [40, 30, 20, 10]


# An INCLUDE projection returns the keys and the included attributes only; asking for
# ALL_ATTRIBUTES on an LSI fetches the whole items from the table (unlike a GSI).
# Sources: conformance tier1/query/lsi ("INCLUDE projection returns only specified
# non-key attributes plus keys"), tier1/query/select ("Select ALL_ATTRIBUTES on LSI");
# aws-docs LSI.html#LSI.Projections.
def test_query_lsi_projection_and_fetch(lsi_table):
    p = random_string()
    item = {"p": p, "c": "a", "m": "k", "x": "included", "y": "left out"}
    lsi_table.put_item(Item=item)
    projected = lsi_table.query(IndexName="by_m_inc", KeyConditions={"p": cond("EQ", p)})["Items"]
    assert projected == [{"p": p, "c": "a", "m": "k", "x": "included"}]
    fetched = lsi_table.query(IndexName="by_m_inc", Select="ALL_ATTRIBUTES", KeyConditions={"p": cond("EQ", p)})
    assert fetched["Items"] == [item]


# Pages of an LSI query over items with equal LSI keys resume exactly: LastEvaluatedKey
# holds the table key and the LSI key. Sources: conformance tier1/scan/lsiPagination
# (50 items, one partition, 5 LSI key values, Limit 10); aws-docs API_Query.
@pytest.mark.parametrize("operation", ["query", "scan"])
def test_lsi_pages_through_equal_index_keys(dynamodb, operation):
    with new_table(dynamodb, KeySchema=hash_range("p", "c"), AttributeDefinitions=[P_S, C_S, M_S],
                   LocalSecondaryIndexes=[lsi("by_m", "m")]) as table:
        for n in range(20):
            table.put_item(Item={"p": "widget", "c": f"item-{n:03}", "m": f"group-{n % 4}"})
        read = getattr(table, operation)
        extra = {"KeyConditions": {"p": cond("EQ", "widget")}} if operation == "query" else {}
        seen, start = [], None
        while True:
            page = read(IndexName="by_m", Limit=6, ConsistentRead=True,
                        **extra, **({"ExclusiveStartKey": start} if start else {}))
            seen.extend(page["Items"])
            start = page.get("LastEvaluatedKey")
            if start is None:
                break
            assert set(start) == {"p", "c", "m"}
        assert sorted(item["c"] for item in seen) == [f"item-{n:03}" for n in range(20)]
        assert [item["m"] for item in seen] == sorted(item["m"] for item in seen)
