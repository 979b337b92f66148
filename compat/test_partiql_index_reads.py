# PartiQL reads through an index qualifier (SELECT ... FROM "table"."index"): which
# filters a read may name, what a scan of an index finds, how fetching from the table is
# charged, and how the writes refuse a qualifier.
#
# Sources named below:
#   observed - nubo-db/dynamodb-conformance tier2/partiql/indexQualifier and
#              tier3/error-messages/partiql, pinned against AWS (eu-west-2).
#   captured - dynoxide's tests of the index qualifier, measured against AWS (eu-west-2,
#              2026-08-15).
#
# `client` is the resource's client: Items are Python values.

import pytest
from botocore.exceptions import ClientError

from util import assert_error, new_table, unique_table_name

INVALID = "One or more parameter values were invalid: "
ITEMS = [
    {"pk": "p", "sk": "s1", "gsiPk2": "y", "lsiSk2": "k1", "projattr": "proj1", "nonproj": "np1"},
    {"pk": "p", "sk": "s2", "gsiPk2": "y", "lsiSk2": "k2", "projattr": "proj2", "nonproj": "np2"},
    {"pk": "p", "sk": "s3", "nonproj": "np3"},  # no index attribute: no index holds it
    {"pk": "p", "sk": "s4", "gsiPk2": "y", "lsiSk2": "k4", "projattr": "proj4", "nonproj": "np4"},
    {"pk": "q", "sk": "s5", "gsiPk2": "y2", "projattr": "proj5", "nonproj": "np5"},
]


@pytest.fixture(scope="module")
def indexed(dynamodb):
    """A table with an INCLUDE GSI, a KEYS_ONLY GSI and a KEYS_ONLY LSI; `nonproj` is
    projected by none of them."""
    strings = ["pk", "sk", "gsiPk2", "lsiSk2"]
    with new_table(
        dynamodb, TableName=unique_table_name(),
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": name, "AttributeType": "S"} for name in strings],
        GlobalSecondaryIndexes=[
            {"IndexName": "gsi-inc", "KeySchema": [{"AttributeName": "gsiPk2", "KeyType": "HASH"}],
             "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["projattr"]}},
            {"IndexName": "gsi-keys", "KeySchema": [{"AttributeName": "gsiPk2", "KeyType": "HASH"}],
             "Projection": {"ProjectionType": "KEYS_ONLY"}},
        ],
        LocalSecondaryIndexes=[
            {"IndexName": "lsi-keys", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                                    {"AttributeName": "lsiSk2", "KeyType": "RANGE"}],
             "Projection": {"ProjectionType": "KEYS_ONLY"}},
        ],
    ) as table:
        for item in ITEMS:
            table.put_item(Item=item)
        yield table.name


def select(client, statement, **kwargs):
    return client.execute_statement(Statement=statement, **kwargs)


def sort_keys(response):
    return sorted(item["sk"] for item in response["Items"])


# A filter on an attribute the index does not project is refused when the read is keyed
# (the top-level AND names the index partition key with = or IN), on a GSI and an LSI
# alike, whatever the predicate. Source: observed.
@pytest.mark.parametrize("source, condition", [
    ("gsi-inc", "gsiPk2 = 'y' AND nonproj = 'np1'"),
    ("gsi-inc", "gsiPk2 = 'y' AND NOT nonproj = 'np1'"),
    ("gsi-inc", "gsiPk2 = 'y' AND begins_with(nonproj, 'np')"),
    ("gsi-inc", "gsiPk2 IN ['y', 'z'] AND nonproj = 'np1'"),
    ("lsi-keys", "pk = 'p' AND nonproj = 'np1'"),
])
def test_keyed_index_read_refuses_an_unprojected_filter(client, indexed, source, condition):
    with assert_error("ValidationException", INVALID + f"Secondary index {source} does not project one or more "
                                                       "filter attributes: [nonproj]"):
        select(client, f"SELECT pk FROM \"{indexed}\".\"{source}\" WHERE {condition}")


# Unkeyed, the read is a scan of the index, whose entries lack the attribute: the filter
# matches nothing, its negation every entry; inside an OR branch it is not keyed either.
# Source: observed (and captured, Q7).
def test_unkeyed_index_read_finds_unprojected_attributes_missing(client, indexed):
    assert select(client, f"SELECT pk FROM \"{indexed}\".\"gsi-inc\" WHERE nonproj = 'np1'")["Items"] == []
    assert select(client, f"SELECT pk FROM \"{indexed}\".\"lsi-keys\" WHERE nonproj = 'np1'")["Items"] == []
    assert select(client, f"SELECT pk FROM \"{indexed}\".\"gsi-inc\" "
                          "WHERE nonproj = 'np1' AND nonproj = 'np2'")["Items"] == []
    everything = select(client, f"SELECT pk, sk FROM \"{indexed}\".\"gsi-keys\" WHERE NOT nonproj = 'np1'")
    assert sort_keys(everything) == ["s1", "s2", "s4", "s5"]
    branch = select(client, f"SELECT pk, sk FROM \"{indexed}\".\"gsi-inc\" "
                            "WHERE (gsiPk2 = 'y' AND nonproj = 'np1') OR (gsiPk2 = 'y2')")
    assert sort_keys(branch) == ["s5"]
    projected = select(client, f"SELECT pk FROM \"{indexed}\".\"gsi-inc\" WHERE gsiPk2 = 'y' AND projattr = 'proj1'")
    assert projected["Items"] == [{"pk": "p"}]


# An LSI read naming an unprojected attribute fetches each item from the table; each
# fetch is charged on its own, so reading one item costs the table less than reading
# three. Source: observed ("a bounded reach-back walks fewer rows and is charged less").
def test_lsi_reach_back_is_charged_per_item_fetched(client, indexed):
    statement = f"SELECT nonproj FROM \"{indexed}\".\"lsi-keys\" WHERE pk = 'p'"
    one = select(client, statement, Limit=1, ReturnConsumedCapacity="INDEXES")
    every = select(client, statement, ReturnConsumedCapacity="INDEXES")
    assert len(one["Items"]) == 1 and sorted(i["nonproj"] for i in every["Items"]) == ["np1", "np2", "np4"]
    assert one["ConsumedCapacity"]["Table"]["CapacityUnits"] < every["ConsumedCapacity"]["Table"]["CapacityUnits"]


# UPDATE and DELETE parse a qualifier and refuse it before looking the table up; INSERT
# does not parse one. Source: observed (messages by substring there); captured (the
# UPDATE/DELETE text in full, also for a table that does not exist).
def test_writes_refuse_an_index_qualifier(client, indexed):
    for statement in (f"UPDATE \"{indexed}\".\"gsi-inc\" SET projattr = 'z' WHERE pk = 'p' AND sk = 's1'",
                      f"DELETE FROM \"{indexed}\".\"gsi-inc\" WHERE pk = 'p' AND sk = 's1'",
                      "UPDATE \"no_such_table_here\".\"gsi-inc\" SET a = 'z' WHERE pk = 'p'"):
        with assert_error("ValidationException", "This operation is not supported on an index"):
            select(client, statement)
    with pytest.raises(ClientError) as info:
        select(client, f"INSERT INTO \"{indexed}\".\"gsi-inc\" VALUE {{'pk': 'w1', 'sk': 'w1'}}")
    assert info.value.response["Error"]["Code"] == "ValidationException"
    assert "FROM clause may only contain a single table name" in info.value.response["Error"]["Message"]
    assert sort_keys(select(client, f"SELECT sk FROM \"{indexed}\" WHERE pk = 'p'")) == ["s1", "s2", "s3", "s4"]
