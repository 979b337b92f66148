# KeyConditionExpression (issue 4): what a Query key condition may say, and DynamoDB's
# message for each misuse. DynamoDB parses it with the general condition grammar and then
# applies the key-condition rules, so OR, NOT, IN, <>, size() and the like get specific
# messages rather than syntax errors.
#
# Sources named below:
#   conformance - the public DynamoDB conformance suite (tier1/query/keyConditionParens,
#                 tier3/error-messages/query), run against AWS.
#   dynalite    - architect/dynalite test/query.js ("should return ValidationException
#                 for ..."), recorded from DynamoDB.
#   scylla      - scylladb test/alternator/test_key_condition_expression.py, run on AWS.
#   aws-docs    - Query.KeyConditionExpressions.html.

import pytest

from util import assert_error, full_query, random_string


@pytest.fixture(scope="module")
def sorted_partition(table_sn):
    """One partition of table_sn with c = 0..11, and one other partition."""
    p = random_string()
    items = [{"p": p, "c": c, "a": random_string()} for c in range(12)]
    for item in items:
        table_sn.put_item(Item=item)
    table_sn.put_item(Item={"p": random_string(), "c": 123})
    return table_sn, p, items


def query(table, expression, values=None, names=None, **extra):
    kwargs = {"KeyConditionExpression": expression, "ConsistentRead": True, **extra}
    if values:
        kwargs["ExpressionAttributeValues"] = values
    if names:
        kwargs["ExpressionAttributeNames"] = names
    return full_query(table, **kwargs)


# Whitespace, keyword case and the order of the two conditions do not matter; either side
# of a comparison may hold the attribute (":c < c" means "c > :c"); #names work.
# Sources: scylla test_key_condition_expression_whitespace, _case_insensitive, _order,
# _num_lt_reverse, _name_ref; aws-docs Query.KeyConditionExpressions.html.
@pytest.mark.parametrize("expression, names, expected", [
    ("  p  =   :p  ", None, range(12)),
    ("p=:p AnD c BeTwEeN :a aNd :b", None, range(3, 6)),
    ("c = :a AND p = :p", None, [3]),
    (":p = p AND :a = c", None, [3]),
    (":p = p AND :a < c", None, range(4, 12)),
    (":p = p AND :a >= c", None, range(0, 4)),
    ("#k1 = :p AND #k2 <= :a", {"#k1": "p", "#k2": "c"}, range(0, 4)),
])
def test_key_condition_forms(sorted_partition, expression, names, expected):
    table, p, items = sorted_partition
    values = {":p": p}
    if ":a" in expression:
        values[":a"] = 3
    if ":b" in expression:
        values[":b"] = 5
    got = query(table, expression, values, names)
    assert got == [item for item in items if item["c"] in expected]


# Parentheses are allowed around each condition and around the whole; one pair too many
# around the same thing is refused. Sources: conformance tier1/query/keyConditionParens
# ("accepts parenthesized sub-expressions", "(#pk = :pk AND (#sk = :sk))"); scylla
# test_key_condition_expression_parser.
@pytest.mark.parametrize("expression", ["(p = :p) AND (c = :a)", "(p = :p AND c = :a)", "((c = :a) AND (p = :p))",
                                        "(p = :p AND (c = :a))"])
def test_key_condition_parentheses(sorted_partition, expression):
    table, p, items = sorted_partition
    assert query(table, expression, {":p": p, ":a": 3}) == [items[3]]


# Each rule on the shape of a key condition, with DynamoDB's message. These are checked
# before the table is looked at. Source: dynalite test/query.js ("invalid operators",
# "no key attribute as first operator", "nested operations", "multiple attribute names",
# "nested attributes", "no key attribute", "multiple conditions per key", "incorrect
# number of KeyConditions"), recorded from DynamoDB; scylla _and_same, _multi, _parser.
@pytest.mark.parametrize("expression, message", [
    ("p = :a OR c = :a", "Invalid operator used in KeyConditionExpression: OR"),
    ("NOT c = :a AND p = :a", "Invalid operator used in KeyConditionExpression: NOT"),
    ("p = :a AND c IN (:a)", "Invalid operator used in KeyConditionExpression: IN"),
    ("p = :a AND c <> :a", "Invalid operator used in KeyConditionExpression: <>"),
    ("p = :a AND attribute_exists(c)", "Invalid operator used in KeyConditionExpression: attribute_exists"),
    ("p = :a AND attribute_not_exists(c)", "Invalid operator used in KeyConditionExpression: attribute_not_exists"),
    ("p = :a AND contains(c, :a)", "Invalid operator used in KeyConditionExpression: contains"),
    ("p = :a AND size(c) > :a", "KeyConditionExpressions cannot contain nested operations"),
    ("p = :a AND :a BETWEEN c AND c", "Invalid condition in KeyConditionExpression: BETWEEN operator must have the "
                                      "key attribute as its first operand"),
    ("p = :a AND begins_with(:a, c)", "Invalid condition in KeyConditionExpression: begins_with operator must have "
                                      "the key attribute as its first operand"),
    ("p = :a AND c > p", "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition"),
    ("p = :a AND c.d > :a", "KeyConditionExpressions cannot have conditions on nested attributes"),
    ("p = :a AND c[0] > :a", "KeyConditionExpressions cannot have conditions on nested attributes"),
    ("p = :a AND :a > :a", "Invalid condition in KeyConditionExpression: No key attribute specified"),
    ("p = :a AND p = :a", "KeyConditionExpressions must only contain one condition per key"),
    ("p = :a AND c >= :a AND c <= :a", "KeyConditionExpressions must only contain one condition per key"),
    ("p = :a AND c < :a AND a < :a", "Conditions can be of length 1 or 2 only"),
])
def test_key_condition_shape_errors(client, table_sn, expression, message):
    with assert_error("ValidationException", message):
        client.query(TableName=table_sn.name, KeyConditionExpression=expression,
                     ExpressionAttributeValues={":a": "1"})


# Rules that need the key schema: the partition key must be there with "=", the other
# condition must be on the sort key, and values must have the key's type.
# Sources: conformance tier3/error-messages/query ("missing hash key", "non-key attribute
# in KeyConditionExpression": "Query condition missed key schema element: pk"); dynalite
# query.js ("Query key condition not supported", "Condition parameter type does not match
# schema type"); scylla _partition_eq_only, _no_partition, _non_key, _wrong_type.
@pytest.mark.parametrize("expression, values, message", [
    ("c = :n", {":n": 1}, "Query condition missed key schema element: p"),
    ("a = :s", {":s": "1"}, "Query condition missed key schema element: p"),
    ("p < :s", {":s": "1"}, "Query key condition not supported"),
    ("begins_with(p, :s)", {":s": "1"}, "Query key condition not supported"),
    ("p = :s AND a < :n", {":s": "1", ":n": 1}, "Query condition missed key schema element: c"),
    ("p = :n", {":n": 1}, "One or more parameter values were invalid: Condition parameter type does not "
                                   "match schema type"),
    ("p = :s AND c = :s", {":s": "1"}, "One or more parameter values were invalid: Condition parameter type "
                                              "does not match schema type"),
])
def test_key_condition_schema_errors(client, table_sn, expression, values, message):
    with assert_error("ValidationException", message):
        client.query(TableName=table_sn.name, KeyConditionExpression=expression, ExpressionAttributeValues=values)


# On a table without a sort key, a second condition is "not supported".
# Source: dynalite query.js ("should return ValidationException if querying with
# unsupported conditions": "a = :a AND b = :a" on a hash table).
def test_key_condition_second_condition_on_hash_only_table(client, table_s):
    with assert_error("ValidationException", "Query key condition not supported"):
        client.query(TableName=table_s.name, KeyConditionExpression="p = :a AND q = :a",
                     ExpressionAttributeValues={":a": "1"})


# begins_with needs a string or binary: on a number it is an operand-type error.
# Sources: scylla test_key_condition_expression_num_begins (the message names
# begins_with); the "Incorrect operand type for operator or function" form is dynalite's
# (query.js, "invalid operand types"), recorded from DynamoDB.
def test_key_condition_begins_with_number(client, table_sn):
    with assert_error("ValidationException", "Invalid KeyConditionExpression: Incorrect operand type for operator or "
                      "function; operator or function: begins_with, operand type: N"):
        client.query(TableName=table_sn.name, KeyConditionExpression="p = :p AND begins_with(c, :n)",
                     ExpressionAttributeValues={":p": "x", ":n": 3})


# An empty expression, and the placeholders rules, as for every expression.
# Sources: conformance tier3/error-messages/query ("empty KeyConditionExpression",
# "unused ExpressionAttributeNames"); scylla _partition_missing_val, _unused_val.
def test_key_condition_placeholder_errors(client, table_sn):
    name = table_sn.name
    with assert_error("ValidationException", "Invalid KeyConditionExpression: The expression can not be empty;"):
        client.query(TableName=name, KeyConditionExpression="", ExpressionAttributeValues={":v": "val"})
    with assert_error("ValidationException",
                      "Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}"):
        client.query(TableName=name, KeyConditionExpression="p = :v", ExpressionAttributeValues={":v": "val"},
                     ExpressionAttributeNames={"#unused": "someattr"})
    with assert_error("ValidationException", "Invalid KeyConditionExpression: An expression attribute value used in "
                      "expression is not defined; attribute value: :p"):
        client.query(TableName=name, KeyConditionExpression="p = :p")


# KeyConditions and KeyConditionExpression cannot be combined.
# Source: dynalite query.js ("all expressions and non-expression"); conformance
# tier3/legacy-api/queryFilter ("Mixing KeyConditions with KeyConditionExpression").
def test_key_condition_with_key_conditions(client, table_sn):
    with assert_error("ValidationException", "Can not use both expression and non-expression parameters in the same "
                      "request: Non-expression parameters: {KeyConditions} Expression parameters: "
                      "{KeyConditionExpression}"):
        client.query(TableName=table_sn.name, KeyConditionExpression="p = :p",
                     ExpressionAttributeValues={":p": "x"},
                     KeyConditions={"p": {"ComparisonOperator": "EQ", "AttributeValueList": ["x"]}})
