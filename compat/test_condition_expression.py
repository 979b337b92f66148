# ConditionExpression (issue 3): the condition language (comparators, BETWEEN, IN,
# AND/OR/NOT and their precedence, functions) as PutItem, DeleteItem and UpdateItem apply
# it, ConditionalCheckFailedException and ReturnValuesOnConditionCheckFailure, and the
# validation messages of conditions and their placeholders.
#
# Sources named below:
#   conformance - the public DynamoDB conformance suite (tier1/putItem/conditions,
#                 conditionExpressionParens, tier1/updateItem/conditions,
#                 tier3/error-messages/conditionalCheck, putItem, tier3/limits), on AWS.
#   dynalite    - mhart/dynalite test/*.js, messages recorded from DynamoDB.
#   scylla      - scylladb test/alternator/test_condition_expression.py, run against AWS.
#   aws-docs    - Expressions.OperatorsAndFunctions.html, ReservedWords.html.

import pytest

from util import assert_error, random_string

VALIDATION = "ValidationException"
FAILED = "ConditionalCheckFailedException"


@pytest.fixture
def item(table_s):
    """A fresh item of table_s with one attribute of every kind."""
    value = {"p": random_string(), "n": 10, "s": "banana", "b": b"\x01\x02\x03", "flag": True,
             "nothing": None, "tags": {"red", "green"}, "nums": {1, 5}, "letters": ["a", "b", 3],
             "info": {"nested": {"deep": "x"}, "arr": [{"v": 1}, {"v": 2}]}, "dotted.name": "yes"}
    table_s.put_item(Item=value)
    return value


def holds(table, item, condition, values=None, names=None):
    """Whether an UpdateItem guarded by ``condition`` goes through."""
    kwargs = {"ConditionExpression": condition}
    if values:
        kwargs["ExpressionAttributeValues"] = values
    if names:
        kwargs["ExpressionAttributeNames"] = names
    try:
        table.update_item(Key={"p": item["p"]}, **kwargs)
        return True
    except table.meta.client.exceptions.ConditionalCheckFailedException:
        return False


# Numbers compare numerically, strings by UTF-8 bytes, binaries by bytes; values of
# different types never compare (false, not an error); <> is true for a missing attribute.
# Sources: aws-docs (comparison operators); scylla test_update_condition_lt/ne/ne_two_unset.
@pytest.mark.parametrize("condition, values, expected", [
    ("n > :v", {":v": 9}, True), ("n < :v", {":v": 100}, True), ("n = :v", {":v": 10}, True),
    ("n >= :v AND n <= :v", {":v": 10}, True), ("s > :v", {":v": "apple"}, True),
    ("s < :v", {":v": "banana_"}, True), ("b < :v", {":v": b"\x02"}, True),
    ("s > :v", {":v": 1}, False), ("s <> :v", {":v": 1}, True), ("absent < :v", {":v": 1}, False),
    ("absent = :v", {":v": 1}, False), ("absent <> :v", {":v": 1}, True),
    ("n BETWEEN :lo AND :hi", {":lo": 10, ":hi": 20}, True), ("n BETWEEN :lo AND :hi", {":lo": 11, ":hi": 20}, False),
    ("s IN (:a, :b)", {":a": "apple", ":b": "banana"}, True), ("s IN (:a)", {":a": "apple"}, False),
    ("tags = :v", {":v": {"green", "red"}}, True), ("letters = :v", {":v": ["a", "b", 3]}, True),
])
def test_condition_comparisons(table_s, item, condition, values, expected):
    assert holds(table_s, item, condition, values) is expected


# NOT binds tighter than AND, AND tighter than OR; parentheses regroup; keywords are
# case-insensitive. Sources: aws-docs ("Precedence in conditions"); conformance
# conditionExpressionParens.
@pytest.mark.parametrize("condition, expected", [
    ("n = :yes OR n = :yes AND n = :no", True),
    ("(n = :yes OR n = :yes) AND n = :no", False),
    ("NOT n = :no AND n = :yes", True),
    ("not (n = :yes)", False),
    ("(n = :yes) and (NOT (n = :no))", True),
    ("(n = :yes AND (n <> :no))", True),
])
def test_condition_precedence_and_parentheses(table_s, item, condition, expected):
    values = {key: value for key, value in {":yes": 10, ":no": 11}.items() if key in condition}
    assert holds(table_s, item, condition, values) is expected


# The functions: attribute_exists/not_exists (a NULL attribute exists), attribute_type,
# begins_with on strings and binaries, contains on strings, sets and lists, size of
# strings, binaries, sets, lists and maps; nested paths with dots and indexes.
# contains on a binary looks for a run of its bytes (scylla test_update_condition_contains,
# observed on AWS). Sources: aws-docs (Functions); scylla test_condition_expression.py.
@pytest.mark.parametrize("condition, values, expected", [
    ("attribute_exists(n) AND attribute_not_exists(absent)", None, True),
    ("attribute_exists(nothing)", None, True),
    ("attribute_type(tags, :ss) AND attribute_type(nothing, :null)", {":ss": "SS", ":null": "NULL"}, True),
    ("attribute_type(n, :s)", {":s": "S"}, False),
    ("begins_with(s, :p)", {":p": "ban"}, True), ("begins_with(s, :p)", {":p": "nan"}, False),
    ("begins_with(b, :p)", {":p": b"\x01\x02"}, True),
    ("contains(s, :v)", {":v": "nan"}, True), ("contains(tags, :v)", {":v": "red"}, True),
    ("contains(tags, :v)", {":v": "blue"}, False), ("contains(nums, :v)", {":v": 5}, True),
    ("contains(letters, :v)", {":v": 3}, True),
    ("contains(b, :v)", {":v": b"\x02\x03"}, True), ("contains(b, :v)", {":v": b"\x03\x02"}, False),
    ("size(s) = :six", {":six": 6}, True), ("size(b) = :three", {":three": 3}, True),
    ("size(tags) = :two AND size(letters) = :three AND size(info) = :two", {":two": 2, ":three": 3}, True),
    ("info.nested.deep = :x", {":x": "x"}, True), ("info.arr[1].v = :two", {":two": 2}, True),
    ("attribute_not_exists(letters[9])", None, True),
])
def test_condition_functions(table_s, item, condition, values, expected):
    assert holds(table_s, item, condition, values) is expected


# size() of a string counts UTF-16 code units, not UTF-8 bytes: "é𝄞" has size 3 (one unit,
# then a surrogate pair), not 6. Source: ExtendDB PR 67 (and issue 60), verified against
# real DynamoDB: size("é𝄞") = 3 holds and = 6 fails.
@pytest.mark.parametrize("length, expected", [(3, True), (6, False), (2, False)])
def test_condition_size_of_a_string_counts_utf16_units(table_s, length, expected):
    item = {"p": random_string(), "s": "\u00e9\U0001d11e"}
    table_s.put_item(Item=item)
    assert holds(table_s, item, "size(s) = :n", {":n": length}) is expected


# A name placeholder stands for one attribute name, dots included.
# Source: aws-docs Expressions.ExpressionAttributeNames.html.
def test_condition_name_placeholder_with_a_dot(table_s, item):
    assert holds(table_s, item, "#d = :y", {":y": "yes"}, {"#d": "dotted.name"})


# A failed condition answers ConditionalCheckFailedException "The conditional request
# failed" and leaves the item alone, for PutItem, DeleteItem and UpdateItem.
# Source: conformance tier3/error-messages/conditionalCheck.
def test_put_item_condition_fails_on_existing_item(table_s, item):
    with assert_error(FAILED, "The conditional request failed"):
        table_s.put_item(Item={"p": item["p"], "x": 1}, ConditionExpression="attribute_not_exists(p)")
    assert table_s.get_item(Key={"p": item["p"]}, ConsistentRead=True)["Item"]["s"] == "banana"


def test_put_item_condition_passes_on_new_item(table_s):
    p = random_string()
    table_s.put_item(Item={"p": p}, ConditionExpression="attribute_not_exists(p)")
    assert table_s.get_item(Key={"p": p}, ConsistentRead=True)["Item"] == {"p": p}


def test_delete_item_condition(table_s, item):
    key = {"p": item["p"]}
    with assert_error(FAILED, "The conditional request failed"):
        table_s.delete_item(Key=key, ConditionExpression="s = :v", ExpressionAttributeValues={":v": "wrong"})
    assert "Item" in table_s.get_item(Key=key, ConsistentRead=True)
    table_s.delete_item(Key=key, ConditionExpression="s = :v", ExpressionAttributeValues={":v": "banana"})
    assert "Item" not in table_s.get_item(Key=key, ConsistentRead=True)


# On a missing item every attribute is absent: attribute_exists fails, and a delete with
# a failing condition is still refused. Source: conformance tier1/updateItem/conditions.
def test_delete_item_condition_on_missing_item(table_s):
    with assert_error(FAILED, "The conditional request failed"):
        table_s.delete_item(Key={"p": random_string()}, ConditionExpression="attribute_exists(p)")


# ReturnValuesOnConditionCheckFailure=ALL_OLD puts the old item in the error response.
# Source: conformance tier3/error-messages/conditionalCheck.
def test_condition_failure_returns_old_item_when_asked(unchecked_client, table_s, item):
    client = unchecked_client
    with assert_error(FAILED, "The conditional request failed") as info:
        client.put_item(TableName=table_s.name, Item={"p": {"S": item["p"]}},
                        ConditionExpression="attribute_not_exists(p)", ReturnValuesOnConditionCheckFailure="ALL_OLD")
    assert info.value.response["Item"]["s"] == {"S": "banana"}
    with assert_error(FAILED, "The conditional request failed") as info:
        client.put_item(TableName=table_s.name, Item={"p": {"S": item["p"]}},
                        ConditionExpression="attribute_not_exists(p)")
    assert "Item" not in info.value.response


# Validation messages of conditions. Sources: dynalite test/scan.js and
# test/updateItem.js (recorded from DynamoDB); conformance tier3/limits/reservedWords.
@pytest.mark.parametrize("condition, values, message", [
    ("", None, "Invalid ConditionExpression: The expression can not be empty;"),
    ("attribute_not_exists(", None, 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "("'),
    ("status = :v", {":v": "x"}, "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status"),
    ("a = :v", None, "Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :v"),
    ("whatever(a)", None, "Invalid ConditionExpression: Invalid function name; function: whatever"),
    ("size(a)", None, "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: size"),
    ("((a = :v))", {":v": 1}, "Invalid ConditionExpression: The expression has redundant parentheses;"),
    ("begins_with(a)", None, "Invalid ConditionExpression: Incorrect number of operands for operator or function; "
                             "operator or function: begins_with, number of operands: 1"),
    ("size(:v) > a", {":v": 1}, "Invalid ConditionExpression: Incorrect operand type for operator or function; "
                                "operator or function: size, operand type: N"),
    ("a = a", None, "Invalid ConditionExpression: The first operand must be distinct from the remaining operands "
                    "for this operator or function; operator: =, first operand: [a]"),
    ("attribute_exists(:v)", {":v": 1}, "Invalid ConditionExpression: Operator or function requires a document path; "
                                        "operator or function: attribute_exists"),
    ("a BETWEEN :hi AND :lo", {":hi": 5, ":lo": 1},
     "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower "
     "bound; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:1}"),
])
def test_condition_validation_messages(table_s, condition, values, message):
    kwargs = {"ExpressionAttributeValues": values} if values else {}
    with assert_error(VALIDATION, message):
        table_s.put_item(Item={"p": random_string()}, ConditionExpression=condition, **kwargs)


# A placeholder map with a key nothing uses, or one without any expression to use it.
# Sources: conformance tier3/error-messages/putItem and updateItem.
def test_condition_unused_and_orphan_placeholders(table_s):
    with assert_error(VALIDATION, "Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}"):
        table_s.put_item(Item={"p": random_string()}, ConditionExpression="a = :v",
                         ExpressionAttributeValues={":v": 1, ":unused": 2})
    with assert_error(VALIDATION, "ExpressionAttributeValues can only be specified when using expressions: "
                                  "ConditionExpression is null"):
        table_s.put_item(Item={"p": random_string()}, ExpressionAttributeValues={":v": 1})
    with assert_error(VALIDATION, "ExpressionAttributeNames can only be specified when using expressions"):
        table_s.delete_item(Key={"p": random_string()}, ExpressionAttributeNames={"#a": "a"})


# Expressions and legacy parameters cannot be mixed.
# Source: conformance tier3/error-messages/putItem.
def test_condition_and_expected_cannot_be_mixed(table_s):
    message = ("Can not use both expression and non-expression parameters in the same request: "
               "Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}")
    with assert_error(VALIDATION, message):
        table_s.put_item(Item={"p": random_string()}, Expected={"p": {"Exists": False}},
                         ConditionExpression="attribute_not_exists(p)")


# IN takes at most 100 operands. Sources: aws-docs ServiceQuotas (expression parameters);
# reported response "The IN operator is provided with too many operands; number of
# operands: 163" (reapit/foundations issue 8255).
def test_condition_in_with_101_operands(table_s):
    values = {f":v{i}": i for i in range(101)}
    with assert_error(VALIDATION, "Invalid ConditionExpression: The IN operator is provided with too many "
                                  "operands; number of operands: 101"):
        table_s.put_item(Item={"p": random_string()}, ConditionExpression=f"a IN ({', '.join(values)})",
                         ExpressionAttributeValues=values)


# An expression may be 4096 bytes, not more. Sources: aws-docs ServiceQuotas; reported
# response "Invalid FilterExpression: Expression size has exceeded the maximum allowed
# size; expression size: 4109" (pynamodb issue 979).
def test_condition_expression_size_limit(table_s):
    name = "a" * 4090
    table_s.put_item(Item={"p": random_string()}, ConditionExpression=f"{name} <> :v",
                     ExpressionAttributeValues={":v": 1})
    with assert_error(VALIDATION, "Invalid ConditionExpression: Expression size has exceeded the maximum allowed "
                                  "size; expression size: 4097"):
        table_s.put_item(Item={"p": random_string()}, ConditionExpression=f"{name}b <> :v",
                         ExpressionAttributeValues={":v": 1})
