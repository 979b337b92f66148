# UpdateExpression (issue 3): SET (with + and -, if_not_exists, list_append), REMOVE, ADD
# and DELETE, clause rules, document paths, and the messages of invalid expressions.
# UpdateItem as an operation (creation, ReturnValues, keys, capacity) is in
# test_update_item.py.
#
# Sources named below:
#   conformance - the public DynamoDB conformance suite (tier1/updateItem/basic, paths,
#                 tier3/error-messages/updateItem, tier3/limits/reservedWords), on AWS.
#   dynalite    - mhart/dynalite test/updateItem.js, messages recorded from DynamoDB.
#   scylla      - scylladb test/alternator/test_update_expression.py, run against AWS.
#   aws-docs    - Expressions.UpdateExpressions.html.

from decimal import Decimal

import pytest

from util import assert_error, random_string

VALIDATION = "ValidationException"


@pytest.fixture
def key(table_s):
    """The key of a fresh item of table_s with a number, a list, a map and a set."""
    p = random_string()
    table_s.put_item(Item={"p": p, "n": 1, "l": [2, 3, 4, 5, 6, 7], "m": {"x": 1, "c": {"y": 2}},
                           "tags": {"a", "b"}, "s": "text"})
    return {"p": p}


def update(table, key, expression, values=None, names=None):
    kwargs = {"UpdateExpression": expression, "ReturnValues": "ALL_NEW"}
    if values:
        kwargs["ExpressionAttributeValues"] = values
    if names:
        kwargs["ExpressionAttributeNames"] = names
    return table.update_item(Key=key, **kwargs).get("Attributes")


# SET writes top-level and nested attributes and list elements; clause keywords are
# case-insensitive. Sources: aws-docs; scylla test_update_expression_nested_attribute_dot.
def test_set_top_level_nested_and_list_element(table_s, key):
    item = update(table_s, key, "sEt a = :a, m.z = :z, #l[0] = :z", {":a": "A", ":z": 0}, {"#l": "l"})
    assert item["a"] == "A" and item["m"] == {"x": 1, "z": 0, "c": {"y": 2}} and item["l"][0] == 0


# Every SET value is read from the item before the update: a swap works.
# Source: scylla test_update_expression_set_copy, test_update_expression_multi_with_copy.
def test_set_reads_the_old_item(table_s, key):
    item = update(table_s, key, "SET a = n, n = :ten", {":ten": 10})
    assert (item["a"], item["n"]) == (1, 10)
    item = update(table_s, key, "REMOVE a SET b = a")
    assert "a" not in item and item["b"] == 1


# + and - are exact decimal arithmetic; if_not_exists supplies a default.
# Source: aws-docs (Incrementing and decrementing numeric attributes).
def test_set_arithmetic_and_if_not_exists(table_s, key):
    item = update(table_s, key, "SET f = if_not_exists(f, :f) + :g, n = n - :one, c = if_not_exists(n, :z)",
                  {":f": Decimal("0.1"), ":g": Decimal("0.2"), ":one": 1, ":z": 0})
    assert (item["f"], item["n"], item["c"]) == (Decimal("0.3"), 0, 1)


# list_append concatenates, also around if_not_exists.
# Sources: conformance tier1/updateItem/basic; scylla test_update_expression_list_append.
def test_set_list_append(table_s, key):
    item = update(table_s, key, "SET l = list_append(l, :tail), front = list_append(:head, l), "
                  "fresh = list_append(if_not_exists(fresh, :empty), :tail)", {":tail": [9], ":head": [0], ":empty": []})
    assert item["l"][-1] == 9 and item["front"][:2] == [0, 2] and item["fresh"] == [9]


# SET past the end of a list appends; list indexes refer to the list before the update.
# Sources: conformance tier1/updateItem/paths; scylla
# test_update_expression_nested_remove_list_item_original_number.
def test_list_index_semantics(table_s, key):
    assert update(table_s, key, "SET l[10] = :v", {":v": 8})["l"] == [2, 3, 4, 5, 6, 7, 8]
    assert update(table_s, key, "REMOVE l[1] SET l[3] = :v", {":v": 17})["l"] == [2, 4, 17, 6, 7, 8]


# REMOVE drops attributes, map keys and list elements (shifting the rest); removing
# what is not there is no error. Source: conformance tier1/updateItem/basic and paths.
def test_remove(table_s, key):
    item = update(table_s, key, "REMOVE s, m.x, l[0], l[2], nothere, m.zz, l[40]")
    assert "s" not in item and item["m"] == {"c": {"y": 2}} and item["l"] == [3, 5, 6, 7]


# ADD adds to numbers and merges sets, creating what is missing; DELETE removes set
# members and the attribute with the last one.
# Sources: conformance tier1/updateItem/basic; scylla test_update_expression_add_*, delete_sets.
def test_add_and_delete(table_s, key):
    item = update(table_s, key, "ADD n :five, newcount :five, tags :more, nums :ns",
                  {":five": 5, ":more": {"b", "c"}, ":ns": {1}})
    assert (item["n"], item["newcount"], item["tags"], item["nums"]) == (6, 5, {"a", "b", "c"}, {1})
    item = update(table_s, key, "DELETE tags :ab, nums :one, absent :ab", {":ab": {"a", "b"}, ":one": {1}})
    assert item["tags"] == {"c"} and "nums" not in item


# Number arithmetic keeps DynamoDB's limits. Source: aws-docs (Number: 38 digits, range).
def test_arithmetic_overflow(table_s, key):
    with assert_error(VALIDATION, "Number overflow. Attempting to store a number with magnitude larger than "
                                  "supported range"):
        update(table_s, key, "SET big = :v + :v", {":v": Decimal("9E+125")})


# Runtime errors of the item being updated. Sources: dynalite test/updateItem.js
# ("should return ValidationException if trying to reference non-existent attribute",
# "... incorrect types", "... non-existent nested attribute"); conformance paths.
@pytest.mark.parametrize("expression, values, message", [
    ("SET a = nothere", None, "The provided expression refers to an attribute that does not exist in the item"),
    ("SET a = s + :one", {":one": 1}, "An operand in the update expression has an incorrect data type"),
    ("ADD s :one", {":one": 1}, "An operand in the update expression has an incorrect data type"),
    ("DELETE tags :ns", {":ns": {1}}, "An operand in the update expression has an incorrect data type"),
    ("SET gone.nested.deep = :one", {":one": 1}, "The document path provided in the update expression is invalid for update"),
    ("SET s.x = :one", {":one": 1}, "The document path provided in the update expression is invalid for update"),
    ("SET m[0] = :one", {":one": 1}, "The document path provided in the update expression is invalid for update"),
])
def test_update_runtime_errors(table_s, key, expression, values, message):
    with assert_error(VALIDATION, message):
        update(table_s, key, expression, values)
    assert table_s.get_item(Key=key, ConsistentRead=True)["Item"]["s"] == "text"


# Validation messages of update expressions. Sources: conformance tier3/error-messages
# /updateItem (syntax, empty, undefined value); dynalite test/updateItem.js (sections,
# overlapping and conflicting paths, operand types); reported responses
# ("...operator: ADD, operand type: STRING, typeSet: ALLOWED_FOR_ADD_OPERAND").
@pytest.mark.parametrize("expression, values, message", [
    ("", None, "Invalid UpdateExpression: The expression can not be empty;"),
    ("INVALID SYNTAX HERE", None, 'Invalid UpdateExpression: Syntax error; token: "INVALID", near: "INVALID SYNTAX"'),
    ("SET a = :v", None, "Invalid UpdateExpression: An expression attribute value used in expression is not defined; "
                         "attribute value: :v"),
    ("SET status = :v", {":v": 1}, "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: status"),
    ("SET a = :v SET b = :v", {":v": 1}, 'Invalid UpdateExpression: The "SET" section can only be used once in an update expression;'),
    ("SET a = :v REMOVE a", {":v": 1}, "Invalid UpdateExpression: Two document paths overlap with each other; must "
                                       "remove or rewrite one of these paths; path one: [a], path two: [a]"),
    ("SET a = :v, a.b = :v", {":v": 1}, "Invalid UpdateExpression: Two document paths overlap with each other; must "
                                        "remove or rewrite one of these paths; path one: [a], path two: [a, b]"),
    ("SET a.b = :v, a[1] = :v", {":v": 1}, "Invalid UpdateExpression: Two document paths conflict with each other; "
                                           "must remove or rewrite one of these paths; path one: [a, b], path two: [a, [1]]"),
    ("ADD a :v", {":v": "x"}, "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: "
                              "ADD, operand type: STRING, typeSet: ALLOWED_FOR_ADD_OPERAND"),
    ("DELETE a :v", {":v": 1}, "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: "
                               "DELETE, operand type: NUMBER, typeSet: ALLOWED_FOR_DELETE_OPERAND"),
    ("SET a = list_append(:v, a)", {":v": "x"}, "Invalid UpdateExpression: Incorrect operand type for operator or "
                                                "function; operator or function: list_append, operand type: S"),
    ("SET a = a + :v", {":v": "x"}, "Invalid UpdateExpression: Incorrect operand type for operator or function; "
                                    "operator or function: +, operand type: S"),
    ("SET a = if_not_exists(:v, a)", {":v": 1}, "Invalid UpdateExpression: Operator or function requires a document "
                                                "path; operator or function: if_not_exists"),
    ("SET a = list_append(:v)", {":v": [1]}, "Invalid UpdateExpression: Incorrect number of operands for operator or "
                                             "function; operator or function: list_append, number of operands: 1"),
    ("SET a = f(b)", None, "Invalid UpdateExpression: Invalid function name; function: f"),
])
def test_update_expression_validation_messages(table_s, key, expression, values, message):
    with assert_error(VALIDATION, message):
        update(table_s, key, expression, values)


# Unused placeholders are reported for the whole request (update and condition together).
# Source: conformance tier3/error-messages/updateItem; dynalite test/updateItem.js.
def test_update_unused_placeholders(table_s, key):
    with assert_error(VALIDATION, "Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}"):
        update(table_s, key, "SET a = :v", {":v": 1}, {"#unused": "x"})
    with assert_error(VALIDATION, "Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}"):
        update(table_s, key, "SET a = :v", {":v": 1, ":unused": 2})
    table_s.update_item(Key=key, UpdateExpression="SET a = :v", ConditionExpression="#s = :s",
                        ExpressionAttributeNames={"#s": "s"}, ExpressionAttributeValues={":v": 1, ":s": "text"})
