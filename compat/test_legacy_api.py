# The legacy (pre-expression) parameters (issue 4): KeyConditions, QueryFilter,
# ScanFilter, ConditionalOperator, AttributesToGet, Expected (PutItem/UpdateItem/
# DeleteItem) and AttributeUpdates (UpdateItem), every ComparisonOperator, the checks of
# their arguments, and the rules for mixing them with expressions.
# https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LegacyConditionalParameters.html
#
# Sources named below:
#   conformance - the public DynamoDB conformance suite (tier3/legacy-api/*), run on AWS.
#   dynalite    - architect/dynalite test/query.js, scan.js, updateItem.js, putItem.js and
#                 validations/index.js, recorded from DynamoDB.
#   scylla      - scylladb test/alternator/test_query_filter.py, test_key_conditions.py,
#                 test_expected.py, run against AWS by their authors.
#   extenddb    - ExtendDB's ConditionalOperator/mixing tests, captured with the AWS CLI.

from decimal import Decimal

import pytest

from util import assert_error, full_query, full_scan, new_table, random_string

INVALID = "One or more parameter values were invalid: "
MIXED = "Can not use both expression and non-expression parameters in the same request: "


def cond(operator, *values):
    return {"ComparisonOperator": operator, "AttributeValueList": list(values)}


@pytest.fixture(scope="module")
def partition(table_sn):
    """A partition of table_sn with varied attributes; 'r' exists on some items only."""
    p = random_string()
    items = []
    for c in range(8):
        item = {"p": p, "c": c, "i": c * 10, "s": f"str{c:02}", "b": bytes([c, 0xF0]), "ss": {f"m{c}", "common"},
                "l": [c, "x"], "tag": "hello-world" if c % 3 == 0 else "goodbye"}
        if c % 2 == 0:
            item["r"] = "here"
        items.append(item)
        table_sn.put_item(Item=item)
    return table_sn, p, items


def legacy_query(table, p, **extra):
    return full_query(table, KeyConditions={"p": cond("EQ", p)}, ConsistentRead=True, **extra)


# ---------------------------------------------------------------- KeyConditions

# KeyConditions: EQ on the partition key and one of EQ, LE, LT, GE, GT, BEGINS_WITH,
# BETWEEN on the sort key. Sources: conformance tier3/legacy-api/queryFilter ("KeyConditions
# with range key using BEGINS_WITH/BETWEEN/GT", "ScanIndexForward works with KeyConditions");
# scylla test_key_conditions.py.
@pytest.mark.parametrize("operator, values, expected", [
    ("EQ", [3], [3]), ("LE", [3], [0, 1, 2, 3]), ("LT", [3], [0, 1, 2]), ("GE", [6], [6, 7]), ("GT", [6], [7]),
    ("BETWEEN", [2, 4], [2, 3, 4]),
])
def test_key_conditions_sort_key_operators(partition, operator, values, expected):
    table, p, _ = partition
    got = full_query(table, KeyConditions={"p": cond("EQ", p), "c": cond(operator, *values)}, ConsistentRead=True)
    assert [item["c"] for item in got] == expected
    back = full_query(table, KeyConditions={"p": cond("EQ", p), "c": cond(operator, *values)}, ConsistentRead=True,
                      ScanIndexForward=False)
    assert [item["c"] for item in back] == expected[::-1]


def test_key_conditions_begins_with(table_ss):
    p = random_string()
    for c in ("alpha", "beta", "delta", "alphabet"):
        table_ss.put_item(Item={"p": p, "c": c})
    got = full_query(table_ss, KeyConditions={"p": cond("EQ", p), "c": cond("BEGINS_WITH", "al")}, ConsistentRead=True)
    assert [item["c"] for item in got] == ["alpha", "alphabet"]


# KeyConditions refusals. Sources: dynalite query.js ("Attempted conditional constraint is
# not an indexable operation", "Query key condition not supported", "Query condition
# missed key schema element", "Condition parameter type does not match schema type");
# scylla test_key_conditions_partition_only_eq, _sort_unsupported, _wrong_type.
@pytest.mark.parametrize("conditions, message", [
    ({"p": cond("NE", "x")}, "Attempted conditional constraint is not an indexable operation"),
    ({"p": cond("IN", "x")}, "Attempted conditional constraint is not an indexable operation"),
    ({"p": cond("EQ", "x"), "c": cond("NOT_NULL")}, "Attempted conditional constraint is not an indexable operation"),
    ({"p": cond("EQ", "x"), "c": cond("CONTAINS", 1)}, "Attempted conditional constraint is not an indexable "
                                                       "operation"),
    ({"p": cond("GT", "x")}, "Query key condition not supported"),
    ({"p": cond("BETWEEN", "a", "b")}, "Query key condition not supported"),
    ({"c": cond("EQ", 1)}, "Query condition missed key schema element: p"),
    ({"p": cond("EQ", "x"), "z": cond("EQ", 1)}, "Query condition missed key schema element: c"),
    ({"p": cond("EQ", 1)}, INVALID + "Condition parameter type does not match schema type"),
    ({"p": cond("EQ", "x"), "c": cond("EQ", "1")}, INVALID + "Condition parameter type does not match schema type"),
    ({"p": cond("EQ", "x"), "c": cond("BEGINS_WITH", 1)}, INVALID + "ComparisonOperator BEGINS_WITH is not valid for N "
                                                                    "AttributeValue type"),
    ({"p": cond("EQ")}, INVALID + "Invalid number of argument(s) for the EQ ComparisonOperator"),
    ({"p": cond("EQ", "x"), "c": cond("EQ", 1), "z": cond("EQ", 1)}, "Conditions can be of length 1 or 2 only"),
])
def test_key_conditions_errors(table_sn, conditions, message):
    with assert_error("ValidationException", message):
        table_sn.query(KeyConditions=conditions)


# ---------------------------------------------------------------- QueryFilter / ScanFilter

# Each ComparisonOperator in a filter. NE and NOT_CONTAINS differ on a missing
# attribute: NE is true (missing is "not equal"), NOT_CONTAINS is false; NULL and
# NOT_NULL test existence, not the NULL type; CONTAINS finds substrings and members.
# Sources: scylla test_query_filter.py (test_query_filter_r_ne, _null, _contains_*) and
# test_expected.py (NOT_CONTAINS on a missing attribute); conformance
# tier3/legacy-api/queryFilter ("QueryFilter with ComparisonOperator EQ/CONTAINS").
@pytest.mark.parametrize("attribute, operator, values, expected", [
    ("i", "EQ", [30], [3]),
    ("r", "NE", ["here"], [1, 3, 5, 7]),
    ("i", "LE", [20], [0, 1, 2]),
    ("i", "LT", [20], [0, 1]),
    ("s", "GE", ["str06"], [6, 7]),
    ("b", "GT", [bytes([6, 0xF0])], [7]),
    ("r", "NOT_NULL", [], [0, 2, 4, 6]),
    ("r", "NULL", [], [1, 3, 5, 7]),
    ("tag", "CONTAINS", ["hello"], [0, 3, 6]),
    ("ss", "CONTAINS", ["m5"], [5]),
    ("l", "CONTAINS", [4], [4]),
    ("tag", "NOT_CONTAINS", ["hello"], [1, 2, 4, 5, 7]),
    ("nothere", "NOT_CONTAINS", ["x"], []),
    ("s", "BEGINS_WITH", ["str0"], list(range(8))),
    ("b", "BEGINS_WITH", [bytes([2])], [2]),
    ("i", "IN", [10, 50, 70, 99], [1, 5, 7]),
    ("i", "BETWEEN", [15, 45], [2, 3, 4]),
    ("s", "EQ", [30], []),
])
def test_query_filter_operators(partition, attribute, operator, values, expected):
    table, p, _ = partition
    got = legacy_query(table, p, QueryFilter={attribute: cond(operator, *values)})
    assert [item["c"] for item in got] == expected


# CONTAINS on a binary attribute looks for a subsequence, NOT_CONTAINS for its absence.
# Sources: aws-docs LegacyConditionalParameters.Conditions ("If the target attribute of
# the comparison is Binary, then the operator looks for a subsequence of the target that
# matches the input"); scylla test_expected.py (test_update_expected_1_contains,
# _not_contains on b'hi there').
def test_query_filter_contains_on_binary(partition):
    table, p, _ = partition
    got = legacy_query(table, p, QueryFilter={"b": cond("CONTAINS", bytes([3, 0xF0]))})
    assert [item["c"] for item in got] == [3]
    got = legacy_query(table, p, QueryFilter={"b": cond("NOT_CONTAINS", bytes([0xF0]))})
    assert got == []


# Several filter conditions combine with AND, or with OR when ConditionalOperator says so.
# Sources: conformance tier3/legacy-api/scanFilter ("Multiple ScanFilter conditions with
# ConditionalOperator AND"); scylla test_query_filter_and, _or.
def test_query_filter_conditional_operator(partition):
    table, p, _ = partition
    both = {"i": cond("GE", 30), "r": cond("NOT_NULL")}
    assert [item["c"] for item in legacy_query(table, p, QueryFilter=both)] == [4, 6]
    assert [item["c"] for item in legacy_query(table, p, QueryFilter=both, ConditionalOperator="AND")] == [4, 6]
    either = legacy_query(table, p, QueryFilter=both, ConditionalOperator="OR")
    assert [item["c"] for item in either] == [0, 2, 3, 4, 5, 6, 7]


# The filter applies after Limit, and ScannedCount counts what was read.
# Sources: conformance tier3/legacy-api/queryFilter ("QueryFilter ... ScannedCount 5");
# dynalite query.js ("should only return Limit items if requested and QueryFilter").
def test_query_filter_counts_and_limit(partition):
    table, p, _ = partition
    page = table.query(KeyConditions={"p": cond("EQ", p)}, QueryFilter={"i": cond("EQ", 10)}, Limit=3,
                       ConsistentRead=True)
    assert ([item["c"] for item in page["Items"]], page["Count"], page["ScannedCount"]) == ([1], 1, 3)
    assert page["LastEvaluatedKey"] == {"p": p, "c": 2}


# QueryFilter may not name a key attribute. Source: dynalite query.js ("QueryFilter can
# only contain non-primary key attributes: Primary key attribute: a"); scylla
# test_query_filter_partition_key_2, _sort_key.
@pytest.mark.parametrize("name", ["p", "c"])
def test_query_filter_on_key_attribute(partition, name):
    table, p, _ = partition
    with assert_error("ValidationException",
                      f"QueryFilter can only contain non-primary key attributes: Primary key attribute: {name}"):
        table.query(KeyConditions={"p": cond("EQ", p)}, QueryFilter={name: cond("EQ", p if name == "p" else 1),
                                                                     "i": cond("EQ", 1)})


# ScanFilter: the same operators on Scan, including key attributes.
# Source: conformance tier3/legacy-api/scanFilter (EQ, GT, BEGINS_WITH, CONTAINS, AND).
def test_scan_filter(dynamodb):
    with new_table(dynamodb, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                   AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}]) as table:
        names = ["alpha-one", "beta-two", "alpha-three", "gamma-four", "alpha-five"]
        for n, name in enumerate(names, 1):
            table.put_item(Item={"pk": f"sf-{n}", "val": n * 10, "name": name})

        def scan(**extra):
            return sorted(item["pk"] for item in full_scan(table, ConsistentRead=True, **extra))

        assert scan(ScanFilter={"val": cond("EQ", 20)}) == ["sf-2"]
        assert scan(ScanFilter={"val": cond("GT", 30)}) == ["sf-4", "sf-5"]
        assert scan(ScanFilter={"name": cond("BEGINS_WITH", "alpha")}) == ["sf-1", "sf-3", "sf-5"]
        assert scan(ScanFilter={"name": cond("CONTAINS", "two")}) == ["sf-2"]
        assert scan(ScanFilter={"name": cond("BEGINS_WITH", "alpha"), "val": cond("GT", 20)},
                    ConditionalOperator="AND") == ["sf-3", "sf-5"]
        assert scan(ScanFilter={"pk": cond("IN", "sf-1", "sf-4")}) == ["sf-1", "sf-4"]


# The checks of a condition's AttributeValueList, in both filters and KeyConditions.
# Sources: dynalite query.js ("incorrect number of QueryFilter arguments", "invalid
# ComparisonOperator types", "AttributeValueList has different types", "BETWEEN arguments
# are in the incorrect order"), recorded from DynamoDB; scylla test_query_filter_in_empty,
# _between_*, _uncomparable_types.
@pytest.mark.parametrize("condition, message", [
    (cond("EQ"), INVALID + "Invalid number of argument(s) for the EQ ComparisonOperator"),
    (cond("NULL", "a"), INVALID + "Invalid number of argument(s) for the NULL ComparisonOperator"),
    (cond("IN"), INVALID + "Invalid number of argument(s) for the IN ComparisonOperator"),
    (cond("BETWEEN", 1), INVALID + "Invalid number of argument(s) for the BETWEEN ComparisonOperator"),
    (cond("BETWEEN", 1, 2, 3), INVALID + "Invalid number of argument(s) for the BETWEEN ComparisonOperator"),
    (cond("IN", "a", 3), INVALID + "AttributeValues inside AttributeValueList must be of same type"),
    (cond("LT", True), INVALID + "ComparisonOperator LT is not valid for BOOL AttributeValue type"),
    (cond("GE", {"a"}), INVALID + "ComparisonOperator GE is not valid for SS AttributeValue type"),
    (cond("IN", [1]), INVALID + "ComparisonOperator IN is not valid for L AttributeValue type"),
    (cond("CONTAINS", {1}), INVALID + "ComparisonOperator CONTAINS is not valid for NS AttributeValue type"),
    (cond("BEGINS_WITH", 1), INVALID + "ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type"),
    (cond("BETWEEN", 5, 2), "The BETWEEN condition was provided a range where the lower bound is greater than the "
                            "upper bound"),
])
def test_filter_condition_errors(table_sn, condition, message):
    with assert_error("ValidationException", message):
        table_sn.query(KeyConditions={"p": cond("EQ", "x")}, QueryFilter={"i": condition})
    with assert_error("ValidationException", message):
        table_sn.scan(ScanFilter={"i": condition})


def test_filter_comparison_operator_enum(unchecked_client, table_sn):
    with assert_error("ValidationException", "1 validation error detected: Value 'eq' at 'scanFilter.i.member."
                      "comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: [IN, NULL, "
                      "BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]"):
        unchecked_client.scan(TableName=table_sn.name, ScanFilter={"i": {"ComparisonOperator": "eq",
                                                                         "AttributeValueList": [{"N": "1"}]}})


# ConditionalOperator needs a filter or Expected, with two or more conditions.
# Source: extenddb (texts captured from DynamoDB; the rule comes before the missing key
# condition error).
def test_conditional_operator_rules(table_sn):
    with assert_error("ValidationException", "ConditionalOperator cannot be used without Filter or Expected"):
        table_sn.scan(ConditionalOperator="AND")
    with assert_error("ValidationException", "ConditionalOperator cannot be used without Filter or Expected"):
        table_sn.query(ConditionalOperator="OR")
    with assert_error("ValidationException", "ConditionalOperator can only be used when Filter or Expected has two or "
                      "more elements"):
        table_sn.scan(ConditionalOperator="AND", ScanFilter={"i": cond("NULL")})
    with assert_error("ValidationException", "ConditionalOperator cannot be used without Filter or Expected"):
        table_sn.put_item(Item={"p": "x", "c": 1}, ConditionalOperator="AND")


# ---------------------------------------------------------------- mixing the two syntaxes

# A request may not mix expression and non-expression parameters; the message lists every
# one present on each side, in a fixed order per operation. KeyConditions counts only next
# to a KeyConditionExpression. Sources: extenddb (full-set orderings captured from
# DynamoDB); dynalite query.js, scan.js, updateItem.js; conformance tier3/legacy-api
# ("Mixing ... throws ValidationException").
@pytest.mark.parametrize("operation, extra, legacy, expressions", [
    ("scan", {"ScanFilter": {"i": cond("EQ", 1)}, "FilterExpression": "i = :v"}, "ScanFilter", "FilterExpression"),
    ("scan", {"AttributesToGet": ["i"], "ScanFilter": {"i": cond("EQ", 1), "j": cond("NULL")},
              "ConditionalOperator": "AND", "FilterExpression": "i = :v", "ProjectionExpression": "c"},
     "AttributesToGet, ScanFilter, ConditionalOperator", "ProjectionExpression, FilterExpression"),
    ("query", {"KeyConditions": {"p": cond("EQ", "x")}, "KeyConditionExpression": "p = :v"}, "KeyConditions",
     "KeyConditionExpression"),
    ("query", {"KeyConditions": {"p": cond("EQ", "x")}, "QueryFilter": {"i": cond("EQ", 1), "j": cond("NULL")},
               "ConditionalOperator": "AND", "KeyConditionExpression": "p = :v", "FilterExpression": "i = :v",
               "ProjectionExpression": "c"},
     "QueryFilter, ConditionalOperator, KeyConditions", "ProjectionExpression, FilterExpression, KeyConditionExpression"),
    ("query", {"AttributesToGet": ["i"], "KeyConditionExpression": "p = :v"}, "AttributesToGet",
     "KeyConditionExpression"),
    ("get_item", {"Key": {"p": "x", "c": 1}, "AttributesToGet": ["i"], "ProjectionExpression": "i"},
     "AttributesToGet", "ProjectionExpression"),
    ("put_item", {"Item": {"p": "x", "c": 1}, "Expected": {"i": {"Exists": False}},
                  "ConditionExpression": "attribute_not_exists(i)"}, "Expected", "ConditionExpression"),
    ("put_item", {"Item": {"p": "x", "c": 1}, "ConditionalOperator": "AND",
                  "ConditionExpression": "attribute_not_exists(i)"}, "ConditionalOperator", "ConditionExpression"),
    ("delete_item", {"Key": {"p": "x", "c": 1}, "Expected": {"i": {"Exists": False}},
                     "ConditionExpression": "attribute_not_exists(i)"}, "Expected", "ConditionExpression"),
    ("update_item", {"Key": {"p": "x", "c": 1}, "AttributeUpdates": {"i": {"Action": "PUT", "Value": 1}},
                     "Expected": {"i": cond("EQ", 1), "j": cond("NULL")}, "ConditionalOperator": "AND",
                     "UpdateExpression": "SET i = :v", "ConditionExpression": "attribute_exists(p)"},
     "AttributeUpdates, Expected, ConditionalOperator", "UpdateExpression, ConditionExpression"),
])
def test_mixing_expression_and_legacy_parameters(table_sn, operation, extra, legacy, expressions):
    if "= :v" in str(extra):
        extra = {**extra, "ExpressionAttributeValues": {":v": 1 if operation != "query" else "x"}}
    with assert_error("ValidationException", f"{MIXED}Non-expression parameters: {{{legacy}}} Expression parameters: "
                      f"{{{expressions}}}"):
        getattr(table_sn, operation)(**extra)


# ExpressionAttributeNames/Values need an expression that uses them.
# Source: dynalite query.js and updateItem.js ("ExpressionAttributeNames can only be
# specified when using expressions", "ExpressionAttributeValues can only be specified when
# using expressions: FilterExpression and KeyConditionExpression are null").
def test_expression_attributes_without_expressions(table_sn):
    with assert_error("ValidationException", "ExpressionAttributeNames can only be specified when using expressions"):
        table_sn.query(KeyConditions={"p": cond("EQ", "x")}, ExpressionAttributeNames={"#a": "a"})
    with assert_error("ValidationException", "ExpressionAttributeValues can only be specified when using expressions: "
                      "FilterExpression and KeyConditionExpression are null"):
        table_sn.query(KeyConditions={"p": cond("EQ", "x")}, ExpressionAttributeValues={":a": 1})
    with assert_error("ValidationException", "ExpressionAttributeValues can only be specified when using expressions: "
                      "FilterExpression is null"):
        table_sn.scan(ExpressionAttributeValues={":a": 1})
    with assert_error("ValidationException", "ExpressionAttributeValues can only be specified when using expressions: "
                      "UpdateExpression and ConditionExpression are null"):
        table_sn.update_item(Key={"p": "x", "c": 1}, ExpressionAttributeValues={":a": 1})


# ---------------------------------------------------------------- AttributesToGet

# AttributesToGet returns only the named attributes, keys included only when named; a
# missing name is simply absent; a name may not repeat. Sources: conformance
# tier3/legacy-api/attributesToGet (GetItem, Query, Scan); scylla test_query_attributes_to_get;
# dynalite query.js ("Duplicate value in attribute name").
def test_attributes_to_get(partition):
    table, p, items = partition
    got = legacy_query(table, p, AttributesToGet=["s", "nope"])
    assert got == [{"s": item["s"]} for item in items]
    one = table.get_item(Key={"p": p, "c": 3}, AttributesToGet=["i", "tag"], ConsistentRead=True)
    assert one["Item"] == {"i": 30, "tag": "hello-world"}
    scanned = [item for item in full_scan(table, AttributesToGet=["p", "i"], ConsistentRead=True) if item["p"] == p]
    assert sorted(item["i"] for item in scanned) == [c * 10 for c in range(8)]
    assert all(set(item) == {"p", "i"} for item in scanned)
    with assert_error("ValidationException", INVALID + "Duplicate value in attribute name: i"):
        table.query(KeyConditions={"p": cond("EQ", p)}, AttributesToGet=["i", "i"])
    with assert_error("ValidationException", INVALID + "Duplicate value in attribute name: i"):
        table.get_item(Key={"p": p, "c": 3}, AttributesToGet=["i", "i"])


# ---------------------------------------------------------------- Expected

# Expected on PutItem/UpdateItem/DeleteItem: Exists false, Value (Exists true), every
# ComparisonOperator, and AND/OR; a failed check changes nothing. Sources: conformance
# tier3/legacy-api/expected; scylla test_expected.py (test_update_expected_1_*,
# _multi_true, _multi_false, test_put_item_expected, test_delete_item_expected).
def test_expected_exists_and_value(table_s):
    p = random_string()
    table_s.put_item(Item={"p": p, "a": 1}, Expected={"p": {"Exists": False}})
    with assert_error("ConditionalCheckFailedException", "The conditional request failed"):
        table_s.put_item(Item={"p": p, "a": 2}, Expected={"p": {"Exists": False}})
    table_s.put_item(Item={"p": p, "a": 2}, Expected={"a": {"Value": 1}})
    table_s.put_item(Item={"p": p, "a": 3}, Expected={"a": {"Exists": True, "Value": 2}})
    with assert_error("ConditionalCheckFailedException", "The conditional request failed"):
        table_s.put_item(Item={"p": p, "a": 4}, Expected={"zz": {"Value": 1}})
    assert table_s.get_item(Key={"p": p}, ConsistentRead=True)["Item"] == {"p": p, "a": 3}
    with assert_error("ConditionalCheckFailedException", "The conditional request failed"):
        table_s.delete_item(Key={"p": p}, Expected={"a": {"Exists": False}})
    table_s.delete_item(Key={"p": p}, Expected={"a": cond("EQ", 3)})
    assert "Item" not in table_s.get_item(Key={"p": p}, ConsistentRead=True)


@pytest.mark.parametrize("expected, holds", [
    ({"a": cond("EQ", 5)}, True), ({"a": cond("EQ", "5")}, False),
    ({"a": cond("NE", 4)}, True), ({"zz": cond("NE", 4)}, True), ({"a": cond("NE", 5)}, False),
    ({"a": cond("LE", 5)}, True), ({"a": cond("LT", 5)}, False), ({"s": cond("GE", "dog")}, False),
    ({"a": cond("GT", 4)}, True), ({"a": cond("LE", "9")}, False),
    ({"a": cond("NOT_NULL")}, True), ({"zz": cond("NOT_NULL")}, False), ({"zz": cond("NULL")}, True),
    ({"s": cond("CONTAINS", "at")}, True), ({"set": cond("CONTAINS", 7)}, True), ({"list": cond("CONTAINS", "x")}, True),
    ({"s": cond("NOT_CONTAINS", "dog")}, True), ({"set": cond("NOT_CONTAINS", 2)}, False),
    ({"zz": cond("NOT_CONTAINS", 1)}, False),
    ({"s": cond("BEGINS_WITH", "ca")}, True), ({"a": cond("BEGINS_WITH", "5")}, False),
    ({"a": cond("IN", 1, 5, 9)}, True), ({"set": cond("IN", 2)}, False),
    ({"a": cond("BETWEEN", 5, 6)}, True), ({"zz": cond("BETWEEN", 0, 100)}, False),
])
def test_expected_comparison_operators(table_s, expected, holds):
    p = random_string()
    table_s.put_item(Item={"p": p, "a": 5, "s": "cat", "set": {2, 7}, "list": ["x", 1]})
    update = {"Key": {"p": p}, "AttributeUpdates": {"done": {"Action": "PUT", "Value": True}}, "Expected": expected}
    if holds:
        table_s.update_item(**update)
        assert table_s.get_item(Key={"p": p}, ConsistentRead=True)["Item"]["done"] is True
    else:
        with assert_error("ConditionalCheckFailedException", "The conditional request failed"):
            table_s.update_item(**update)
        assert "done" not in table_s.get_item(Key={"p": p}, ConsistentRead=True)["Item"]


def test_expected_conditional_operator(table_s):
    p = random_string()
    table_s.put_item(Item={"p": p, "status": "active", "role": "user"})
    checks = {"status": cond("EQ", "active"), "role": cond("EQ", "admin")}
    with assert_error("ConditionalCheckFailedException", "The conditional request failed"):
        table_s.put_item(Item={"p": p, "status": "x"}, Expected=checks, ConditionalOperator="AND")
    table_s.put_item(Item={"p": p, "status": "updated"}, Expected=checks, ConditionalOperator="OR")
    assert table_s.get_item(Key={"p": p}, ConsistentRead=True)["Item"] == {"p": p, "status": "updated"}


# The checks of an Expected entry. Sources: dynalite validations/index.js
# (validateAttributeConditions) and updateItem.js/putItem.js, recorded from DynamoDB;
# scylla test_update_expected_operator_clash, _1_exists_true.
@pytest.mark.parametrize("expected, message", [
    ({"a": {}}, INVALID + "Value must be provided when Exists is null for Attribute: a"),
    ({"a": {"Exists": True}}, INVALID + "Value must be provided when Exists is true for Attribute: a"),
    ({"a": {"Exists": False, "Value": 1}}, INVALID + "Value cannot be used when Exists is false for Attribute: a"),
    ({"a": {"Exists": False, "ComparisonOperator": "NULL"}},
     INVALID + "Exists and ComparisonOperator cannot be used together for Attribute: a"),
    ({"a": {"Value": 1, "AttributeValueList": [1], "ComparisonOperator": "EQ"}},
     INVALID + "Value and AttributeValueList cannot be used together for Attribute: a"),
    ({"a": {"ComparisonOperator": "EQ"}},
     INVALID + "Value or AttributeValueList must be used with ComparisonOperator: EQ for Attribute: a"),
    ({"a": {"AttributeValueList": [1]}},
     INVALID + "AttributeValueList can only be used with a ComparisonOperator for Attribute: a"),
    ({"a": cond("NE", 2, 3)}, INVALID + "Invalid number of argument(s) for the NE ComparisonOperator"),
    ({"a": cond("BETWEEN", 4, 3)}, "The BETWEEN condition was provided a range where the lower bound is greater than "
                                   "the upper bound"),
    ({"a": cond("BEGINS_WITH", 3)}, INVALID + "ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type"),
])
def test_expected_errors(table_s, expected, message):
    with assert_error("ValidationException", message):
        table_s.put_item(Item={"p": random_string()}, Expected=expected)


# ---------------------------------------------------------------- AttributeUpdates

# AttributeUpdates: PUT sets (the default Action), DELETE without a value removes, DELETE
# with a set removes members (the attribute goes when empty), ADD adds to a number,
# unions into a set and appends to a list, and creates what is missing. Sources:
# conformance tier3/legacy-api/attributeUpdates; dynalite updateItem.js ("should just add
# valid ADD actions if nothing exists", "should delete set values", "should add list
# value").
def test_attribute_updates_actions(table_s):
    p = random_string()
    table_s.put_item(Item={"p": p, "n": 10, "tags": {"a", "b", "c"}, "list": [1], "gone": "x"})
    table_s.update_item(Key={"p": p}, AttributeUpdates={
        "n": {"Action": "ADD", "Value": 5}, "tags": {"Action": "DELETE", "Value": {"b"}},
        "list": {"Action": "ADD", "Value": [2, 3]}, "gone": {"Action": "DELETE"}, "new": {"Value": "v"}})
    assert table_s.get_item(Key={"p": p}, ConsistentRead=True)["Item"] == {
        "p": p, "n": 15, "tags": {"a", "c"}, "list": [1, 2, 3], "new": "v"}
    table_s.update_item(Key={"p": p}, AttributeUpdates={"tags": {"Action": "DELETE", "Value": {"a", "c", "z"}},
                                                        "more": {"Action": "ADD", "Value": {"x"}}})
    item = table_s.get_item(Key={"p": p}, ConsistentRead=True)["Item"]
    assert "tags" not in item and item["more"] == {"x"}
    fresh = random_string()
    got = table_s.update_item(Key={"p": fresh}, ReturnValues="ALL_NEW", AttributeUpdates={
        "n": {"Action": "ADD", "Value": 5}, "s": {"Action": "ADD", "Value": {"a"}},
        "l": {"Action": "ADD", "Value": ["a"]}, "d": {"Action": "DELETE", "Value": {"a"}}})
    assert got["Attributes"] == {"p": fresh, "n": 5, "s": {"a"}, "l": ["a"]}


# AttributeUpdates refusals: the key cannot change, a value's type must fit the action,
# and ADD/DELETE must match the stored type. Sources: dynalite updateItem.js ("should
# return ValidationException if trying to update key", "update has no value", "trying to
# delete/add incorrect types", "Type mismatch for attribute to update"); conformance
# tier3/legacy-api/attributeUpdates ("AttributeUpdates cannot modify key attributes").
def test_attribute_updates_errors(table_s):
    p = random_string()
    table_s.put_item(Item={"p": p, "tags": {"a"}, "n": 1, "ns": {1}})
    with assert_error("ValidationException", INVALID + "Cannot update attribute p. This attribute is part of the key"):
        table_s.update_item(Key={"p": p}, AttributeUpdates={"p": {"Action": "PUT", "Value": "other"}})
    with assert_error("ValidationException", INVALID + "Only DELETE action is allowed when no attribute value is "
                      "specified"):
        table_s.update_item(Key={"p": p}, AttributeUpdates={"x": {"Action": "PUT"}})
    with assert_error("ValidationException", INVALID + "DELETE action with value is not supported for the type S"):
        table_s.update_item(Key={"p": p}, AttributeUpdates={"x": {"Action": "DELETE", "Value": "s"}})
    with assert_error("ValidationException", INVALID + "ADD action is not supported for the type S"):
        table_s.update_item(Key={"p": p}, AttributeUpdates={"x": {"Action": "ADD", "Value": "s"}})
    for updates in ({"tags": {"Action": "DELETE", "Value": {1}}}, {"n": {"Action": "DELETE", "Value": {1}}},
                    {"tags": {"Action": "ADD", "Value": {1}}}, {"ns": {"Action": "ADD", "Value": 1}}):
        with assert_error("ValidationException", "Type mismatch for attribute to update"):
            table_s.update_item(Key={"p": p}, AttributeUpdates=updates)
    assert table_s.get_item(Key={"p": p}, ConsistentRead=True)["Item"] == {
        "p": p, "tags": {"a"}, "n": 1, "ns": {Decimal(1)}}
