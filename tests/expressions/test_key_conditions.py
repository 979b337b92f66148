"""Engine tests of expressions/key_conditions.py: key-condition expressions to conditions
(the shape rules), conditions against a key schema and an ExclusiveStartKey (the schema
rules, in DynamoDB's order), sort ranges, and the names an expression reads. DynamoDB's
messages and their sources are pinned in compat/test_key_condition_expression.py and
test_query.py."""

from decimal import Decimal

import pytest

from emulator.errors import ValidationException
from emulator.expressions import RequestExpressions, ast
from emulator.expressions import key_conditions as kc
from emulator.table import KeySchema

S, N = {"S": "a"}, {"N": "5"}
RANGE_TABLE = KeySchema("p", "S", "c", "N")
HASH_TABLE = KeySchema("p", "S")


def message(call):
    with pytest.raises(ValidationException) as info:
        call()
    return info.value.message


def conditions(text, values=None, names=None):
    return RequestExpressions(names, values or {":s": S, ":n": N, ":m": {"N": "9"}}).key_condition(text).checked()


# ---------------------------------------------------------------- from_expression


@pytest.mark.parametrize("text, expected", [
    ("p = :s", {"p": ("EQ", [S])}),
    ("p = :s AND c < :n", {"p": ("EQ", [S]), "c": ("LT", [N])}),
    (":n < c AND :s = p", {"c": ("GT", [N]), "p": ("EQ", [S])}),
    ("p = :s AND :n >= c", {"p": ("EQ", [S]), "c": ("LE", [N])}),
    ("p = :s AND :n <= c", {"p": ("EQ", [S]), "c": ("GE", [N])}),
    ("(p = :s) AND (c BETWEEN :n AND :m)", {"p": ("EQ", [S]), "c": ("BETWEEN", [N, {"N": "9"}])}),
    ("p = :s AND begins_with(c, :s)", {"p": ("EQ", [S]), "c": ("BEGINS_WITH", [S])}),
    ("#a = :s", {"p": ("EQ", [S])}),
])
def test_from_expression_builds_conditions(text, expected):
    names = {"#a": "p"} if "#a" in text else None
    assert conditions(text, names=names) == expected


@pytest.mark.parametrize("text, expected", [
    ("p = :s OR c = :n", "Invalid operator used in KeyConditionExpression: OR"),
    ("NOT p = :s", "Invalid operator used in KeyConditionExpression: NOT"),
    ("p IN (:s)", "Invalid operator used in KeyConditionExpression: IN"),
    ("p <> :s", "Invalid operator used in KeyConditionExpression: <>"),
    ("attribute_exists(p)", "Invalid operator used in KeyConditionExpression: attribute_exists"),
    ("contains(p, :s)", "Invalid operator used in KeyConditionExpression: contains"),
    ("size(p) = :n", "KeyConditionExpressions cannot contain nested operations"),
    ("p = size(c)", "KeyConditionExpressions cannot contain nested operations"),
    (":n BETWEEN c AND c", "Invalid condition in KeyConditionExpression: BETWEEN operator must have the key "
                           "attribute as its first operand"),
    ("begins_with(:s, p)", "Invalid condition in KeyConditionExpression: begins_with operator must have the key "
                           "attribute as its first operand"),
    ("p = c", "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition"),
    ("p.q = :s", "KeyConditionExpressions cannot have conditions on nested attributes"),
    (":s = :s", "Invalid condition in KeyConditionExpression: No key attribute specified"),
    ("p = :s AND p = :s", "KeyConditionExpressions must only contain one condition per key"),
    # the OR is found before the nested path on its right
    ("p.q = :s OR c = :n", "Invalid operator used in KeyConditionExpression: OR"),
])
def test_from_expression_shape_rules(text, expected):
    assert message(lambda: conditions(text)) == expected


def test_condition_count():
    kc.check_count({"p": ("EQ", [S])})
    assert message(lambda: kc.check_count({})) == "Conditions can be of length 1 or 2 only"
    three = {"p": ("EQ", [S]), "c": ("EQ", [N]), "d": ("EQ", [N])}
    assert message(lambda: kc.check_count(three)) == "Conditions can be of length 1 or 2 only"


# ---------------------------------------------------------------- resolve against the schema


def test_resolve_builds_the_key_range():
    condition = kc.resolve(RANGE_TABLE, ("p", "c"), {"p": ("EQ", [S]), "c": ("BETWEEN", [N, {"N": "9"}])}, None)
    assert condition == kc.KeyCondition("a", kc.SortCondition("BETWEEN", (Decimal(5), Decimal(9))))
    assert kc.resolve(HASH_TABLE, ("p",), {"p": ("EQ", [S])}, None) == kc.KeyCondition("a", None)


@pytest.mark.parametrize("schema, given, start, expected", [
    (RANGE_TABLE, {"c": ("EQ", [N])}, None, "Query condition missed key schema element: p"),
    (RANGE_TABLE, {"p": ("EQ", [S]), "x": ("EQ", [N])}, None, "Query condition missed key schema element: c"),
    (RANGE_TABLE, {"p": ("GT", [S])}, None, "Query key condition not supported"),
    (RANGE_TABLE, {"p": ("NULL", [])}, None, "Attempted conditional constraint is not an indexable operation"),
    (RANGE_TABLE, {"p": ("EQ", [N])}, None,
     "One or more parameter values were invalid: Condition parameter type does not match schema type"),
    (HASH_TABLE, {"p": ("EQ", [S]), "c": ("EQ", [N])}, None, "Query key condition not supported"),
    # the starting key's element is checked before the condition on it ...
    (RANGE_TABLE, {"c": ("EQ", [N])}, {"x": S, "c": N}, "The provided starting key is invalid"),
    (RANGE_TABLE, {"c": ("EQ", [N])}, {"p": N, "c": N}, "The provided key element does not match the schema"),
    (RANGE_TABLE, {"p": ("EQ", [S])}, {"p": S}, "The provided starting key is invalid"),
    # ... and the partition key's condition before the sort key's starting element
    (RANGE_TABLE, {"c": ("EQ", [N])}, {"p": S, "c": S}, "Query condition missed key schema element: p"),
    (RANGE_TABLE, {"p": ("EQ", [{"S": ""}])}, None,
     "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty "
     "string value. Key: p"),
])
def test_resolve_rules_in_order(schema, given, start, expected):
    names = schema.names
    assert message(lambda: kc.resolve(schema, names, given, start)) == expected


@pytest.mark.parametrize("sort, start, expected", [
    (None, {"p": {"S": "b"}, "c": N}, "The provided starting key is outside query boundaries based on provided "
                                      "conditions"),
    (kc.SortCondition("GT", (Decimal(7),)), {"p": S, "c": N}, "The provided starting key does not match the range "
                                                                "key predicate"),
    (kc.SortCondition("LT", (Decimal(7),)), {"p": {"S": "b"}, "c": N}, "The query can return at most one row and "
                                                                         "cannot be restarted"),
])
def test_start_key_must_lie_in_the_range(sort, start, expected):
    condition = kc.KeyCondition("a", sort)
    assert message(lambda: kc.check_start_key(RANGE_TABLE, condition, start, is_table=True)) == expected


def test_start_key_inside_the_range_is_accepted():
    kc.check_start_key(RANGE_TABLE, kc.KeyCondition("a", kc.SortCondition("LE", (Decimal(7),))),
                       {"p": S, "c": N}, is_table=True)


def test_hash_only_table_cannot_resume():
    assert message(lambda: kc.check_start_key(HASH_TABLE, kc.KeyCondition("a"), {"p": S}, is_table=True)) == (
        "The provided exclusive start key is invalid: ExclusiveStartKey: {p=AttributeValue: {S:a}}")
    # a hash-only index holds many items per key: resuming is fine there
    kc.check_start_key(HASH_TABLE, kc.KeyCondition("a"), {"p": S}, is_table=False)


# ---------------------------------------------------------------- ranges


@pytest.mark.parametrize("prefix, successor", [
    ("ab", "ac"), ("a" + chr(0x10FFFF), "b"), (chr(0x10FFFF) * 2, None), ("", None), ("a" + chr(0xD7FF), "a" + chr(0xE000)),
    (b"\x01\xff", b"\x02"), (b"\xff\xff", None), (b"\x00", b"\x01"),
])
def test_prefix_successor(prefix, successor):
    assert kc.prefix_successor(prefix) == successor


@pytest.mark.parametrize("operator, values, inside, outside", [
    ("EQ", ("m",), ["m"], ["l", "mm"]),
    ("LT", ("m",), ["a", "l"], ["m", "n"]),
    ("LE", ("m",), ["m"], ["mm"]),
    ("GT", ("m",), ["mm", "z"], ["m"]),
    ("GE", ("m",), ["m"], ["l"]),
    ("BETWEEN", ("b", "d"), ["b", "c", "d"], ["a", "da"]),
    ("BEGINS_WITH", ("ab",), ["ab", "abc"], ["a", "ac", "b"]),
])
def test_sort_condition_matches_and_bounds_agree(operator, values, inside, outside):
    condition = kc.SortCondition(operator, values)
    low, high, low_in, high_in = condition.bounds()

    def in_bounds(value):
        return ((low is None or value > low or (low_in and value == low))
                and (high is None or value < high or (high_in and value == high)))

    for value in inside:
        assert condition.matches(value) and in_bounds(value)
    for value in outside:
        assert not condition.matches(value) and not in_bounds(value)
    assert not condition.matches(Decimal(1))  # another type never matches


# ---------------------------------------------------------------- names


def test_attribute_names_of_a_condition_and_of_paths():
    node = RequestExpressions({"#k": "key"}, {":v": N}).condition(
        "a.b = :v AND (size(#k) > :v OR contains(l[0], :v)) AND NOT attribute_exists(z)").node
    assert kc.attribute_names(node) == ({"a", "key", "l", "z"}, {"a", "l"})
    paths = (ast.Path(("x",)), ast.Path(("y", "z")))
    assert kc.attribute_names(paths) == ({"x", "y"}, {"y"})
