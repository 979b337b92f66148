"""Placeholder maps, binding and the semantic checks, in DynamoDB's order."""

import pytest

from emulator.errors import SerializationException, ValidationException
from emulator.expressions import RequestExpressions, check_parameters

N1, N2, S = {"N": "1"}, {"N": "2"}, {"S": "x"}


def error(call):
    with pytest.raises(ValidationException) as info:
        call()
    return info.value.message


def condition(text, names=None, values=None, kind="ConditionExpression"):
    return RequestExpressions(names, values).condition(text, kind)


@pytest.mark.parametrize("names, values, message", [
    ({}, None, "ExpressionAttributeNames must not be empty"),
    ({"a": "a"}, None, 'ExpressionAttributeNames contains invalid key: Syntax error; key: "a"'),
    (None, {}, "ExpressionAttributeValues must not be empty"),
    (None, {"b": S}, 'ExpressionAttributeValues contains invalid key: Syntax error; key: "b"'),
    (None, {":b": {"SS": []}}, "ExpressionAttributeValues contains invalid value: One or more parameter "
                               "values were invalid: An string set  may not be empty for key :b"),
])
def test_request_expressions_rejects_bad_maps(names, values, message):
    assert error(lambda: RequestExpressions(names, values)) == message


def test_request_expressions_rejects_non_map_names():
    with pytest.raises(SerializationException):
        RequestExpressions(["#a"], None)


def test_values_are_normalized_when_bound():
    cond = condition("a = :v", values={":v": {"N": "01.50"}})
    assert cond.node.right.value == {"N": "1.5"}


@pytest.mark.parametrize("text, message", [
    ("", "The expression can not be empty;"),
    ("((a = :one))", "The expression has redundant parentheses;"),
    ("a = :one AND ((b = :one OR c = :one))", "The expression has redundant parentheses;"),
    ("whatever(a) = :one", "Invalid function name; function: whatever"),
    ("ATTRIBUTE_EXISTS(a)", "Invalid function name; function: ATTRIBUTE_EXISTS"),
    ("attribute_exists(a) = :one", "The function is not allowed to be used this way in an expression; function: attribute_exists"),
    ("size(a)", "The function is not allowed to be used this way in an expression; function: size"),
    ("size(contains(a, b)) > :one", "The function is not allowed to be used this way in an expression; function: contains"),
    ("status = :one", "Attribute name is a reserved keyword; reserved keyword: status"),
    (":one < abOrT", "Attribute name is a reserved keyword; reserved keyword: abOrT"),
    ("a = :nope", "An expression attribute value used in expression is not defined; attribute value: :nope"),
    ("#nope = :one", "An expression attribute name used in the document path is not defined; attribute name: #nope"),
    ("begins_with(a)", "Incorrect number of operands for operator or function; operator or function: begins_with, number of operands: 1"),
    ("attribute_exists(a, b)", "Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2"),
    ("a = a", "The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a]"),
    ("#a <> a", "The first operand must be distinct from the remaining operands for this operator or function; operator: <>, first operand: [a]"),
    ("contains(x.y[1], x.y[1])", "The first operand must be distinct from the remaining operands for this operator or function; operator: contains, first operand: [x, y, [1]]"),
    ("attribute_exists(:one)", "Operator or function requires a document path; operator or function: attribute_exists"),
    ("size(:one) > a", "Incorrect operand type for operator or function; operator or function: size, operand type: N"),
    ("begins_with(a, :one)", "Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"),
    ("attribute_type(a, :one)", "Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N"),
    ("attribute_type(a, :s)", "Invalid attribute type name found; type: x, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}"),
    ("a < :list", "Incorrect operand type for operator or function; operator or function: <, operand type: L"),
    ("a BETWEEN :two AND :one", "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; "
                                "lower bound operand: AttributeValue: {N:2}, upper bound operand: AttributeValue: {N:1}"),
    ("a BETWEEN :one AND :s", "The BETWEEN operator requires same data type for lower and upper bounds; "
                              "lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:x}"),
])
def test_condition_messages(text, message):
    values = {":one": N1, ":two": N2, ":s": S, ":list": {"L": []}}
    assert error(lambda: condition(text, {"#a": "a"}, values)) == f"Invalid ConditionExpression: {message}"


def test_condition_kind_names_the_member_in_messages():
    assert error(lambda: condition("a = :x", kind="FilterExpression")).startswith("Invalid FilterExpression: ")


def test_condition_checks_run_condition_by_condition():
    # The undefined value in the second condition loses to the type error in the first.
    values = {":one": N1}
    message = error(lambda: condition("size(:one) > a AND b = :nope", values=values))
    assert "operator or function: size" in message


def test_condition_in_allows_100_operands_not_101():
    values = {f":v{i}": N1 for i in range(101)}
    condition("a IN (" + ", ".join(list(values)[:100]) + ")", values={k: values[k] for k in list(values)[:100]})
    message = error(lambda: condition("a IN (" + ", ".join(values) + ")", values=values))
    assert message.endswith("The IN operator is provided with too many operands; number of operands: 101")


def test_expression_size_limit_is_4_kb_of_utf8():
    name = "a" * 4091
    condition(f"{name} = :v", values={":v": N1})  # exactly 4096 bytes
    message = error(lambda: condition(f"{name}xy = :v", values={":v": N1}))
    assert message == "Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 4098"


def test_unused_names_then_values_are_reported_once():
    expressions = RequestExpressions({"#a": "a", "#b": "b", "#c": "c"}, {":v": N1, ":w": N1})
    expressions.condition("#a = :v")
    expressions.projection("#b")
    assert error(expressions.check_unused) == "Value provided in ExpressionAttributeNames unused in expressions: keys: {#c}"
    expressions.projection("#c")
    assert error(expressions.check_unused) == "Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}"


@pytest.mark.parametrize("text, message", [
    ("SET a = :s SET b = :s", 'The "SET" section can only be used once in an update expression;'),
    ("remove #d set a = :s remove e", 'The "REMOVE" section can only be used once in an update expression;'),
    ("SET status = :s", "Attribute name is a reserved keyword; reserved keyword: status"),
    ("SET a = whatever(b)", "Invalid function name; function: whatever"),
    ("SET a = list_append(list_append(a, :l), :l)", "The function is not allowed to be used this way in an expression; function: list_append"),
    ("SET #x = :nope", "An expression attribute name used in the document path is not defined; attribute name: #x"),
    ("SET a = :nope, #x = :s", "An expression attribute name used in the document path is not defined; attribute name: #x"),
    ("SET a = :nope", "An expression attribute value used in expression is not defined; attribute value: :nope"),
    ("SET a = :s REMOVE a", "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]"),
    ("SET a = :s, a.b = :s", "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]"),
    ("SET a[1] = :s, a = :s", "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a, [1]], path two: [a]"),
    ("SET a.b = :s, a[1] = :s", "Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a, [1]]"),
    ("ADD a :s", "Incorrect operand type for operator or function; operator: ADD, operand type: STRING, typeSet: ALLOWED_FOR_ADD_OPERAND"),
    ("ADD a :l", "Incorrect operand type for operator or function; operator: ADD, operand type: LIST, typeSet: ALLOWED_FOR_ADD_OPERAND"),
    ("DELETE a :one", "Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER, typeSet: ALLOWED_FOR_DELETE_OPERAND"),
    ("SET a = list_append(:s, a)", "Incorrect operand type for operator or function; operator or function: list_append, operand type: S"),
    ("SET a = a + :s", "Incorrect operand type for operator or function; operator or function: +, operand type: S"),
    ("SET a = :l - a", "Incorrect operand type for operator or function; operator or function: -, operand type: L"),
    ("SET a = if_not_exists(:s, a)", "Operator or function requires a document path; operator or function: if_not_exists"),
    ("SET a = list_append(a)", "Incorrect number of operands for operator or function; operator or function: list_append, number of operands: 1"),
])
def test_update_messages(text, message):
    values = {":one": N1, ":s": S, ":l": {"L": []}}
    expressions = RequestExpressions({"#d": "d", "#e": "e"} if "#d" in text else None, values)
    assert error(lambda: expressions.update(text)) == f"Invalid UpdateExpression: {message}"


@pytest.mark.parametrize("text, message", [
    ("a, status", "Attribute name is a reserved keyword; reserved keyword: status"),
    ("a, #nope", "An expression attribute name used in the document path is not defined; attribute name: #nope"),
    ("a, #a[1]", "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, [1]]"),
    ("a.b, #a[1]", "Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a, [1]]"),
    ("b[1], b.a, #a.b, a", "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a]"),
])
def test_projection_messages(text, message):
    assert error(lambda: RequestExpressions({"#a": "a"}, None).projection(text)) == f"Invalid ProjectionExpression: {message}"


@pytest.mark.parametrize("request_, message", [
    ({"ConditionExpression": "a = :v", "Expected": {}},
     "Can not use both expression and non-expression parameters in the same request: "
     "Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}"),
    ({"ExpressionAttributeNames": {"#a": "a"}}, "ExpressionAttributeNames can only be specified when using expressions"),
    ({"ExpressionAttributeValues": {":a": N1}},
     "ExpressionAttributeValues can only be specified when using expressions: UpdateExpression and ConditionExpression are null"),
])
def test_check_parameters(request_, message):
    members = ("UpdateExpression", "ConditionExpression") if "Expected" not in request_ else ("ConditionExpression",)
    assert error(lambda: check_parameters(request_, members, ("AttributeUpdates", "Expected"))) == message
