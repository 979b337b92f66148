# FilterExpression on Query and Scan (issue 4): the filter runs on the items a page has
# read, after Limit and the 1 MB rule, so Count can be below ScannedCount and a page can
# be empty while LastEvaluatedKey says to go on; a Query filter may not test the key
# attributes of what it reads; key attributes are scalars in every expression. The
# condition language itself (functions, comparisons, types) is the subject of
# test_condition_expression.py; here a few filters check that Query and Scan apply it.
#
# Sources named below:
#   conformance - the public DynamoDB conformance suite (tier1/query/basic, expressions,
#                 filterExpressionParens, tier1/scan/*, tier3/error-messages/query), on AWS.
#   dynalite    - architect/dynalite test/query.js, recorded from DynamoDB.
#   scylla      - scylladb test/alternator/test_filter_expression.py, run against AWS.
#   aws-docs    - Query.FilterExpression.html, Scan.FilterExpression.html.

import pytest

from util import assert_error, full_query, full_scan, new_table, random_string


@pytest.fixture(scope="module")
def partition(table_sn):
    """A partition of table_sn: c = 0..9, kind even/odd, n = c * 10, tags, a nested map."""
    p = random_string()
    items = [{"p": p, "c": c, "kind": "even" if c % 2 == 0 else "odd", "n": c * 10,
              "tags": {"t" + str(c % 3)}, "m": {"deep": "x" * c}} for c in range(10)]
    for item in items:
        table_sn.put_item(Item=item)
    return table_sn, p, items


def query(table, p, **extra):
    values = {":p": p, **extra.pop("values", {})}
    return table.query(KeyConditionExpression="p = :p", ExpressionAttributeValues=values, ConsistentRead=True, **extra)


# A filter keeps the matching items; ScannedCount counts every item read.
# Sources: conformance tier1/query/basic ("filters results but ScannedCount reflects
# pre-filter count"); aws-docs Query.FilterExpression.html ("A filter expression is
# applied after a Query finishes, but before the results are returned").
def test_filter_keeps_matching_items(partition):
    table, p, items = partition
    got = query(table, p, FilterExpression="kind = :k", values={":k": "even"})
    assert got["Items"] == [item for item in items if item["kind"] == "even"]
    assert (got["Count"], got["ScannedCount"]) == (5, 10)


# Limit counts items read, before the filter: Limit=2 reads two items and returns the one
# that matches, with LastEvaluatedKey; a page may hold no match at all.
# Sources: conformance tier1/query/basic ("Limit applies to scanned items, not filtered
# items", "Limit with filter may return fewer items than Limit"); aws-docs API_Query
# (Limit: "the maximum number of items to evaluate (not necessarily the number of
# matching items)").
def test_filter_applies_after_limit(partition):
    table, p, items = partition
    two = query(table, p, FilterExpression="kind = :k", values={":k": "even"}, Limit=2)
    assert [item["c"] for item in two["Items"]] == [0]
    assert (two["Count"], two["ScannedCount"]) == (1, 2) and two["LastEvaluatedKey"] == {"p": p, "c": 1}
    none = query(table, p, FilterExpression="n > :big", values={":big": 1000}, Limit=3)
    assert none["Items"] == [] and none["ScannedCount"] == 3 and "LastEvaluatedKey" in none
    paged = full_query(table, KeyConditionExpression="p = :p", FilterExpression="kind = :k", Limit=3,
                       ExpressionAttributeValues={":p": p, ":k": "odd"}, ConsistentRead=True)
    assert [item["c"] for item in paged] == [1, 3, 5, 7, 9]


# Select=COUNT with a filter counts the matches. Source: conformance tier1/query/select
# ("Select COUNT with FilterExpression returns different Count and ScannedCount").
def test_filter_with_select_count(partition):
    table, p, _ = partition
    got = query(table, p, FilterExpression="n >= :low", values={":low": 70}, Select="COUNT")
    assert "Items" not in got and (got["Count"], got["ScannedCount"]) == (3, 10)


# Filters see every attribute form: functions, nested paths, sets, IN, BETWEEN, NOT,
# parentheses. Sources: conformance tier1/query/expressions and filterExpressionParens.
@pytest.mark.parametrize("expression, values, expected", [
    ("size(m.deep) > :s", {":s": 6}, [7, 8, 9]),
    ("contains(tags, :t)", {":t": "t1"}, [1, 4, 7]),
    ("begins_with(kind, :k)", {":k": "ev"}, [0, 2, 4, 6, 8]),
    ("n IN (:a, :b)", {":a": 20, ":b": 50}, [2, 5]),
    ("n BETWEEN :a AND :b", {":a": 25, ":b": 45}, [3, 4]),
    ("NOT (kind = :k) AND (n < :a OR n > :b)", {":k": "even", ":a": 20, ":b": 80}, [1, 9]),
    ("attribute_not_exists(nothere) AND attribute_type(n, :t)", {":t": "N"}, list(range(10))),
])
def test_filter_functions_on_query(partition, expression, values, expected):
    table, p, _ = partition
    got = query(table, p, FilterExpression=expression, values=values)
    assert [item["c"] for item in got["Items"]] == expected


# A Query filter may not test the key attributes of the table or index being read (a
# nested path on one counts too); a Scan filter may test them. Sources: dynalite query.js
# ("should return ValidationException if hash key in FilterExpression" / "range key":
# "Filter Expression can only contain non-primary key attributes: Primary key attribute:
# a", also for "a[1] = :b"); conformance tier1/scan/basic (a Scan filter on the partition
# key).
@pytest.mark.parametrize("expression, key", [("c = :v", "c"), ("attribute_exists(p)", "p"), ("c[1] = :v", "c")])
def test_query_filter_on_key_attribute(client, table_sn, expression, key):
    values = {":p": "x"}
    if ":v" in expression:
        values[":v"] = 1
    with assert_error("ValidationException",
                      f"Filter Expression can only contain non-primary key attributes: Primary key attribute: {key}"):
        client.query(TableName=table_sn.name, KeyConditionExpression="p = :p", FilterExpression=expression,
                     ExpressionAttributeValues=values)


# Key attributes are scalars: a Scan filter or a projection may not look inside one.
# Source: dynalite scan.js ("should return ValidationException for non-scalar key access":
# "Key attributes must be scalars; list random access '[]' and map lookup '.' are not
# allowed: Key: a").
@pytest.mark.parametrize("member, expression", [("FilterExpression", "attribute_exists(#k.b.c)"),
                                                ("FilterExpression", "attribute_exists(#k[0])"),
                                                ("ProjectionExpression", "#k.b")])
def test_nested_path_on_key_attribute(client, table_s, member, expression):
    with assert_error("ValidationException", "Key attributes must be scalars; list random access '[]' and map lookup "
                      "'.' are not allowed: Key: p"):
        client.scan(TableName=table_s.name, ExpressionAttributeNames={"#k": "p"}, **{member: expression})


def test_scan_filter_on_key_attributes(dynamodb):
    with new_table(dynamodb, KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}],
                   AttributeDefinitions=[{"AttributeName": "p", "AttributeType": "S"}]) as table:
        for n in range(5):
            table.put_item(Item={"p": f"item{n}", "status": "on" if n % 2 else "off"})
        got = full_scan(table, FilterExpression="begins_with(p, :x) AND #s = :on",
                        ExpressionAttributeNames={"#s": "status"},
                        ExpressionAttributeValues={":x": "item", ":on": "on"}, ConsistentRead=True)
        assert sorted(item["p"] for item in got) == ["item1", "item3"]
        nothing = table.scan(FilterExpression="p = :none", ExpressionAttributeValues={":none": "zzz"},
                             ConsistentRead=True)
        assert (nothing["Count"], nothing["ScannedCount"]) == (0, 5)


# A filter in a parallel scan filters each segment. Source: conformance
# tier1/scan/parallel (each segment scanned with a FilterExpression).
def test_filter_in_parallel_scan(dynamodb):
    with new_table(dynamodb, KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}],
                   AttributeDefinitions=[{"AttributeName": "p", "AttributeType": "S"}]) as table:
        for n in range(20):
            table.put_item(Item={"p": f"k{n:02}", "n": n})
        found = []
        for segment in range(4):
            found += full_scan(table, Segment=segment, TotalSegments=4, FilterExpression="n >= :ten",
                               ExpressionAttributeValues={":ten": 10}, ConsistentRead=True)
        assert sorted(item["n"] for item in found) == list(range(10, 20))


# Undefined placeholders in a filter are named in the message.
# Source: conformance tier3/error-messages/query ("filter references undefined
# ExpressionAttributeNames").
def test_filter_undefined_name(client, table_sn):
    with assert_error("ValidationException", "Invalid FilterExpression: An expression attribute name used in the "
                      "document path is not defined; attribute name: #missing"):
        client.query(TableName=table_sn.name, KeyConditionExpression="p = :pk", FilterExpression="#missing = :fv",
                     ExpressionAttributeValues={":pk": "val", ":fv": "x"})


# ProjectionExpression returns the named attributes only, keys included only when named;
# with a filter, the filter sees the whole item. Sources: conformance tier1/scan/basic
# ("returns only projected attributes"); scylla test_filter_expression.py
# (test_filter_expression_and_projection_expression).
def test_filter_with_projection(partition):
    table, p, _ = partition
    got = query(table, p, FilterExpression="kind = :k AND n > :n", ProjectionExpression="m.deep, c",
                values={":k": "odd", ":n": 50})
    assert got["Items"] == [{"c": c, "m": {"deep": "x" * c}} for c in (7, 9)]
