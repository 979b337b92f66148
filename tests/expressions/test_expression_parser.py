"""Parser: AST shapes, DynamoDB's syntax-error token/near rule, structural rules."""

import pytest

from emulator.errors import ValidationException
from emulator.expressions import ast
from emulator.expressions.parser import parse


def syntax(kind, text):
    with pytest.raises(ValidationException) as info:
        parse(kind, text)
    return info.value.message


def test_parse_condition_precedence_not_and_or():
    tree = parse("ConditionExpression", "a = :a OR NOT b = :b AND c = :c")
    assert isinstance(tree, ast.Or)
    assert isinstance(tree.right, ast.And)
    assert isinstance(tree.right.left, ast.Not)


def test_parse_keywords_are_case_insensitive():
    tree = parse("ConditionExpression", "a between :x aNd :y or b In (:z)")
    assert isinstance(tree, ast.Or)
    assert isinstance(tree.left, ast.Between) and isinstance(tree.right, ast.In)


def test_parse_paths_with_maps_indexes_and_names():
    tree = parse("ProjectionExpression", "a.b[3].#c, d")
    assert tree.paths[0].elements == ("a", "b", 3, ast.NameRef("#c"))
    assert tree.paths[1].elements == ("d",)


def test_parse_size_becomes_size_node_and_other_calls_functions():
    tree = parse("ConditionExpression", "size(a) > :n AND contains(b, :v)")
    assert isinstance(tree.left.left, ast.Size)
    assert tree.right == ast.Function("contains", (ast.Path(("b",)), ast.ValueRef(":v")))


def test_parse_parentheses_are_counted_for_key_conditions():
    tree = parse("KeyConditionExpression", "(#pk = :pk) AND (sk > :s)")
    assert tree.left.parens == 1 and tree.right.parens == 1 and tree.parens == 0


def test_parse_comparison_keeps_operand_order():
    tree = parse("KeyConditionExpression", ":v < sk")
    assert isinstance(tree.left, ast.ValueRef) and tree.op == "<"


def test_parse_update_clauses_in_any_order():
    tree = parse("UpdateExpression", "remove a ADD b :n set c = d + :e, f = list_append(f, :l) delete g :s")
    assert tree.clauses == ("REMOVE", "ADD", "SET", "DELETE")
    kinds = [type(a).__name__ for a in tree.actions]
    assert kinds == ["RemoveAction", "AddAction", "SetAction", "SetAction", "DeleteAction"]
    assert tree.actions[2].value == ast.Arithmetic("+", ast.Path(("d",)), ast.ValueRef(":e"))


def test_parse_update_value_may_be_parenthesised():
    tree = parse("UpdateExpression", "SET a = (b - :c)")
    assert tree.actions[0].value.op == "-"


def test_parse_is_cached_by_text():
    assert parse("ConditionExpression", "a = :v") is parse("ConditionExpression", "a = :v")


# Reported responses and the conformance suite fix the near-context rule: the token
# before, the offending token, the token after; at the end, the last token.
@pytest.mark.parametrize("kind, text, message", [
    ("UpdateExpression", "INVALID SYNTAX HERE", 'token: "INVALID", near: "INVALID SYNTAX"'),
    ("ProjectionExpression", "!!! INVALID !!!", 'token: "!", near: "!!"'),
    ("UpdateExpression", "ADD hits : incr", 'token: ":", near: "hits : incr"'),
    ("ConditionExpression", "foo", 'token: "<EOF>", near: "foo"'),
    ("ConditionExpression", "attribute_not_exists(", 'token: "<EOF>", near: "("'),
    ("FilterExpression", "NOT (#attr0)", 'token: "<EOF>", near: ")"'),
    ("FilterExpression", "contains (themes, :theme", 'token: "<EOF>", near: ":theme"'),
    ("UpdateExpression", "SET _123 = :v", 'token: "_", near: "SET _123"'),
    ("UpdateExpression", "SET a = :v,", 'token: "<EOF>", near: ","'),
    ("ProjectionExpression", "name-with-dash", 'token: "-", near: "name-with"'),
    ("ConditionExpression", "(a) AND b = :c", 'token: "AND", near: ") AND b"'),
    ("ConditionExpression", "(a = :b) = :c", 'token: "=", near: ") = :c"'),
    ("ConditionExpression", "a = (b = :c)", 'token: "=", near: "b = :c"'),
    # The same rule with AND/OR inside the parentheses (found by the grammar-shaped
    # property, which raised AttributeError here): the text stops being an operand at
    # the first operator whose left side is an operand.
    ("ConditionExpression", "a = (b AND c)", 'token: "AND", near: "b AND c"'),
    ("ConditionExpression", ":0 BETWEEN A AND(A AND A)", 'token: "AND", near: "A AND A"'),
    ("ConditionExpression", "a IN (b, (c OR d))", 'token: "OR", near: "c OR d"'),
    ("ConditionExpression", "a = (b = :c OR d)", 'token: "=", near: "b = :c"'),
    ("ConditionExpression", "a > 4", 'token: "4", near: "> 4"'),
    ("UpdateExpression", "SET a = b + c + d", 'token: "+", near: "c + d"'),
])
def test_parse_syntax_error_token_and_near(kind, text, message):
    assert syntax(kind, text) == f"Invalid {kind}: Syntax error; {message}"


@pytest.mark.parametrize("text", [
    "a in b", "a in (b,c,)", "a > :v.b", "b[:a] > a", "b[#a] > a", "ü > a", "size(a).b > a",
    "a = = :v", "attribute_exists(Pictures..RearView)", "a > between", "   ",
])
def test_parse_condition_syntax_errors(text):
    assert syntax("FilterExpression", text).startswith("Invalid FilterExpression: Syntax error; token: ")


@pytest.mark.parametrize("text", [
    "whatever", "set a", "set a=set", "remove a = b", "add a = b", "delete a b", "add a b",
    "set :a = b", "remove :a", "set a = b / c", "set a[1] = 1", "set a = if_not_exists(a, 1)",
    "set (a = (b + c))", "set a = if_not_exists(a, :x + :y)",
])
def test_parse_update_syntax_errors(text):
    assert syntax("UpdateExpression", text).startswith("Invalid UpdateExpression: Syntax error; token: ")
