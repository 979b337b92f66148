# ProjectionExpression (issue 3) on GetItem: which attributes and nested document paths
# come back, and the messages of invalid projections. Query and Scan use the same
# projection (their files test that they apply it).
#
# Sources named below:
#   conformance - the public DynamoDB conformance suite (tier1/getItem/projection,
#                 tier3/error-messages/getItem, tier3/limits/reservedWords), on AWS.
#   dynalite    - mhart/dynalite test/getItem.js, messages recorded from DynamoDB.
#   aws-docs    - Expressions.ProjectionExpressions.html.

import pytest

from util import assert_error, random_string

VALIDATION = "ValidationException"


@pytest.fixture(scope="module")
def key(table_s):
    p = random_string()
    table_s.put_item(Item={"p": p, "a": "A", "status": "on", "n": 5,
                           "m": {"x": 1, "y": [0, 1, 2], "deep": {"k": "v"}},
                           "l": [{"k": "v0", "j": "w0"}, "one", {"k": "v2"}]})
    return {"p": p}


def project(table, key, expression, names=None):
    kwargs = {"ExpressionAttributeNames": names} if names else {}
    return table.get_item(Key=key, ProjectionExpression=expression, ConsistentRead=True, **kwargs).get("Item")


# Only the named attributes come back; the key is not added; unknown names are skipped.
# Source: conformance tier1/getItem/projection; aws-docs.
def test_projection_top_level(table_s, key):
    assert project(table_s, key, "a, n, nothere") == {"a": "A", "n": 5}


# Nested paths keep their nesting; list elements keep their order; missing nested paths
# are left out, and an existing item none of whose projected paths exist comes back as
# an empty Item. Sources: aws-docs ("Accessing nested attributes"); conformance
# projection; scylla test_projection_expression.py (empty Item for an existing item).
def test_projection_nested_paths(table_s, key):
    assert project(table_s, key, "m.y[2], m.y[0], m.deep.k") == {"m": {"y": [0, 2], "deep": {"k": "v"}}}
    assert project(table_s, key, "l[2].k, l[0].k") == {"l": [{"k": "v0"}, {"k": "v2"}]}
    assert project(table_s, key, "m.nope, l[7]") == {}


# Reserved words need a #name placeholder. Source: conformance tier3/limits/reservedWords.
def test_projection_reserved_word_through_placeholder(table_s, key):
    assert project(table_s, key, "#s", {"#s": "status"}) == {"status": "on"}


@pytest.mark.parametrize("expression, names, message", [
    ("", None, "Invalid ProjectionExpression: The expression can not be empty;"),
    ("!!! INVALID !!!", None, 'Invalid ProjectionExpression: Syntax error; token: "!", near: "!!"'),
    ("a, status", None, "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: status"),
    ("a, #x", None, "Invalid ProjectionExpression: An expression attribute name used in the document path is not "
                    "defined; attribute name: #x"),
    ("a, #a[1]", {"#a": "a"}, "Invalid ProjectionExpression: Two document paths overlap with each other; must "
                              "remove or rewrite one of these paths; path one: [a], path two: [a, [1]]"),
    ("a.b, #a[1]", {"#a": "a"}, "Invalid ProjectionExpression: Two document paths conflict with each other; must "
                                "remove or rewrite one of these paths; path one: [a, b], path two: [a, [1]]"),
    ("a", {"#a": "a"}, "Value provided in ExpressionAttributeNames unused in expressions: keys: {#a}"),
])
def test_projection_validation_messages(table_s, key, expression, names, message):
    # Sources: conformance tier3/error-messages/getItem (syntax); dynalite test/getItem.js
    # (reserved words, undefined names, overlapping and conflicting paths, unused names).
    with assert_error(VALIDATION, message):
        project(table_s, key, expression, names)


# Names need an expression to be used in. Source: dynalite test/getItem.js.
def test_projection_names_without_expression(table_s, key):
    with assert_error(VALIDATION, "ExpressionAttributeNames can only be specified when using expressions"):
        table_s.get_item(Key=key, ExpressionAttributeNames={"#a": "a"})
